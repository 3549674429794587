package sources

import (
	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
)

// parseSignal takes the draft's source of a signal event: an os.Signal, a
// signal name ("SIGUSR1" or "USR1", in any case) or a signal number.
func parseSignal(source any) (evchan.Spec, error) {
	sig, err := sigs.Lookup(source)
	if err != nil {
		return evchan.Spec{}, err
	}
	return sigs.Signal(sig), nil
}

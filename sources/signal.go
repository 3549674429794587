package sources

import (
	"os"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/sigs"
)

// Signal is sigs.Signal: the Spec of a one-shot event (the draft's "s";
// Persistent: "S") that fires with reason evchan.Signal when sig arrives,
// with the signal as Event.Value. nil, SIGKILL and SIGSTOP are refused with
// an error wrapping evchan.ErrInvalid, a signal this platform cannot relay
// with one wrapping errors.ErrUnsupported.
func Signal(sig os.Signal) evchan.Spec { return sigs.Signal(sig) }

// parseSignal takes the draft's source of a signal event: an os.Signal, a
// signal name ("SIGUSR1" or "USR1", in any case) or a signal number.
func parseSignal(source any) (evchan.Spec, error) {
	sig, err := sigs.Lookup(source)
	if err != nil {
		return evchan.Spec{}, err
	}
	return sigs.Signal(sig), nil
}

//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sources_test

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/evchan/evchan/evchan"
	"github.com/evchan/evchan/poll"
	"github.com/evchan/evchan/sigs"
	"github.com/evchan/evchan/sources"
)

// R16: the draft's descriptor and signal letters give the kinds of packages
// poll and sigs, and their events arrive.
func TestR16DescriptorAndSignalLetters(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	c := evchan.New()
	defer c.Close()

	readable, err := sources.Parse("R", r)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := sources.Parse("s", "usr2")
	if err != nil {
		t.Fatal(err)
	}
	if readable.Letter() != "R" || sig.Letter() != "s" || sig.Source() != syscall.SIGUSR2 {
		t.Fatalf("letters %q %q, signal %v", readable.Letter(), sig.Letter(), sig.Source())
	}
	rid, err := c.Add(readable, "pipe", 0)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := c.Add(sig, "usr2", 0)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{1})
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	got := map[evchan.ID]evchan.Reason{}
	for len(got) < 2 {
		select {
		case e := <-c.C:
			got[e.ID] = e.Reason
			if e.ID == rid {
				c.Del(rid) // persistent, and the byte is still there: once is enough
			}
		case <-time.After(10 * time.Second): // only a hang gets here
			t.Fatalf("only %v arrived", got)
		}
	}
	if got[rid] != evchan.Readable || got[sid] != evchan.Signal {
		t.Fatalf("got %v", got)
	}
}

// R15: bad descriptors and signals are refused by Parse itself, with the
// sentinels of their packages.
func TestR15ParseRefusesBadDescriptorsAndSignals(t *testing.T) {
	for _, tc := range []struct {
		letter string
		source any
		want   error
	}{
		{"r", nil, poll.ErrBadDescriptor},
		{"W", -1, poll.ErrBadDescriptor},
		{"x", "not a descriptor", evchan.ErrInvalid},
		{"S", "SIGKILL", sigs.ErrUncatchable},
		{"s", "SIGNOPE", evchan.ErrInvalid},
		{"s", nil, evchan.ErrInvalid},
	} {
		if _, err := sources.Parse(tc.letter, tc.source); !errors.Is(err, tc.want) || !errors.Is(err, evchan.ErrInvalid) {
			t.Errorf("Parse(%q, %v) = %v, want an error wrapping %v and evchan.ErrInvalid", tc.letter, tc.source, err, tc.want)
		}
	}
}

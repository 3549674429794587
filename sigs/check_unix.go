//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package sigs

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// check returns sig, as given, if os/signal can relay it here.
func check(sig os.Signal) (os.Signal, error) {
	if sig == nil {
		return nil, errNil
	}
	s, ok := sig.(syscall.Signal)
	if !ok {
		return nil, invalidf("%v (%T) is not a signal of %s", sig, sig, runtime.GOOS)
	}
	if err := validate(s); err != nil {
		return nil, err
	}
	return sig, nil
}

// validate refuses what cannot be caught, what is no signal, and what the
// Go runtime keeps for itself: os/signal.Notify accepts those and never
// relays them, and a silent no-op is what R15 forbids.
func validate(s syscall.Signal) error {
	switch {
	case s == syscall.SIGKILL || s == syscall.SIGSTOP:
		return uncatchable(nameOf(s))
	case s <= 0 || s > 64: // os/signal knows signals 1 to 64 at most
		return invalidf("no signal has number %d", int(s))
	case s > maxSignal():
		return unsupportedf("%s cannot be relayed: os/signal relays no signal above %d on %s", nameOf(s), int(maxSignal()), runtime.GOOS)
	case s == syscall.SIGPROF:
		return unsupportedf("SIGPROF is kept by the Go runtime for profiling and never relayed")
	case reserved(s):
		return unsupportedf("%s is kept by the C library and the Go runtime and never relayed", nameOf(s))
	}
	return nil
}

// maxSignal is the highest signal the Go runtime relays on this system.
func maxSignal() syscall.Signal {
	switch runtime.GOOS {
	case "linux", "android", "solaris", "illumos":
		return 64 // os/signal's limit; Solaris has a few more
	case "aix":
		return 63
	case "freebsd", "netbsd", "dragonfly":
		return 32
	}
	return 31 // darwin, ios, openbsd (whose 32 cannot be registered)
}

// reserved reports the signals below maxSignal that the Go runtime never
// relays: on Linux, 32 and 33 (glibc's SIGCANCEL and SIGSETXID) and 34
// (musl's SIGSYNCCALL).
func reserved(s syscall.Signal) bool {
	return (runtime.GOOS == "linux" || runtime.GOOS == "android") && 32 <= s && s <= 34
}

// byName returns the signal named name: "SIGUSR1" or "USR1", in any case.
func byName(name string) (os.Signal, error) {
	up := strings.ToUpper(strings.TrimSpace(name))
	if !strings.HasPrefix(up, "SIG") {
		up = "SIG" + up
	}
	s := unix.SignalNum(up)
	if s == 0 {
		return nil, invalidf("no signal is named %q on %s", name, runtime.GOOS)
	}
	if err := validate(s); err != nil {
		return nil, err
	}
	return s, nil
}

// byNumber returns signal number n.
func byNumber(n int64) (os.Signal, error) {
	if n <= 0 || n > 64 {
		return nil, invalidf("no signal has number %d", n)
	}
	s := syscall.Signal(n)
	if err := validate(s); err != nil {
		return nil, err
	}
	return s, nil
}

// nameOf is the system's name for s, such as "SIGUSR1".
func nameOf(s syscall.Signal) string {
	if name := unix.SignalName(s); name != "" {
		return name
	}
	return fmt.Sprintf("signal %d", int(s))
}

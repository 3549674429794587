package sigs

import (
	"os"
	"strings"
	"syscall"
)

// check returns sig, as given, if os/signal can relay it on Windows: only
// os.Interrupt (Control-C, Control-Break) and syscall.SIGTERM (the console
// closing, log-off, shutdown).
func check(sig os.Signal) (os.Signal, error) {
	if sig == nil {
		return nil, errNil
	}
	s, ok := sig.(syscall.Signal)
	if !ok {
		return nil, invalidf("%v (%T) is not a signal of windows", sig, sig)
	}
	if err := validate(s); err != nil {
		return nil, err
	}
	return sig, nil
}

func validate(s syscall.Signal) error {
	switch s {
	case syscall.SIGINT, syscall.SIGTERM:
		return nil
	case syscall.SIGKILL:
		return uncatchable("SIGKILL")
	}
	if s <= 0 || s > 64 {
		return invalidf("no signal has number %d", int(s))
	}
	return unsupportedf("signal %d (%v) cannot be relayed: on windows os/signal relays os.Interrupt and SIGTERM only", int(s), s)
}

// names are the signals package syscall defines on Windows.
var names = map[string]syscall.Signal{
	"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT,
	"SIGILL": syscall.SIGILL, "SIGTRAP": syscall.SIGTRAP, "SIGABRT": syscall.SIGABRT,
	"SIGBUS": syscall.SIGBUS, "SIGFPE": syscall.SIGFPE, "SIGKILL": syscall.SIGKILL,
	"SIGSEGV": syscall.SIGSEGV, "SIGPIPE": syscall.SIGPIPE, "SIGALRM": syscall.SIGALRM,
	"SIGTERM": syscall.SIGTERM,
}

// posixOnly are names of POSIX signals that Windows lacks: a portable
// program that asks for one gets errors.ErrUnsupported, not ErrInvalid.
var posixOnly = map[string]bool{
	"SIGUSR1": true, "SIGUSR2": true, "SIGCHLD": true, "SIGCONT": true,
	"SIGSTOP": true, "SIGTSTP": true, "SIGTTIN": true, "SIGTTOU": true,
	"SIGURG": true, "SIGXCPU": true, "SIGXFSZ": true, "SIGVTALRM": true,
	"SIGPROF": true, "SIGWINCH": true, "SIGIO": true, "SIGPOLL": true,
	"SIGPWR": true, "SIGSYS": true, "SIGINFO": true,
}

func byName(name string) (os.Signal, error) {
	up := strings.ToUpper(strings.TrimSpace(name))
	if !strings.HasPrefix(up, "SIG") {
		up = "SIG" + up
	}
	if s, ok := names[up]; ok {
		if err := validate(s); err != nil {
			return nil, err
		}
		return s, nil
	}
	if up == "SIGSTOP" {
		return nil, uncatchable("SIGSTOP")
	}
	if posixOnly[up] {
		return nil, unsupportedf("windows has no signal %s", up)
	}
	return nil, invalidf("no signal is named %q on windows", name)
}

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

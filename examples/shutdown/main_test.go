//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// childEnv makes the test binary run the program instead of the tests, so
// that a test can send it signals as a user would.
const childEnv = "EVCHAN_SHUTDOWN_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	goleak.VerifyTestMain(m)
}

// hangLimit bounds every wait for the program; it only catches hangs.
const hangLimit = 20 * time.Second

// SIGTERM and SIGINT each make the program stop accepting work, finish the
// jobs in flight and exit 0.
func TestSignalDrains(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			p := start(t, "-tick=20ms", "-work=500ms", "-workers=3")
			p.waitFor("ready")
			p.waitFor("started job 1")
			p.signal(sig)
			stopping := p.waitFor("stopping")
			if want := fmt.Sprintf("(signal %q)", sig.String()); !strings.Contains(stopping, want) {
				t.Errorf("%q does not say %s", stopping, want)
			}
			var inFlight int
			if _, err := fmt.Sscanf(stopping[strings.Index(stopping, "jobs, ")+len("jobs, "):], "%d in flight", &inFlight); err != nil || inFlight < 1 {
				t.Errorf("%q: want at least one job in flight (%v)", stopping, err)
			}
			out, err := p.wait()
			if err != nil {
				t.Fatalf("the program ended with %v, want exit 0; output:\n%s", err, out)
			}
			p.checkDrained(out)
		})
	}
}

// The context ending starts the same drain, with no signal.
func TestContextDrains(t *testing.T) {
	p := start(t, "-tick=20ms", "-work=100ms", "-for=300ms")
	p.waitFor("ready")
	if stopping := p.waitFor("stopping"); !strings.Contains(stopping, "context deadline exceeded") {
		t.Errorf("%q does not give the context's cause", stopping)
	}
	out, err := p.wait()
	if err != nil {
		t.Fatalf("the program ended with %v, want exit 0; output:\n%s", err, out)
	}
	p.checkDrained(out)
}

// Once the drain has begun the signals are no longer caught (R9): a second
// SIGTERM gets its default action and ends the program at once.
func TestSecondSignalKills(t *testing.T) {
	p := start(t, "-tick=20ms", "-work=1m", "-drain=2m")
	p.waitFor("started job 1")
	p.signal(syscall.SIGTERM)
	p.waitFor("stopping")
	p.signal(syscall.SIGTERM)
	out, err := p.wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.String() != "signal: terminated" {
		t.Fatalf("the program ended with %v, want \"signal: terminated\"; output:\n%s", err, out)
	}
}

// proc is the program running as a child process.
type proc struct {
	t     *testing.T
	cmd   *exec.Cmd
	lines chan string // what it prints, line by line, closed at its end
	seen  []string
}

// start runs the program with args.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*hangLimit)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	// A race-enabled program sleeps a second before exiting, unless told not to.
	gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd.Env = append(os.Environ(), childEnv+"=1", "GORACE="+gorace)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, lines: make(chan string, 1024)}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil { // a failed test left it running
			cmd.Process.Kill()
			p.wait()
		}
	})
	return p
}

// waitFor returns the next line that starts with prefix, failing if the
// program ends or says nothing of the kind within hangLimit.
func (p *proc) waitFor(prefix string) string {
	p.t.Helper()
	limit := time.After(hangLimit)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				p.t.Fatalf("the program ended before printing %q; output:\n%s", prefix, strings.Join(p.seen, "\n"))
			}
			p.seen = append(p.seen, line)
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-limit:
			p.t.Fatalf("the program did not print %q within %v; output:\n%s", prefix, hangLimit, strings.Join(p.seen, "\n"))
		}
	}
}

func (p *proc) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatalf("sending %v: %v", sig, err)
	}
}

// wait reads the rest of the output and waits for the program to end.
func (p *proc) wait() ([]string, error) {
	limit := time.After(hangLimit)
	for {
		select {
		case line, ok := <-p.lines:
			if ok {
				p.seen = append(p.seen, line)
				continue
			}
			return p.seen, p.cmd.Wait()
		case <-limit:
			p.t.Fatalf("the program did not end within %v; output:\n%s", hangLimit, strings.Join(p.seen, "\n"))
		}
	}
}

// checkDrained checks that every job started was finished, that nothing
// started after the drain began, and that the summary says so.
func (p *proc) checkDrained(out []string) {
	p.t.Helper()
	started, finished := map[int]bool{}, map[int]bool{}
	stopped := false
	var accepted, done, refused int
	summary := false
	for _, line := range out {
		var n int
		switch {
		case strings.HasPrefix(line, "stopping"):
			stopped = true
		case sscan(line, "started job %d", &n) == nil:
			if stopped {
				p.t.Errorf("%q after the drain began", line)
			}
			started[n] = true
		case sscan(line, "finished job %d", &n) == nil:
			finished[n] = true
		case sscan(line, "drained: accepted %d, finished %d, turned away %d", &accepted, &done, &refused) == nil:
			summary = true
		}
	}
	if !summary || !stopped {
		p.t.Fatalf("no \"stopping\" or \"drained\" line; output:\n%s", strings.Join(out, "\n"))
	}
	if len(started) == 0 || len(started) != len(finished) || accepted != len(started) || done != len(finished) {
		p.t.Errorf("started %d jobs, finished %d, summary says accepted %d, finished %d; output:\n%s",
			len(started), len(finished), accepted, done, strings.Join(out, "\n"))
	}
	for n := range started {
		if !finished[n] {
			p.t.Errorf("job %d was started and never finished", n)
		}
	}
}

// sscan is fmt.Sscanf that also fails on a line longer than the format.
func sscan(line, format string, args ...any) error {
	n, err := fmt.Sscanf(line, format, args...)
	if err == nil && n != len(args) {
		err = fmt.Errorf("%d of %d values", n, len(args))
	}
	return err
}

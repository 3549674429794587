//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

func init() {
	registerChain(chainImpl{
		name:     "libevent",
		doc:      "the same workload in C against libevent 2 (bench/peers/chain_libevent.c, built by bench/chain.sh), run as a subprocess (-t)",
		timeouts: true,
		measure:  measureLibevent,
	})
}

// measureLibevent runs the C program, which does every run in its own
// process and prints each run's time in microseconds, one per line.
func measureLibevent(cfg chainConfig) ([]chainRun, error) {
	peer, err := findPeer(cfg.peer)
	if err != nil {
		return nil, err
	}
	args := []string{
		"-n", strconv.Itoa(cfg.pairs), "-a", strconv.Itoa(cfg.active),
		"-w", strconv.Itoa(cfg.writes), "-r", strconv.Itoa(cfg.runs),
	}
	if cfg.timeout > 0 {
		if cfg.timeout != defaultTimeout {
			return nil, fmt.Errorf("the libevent program's -t is %v only", defaultTimeout)
		}
		args = append(args, "-t")
	}
	cmd := exec.Command(peer, args...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w", peer, err)
	}
	var runs []chainRun
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		us, err := strconv.ParseFloat(sc.Text(), 64)
		if err != nil {
			return nil, fmt.Errorf("%s printed %q: %w", peer, sc.Text(), err)
		}
		runs = append(runs, chainRun{elapsed: time.Duration(us * float64(time.Microsecond)), read: cfg.events()})
	}
	if len(runs) != cfg.runs {
		return nil, fmt.Errorf("%s printed %d runs, want %d", peer, len(runs), cfg.runs)
	}
	return runs, nil
}

// findPeer looks for the program at path, and for a relative path also
// under every parent of the working directory, so that evbench finds
// bench/peers/chain_libevent from anywhere in the module.
func findPeer(path string) (string, error) {
	candidates := []string{path}
	if !filepath.IsAbs(path) {
		if dir, err := os.Getwd(); err == nil {
			for {
				parent := filepath.Dir(dir)
				if parent == dir {
					break
				}
				dir = parent
				candidates = append(candidates, filepath.Join(dir, path))
			}
		}
	}
	for _, c := range candidates {
		if info, err := os.Stat(c); err == nil && info.Mode().IsRegular() {
			return filepath.Abs(c)
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no libevent program at %s: build it with bench/peers/build.sh (needs gcc and libevent-dev)", path)
}

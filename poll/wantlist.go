//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || windows

package poll

import "sync"

// A wantList is what a mechanism that hands the kernel its whole list at
// every call (poll(2), WSAPoll) polls for, by descriptor, in the kernel's
// event flags E. Each waiter builds its own list from it, again whenever
// version moved.
type wantList[E int | int16] struct {
	mu      sync.Mutex
	want    map[int]pollWant[E]
	version uint64 // counts changes of want, so that each waiter rebuilds its list
}

// pollWant is what one descriptor is watched for.
type pollWant[E int | int16] struct {
	gen    uint32
	events E
	id     fileID // numbers and handle values are reused: this tells files apart
	silent bool   // muted for all it is watched for (quiet): left out of the list
}

func newWantList[E int | int16]() wantList[E] {
	return wantList[E]{want: make(map[int]pollWant[E]), version: 1}
}

// setQuiet changes what fd is polled for to events, or leaves it out of the
// list when silent (the kernel reports a hang-up or an error whatever it is
// asked). It reports whether a poll blocked with the old list must be
// woken: only when the new one asks more. The poll's own check of every
// descriptor it reports serves for a number closed meanwhile.
func (l *wantList[E]) setQuiet(fd int, events E, silent bool) (wake bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.want[fd]
	if !ok {
		return false
	}
	was, wasSilent := w.events, w.silent
	w.events, w.silent = events, silent
	l.want[fd] = w
	l.version++
	return !silent && (wasSilent || events&^was != 0)
}

// forget stops watching fd.
func (l *wantList[E]) forget(fd int) {
	l.mu.Lock()
	delete(l.want, fd)
	l.version++
	l.mu.Unlock()
}

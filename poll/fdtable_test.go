package poll

import "testing"

// The fd table finds what it was given, in the slice or the map, and
// forgets what it deletes, whatever the number.
func TestFdTable(t *testing.T) {
	var tab fdTable
	fds := []int{0, 3, 4, 5, 8, 4096, denseLimit * fdStep, denseLimit*fdStep + 4, 1 << 30, -4}
	heads := make(map[int]*registration)
	for _, fd := range fds {
		heads[fd] = &registration{fd: int32(fd)}
		tab.set(fd, heads[fd])
	}
	for _, fd := range fds {
		if got := tab.get(fd); got != heads[fd] {
			t.Errorf("get(%d) = %p, want %p", fd, got, heads[fd])
		}
	}
	if len(tab.all()) != len(fds) || tab.len() != len(fds) {
		t.Errorf("all() has %d heads, len() says %d, want %d", len(tab.all()), tab.len(), len(fds))
	}
	tab.set(3, &registration{fd: 3}) // a new head for a number already there
	if tab.len() != len(fds) {
		t.Errorf("len() = %d after a head was replaced, want %d", tab.len(), len(fds))
	}
	if got := tab.get(12); got != nil {
		t.Errorf("get(12), never set, = %p", got)
	}
	for _, fd := range fds {
		tab.delete(fd)
		if got := tab.get(fd); got != nil {
			t.Errorf("get(%d) after delete = %p", fd, got)
		}
	}
	if n := len(tab.all()); n != 0 || tab.len() != 0 {
		t.Errorf("after deleting everything, all() has %d heads, len() says %d", n, tab.len())
	}
	if len(tab.dense) > denseLimit {
		t.Errorf("the slice grew to %d slots, beyond denseLimit", len(tab.dense))
	}
}

package poll

// fdTable maps descriptor numbers to the head of their registrations. The
// small numbers a process hands out live in a slice, 8 bytes each where a
// map costs about 30 (a container may watch tens of thousands of
// descriptors); larger ones, such as Windows socket handles, in a map.
type fdTable struct {
	dense  []*registration
	sparse map[int]*registration
	n      int // descriptors in the table
}

// denseLimit bounds the slice: a descriptor number above it, rare on Unix,
// costs a map entry rather than growing the slice to its size.
const denseLimit = 1 << 20

// slot returns fd's index in the slice, or -1 if it belongs in the map.
// Windows hands out handle values in steps of four (fdStep), so the slice
// is indexed by fd/fdStep there and holds no empty slots between them.
func slot(fd int) int {
	if fd < 0 || fd%fdStep != 0 || fd/fdStep >= denseLimit {
		return -1
	}
	return fd / fdStep
}

func (t *fdTable) get(fd int) *registration {
	if i := slot(fd); i >= 0 {
		if i < len(t.dense) {
			return t.dense[i]
		}
		return nil
	}
	return t.sparse[fd] // nil for a nil map too
}

// set makes head the head of fd's registrations, which must not be nil.
func (t *fdTable) set(fd int, head *registration) {
	if t.get(fd) == nil {
		t.n++
	}
	if i := slot(fd); i >= 0 {
		if i >= len(t.dense) {
			t.dense = append(t.dense, make([]*registration, i+1-len(t.dense))...)
		}
		t.dense[i] = head
		return
	}
	if t.sparse == nil {
		t.sparse = make(map[int]*registration)
	}
	t.sparse[fd] = head
}

func (t *fdTable) delete(fd int) {
	if t.get(fd) != nil {
		t.n--
	}
	if i := slot(fd); i >= 0 {
		if i < len(t.dense) {
			t.dense[i] = nil
		}
		return
	}
	delete(t.sparse, fd)
}

// len returns how many descriptors the table holds.
func (t *fdTable) len() int { return t.n }

// all returns the head of every watched descriptor's registrations.
func (t *fdTable) all() []*registration {
	var out []*registration
	for _, head := range t.dense {
		if head != nil {
			out = append(out, head)
		}
	}
	for _, head := range t.sparse {
		out = append(out, head)
	}
	return out
}

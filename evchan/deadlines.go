package evchan

// deadlineHeap is the one min-heap of every deadline in a container: timer
// ticks and timeouts alike (R6, R7). The supervisor keeps one runtime timer
// armed for its earliest entry, so a million timers cost a million heap
// slots, not a million runtime timers or goroutines. Equal deadlines are
// ordered by ID, so timers added in order fire in order.
type deadlineHeap []*entry

func (h deadlineHeap) less(i, j int) bool {
	if h[i].deadline != h[j].deadline {
		return h[i].deadline < h[j].deadline
	}
	return h[i].id < h[j].id
}

func (h deadlineHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIndex = int32(i)
	h[j].heapIndex = int32(j)
}

// set puts e in the heap at deadline, or moves it there if it already is.
func (h *deadlineHeap) set(e *entry, deadline int64) {
	e.deadline = deadline
	if e.heapIndex >= 0 {
		h.fix(int(e.heapIndex))
		return
	}
	e.heapIndex = int32(len(*h))
	*h = append(*h, e)
	h.up(int(e.heapIndex))
}

// remove takes e out of the heap if it is there.
func (h *deadlineHeap) remove(e *entry) {
	i := int(e.heapIndex)
	if i < 0 {
		return
	}
	last := len(*h) - 1
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = nil
	*h = (*h)[:last]
	e.heapIndex = -1
	if i != last {
		h.fix(i)
	}
}

func (h deadlineHeap) fix(i int) {
	if !h.down(i) {
		h.up(i)
	}
}

func (h deadlineHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

func (h deadlineHeap) down(i int) bool {
	start := i
	for {
		child := 2*i + 1
		if child >= len(h) {
			break
		}
		if r := child + 1; r < len(h) && h.less(r, child) {
			child = r
		}
		if !h.less(child, i) {
			break
		}
		h.swap(i, child)
		i = child
	}
	return i > start
}

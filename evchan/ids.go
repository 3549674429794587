package evchan

// idTable finds a container's entries by ID. IDs are given out one after
// the other and never reused (R2), so the live ones mostly sit in runs of
// consecutive IDs: the table keeps them in pages of idPageSize slots, an
// array index away, at 8 bytes per event. A Go map costs about 30 (its
// slots at their load factor, and the room it keeps to grow), which was a
// quarter of what a pending timer cost.
//
// A page whose IDs were all given out and whose events are mostly gone
// would keep its 2 KiB for the few still live (a long-lived connection's
// event among thousands of short timers): once fewer than idPageSize/16
// are left, they move to a map of strays and the page is freed. So a live
// event costs at most 16 slots' worth of page, or a map entry.
type idTable struct {
	pages []*idPage // pages[i] holds IDs (base+i)*idPageSize and on; nil once freed
	base  uint64    // the page number of pages[0]
	stray map[ID]*entry
	n     int // live entries
}

const (
	idPageBits = 8
	idPageSize = 1 << idPageBits
	idPageMask = idPageSize - 1
	// idPageSparse: a full page with fewer live entries is freed, its
	// entries moved to the strays.
	idPageSparse = idPageSize / 16
)

type idPage struct {
	slot [idPageSize]*entry
	live int
}

// len returns the number of live entries.
func (t *idTable) len() int { return t.n }

// get returns the entry of id, or nil.
func (t *idTable) get(id ID) *entry {
	if p := t.page(uint64(id) >> idPageBits); p != nil {
		return p.slot[id&idPageMask]
	}
	return t.stray[id] // nil for a nil map too
}

// page returns page number n, or nil if it was freed or never made.
func (t *idTable) page(n uint64) *idPage {
	if n < t.base || n-t.base >= uint64(len(t.pages)) {
		return nil
	}
	return t.pages[n-t.base]
}

// put adds e, whose ID is larger than any given out before.
func (t *idTable) put(e *entry) {
	n := uint64(e.id) >> idPageBits
	if len(t.pages) == 0 {
		t.base = n
	}
	for n-t.base >= uint64(len(t.pages)) {
		t.pages = append(t.pages, nil)
	}
	p := t.pages[n-t.base]
	if p == nil {
		p = new(idPage)
		t.pages[n-t.base] = p
		// The page before is full now. While it held the last ID given
		// out, delete left it alone however few it kept, so it is
		// looked at here: otherwise a program that adds and deletes
		// one event at a time would keep every page it ever filled.
		if n > t.base {
			if prev := t.pages[n-1-t.base]; prev != nil && prev.live < idPageSparse {
				t.free(n - 1)
			}
		}
	}
	p.slot[e.id&idPageMask] = e
	p.live++
	t.n++
}

// delete removes the entry of id, which is live. lastID is the largest ID
// given out: the page holding it may get more, and is never freed.
func (t *idTable) delete(id, lastID ID) {
	t.n--
	n := uint64(id) >> idPageBits
	p := t.page(n)
	if p == nil {
		delete(t.stray, id)
		return
	}
	p.slot[id&idPageMask] = nil
	p.live--
	if p.live >= idPageSparse || n == uint64(lastID)>>idPageBits {
		return
	}
	t.free(n)
}

// free moves the live entries of page number n, which exists, to the
// strays and frees the page.
func (t *idTable) free(n uint64) {
	p := t.pages[n-t.base]
	if p.live > 0 && t.stray == nil {
		t.stray = make(map[ID]*entry)
	}
	for _, e := range p.slot {
		if e != nil {
			t.stray[e.id] = e
		}
	}
	t.pages[n-t.base] = nil
	t.trim()
}

// trim drops the freed pages at both ends of pages.
func (t *idTable) trim() {
	for len(t.pages) > 0 && t.pages[0] == nil {
		t.pages = t.pages[1:]
		t.base++
	}
	for len(t.pages) > 0 && t.pages[len(t.pages)-1] == nil {
		t.pages = t.pages[:len(t.pages)-1]
	}
	if len(t.pages) == 0 {
		t.pages = nil // let the array go
	}
}

// all returns the live entries, in no particular order, in a slice the
// caller may keep while it deletes them.
func (t *idTable) all() []*entry {
	es := make([]*entry, 0, t.n)
	for _, p := range t.pages {
		if p == nil {
			continue
		}
		for _, e := range p.slot {
			if e != nil {
				es = append(es, e)
			}
		}
	}
	for _, e := range t.stray {
		es = append(es, e)
	}
	return es
}

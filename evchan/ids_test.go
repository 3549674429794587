package evchan

import (
	"math/rand/v2"
	"testing"
)

// The ID table against a map, through random adds and deletes: every live
// ID is found, deleted ones are not, and sparse pages are freed with their
// entries moved to the strays (a live event costs at most 1/idPageSparse
// of a page).
func TestIDTableMatchesAMap(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		rng := rand.New(rand.NewPCG(seed, seed))
		var tab idTable
		want := map[ID]*entry{}
		var live []ID
		lastID := ID(0)
		for step := range 20000 {
			if rng.IntN(3) > 0 || len(live) == 0 {
				lastID += ID(1 + rng.IntN(3)) // failed Watches skip IDs
				e := &entry{id: lastID}
				tab.put(e)
				want[e.id] = e
				live = append(live, e.id)
			} else {
				// Mostly recent events go; some live long.
				i := len(live) - 1 - rng.IntN(min(len(live), 50))
				if rng.IntN(10) == 0 {
					i = rng.IntN(len(live))
				}
				id := live[i]
				live[i] = live[len(live)-1]
				live = live[:len(live)-1]
				tab.delete(id, lastID)
				delete(want, id)
				if tab.get(id) != nil {
					t.Fatalf("seed %d step %d: deleted ID %d still found", seed, step, id)
				}
			}
			if tab.len() != len(want) {
				t.Fatalf("seed %d step %d: len %d, want %d", seed, step, tab.len(), len(want))
			}
		}
		for id, e := range want {
			if tab.get(id) != e {
				t.Fatalf("seed %d: ID %d not found", seed, id)
			}
		}
		for id := ID(0); id <= lastID+idPageSize; id++ {
			if want[id] == nil && tab.get(id) != nil {
				t.Fatalf("seed %d: ID %d found, never live or deleted", seed, id)
			}
		}
		if got := len(tab.all()); got != len(want) {
			t.Fatalf("seed %d: all() has %d entries, want %d", seed, got, len(want))
		}
		pages := 0
		for i, p := range tab.pages {
			if p == nil {
				continue
			}
			pages++
			last := uint64(lastID)>>idPageBits == tab.base+uint64(i)
			if p.live < idPageSparse && !last {
				t.Fatalf("seed %d: page %d kept with %d live entries", seed, tab.base+uint64(i), p.live)
			}
		}
		if pages*idPageSize > 16*len(want)+2*idPageSize {
			t.Fatalf("seed %d: %d pages for %d live entries", seed, pages, len(want))
		}
	}
}

// Emptied, the table lets its pages go, and takes new IDs after.
func TestIDTableEmptied(t *testing.T) {
	var tab idTable
	for id := ID(1); id <= 3*idPageSize; id++ {
		tab.put(&entry{id: id})
	}
	for id := ID(1); id <= 3*idPageSize; id++ {
		tab.delete(id, 3*idPageSize)
	}
	if tab.len() != 0 || len(tab.stray) != 0 {
		t.Fatalf("len %d, %d strays", tab.len(), len(tab.stray))
	}
	if len(tab.pages) > 1 {
		t.Fatalf("%d pages kept for no entry", len(tab.pages))
	}
	e := &entry{id: 10 * idPageSize}
	tab.put(e)
	if tab.get(e.id) != e || tab.get(e.id-1) != nil || tab.len() != 1 {
		t.Fatal("a new ID after emptying is not found")
	}
}

// An event added and deleted at a time, again and again, keeps no page:
// each page was the last ID's while it was being used, which delete never
// frees, so the next page's first ID frees it.
func TestIDTableAddDelCyclesKeepNoPages(t *testing.T) {
	var tab idTable
	keep := &entry{id: 1} // a long-lived event, as a server's listener
	tab.put(keep)
	for id := ID(2); id <= 100*idPageSize; id++ {
		tab.put(&entry{id: id})
		tab.delete(id, id)
	}
	if len(tab.pages) > 2 {
		t.Fatalf("%d pages kept after 100 pages of add/del cycles, want at most 2", len(tab.pages))
	}
	if tab.get(keep.id) != keep || tab.len() != 1 {
		t.Fatal("the long-lived entry is lost")
	}
}

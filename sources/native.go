package sources

import (
	"time"

	"github.com/evchan/evchan/evchan"
)

// Virtual is evchan.Virtual, here so that the catalogue lists every kind: the
// Spec of a one-shot virtual event (the draft's "v"), pending at once if
// triggered is true (R5).
func Virtual(triggered bool) evchan.Spec { return evchan.Virtual(triggered) }

// Timer is evchan.Timer, here so that the catalogue lists every kind: the Spec
// of a one-shot timer (the draft's "t") that expires interval after Add; its
// Persistent form ticks at a fixed rate (R6). A non-positive interval makes
// Add fail with an error wrapping evchan.ErrInvalid.
func Timer(interval time.Duration) evchan.Spec { return evchan.Timer(interval) }

// Custom is evchan.Custom, here so that the catalogue lists every kind: the
// Spec of a one-shot event watched by a Source of the caller's own.
func Custom(src evchan.Source) evchan.Spec { return evchan.Custom(src) }

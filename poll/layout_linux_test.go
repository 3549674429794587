package poll

import (
	"testing"
	"unsafe"
)

// A registration fills a 48-byte size class of Go's allocator and there is
// no other record per descriptor (cmd/evbench's BenchmarkIdleReadableMemory):
// a field added costs 16 bytes per event, so it should be a choice.
func TestRegistrationLayout(t *testing.T) {
	if got := unsafe.Sizeof(registration{}); got != 48 {
		t.Errorf("registration is %d bytes, want 48", got)
	}
}

//go:build !windows

package poll

// fdStep is the step between descriptor numbers: Unix hands out the lowest
// free one.
const fdStep = 1

package poll

// fdStep is the step between the handle values Windows gives sockets: the
// low two bits of a kernel handle are always zero.
const fdStep = 4

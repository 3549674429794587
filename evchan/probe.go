package evchan

// countDelivery counts one delivery, and makes it time to probe after
// every probeEvery of them. Called with mu held.
func (c *Container) countDelivery() {
	c.sinceProbe++
	if c.sinceProbe >= probeEvery {
		c.sinceProbe = 0
		c.probeDue = true
	}
}

// probe asks every Prober among the services to look at its sources now.
// One that could not look is asked again at the next delivery. Called
// without mu, by the goroutine that made the delivery: the supervisor, or
// a loop over All.
func (c *Container) probe() {
	for _, p := range c.services.probers() {
		if !c.callProbe(p) {
			c.mu.Lock()
			c.sinceProbe = probeEvery - 1
			c.mu.Unlock()
		}
	}
}

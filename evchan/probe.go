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
// Called without mu by the goroutine that made the delivery: a loop over
// All, or the supervisor, which has no offer in flight then, so that a
// firing the probe makes never waits for it to settle one.
func (c *Container) probe() {
	for _, p := range c.services.probers() {
		c.callProbe(p)
	}
}

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
// Called without mu, and with no offer of the supervisor's in flight, by
// the goroutine that made the delivery: the supervisor, or a loop over
// All.
func (c *Container) probe() {
	for _, p := range c.services.probers() {
		c.callProbe(p)
	}
}

//go:build aix || solaris

package poll

const defaultName = "poll"

func openDefault() (mechanism, error) { return openPollSys() }

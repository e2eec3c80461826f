//go:build race

package update

func init() { raceEnabled = true }

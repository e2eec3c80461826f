//go:build race

package inspect

// raceEnabled tells tests that the race detector slows every memory
// access, about twentyfold here.
const raceEnabled = true

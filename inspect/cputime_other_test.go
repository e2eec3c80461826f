//go:build !linux

package inspect

import "time"

var clockStart = time.Now()

// threadTime returns the time since the test started: elsewhere than on
// Linux the wall clock stands in for the thread's CPU time.
func threadTime() time.Duration { return time.Since(clockStart) }

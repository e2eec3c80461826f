package inspect

import (
	"syscall"
	"time"
	"unsafe"
)

// threadTime returns the CPU time the calling thread has used: unlike
// the wall clock, it does not count the time other processes of a busy
// machine take from the test. The caller must be locked to its thread.
func threadTime() time.Duration {
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		panic("clock_gettime(CLOCK_THREAD_CPUTIME_ID): " + errno.Error())
	}
	return time.Duration(ts.Nano())
}

//go:build unix

package ship

import (
	"net"
	"syscall"
)

// peek looks at a socket without reading or blocking: whether bytes wait
// to be read, and whether the peer's side is still open.
func peek(c net.Conn) (pending, open bool) {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false, true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false, true
	}
	pending, open = false, true
	var b [1]byte
	rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case err == syscall.EAGAIN || err == syscall.EWOULDBLOCK || err == syscall.EINTR:
		case err != nil:
			open = false // reset
		case n == 0:
			open = false // orderly shutdown
		default:
			pending = true
		}
		return true
	})
	return pending, open
}

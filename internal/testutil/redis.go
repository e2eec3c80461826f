package testutil

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A Redis is a real redis-server on a free loopback port, keeping nothing
// on disk, owned by one test: the test's cleanup stops it. It can be
// stopped and started again on the same address, empty, to make an outage.
// A Redis is not safe for concurrent use.
type Redis struct {
	t    testing.TB
	bin  string
	addr string
	dir  string
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
	out  *SyncBuffer   // the server's output, for failure messages
}

// StartRedis starts redis-server and waits, up to 30s, until it answers
// PING. Without redis-server installed, the real part is missing
// ([RealPartMissing]).
func StartRedis(t testing.TB) *Redis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		RealPartMissing(t, "redis-server is not installed (apt-get install redis-server)")
	}
	r := &Redis{t: t, bin: bin, addr: FreeAddr(t), dir: t.TempDir()}
	r.Start(t)
	t.Cleanup(r.Stop)
	return r
}

// Addr returns the server's address, "127.0.0.1:port"; it stays the same
// across [Redis.Stop] and [Redis.Start].
func (r *Redis) Addr() string { return r.addr }

// Start starts the server again after [Redis.Stop], on the same address
// and empty, and waits until it answers PING. t is the test calling, which
// may be a subtest of the one that called [StartRedis].
func (r *Redis) Start(t testing.TB) {
	t.Helper()
	host, port, _ := net.SplitHostPort(r.addr)
	r.out = &SyncBuffer{}
	r.cmd = exec.Command(r.bin, "--bind", host, "--port", port, "--save", "", "--appendonly", "no", "--dir", r.dir)
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("starting redis-server: %v", err)
	}
	cmd, done := r.cmd, make(chan struct{})
	r.done = done
	go func() { cmd.Wait(); close(done) }()
	deadline := time.Now().Add(30 * time.Second)
	for !r.pong() {
		select {
		case <-done:
			t.Fatalf("redis-server exited at start: %v\n%s", cmd.ProcessState, r.out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s did not answer PING within 30s\n%s", r.addr, r.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pong reports whether the server answers PING.
func (r *Redis) pong() bool {
	c, err := net.DialTimeout("tcp", r.addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	c.Write([]byte("PING\r\n"))
	line, _ := bufio.NewReader(c).ReadString('\n')
	return strings.HasPrefix(line, "+PONG")
}

// Stop stops the server, bounded: SIGTERM, then after 10s SIGKILL and an
// error on the test that called [StartRedis]. Stopping a stopped server
// does nothing.
func (r *Redis) Stop() {
	if r.cmd == nil {
		return
	}
	select {
	case <-r.done:
	default:
		r.cmd.Process.Signal(syscall.SIGTERM)
		r.cmd.Process.Signal(syscall.SIGCONT) // in case a test paused it
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			r.cmd.Process.Kill()
			<-r.done
			r.t.Error("redis-server did not stop within 10s of SIGTERM")
		}
	}
	r.cmd = nil
}

// Signal sends sig to the running server: SIGSTOP and SIGCONT make a
// server that hangs rather than one that is down.
func (r *Redis) Signal(sig os.Signal) error {
	if r.cmd == nil {
		return os.ErrProcessDone
	}
	return r.cmd.Process.Signal(sig)
}

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/bulwark-sec/bulwark/internal/testutil"
)

// redisProc is one redis-server process (a Cluster node, a master, a
// replica or a sentinel) started by a test on loopback.
type redisProc struct {
	addr string
	cmd  *exec.Cmd
	out  *testutil.SyncBuffer
	done chan struct{}
}

// redisBin finds redis-server and redis-cli, or says they are missing.
func redisBin(t *testing.T) (server, cli string) {
	t.Helper()
	server, err := exec.LookPath("redis-server")
	if err != nil {
		testutil.RealPartMissing(t, "redis-server is not installed (apt-get install redis-server)")
	}
	cli, err = exec.LookPath("redis-cli")
	if err != nil {
		testutil.RealPartMissing(t, "redis-cli is not installed (apt-get install redis-tools)")
	}
	return server, cli
}

// startRedisProc runs redis-server with args on port, in dir, and waits
// (at most 20s) until it answers PING; the test's end kills it.
func startRedisProc(t *testing.T, dir string, port int, args ...string) *redisProc {
	t.Helper()
	server, _ := redisBin(t)
	p := &redisProc{addr: "127.0.0.1:" + strconv.Itoa(port), out: &testutil.SyncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(server, append(args, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", dir)...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting redis-server: %v", err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(p.kill)
	c := redis.NewClient(&redis.Options{Addr: p.addr, DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return p
		}
		select {
		case <-p.done:
			t.Fatalf("redis-server %v exited at start: %v\n%s", args, p.cmd.ProcessState, p.out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s did not answer PING within 20s: %v\n%s", p.addr, err, p.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the process at once (SIGKILL: a crash) and waits for it.
func (p *redisProc) kill() {
	if p.cmd.Process != nil {
		p.cmd.Process.Kill()
		<-p.done
	}
}

// client returns a client of the process, closed at the test's end.
func (p *redisProc) client(t *testing.T) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: p.addr, DialTimeout: time.Second, ReadTimeout: 2 * time.Second})
	t.Cleanup(func() { c.Close() })
	return c
}

// freeRedisPort returns a loopback port free now whose Cluster bus port
// (port+10000) is free too.
func freeRedisPort(t *testing.T) int {
	t.Helper()
	for range 200 {
		port := 20000 + rand.IntN(20000)
		a, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			continue
		}
		b, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000))
		a.Close()
		if err != nil {
			continue
		}
		b.Close()
		return port
	}
	t.Fatal("no free port pair for a Redis Cluster node")
	return 0
}

// startRedisCluster runs three Cluster masters on loopback, joins them
// with redis-cli --cluster create and waits until the cluster is ok on
// every node. It returns the nodes' addresses.
func startRedisCluster(t *testing.T) []string {
	t.Helper()
	_, cli := redisBin(t)
	var nodes []*redisProc
	var addrs []string
	for i := range 3 {
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("node%d", i))
		os.Mkdir(dir, 0o700)
		n := startRedisProc(t, dir, freeRedisPort(t), "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no")
		nodes, addrs = append(nodes, n), append(addrs, n.addr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, cli, append(append([]string{"--cluster", "create"}, addrs...), "--cluster-yes")...).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, n := range nodes {
		c := n.client(t)
		testutil.Eventually(t, "cluster_state:ok on "+n.addr, func() bool {
			info, err := c.ClusterInfo(context.Background()).Result()
			return err == nil && strings.Contains(info, "cluster_state:ok")
		})
	}
	return addrs
}

// redisSentinel is a master, its replica and one sentinel watching them
// under the name "mymaster".
type redisSentinel struct {
	master, replica, sentinel *redisProc
	sc                        *redis.Client // of the sentinel
}

// startRedisSentinel runs a master, a replica of it and a sentinel
// (quorum 1, the master down after 1s), and waits until the replica is in
// sync and the sentinel knows it.
func startRedisSentinel(t *testing.T) *redisSentinel {
	t.Helper()
	dir := t.TempDir()
	s := &redisSentinel{}
	mport := freeRedisPort(t)
	s.master = startRedisProc(t, mkdir(t, dir, "master"), mport, "--save", "", "--appendonly", "no")
	s.replica = startRedisProc(t, mkdir(t, dir, "replica"), freeRedisPort(t), "--save", "", "--appendonly", "no",
		"--replicaof", "127.0.0.1", strconv.Itoa(mport))
	conf := filepath.Join(dir, "sentinel.conf")
	body := fmt.Sprintf("sentinel monitor mymaster 127.0.0.1 %d 1\nsentinel down-after-milliseconds mymaster 1000\n"+
		"sentinel failover-timeout mymaster 5000\nsentinel parallel-syncs mymaster 1\n", mport)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	s.sentinel = startRedisProc(t, mkdir(t, dir, "sentinel"), freeRedisPort(t), conf, "--sentinel")
	rc := s.replica.client(t)
	testutil.Eventually(t, "the replica to be in sync", func() bool {
		info, err := rc.Info(context.Background(), "replication").Result()
		return err == nil && strings.Contains(info, "master_link_status:up")
	})
	s.sc = s.sentinel.client(t)
	testutil.Eventually(t, "the sentinel to know the replica", func() bool {
		r, err := s.sc.Do(context.Background(), "SENTINEL", "REPLICAS", "mymaster").Slice()
		return err == nil && len(r) == 1
	})
	return s
}

// masterAddr asks the sentinel where the master is now.
func (s *redisSentinel) masterAddr(t *testing.T) string {
	r, err := s.sc.Do(context.Background(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster").StringSlice()
	if err != nil || len(r) != 2 {
		return ""
	}
	return net.JoinHostPort(r[0], r[1])
}

func mkdir(t *testing.T, parent, name string) string {
	d := filepath.Join(parent, name)
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}
	return d
}

// Command app is a tiny stand-in for a web app, built by the supervise
// tests: it can crash, hang, start slowly, ignore SIGTERM, leave a
// grandchild behind, and print many lines.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	var (
		listen      = flag.String("listen", "", "serve HTTP (GET /healthz) on this address")
		listenAfter = flag.Duration("listen-after", 0, "wait this long before listening")
		hangAfter   = flag.Duration("hang-after", 0, "after this long, accept connections but never answer")
		exitAfter   = flag.Duration("exit-after", 0, "exit after this long")
		code        = flag.Int("code", 1, "exit code for -exit-after")
		ignoreTerm  = flag.Bool("ignore-term", false, "ignore SIGTERM")
		grandchild  = flag.String("grandchild", "", "start a long-lived child and write its pid to this file")
		lines       = flag.Int("lines", 0, "write this many numbered lines to stdout and to stderr, then exit")
		partial     = flag.String("partial", "", "with -lines: end stdout with this text and no newline")
		long        = flag.Int("long", 0, "write one line of this many bytes to stdout, then exit")
	)
	flag.Parse()
	if *ignoreTerm {
		signal.Ignore(syscall.SIGTERM)
	}
	if *grandchild != "" {
		c := exec.Command(os.Args[0], "-exit-after", "5m")
		if err := c.Start(); err != nil {
			fail(err)
		}
		if err := os.WriteFile(*grandchild, []byte(fmt.Sprint(c.Process.Pid)), 0o600); err != nil {
			fail(err)
		}
	}
	if *lines > 0 {
		writeLines(*lines, *partial)
		return
	}
	if *long > 0 {
		w := bufio.NewWriter(os.Stdout)
		w.WriteString(strings.Repeat("x", *long-1) + "\n")
		w.Flush()
		return
	}
	if *listen != "" {
		go serve(*listen, *listenAfter, *hangAfter)
	}
	if *exitAfter > 0 {
		time.Sleep(*exitAfter)
		os.Exit(*code)
	}
	select {}
}

// writeLines writes n lines to stdout and n to stderr, alternating in
// bursts, so the supervisor reads both at once.
func writeLines(n int, partial string) {
	out, errw := bufio.NewWriterSize(os.Stdout, 8192), bufio.NewWriterSize(os.Stderr, 8192)
	for i := range n {
		fmt.Fprintf(out, "out %07d the quick brown fox jumps over the lazy dog\n", i)
		fmt.Fprintf(errw, "err %07d the quick brown fox jumps over the lazy dog\n", i)
	}
	out.WriteString(partial)
	out.Flush()
	errw.Flush()
}

func serve(addr string, after, hangAfter time.Duration) {
	time.Sleep(after)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fail(err)
	}
	start := time.Now()
	http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hangAfter > 0 && time.Since(start) > hangAfter {
			select {} // hung: the connection stays open, no answer
		}
		fmt.Fprintln(w, "ok")
	}))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "app:", err)
	os.Exit(3)
}

//go:build linux || darwin

package cli

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios)
	return err == nil
}

// readHidden reads one line from the terminal with echo off.
func readHidden(f *os.File) (string, error) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	defer unix.IoctlSetTermios(fd, ioctlSetTermios, old)
	return readLine(f), nil
}

// readLine reads up to a newline (at most 1 KiB), without it or a "\r".
func readLine(f *os.File) string {
	var line []byte
	var b [1]byte
	for len(line) < 1024 {
		n, err := f.Read(b[:])
		if n == 0 || err != nil || b[0] == '\n' {
			break
		}
		line = append(line, b[0])
	}
	return strings.TrimRight(string(line), "\r")
}

// Package watch follows the server's own authentication logs — OpenSSH,
// vsftpd, ProFTPD, or any log a regular expression can read — across
// rotations, and turns each login attempt into an [event.Event] of the
// category authentication, so the scenarios, the black book, the alerts and
// the sinks that serve HTTP treat a server brute force like a web one.
package watch

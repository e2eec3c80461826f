// Package testutil holds the helpers Bulwark's tests share: finding the
// shared corpus, free loopback addresses, self-signed certificates, and
// starting the real parts end-to-end tests run against (redis-server, the
// example Express app), with one rule for when a real part is missing
// ([RealPartMissing]).
//
// It is for tests only: nothing outside _test.go files may import it, and
// event/ and config/ do not import it at all (they import nothing of ours).
// Every helper takes a [testing.TB] and fails the test itself.
package testutil

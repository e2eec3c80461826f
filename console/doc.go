// Package console is Bulwark's web console: live attacks, the app's route
// surface, the black book, account activity, the supervised app and
// dependency risk, served on the admin listener at /console/ behind its own
// login.
//
// Every figure the pages show comes from the same JSON admin API the CLI
// uses: the console checks its session (and, on a state-changing request,
// its CSRF token) and then calls the API handler in-process. A [Recorder]
// adds the recent events and the time series to that API, and
// [Console.DependencyHandler] the bulwark audit --monitor results and the
// latest bulwark update runs. The Routes page reads the gateway's route
// surface report ([Console.SetRoutes]) at /console/api/routes.
//
// The console's responses carry Bulwark's secure headers with a strict
// Content-Security-Policy: every script and style is an embedded static
// file, nothing inline.
package console

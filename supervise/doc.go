// Package supervise runs one app process and keeps it running: it restarts
// the app when it crashes, stops answering its health check, or hangs (see
// [Hang]: a liveness probe and, through [Traffic], the gateway's waiting
// requests both got no answer for a while), with capped exponential
// backoff, and gives up for a while on a crash loop. It is what
// forever and pm2 do, plus what they do not: the app runs in its own process
// group that is killed whole after a crash, orphaned grandchildren are
// reaped, the app dies with the supervisor, and the app counts as ready only
// once its health check passes.
//
// A [Supervisor] is built from a [Config] with [New] and driven by
// [Supervisor.Run]. A gateway in front of the app asks
// [Supervisor.WaitReady] before proxying, restarts the app with
// [Supervisor.Restart], and drains in-flight requests in
// [Options.BeforeStop].
//
// The app's stdin is /dev/null; its stdout and stderr are read line by line
// (see [Logs]), and the last lines are kept in memory for a status view
// ([Supervisor.RecentLines]).
//
// Every start, readiness, exit, crash, health failure, hang, restart and give-up
// is an [event.Event] of category process on the [event.Bus].
//
// Process handling (process groups, parent-death signal, child subreaper) is
// implemented for Linux; elsewhere the app still runs in its own process
// group but orphans are not reaped and the app may outlive the supervisor.
package supervise

package supervise

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/bulwark-sec/bulwark/config"
	"github.com/bulwark-sec/bulwark/event"
)

// The supervisor's events, all of category process. Labels carry the
// process id and the program's base name, never its arguments (they may
// hold secrets).

// publish hands e to the bus, if there is one.
func (s *Supervisor) publish(e event.Event) {
	if s.opts.Bus == nil {
		return
	}
	e.Category = event.CategoryProcess
	if e.Time.IsZero() {
		e.Time = s.now()
	}
	s.opts.Bus.Publish(e)
}

func pidLabel(pid int) string { return strconv.Itoa(pid) }

func startedEvent(pid int, command []string, restarts int) event.Event {
	name := filepath.Base(command[0])
	return event.Event{Type: "start", Action: "process-started", Outcome: event.OutcomeSuccess,
		Message: fmt.Sprintf("app %s started, pid %d", name, pid),
		Labels:  map[string]string{"process_pid": pidLabel(pid), "process_name": name, "restarts": strconv.Itoa(restarts)}}
}

func readyEvent(pid int, after time.Duration) event.Event {
	return event.Event{Type: "change", Action: "process-ready", Outcome: event.OutcomeSuccess,
		Message: fmt.Sprintf("app ready %s after start", after.Round(time.Millisecond)),
		Labels:  map[string]string{"process_pid": pidLabel(pid), "startup": after.Round(time.Millisecond).String()}}
}

func exitEvent(e Exit) event.Event {
	ev := event.Event{Type: "end", Action: "process-exited", Outcome: event.OutcomeSuccess,
		Message: fmt.Sprintf("app pid %d ended (%s): %s after %s", e.PID, e.Why(), e, e.Uptime.Round(time.Millisecond)),
		Labels: map[string]string{"process_pid": pidLabel(e.PID), "exit_code": strconv.Itoa(e.Code),
			"reason": e.Reason, "uptime": e.Uptime.Round(time.Millisecond).String()}}
	if e.Signal != "" {
		ev.Labels["signal"] = e.Signal
	}
	if e.Detail != "" {
		ev.Labels["detail"] = e.Detail
	}
	planned := e.Reason == reasonRestart || e.Reason == reasonShutdown
	if !planned && (e.failed() || e.Reason != reasonExited) {
		ev.Action, ev.Outcome, ev.Severity = "process-crashed", event.OutcomeFailure, event.SeverityMedium
	}
	return ev
}

func restartingEvent(e Exit, failures int, delay time.Duration) event.Event {
	ev := event.Event{Type: "change", Action: "process-restarting", Message: "restarting app as asked",
		Labels: map[string]string{"reason": e.Reason}}
	if e.Detail != "" {
		ev.Labels["detail"] = e.Detail
	}
	if e.Reason != reasonRestart {
		ev.Message = fmt.Sprintf("restarting app in %s (%s, failure %d in a row)", delay.Round(time.Millisecond), e.Why(), failures)
		ev.Labels["failures"] = strconv.Itoa(failures)
		ev.Labels["backoff"] = delay.Round(time.Millisecond).String()
	}
	return ev
}

func healthFailedEvent(pid int, err error, failures, threshold int) event.Event {
	return event.Event{Type: "error", Action: "health-check-failed", Outcome: event.OutcomeFailure,
		Severity: event.SeverityLow,
		Message:  fmt.Sprintf("health check failed (%d of %d): %v", failures, threshold, err),
		Labels:   map[string]string{"process_pid": pidLabel(pid), "failures": strconv.Itoa(failures)}}
}

func unhealthyEvent(pid, failures int) event.Event {
	return event.Event{Type: "error", Action: "process-unhealthy", Outcome: event.OutcomeFailure,
		Severity: event.SeverityHigh,
		Message:  fmt.Sprintf("app failed %d health checks in a row; stopping it for a restart", failures),
		Labels:   map[string]string{"process_pid": pidLabel(pid), "failures": strconv.Itoa(failures)}}
}

// hungEvent says the app is declared hung and why: detail is "no answer
// for 34s", probe what the last liveness probe got; waiting is whether
// requests waited on the app unanswered too (there is a gateway).
func hungEvent(pid int, detail, probe string, failures int, waiting bool) event.Event {
	evidence := fmt.Sprintf("the liveness probe failed %d times in a row (last: %s)", failures, probe)
	if waiting {
		evidence += " and requests waited on it with none answered"
	}
	return event.Event{Type: "error", Action: "process-hung", Outcome: event.OutcomeFailure,
		Severity: event.SeverityHigh,
		Message:  fmt.Sprintf("app hung: %s: %s; stopping it for a restart", detail, evidence),
		Labels: map[string]string{"process_pid": pidLabel(pid), "reason": reasonHung + ": " + detail,
			"failures": strconv.Itoa(failures)}}
}

func notReadyEvent(pid int, period time.Duration) event.Event {
	return event.Event{Type: "error", Action: "process-not-ready", Outcome: event.OutcomeFailure,
		Severity: event.SeverityMedium,
		Message: fmt.Sprintf("app did not pass a health check within %s of starting (health.startPeriod); stopping it",
			config.FormatDuration(period)),
		Labels: map[string]string{"process_pid": pidLabel(pid)}}
}

func killedEvent(pid int, signal string, grace time.Duration) event.Event {
	return event.Event{Type: "change", Action: "process-killed", Severity: event.SeverityLow,
		Message: fmt.Sprintf("app did not exit within %s of %s; killing its process group",
			config.FormatDuration(grace), signal),
		Labels: map[string]string{"process_pid": pidLabel(pid)}}
}

func crashLoopEvent(failures int, g GiveUp) event.Event {
	return event.Event{Kind: event.KindAlert, Type: "error", Action: "crash-loop", Outcome: event.OutcomeFailure,
		Severity: event.SeverityHigh,
		Message: fmt.Sprintf("app failed %d times within %s; restarts paused for %s (restart it to try now)",
			failures, config.FormatDuration(g.Window), config.FormatDuration(g.Rearm)),
		Labels: map[string]string{"failures": strconv.Itoa(failures)}}
}

func rearmedEvent() event.Event {
	return event.Event{Type: "change", Action: "process-rearmed", Message: "restarts re-armed after a crash loop"}
}

func portBusyEvent(addr string) event.Event {
	return event.Event{Type: "error", Action: "port-busy", Outcome: event.OutcomeFailure, Severity: event.SeverityMedium,
		Message: fmt.Sprintf("%s already accepts connections before the app starts; stop whatever holds it "+
			"(find it with: ss -ltnp) or change the health address", addr)}
}

func startFailedEvent(command []string, err error) event.Event {
	return event.Event{Kind: event.KindAlert, Type: "error", Action: "process-start-failed",
		Outcome: event.OutcomeFailure, Severity: event.SeverityHigh, Message: err.Error(),
		Labels: map[string]string{"process_name": filepath.Base(command[0])}}
}

// Package alert turns the event stream into a few notifications people act
// on: rules match events and count them per key in a window, firing alerts
// are grouped and throttled the way Alertmanager does it (group wait, group
// interval, repeat interval, and a resolve notice when an alert stops), and
// notifiers deliver them by email (SMTP), SMS (Twilio's Messages API), Slack
// webhook or a generic signed webhook.
//
// Every notification is written to the store's outbox before it is sent and
// removed once delivered, so a crash or restart loses nothing and a delivery
// that fails is retried with backoff. The state of firing groups is kept in
// the store too, so a restart does not page again for the same group within
// its repeat interval.
//
// An [Alerter] is built from a [Config] with [New] and fed from the event
// bus with [Alerter.Handle].
package alert

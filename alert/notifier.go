package alert

import (
	"context"
	"errors"
	"net/url"
	"time"
)

// A Notifier delivers notifications to one place. Notify must return when
// ctx is done. An error wrapped with [Permanent] is not retried.
type Notifier interface {
	Name() string
	Notify(ctx context.Context, n Notification) error
}

// Permanent marks err as a failure that retrying will not fix (a rejected
// recipient, bad credentials): the notification is dropped and logged.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// IsPermanent reports whether err was marked with [Permanent].
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// retryAfter is a temporary failure whose peer said when to try again.
type retryAfter struct {
	err   error
	after time.Duration
}

func (e *retryAfter) Error() string { return e.err.Error() }
func (e *retryAfter) Unwrap() error { return e.err }

// redactURL removes the URL from net/http errors: webhook URLs carry
// tokens, and errors reach logs and the outbox.
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: "[redacted]", Err: ue.Err}
	}
	return err
}

package accounts

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"

	"github.com/bulwark-sec/bulwark/event"
)

// A Report is an account event told by the app itself, e.g. after its own
// login logic, through [Watch.Ingest] or the ingest API. It never carries
// a password.
type Report struct {
	// Type is login.success, login.failure, logout, register,
	// email.change or password.change. Required.
	Type string `json:"type"`
	// User is the username. Required.
	User string `json:"user"`
	// IP is the client's address. Required for logins.
	IP string `json:"ip,omitempty"`
	// UserAgent is the client's User-Agent. Optional.
	UserAgent string `json:"userAgent,omitempty"`
	// Email is the user's address: for register, the new user's; for
	// email.change, the new one. Optional.
	Email string `json:"email,omitempty"`
}

// reportKinds maps report types to what they mean.
var reportKinds = map[string]struct {
	kind    Kind
	outcome event.Outcome
}{
	"login.success":   {Login, event.OutcomeSuccess},
	"login.failure":   {Login, event.OutcomeFailure},
	"logout":          {Logout, event.OutcomeSuccess},
	"register":        {Register, event.OutcomeSuccess},
	"email.change":    {ChangeEmail, event.OutcomeSuccess},
	"password.change": {ChangePassword, event.OutcomeSuccess},
}

// Validate reports the first problem with r, in words for the app's
// developer.
func (r Report) Validate() error {
	if _, ok := reportKinds[r.Type]; !ok {
		if r.Type == "" {
			return errors.New(`type: missing: one of login.success, login.failure, logout, register, email.change, password.change`)
		}
		return fmt.Errorf("type: unknown event type %q: use login.success, login.failure, logout, register, email.change or password.change", event.Truncate(r.Type, 64))
	}
	if strings.TrimSpace(r.User) == "" {
		return errors.New("user: missing: give the username the event is about")
	}
	if len(r.User) > 256 {
		return errors.New("user: longer than 256 bytes")
	}
	if r.IP == "" && strings.HasPrefix(r.Type, "login.") {
		return errors.New("ip: missing: give the client's IP address for logins")
	}
	if r.IP != "" {
		if _, err := netip.ParseAddr(r.IP); err != nil {
			return fmt.Errorf("ip: %q is not an IP address", event.Truncate(r.IP, 64))
		}
	}
	if r.Email != "" && !looksLikeEmail(r.Email) {
		return fmt.Errorf("email: %q is not an email address", event.Truncate(r.Email, 64))
	}
	return nil
}

// Ingest acts on an event the app reports itself, as if the gateway had
// seen it: thresholds, new-device notices, change notices. It is the Go
// API of the ingest endpoint.
func (w *Watch) Ingest(ctx context.Context, r Report) error {
	if err := r.Validate(); err != nil {
		return fmt.Errorf("accounts: report: %w", err)
	}
	k := reportKinds[r.Type]
	ip, _ := netip.ParseAddr(r.IP)
	a := attempt{kind: k.kind, user: r.User, email: r.Email, ip: ip.Unmap(), ua: event.Truncate(r.UserAgent, 512),
		linkBase: strings.TrimSuffix(w.cfg.NewDevice.LinkBase, "/")}
	res := result{outcome: k.outcome}
	if k.kind == Register || k.kind == ChangeEmail {
		res.respEmail = r.Email
	}
	w.handle(ctx, a, res)
	return nil
}

// IngestHandler serves POST /bulwark/v1/events for apps that report their
// own account events: a JSON [Report] (unknown fields, unknown types and
// missing fields are 400 with the reason), 202 when accepted. Mount it on
// the admin listener; if [Config.IngestToken] is set, requests must also
// carry it as "Authorization: Bearer TOKEN".
func (w *Watch) IngestHandler() http.Handler {
	want := []byte("Bearer " + w.cfg.IngestToken.Reveal())
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			rw.Header().Set("Allow", "POST")
			ingestError(rw, http.StatusMethodNotAllowed, "use POST with a JSON body")
			return
		}
		if w.cfg.IngestToken != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			rw.Header().Set("WWW-Authenticate", `Bearer realm="bulwark ingest"`)
			ingestError(rw, http.StatusUnauthorized, "send the ingest token as Authorization: Bearer TOKEN")
			return
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			ingestError(rw, http.StatusUnsupportedMediaType, "send Content-Type: application/json")
			return
		}
		d := json.NewDecoder(http.MaxBytesReader(rw, r.Body, 16<<10))
		d.DisallowUnknownFields()
		var rep Report
		if err := d.Decode(&rep); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				ingestError(rw, http.StatusRequestEntityTooLarge, "the body is over 16KiB")
				return
			}
			ingestError(rw, http.StatusBadRequest, "body: "+strings.TrimPrefix(err.Error(), "json: "))
			return
		}
		if _, err := d.Token(); err != io.EOF {
			ingestError(rw, http.StatusBadRequest, "body: give exactly one JSON object")
			return
		}
		if err := rep.Validate(); err != nil {
			ingestError(rw, http.StatusBadRequest, err.Error())
			return
		}
		w.Ingest(r.Context(), rep)
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusAccepted)
		io.WriteString(rw, `{"ok":true}`+"\n")
	})
}

func ingestError(rw http.ResponseWriter, status int, msg string) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	json.NewEncoder(rw).Encode(map[string]string{"error": msg})
}

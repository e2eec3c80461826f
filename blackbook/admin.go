package blackbook

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/bulwark-sec/bulwark/config"
)

// maxAdminBody bounds a JSON request body; imports get maxImportBody.
const (
	maxAdminBody  = 64 << 10
	maxImportBody = 256 << 20
)

// Handler serves the black book's JSON admin API:
//
//	GET    /v1/bans?active=true&target=T&source=S&limit=N
//	GET    /v1/bans/{target}                the target's dossier
//	POST   /v1/bans                         {"target", "duration", "reason", "permanent"}
//	DELETE /v1/bans/{target}?reason=R       (or a body {"reason"})
//	GET    /v1/offenders?since=RFC3339&limit=N
//	GET    /v1/offenders/{ip}
//	GET    /v1/allowlist
//	POST   /v1/allowlist                    {"cidr", "reason"}
//	DELETE /v1/allowlist/{cidr}
//	GET    /v1/blackbook/export             JSON lines
//	POST   /v1/blackbook/import             JSON lines
//
// A CIDR in a path is written with its slash as is or as %2F. It does no
// authentication: mount it behind the admin listener's token.
func (k *Book) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/bans", k.serveList)
	mux.HandleFunc("GET /v1/bans/{target...}", k.serveShow)
	mux.HandleFunc("POST /v1/bans", k.serveBan)
	mux.HandleFunc("DELETE /v1/bans/{target...}", k.serveUnban)
	mux.HandleFunc("GET /v1/offenders", k.serveOffenders)
	mux.HandleFunc("GET /v1/offenders/{ip}", k.serveOffender)
	mux.HandleFunc("GET /v1/allowlist", k.serveAllowlist)
	mux.HandleFunc("POST /v1/allowlist", k.serveAllow)
	mux.HandleFunc("DELETE /v1/allowlist/{cidr...}", k.serveDisallow)
	mux.HandleFunc("GET /v1/blackbook/export", k.serveExport)
	mux.HandleFunc("POST /v1/blackbook/import", k.serveImport)
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// status maps an error to its HTTP status.
func status(err error) int {
	switch {
	case errors.Is(err, ErrBadTarget), errors.Is(err, ErrBadImport):
		return http.StatusBadRequest
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrNotBanned):
		return http.StatusNotFound
	case errors.Is(err, ErrAllowlisted), errors.Is(err, ErrConfigured):
		return http.StatusConflict
	case errors.Is(err, ErrClosed):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// decodeStrict reads one JSON object from the body: unknown fields, trailing
// data and bodies over the bound are errors.
func decodeStrict(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return fmt.Errorf("body over %d bytes", maxAdminBody)
		}
		return fmt.Errorf("bad JSON body: %w", jsonMsg(err))
	}
	if dec.More() {
		return errors.New("bad JSON body: more than one object")
	}
	return nil
}

func (k *Book) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f Filter
	var err error
	if s := q.Get("active"); s != "" {
		if f.Active, err = strconv.ParseBool(s); err != nil {
			writeErr(w, http.StatusBadRequest, fmt.Errorf("active: want true or false, got %q", clip(s, 20)))
			return
		}
	}
	if s := q.Get("target"); s != "" {
		if f.Target, err = ParseTarget(s); err != nil {
			writeErr(w, http.StatusBadRequest, err)
			return
		}
	}
	f.Source = q.Get("source")
	if f.Limit, err = queryInt(q.Get("limit")); err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	bans, err := k.List(r.Context(), f)
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	if bans == nil {
		bans = []Ban{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"bans": bans})
}

func queryInt(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("limit: want a number of at least 0, got %q", clip(s, 20))
	}
	return n, nil
}

func (k *Book) serveShow(w http.ResponseWriter, r *http.Request) {
	t, err := ParseTarget(r.PathValue("target"))
	if err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	d, err := k.Show(r.Context(), t)
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// banBody is POST /v1/bans.
type banBody struct {
	Target    string `json:"target"`
	Duration  string `json:"duration"` // "1h", "2d"; empty for the default
	Reason    string `json:"reason"`
	Permanent bool   `json:"permanent"`
}

func (k *Book) serveBan(w http.ResponseWriter, r *http.Request) {
	var body banBody
	if err := decodeStrict(w, r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	t, err := ParseTarget(body.Target)
	if err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	var d time.Duration
	if body.Duration != "" {
		if d, err = config.ParseDuration(body.Duration); err != nil || d <= 0 {
			writeErr(w, http.StatusBadRequest, fmt.Errorf("duration: want a positive length such as 1h or 2d, got %q", clip(body.Duration, 20)))
			return
		}
	}
	b, err := k.Ban(r.Context(), BanRequest{Target: t, Duration: d, Reason: body.Reason, Source: "admin",
		Permanent: body.Permanent, Exact: true})
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

func (k *Book) serveUnban(w http.ResponseWriter, r *http.Request) {
	t, err := ParseTarget(r.PathValue("target"))
	if err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	reason := r.URL.Query().Get("reason")
	if r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody {
		var body struct {
			Reason string `json:"reason"`
		}
		if err := decodeStrict(w, r, &body); err != nil && !errors.Is(err, io.EOF) {
			writeErr(w, http.StatusBadRequest, err)
			return
		}
		if body.Reason != "" {
			reason = body.Reason
		}
	}
	if reason == "" {
		reason = "lifted by an admin"
	}
	b, err := k.Unban(r.Context(), t, reason)
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (k *Book) serveOffenders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f OffenderFilter
	var err error
	if s := q.Get("since"); s != "" {
		if f.Since, err = time.Parse(time.RFC3339, s); err != nil {
			writeErr(w, http.StatusBadRequest, fmt.Errorf("since: want an RFC 3339 time such as 2025-01-02T15:04:05Z, got %q", clip(s, 40)))
			return
		}
	}
	if f.Limit, err = queryInt(q.Get("limit")); err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	os, err := k.Offenders(r.Context(), f)
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	if os == nil {
		os = []Offender{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"offenders": os})
}

func (k *Book) serveOffender(w http.ResponseWriter, r *http.Request) {
	a, err := netip.ParseAddr(r.PathValue("ip"))
	if err != nil {
		writeErr(w, http.StatusBadRequest, fmt.Errorf("%q is not an IP address", clip(r.PathValue("ip"), 60)))
		return
	}
	o, err := k.Offender(r.Context(), a)
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (k *Book) serveAllowlist(w http.ResponseWriter, r *http.Request) {
	es, err := k.Allowlist(r.Context())
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	if es == nil {
		es = []AllowEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"allowlist": es})
}

func (k *Book) serveAllow(w http.ResponseWriter, r *http.Request) {
	var body struct {
		CIDR   string `json:"cidr"`
		Reason string `json:"reason"`
	}
	if err := decodeStrict(w, r, &body); err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	lifted, err := k.Allow(r.Context(), body.CIDR, body.Reason)
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	if lifted == nil {
		lifted = []Ban{}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"lifted": lifted})
}

func (k *Book) serveDisallow(w http.ResponseWriter, r *http.Request) {
	err := k.Disallow(r.Context(), r.PathValue("cidr"))
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		writeErr(w, status(err), err)
	}
}

func (k *Book) serveExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="blackbook.jsonl"`)
	if err := k.Export(r.Context(), w); err != nil {
		// The status is sent; a broken last line tells the reader.
		fmt.Fprintf(w, "\n{\"type\":\"error\",\"error\":%q}\n", err.Error())
	}
}

func (k *Book) serveImport(w http.ResponseWriter, r *http.Request) {
	st, err := k.Import(r.Context(), http.MaxBytesReader(w, r.Body, maxImportBody))
	if err != nil {
		writeErr(w, status(err), err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Handler serves the recorder's part of the admin API:
//
//	GET /v1/events?category=C&action=A&class=K&rule=R&ip=IP&net=CIDR&user=U&path=P&since=RFC3339&after=SEQ&limit=N
//	    {"events": [ECS event…], newest first, "last": SEQ}
//	GET /v1/events/top?…filters…&limit=N
//	    {"ips": [{"key","count"}…], "nets": […], "rules": […], "paths": […]} over the kept events
//	    (nets: the sources' /24 or /48)
//	GET /v1/events/stream?…filters…   server-sent events: "id: SEQ", "data: ECS event"
//	GET /v1/series?window=1h|24h|7d   the time series (see [Series])
//
// It does no authentication: mount it behind the admin listener's token.
func (r *Recorder) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/events", r.serveEvents)
	mux.HandleFunc("GET /v1/events/top", r.serveTop)
	mux.HandleFunc("GET /v1/events/stream", r.serveStream)
	mux.HandleFunc("GET /v1/series", r.serveSeries)
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

// read flushes what is pending, so a query sees every event recorded
// before it, and bounds the query's time.
func (r *Recorder) read(req *http.Request) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
	r.flush(ctx)
	return ctx, cancel
}

func (r *Recorder) serveEvents(w http.ResponseWriter, req *http.Request) {
	f, err := parseFilter(req.URL.Query())
	if err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	ctx, cancel := r.read(req)
	defer cancel()
	r.mu.Lock()
	last := r.seq
	r.mu.Unlock()
	evs, err := r.hist.Events(ctx, f)
	if err != nil {
		writeErr(w, http.StatusInternalServerError, err)
		return
	}
	out := make([]json.RawMessage, len(evs))
	for i, e := range evs {
		out[i] = e.JSON
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out, "last": last})
}

// A Count is one line of a top list.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

func (r *Recorder) serveTop(w http.ResponseWriter, req *http.Request) {
	f, err := parseFilter(req.URL.Query())
	if err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	n := f.Limit
	if req.URL.Query().Get("limit") == "" {
		n = 10
	}
	f.Limit = 0
	ctx, cancel := r.read(req)
	defer cancel()
	t, err := r.hist.Top(ctx, f, n)
	if err != nil {
		writeErr(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (r *Recorder) serveSeries(w http.ResponseWriter, req *http.Request) {
	name := req.URL.Query().Get("window")
	if name == "" {
		name = "1h"
	}
	if _, ok := windows[name]; !ok {
		writeErr(w, http.StatusBadRequest, fmt.Errorf("window: want 1h, 24h or 7d, got %q", clip(name, 20)))
		return
	}
	// A fresh sample, so the requests counted match the events already
	// kept (the sampler's may be up to a step old).
	if p := r.probe.Load(); p != nil {
		r.mu.Lock()
		stale := time.Since(r.sampled) >= time.Second
		r.mu.Unlock()
		if stale {
			r.takeSample((*p)())
		}
	}
	ctx, cancel := r.read(req)
	defer cancel()
	s, err := r.view(ctx, r.clock(), name)
	if err != nil {
		writeErr(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// heartbeat keeps a quiet stream open through proxies and lets the
// server notice a browser that went away.
const heartbeat = 15 * time.Second

func (r *Recorder) serveStream(w http.ResponseWriter, req *http.Request) {
	f, err := parseFilter(req.URL.Query())
	if err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a stream outlives the listener's write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": bulwark events\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	wa := r.watch(f)
	defer r.unwatch(wa)
	t := time.NewTicker(heartbeat)
	defer t.Stop()
	for {
		select {
		case <-req.Context().Done():
			return
		case <-r.stop:
			return
		case <-t.C:
			fmt.Fprint(w, ": ping\n\n")
		case en := <-wa.ch:
			fmt.Fprintf(w, "id: %d\ndata: %s\n\n", en.Seq, en.JSON)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

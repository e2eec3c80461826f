package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/bulwark-sec/bulwark/event"
)

// Handler serves the recorder's part of the admin API:
//
//	GET /v1/events?category=C&action=A&class=K&rule=R&ip=IP&user=U&path=P&since=RFC3339&after=SEQ&limit=N
//	    {"events": [ECS event…], newest first, "last": SEQ}
//	GET /v1/events/top?category=C&since=RFC3339&limit=N
//	    {"ips": [{"key","count"}…], "rules": […], "paths": […]} over the recorded events
//	GET /v1/events/stream?…filters…   server-sent events: "id: SEQ", "data: ECS event"
//	GET /v1/series?window=1h|24h      the time series (see [Series])
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

func (r *Recorder) serveEvents(w http.ResponseWriter, req *http.Request) {
	f, err := parseFilter(req.URL.Query())
	if err != nil {
		writeErr(w, http.StatusBadRequest, err)
		return
	}
	evs := []event.Event{}
	r.mu.Lock()
	last := r.seq
	r.each(func(en entry) bool {
		if en.seq <= f.after {
			return false
		}
		if f.match(en.e) {
			evs = append(evs, en.e)
		}
		return len(evs) < f.limit
	})
	r.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"events": evs, "last": last})
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
	if req.URL.Query().Get("limit") == "" {
		f.limit = 10
	}
	ips, rules, paths := map[string]int{}, map[string]int{}, map[string]int{}
	r.mu.Lock()
	r.each(func(en entry) bool {
		if f.match(en.e) {
			if en.e.SourceIP.IsValid() {
				ips[en.e.SourceIP.String()]++
			}
			if en.e.RuleID != "" {
				rules[en.e.RuleID]++
			}
			if en.e.Path != "" {
				paths[en.e.Path]++
			}
		}
		return true
	})
	r.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"ips": top(ips, f.limit), "rules": top(rules, f.limit), "paths": top(paths, f.limit),
	})
}

func top(m map[string]int, n int) []Count {
	out := make([]Count, 0, len(m))
	for k, c := range m {
		out = append(out, Count{k, c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out[:min(n, len(out))]
}

func (r *Recorder) serveSeries(w http.ResponseWriter, req *http.Request) {
	window, group := time.Hour, 1
	switch s := req.URL.Query().Get("window"); s {
	case "", "1h":
	case "24h":
		window, group = 24*time.Hour, 30
	default:
		writeErr(w, http.StatusBadRequest, fmt.Errorf("window: want 1h or 24h, got %q", clip(s, 20)))
		return
	}
	r.mu.Lock()
	s := r.series.view(r.clock(), window, group)
	r.mu.Unlock()
	s.Window = req.URL.Query().Get("window")
	if s.Window == "" {
		s.Window = "1h"
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
			data, err := json.Marshal(en.e)
			if err != nil {
				continue
			}
			fmt.Fprintf(w, "id: %d\ndata: %s\n\n", en.seq, data)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

package guard

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the gateway's Prometheus series.
type metrics struct {
	requests       *prometheus.CounterVec
	duration       prometheus.Histogram
	upstreamErrors *prometheus.CounterVec
	events         *prometheus.CounterVec
	banned         prometheus.Counter
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulwark_http_requests_total",
			Help: "Requests answered by the public listener, by method and status code.",
		}, []string{"method", "code"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "bulwark_http_request_duration_seconds",
			Help:    "Time from request to the end of the response, upstream included.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		upstreamErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulwark_upstream_errors_total",
			Help: "Requests the upstream could not answer, by kind (unavailable, timeout, body_too_large, canceled).",
		}, []string{"kind"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bulwark_events_total",
			Help: "Events published, by kind and category.",
		}, []string{"kind", "category"}),
		banned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "bulwark_banned_requests_total",
			Help: "Requests refused because the client is banned.",
		}),
	}
	for _, kind := range []string{"unavailable", "timeout", "body_too_large", "canceled"} {
		m.upstreamErrors.WithLabelValues(kind) // export zeros, so rates work from the start
	}
	reg.MustRegister(m.requests, m.duration, m.upstreamErrors, m.events, m.banned,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// knownMethods keeps the method label's cardinality bounded.
var knownMethods = map[string]bool{
	"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true,
	"DELETE": true, "OPTIONS": true, "CONNECT": true, "TRACE": true,
}

// codes caches status code labels.
var codes = func() [600]string {
	var c [600]string
	for i := range c {
		c[i] = strconv.Itoa(i)
	}
	return c
}()

func (m *metrics) observe(method string, status int, seconds float64) {
	if !knownMethods[method] {
		method = "OTHER"
	}
	code := "other"
	if status >= 100 && status < 600 {
		code = codes[status]
	}
	m.requests.WithLabelValues(method, code).Inc()
	m.duration.Observe(seconds)
}

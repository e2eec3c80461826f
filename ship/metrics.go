package ship

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	descSpooled   = prometheus.NewDesc("bulwark_ship_events_spooled_total", "Events appended to a sink's spool.", []string{"sink"}, nil)
	descDelivered = prometheus.NewDesc("bulwark_ship_events_delivered_total", "Events a sink acknowledged.", []string{"sink"}, nil)
	descDropped   = prometheus.NewDesc("bulwark_ship_events_dropped_total", "Undelivered events dropped because a sink's spool was over its disk budget.", []string{"sink"}, nil)
	descFailures  = prometheus.NewDesc("bulwark_ship_send_failures_total", "Failed sends to a sink (each retried).", []string{"sink"}, nil)
	descBacklog   = prometheus.NewDesc("bulwark_ship_backlog_bytes", "Bytes spooled and not yet delivered.", []string{"sink"}, nil)
)

// collector reads the shipper's counters at scrape time.
type collector struct{ s *Shipper }

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSpooled, descDelivered, descDropped, descFailures, descBacklog} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.s.Stats() {
		ch <- prometheus.MustNewConstMetric(descSpooled, prometheus.CounterValue, float64(st.Spooled), st.Name)
		ch <- prometheus.MustNewConstMetric(descDelivered, prometheus.CounterValue, float64(st.Delivered), st.Name)
		ch <- prometheus.MustNewConstMetric(descDropped, prometheus.CounterValue, float64(st.Dropped), st.Name)
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(st.Failures), st.Name)
		ch <- prometheus.MustNewConstMetric(descBacklog, prometheus.GaugeValue, float64(st.BacklogBytes), st.Name)
	}
}

// registerCollector registers c, replacing an earlier shipper's collector
// (a restart within one process).
func registerCollector(reg prometheus.Registerer, c *collector) error {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		reg.Unregister(are.ExistingCollector)
		err = reg.Register(c)
	}
	return err
}

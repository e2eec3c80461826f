package ship

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	descSpooled   = prometheus.NewDesc("bulwark_ship_events_spooled_total", "Events appended to a sink's spool.", []string{"sink"}, nil)
	descDelivered = prometheus.NewDesc("bulwark_ship_events_delivered_total", "Events a sink acknowledged.", []string{"sink"}, nil)
	descDropped   = prometheus.NewDesc("bulwark_ship_events_dropped_total", "Undelivered events dropped: a sink's spool was over its disk budget, or held as many events in memory as it may while it could not write them.", []string{"sink"}, nil)
	descFailures  = prometheus.NewDesc("bulwark_ship_send_failures_total", "Failed sends to a sink (each retried).", []string{"sink"}, nil)
	descBacklog   = prometheus.NewDesc("bulwark_ship_backlog_bytes", "Bytes spooled and not yet delivered.", []string{"sink"}, nil)
	descHeld      = prometheus.NewDesc("bulwark_ship_spool_held_events", "Events held in memory, not yet written to a sink's spool.", []string{"sink"}, nil)
	descWriteFail = prometheus.NewDesc("bulwark_ship_spool_write_failures_total", "Failed writes to a sink's spool (full disk, quota, I/O error), each retried with backoff.", []string{"sink"}, nil)
)

// collector reads the shipper's counters at scrape time.
type collector struct{ s *Shipper }

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSpooled, descDelivered, descDropped, descFailures, descBacklog, descHeld, descWriteFail} {
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
		ch <- prometheus.MustNewConstMetric(descHeld, prometheus.GaugeValue, float64(st.Held), st.Name)
		ch <- prometheus.MustNewConstMetric(descWriteFail, prometheus.CounterValue, float64(st.WriteFailures), st.Name)
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

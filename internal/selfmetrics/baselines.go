package selfmetrics

import (
	"math"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mltop/mltop/internal/fleet"
)

// OfflinePerformance is the gauge the quality rule of `mltop rules`
// compares live quality with: each serving version's offline metrics from
// the registry, so that Prometheus can judge quality without the exporter
// publishing them.
const OfflinePerformance = "model_offline_performance"

// baselineCollector publishes the registry baselines of the latest
// snapshot, read when scraped: no copy to keep current.
type baselineCollector struct {
	latest func() (fleet.Snapshot, bool)
	desc   *prometheus.Desc
}

func newBaselineCollector(latest func() (fleet.Snapshot, bool)) *baselineCollector {
	return &baselineCollector{latest: latest, desc: prometheus.NewDesc(OfflinePerformance,
		"Offline quality of a model version (its registry run's metric), for the quality alert of `mltop rules`.",
		[]string{"model", "version", "metric"}, nil)}
}

func (c *baselineCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect sends one gauge per baseline metric of each version the metrics
// report live quality for: the only ones the rule can compare, which keeps
// a registry's old versions out.
func (c *baselineCollector) Collect(ch chan<- prometheus.Metric) {
	s, ok := c.latest()
	if !ok {
		return
	}
	for i := range s.Models {
		m := &s.Models[i]
		name := m.MetricsName() // the model label the live metrics carry
		for j := range m.Versions {
			v := &m.Versions[j]
			if v.Performance == nil {
				continue
			}
			for metric, b := range v.Baseline {
				if math.IsNaN(b) || math.IsInf(b, 0) {
					continue
				}
				ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, b, name, v.Version, metric)
			}
		}
	}
}

package demo

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	mv = []string{"model", "version"}

	descPredictions = prometheus.NewDesc("model_predictions_total", "Predictions served.", mv, nil)
	descErrors      = prometheus.NewDesc("model_prediction_errors_total", "Failed predictions.", mv, nil)
	descDuration    = prometheus.NewDesc("model_prediction_duration_seconds", "Serving latency.", mv, nil)
	descPerformance = prometheus.NewDesc("model_performance", "Live quality on labelled predictions.", append(mv, "metric"), nil)
	descLabeled     = prometheus.NewDesc("model_ground_truth_labeled_total", "Predictions that have received their label.", mv, nil)
	descDelay       = prometheus.NewDesc("model_ground_truth_delay_seconds", "Time from prediction to label arrival.", mv, nil)
	descLastLabel   = prometheus.NewDesc("model_ground_truth_last_timestamp_seconds", "Unix time of the newest label.", mv, nil)
	descFeature     = prometheus.NewDesc("model_feature_value", "Numeric input values; bucket bounds are the reference deciles.", append(mv, "feature"), nil)
	descCategory    = prometheus.NewDesc("model_feature_category_total", "Categorical input values.", append(mv, "feature", "category"), nil)
	descMissing     = prometheus.NewDesc("model_feature_missing_total", "Predictions whose feature was missing or null.", append(mv, "feature"), nil)
	descOutput      = prometheus.NewDesc("model_prediction_value", "Output distribution.", mv, nil)
	descLabScore    = prometheus.NewDesc("model_labeled_score", "Scores of predictions whose label has arrived.", mv, nil)
	descLabPositive = prometheus.NewDesc("model_labeled_positive_score", "Scores of predictions whose label has arrived positive.", mv, nil)
	descDrift       = prometheus.NewDesc("model_drift_score", "Drift computed by the scheduled drift job.", append(mv, "feature", "method"), nil)
	descWeight      = prometheus.NewDesc("model_traffic_weight", "Percent of traffic.", append(mv, "track"), nil)

	descRolloutInfo = prometheus.NewDesc("model_rollout_info", "Rollout phase of the model.", []string{"model", "phase", "strategy"}, nil)
	descRolloutStep = prometheus.NewDesc("model_rollout_step", "Current canary step, 1-based.", []string{"model"}, nil)
	descSteps       = prometheus.NewDesc("model_rollout_steps", "Number of canary steps.", []string{"model"}, nil)
	descSetWeight   = prometheus.NewDesc("model_rollout_set_weight", "Canary weight the rollout asked for.", []string{"model"}, nil)
	descAnalysisRun = prometheus.NewDesc("model_analysis_run_info", "Analysis runs of the rollout, by phase.", []string{"model", "run", "phase"}, nil)
	descAnalysisMet = prometheus.NewDesc("model_analysis_metric_phase", "Metrics of the rollout's analysis runs, by phase.", []string{"model", "run", "metric", "phase"}, nil)
)

// metrics collects metric values; a value that cannot be built becomes an
// invalid metric, which the registry reports instead of panicking.
type metrics []prometheus.Metric

func (ms *metrics) add(desc *prometheus.Desc, m prometheus.Metric, err error) {
	if err != nil {
		m = prometheus.NewInvalidMetric(desc, err)
	}
	*ms = append(*ms, m)
}

func (ms *metrics) gauge(desc *prometheus.Desc, v float64, labels ...string) {
	m, err := prometheus.NewConstMetric(desc, prometheus.GaugeValue, v, labels...)
	ms.add(desc, m, err)
}

func (ms *metrics) counter(desc *prometheus.Desc, v uint64, labels ...string) {
	m, err := prometheus.NewConstMetric(desc, prometheus.CounterValue, float64(v), labels...)
	ms.add(desc, m, err)
}

func (ms *metrics) histogram(desc *prometheus.Desc, h *histogram, labels ...string) {
	m, err := prometheus.NewConstHistogram(desc, h.count, h.sum, h.cumulative(), labels...)
	ms.add(desc, m, err)
}

// exposition builds one model's series, as its model server would export
// them. Versions that no longer serve keep their (frozen) counters and
// histograms, like a scaled-down server scraped one last time; their gauges
// are gone.
func (w *world) exposition(name string) metrics {
	m, ok := w.byName[name]
	if !ok {
		return nil
	}
	var out metrics
	for _, n := range m.servingOrder() {
		v := m.versions[n]
		ver := strconv.Itoa(n)
		out.counter(descPredictions, v.predictions, name, ver)
		out.counter(descErrors, v.errors, name, ver)
		if m.spec.meanLatencyOnly {
			s, err := prometheus.NewConstSummary(descDuration, v.latency.count, v.latency.sum, nil, name, ver)
			out.add(descDuration, s, err)
		} else {
			out.histogram(descDuration, v.latency, name, ver)
		}
		out.histogram(descOutput, v.output, name, ver)
		for i := range m.spec.features {
			f := &m.spec.features[i]
			// Every feature, 0 too: the series says missing values are counted.
			out.counter(descMissing, v.missing[f.name], name, ver, f.name)
			if c, ok := v.cats[f.name]; ok {
				for j, cat := range c.names {
					out.counter(descCategory, c.counts[j], name, ver, f.name, cat)
				}
				continue
			}
			out.histogram(descFeature, v.features[f.name], name, ver, f.name)
		}
		if m.spec.labels != nil {
			out.counter(descLabeled, v.labeled, name, ver)
			out.histogram(descDelay, v.delays, name, ver)
		}
		if l := v.labelled; l != nil {
			out.histogram(descLabScore, l.all, name, ver)
			out.histogram(descLabPositive, l.positive, name, ver)
		}
		if v.track == "" {
			continue
		}
		out.gauge(descWeight, v.weight, name, ver, v.track)
		for _, metric := range m.spec.live {
			if p, ok := v.perf[metric]; ok {
				out.gauge(descPerformance, p, name, ver, metric)
			}
		}
		if m.spec.labels != nil {
			out.gauge(descLastLabel, unixSeconds(w.clock.project(m.lastLabel)), name, ver)
		}
		for i := range m.spec.features {
			f := &m.spec.features[i]
			score, ok := v.drift[f.name]
			if !ok {
				continue
			}
			method := "psi"
			if f.categorical() {
				method = "jensenshannon"
			}
			out.gauge(descDrift, score, name, ver, f.name, method)
		}
	}
	if r := m.rollout; r != nil {
		out.gauge(descRolloutInfo, 1, name, r.phase, r.strategy)
		if c := r.canary; c != nil {
			out.gauge(descRolloutStep, float64(c.step), name)
			out.gauge(descSteps, float64(len(canaryWeights)), name)
			out.gauge(descSetWeight, canaryWeights[c.step-1], name)
			// The canary's background analysis: its error rate has passed
			// by the second step; its latency is measured throughout.
			run := fmt.Sprintf("%s-v%d-analysis", name, c.version)
			errPhase := "Running"
			if c.step >= 2 {
				errPhase = "Successful"
			}
			out.gauge(descAnalysisRun, 1, name, run, "Running")
			out.gauge(descAnalysisMet, 1, name, run, "error-rate", errPhase)
			out.gauge(descAnalysisMet, 1, name, run, "latency-p95", "Running")
		}
	}
	return out
}

func unixSeconds(t time.Time) float64 {
	return math.Round(float64(t.UnixMilli())) / 1000
}

// collector exports one model through a private Prometheus registry.
type collector struct {
	f     *Fleet
	model string
}

// Describe sends nothing: the set of series changes as the story goes
// (versions start and stop serving), which makes this an unchecked
// collector by design.
func (collector) Describe(chan<- *prometheus.Desc) {}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	c.f.mu.Lock()
	ms := c.f.w.exposition(c.model)
	c.f.mu.Unlock()
	for _, m := range ms {
		ch <- m
	}
}

package testenv

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// ServedSpan is one version of a model serving at constant rates from
// From to To: a stretch of a serving history for ServedHistory.
type ServedSpan struct {
	Model, Version    string
	From, To          time.Time
	RPS, ErrorsPerSec float64
	// Quality is model_performance per metric over the span.
	Quality map[string]float64
}

// ServedHistory is OpenMetrics text (PrometheusConfig.Backfill) of the
// spans, a sample every step: model_predictions_total and
// model_prediction_errors_total growing at the span's rates, and
// model_performance. A version with several spans keeps counting from
// where its last one stopped, with no samples between them, as a version
// taken out of service and put back would.
func ServedHistory(spans []ServedSpan, step time.Duration) string {
	type key struct{ model, version string }
	by := map[key][]ServedSpan{}
	var keys []key
	for _, s := range spans {
		k := key{s.Model, s.Version}
		if _, ok := by[k]; !ok {
			keys = append(keys, k)
		}
		by[k] = append(by[k], s)
	}
	for _, k := range keys {
		sort.Slice(by[k], func(i, j int) bool { return by[k][i].From.Before(by[k][j].From) })
	}
	var b strings.Builder
	counter := func(family string, rate func(ServedSpan) float64) {
		fmt.Fprintf(&b, "# TYPE %s counter\n", family)
		for _, k := range keys {
			total := 0.0
			for _, s := range by[k] {
				last := 0.0
				for at := s.From; !at.After(s.To); at = at.Add(step) {
					last = total + rate(s)*at.Sub(s.From).Seconds()
					fmt.Fprintf(&b, "%s_total{model=%q,version=%q} %g %d\n", family, k.model, k.version, last, at.Unix())
				}
				total = last
			}
		}
	}
	counter("model_predictions", func(s ServedSpan) float64 { return s.RPS })
	counter("model_prediction_errors", func(s ServedSpan) float64 { return s.ErrorsPerSec })
	b.WriteString("# TYPE model_performance gauge\n")
	for _, k := range keys {
		var metrics []string
		for _, s := range by[k] {
			for m := range s.Quality {
				if !slices.Contains(metrics, m) {
					metrics = append(metrics, m)
				}
			}
		}
		sort.Strings(metrics)
		for _, m := range metrics {
			for _, s := range by[k] {
				q, ok := s.Quality[m]
				for at := s.From; ok && !at.After(s.To); at = at.Add(step) {
					fmt.Fprintf(&b, "model_performance{model=%q,version=%q,metric=%q} %g %d\n", k.model, k.version, m, q, at.Unix())
				}
			}
		}
	}
	return b.String() + "# EOF\n"
}

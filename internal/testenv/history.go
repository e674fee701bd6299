package testenv

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Backfill gives the server the counters of e's series between from and
// to, a sample every step, as if it had scraped them then: windows of an
// hour hold an hour of samples from the start. Only the counters that
// windows read (requests, errors, latency buckets, labels) are written,
// with the exporter's own values (negative before e.Start: still linear).
// The server is stopped while promtool writes the blocks, then started
// again.
func (p *Prometheus) Backfill(t testing.TB, e *LinearExporter, from, to time.Time, step time.Duration) {
	t.Helper()
	LookBinary(t, "promtool") // skip before writing the history
	path := filepath.Join(t.TempDir(), "history.om")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	family := func(name string, value func(s LinearSeries, secs float64) (labels string, v float64, ok bool)) {
		for _, s := range e.Series {
			mv := fmt.Sprintf(`model=%q,version=%q`, s.Model, s.Version)
			for at := from; at.Before(to); at = at.Add(step) {
				secs := at.Sub(e.Start).Seconds()
				labels, v, ok := value(s, secs)
				if !ok {
					break
				}
				fmt.Fprintf(w, "%s{%s%s} %g %.3f\n", name, mv, labels, v, float64(at.UnixMilli())/1000)
			}
		}
	}
	family("model_predictions_total", func(s LinearSeries, secs float64) (string, float64, bool) { return "", s.RPS * secs, true })
	family("model_prediction_errors_total", func(s LinearSeries, secs float64) (string, float64, bool) { return "", s.ErrorsPerSec * secs, true })
	family("model_ground_truth_labeled_total", func(s LinearSeries, secs float64) (string, float64, bool) {
		return "", s.LabeledShare * s.RPS * secs, s.LabeledShare > 0
	})
	// One family: each bucket a series of its own, in time order.
	for _, s := range e.Series {
		mv := fmt.Sprintf(`model=%q,version=%q`, s.Model, s.Version)
		bounds := append(append([]float64(nil), s.LatencyBounds...), -1)
		for i, bound := range bounds {
			le, share := "+Inf", 1.0
			if bound >= 0 {
				le, share = fmt.Sprintf("%g", bound), s.LatencyShares[i]
			}
			for at := from; at.Before(to); at = at.Add(step) {
				fmt.Fprintf(w, "model_prediction_duration_seconds_bucket{%s,le=%q} %g %.3f\n", mv, le, share*s.RPS*at.Sub(e.Start).Seconds(), float64(at.UnixMilli())/1000)
			}
		}
	}
	fmt.Fprintln(w, "# EOF")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	p.Stop()
	// Hours of a thousand models' history take promtool minutes.
	createBlocks(t, path, p.DataDir, 10*time.Minute)
	_ = os.Remove(path)
	p.proc.start(time.Minute)
}

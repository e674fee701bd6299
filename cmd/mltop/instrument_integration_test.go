package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/internal/wiring"
	"github.com/mltop/mltop/sources/embedded"
)

// The example server's simulation (instrument/python/example.py).
const (
	exRate       = 100.0 // predictions a second
	exErrorRatio = 1.0 / 20
	exLatencyLo  = 0.010 // latency uniform in [lo, hi] seconds
	exLatencyHi  = 0.050
	exShift      = 0.5 // amount's live mean moved by half its training sd
	exLabelled   = 0.8 // 4 of 5 successful predictions get a label
	exDelayLo    = 1.0 // label delay uniform in [lo, hi] seconds
	exDelayHi    = 3.0
)

// python finds a python3 that imports prometheus_client (Debian's
// python3-prometheus-client lives in /usr/bin/python3's path, which a
// pyenv or venv python3 earlier on PATH does not see), or skips.
func python(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, name := range []string{"python3", "/usr/bin/python3"} {
		bin, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err = exec.CommandContext(ctx, bin, "-c", "import prometheus_client").Run()
		cancel()
		if err == nil {
			return bin
		}
		tried = append(tried, bin)
	}
	msg := fmt.Sprintf("no python3 with prometheus_client (tried %v): apt-get install python3-prometheus-client", tried)
	if testenv.Required() {
		t.Fatal(msg + " (MLTOP_REQUIRE_INTEGRATION=1)")
	}
	t.Skip(msg)
	return ""
}

func instrumentDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "instrument", "python"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPythonInstrumentUnitTests runs instrument/python's own unit tests,
// so that the README's test command runs them too.
func TestPythonInstrumentUnitTests(t *testing.T) {
	py := python(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "-m", "unittest", "discover", "-s", instrumentDir(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("python3 -m unittest discover instrument/python: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "OK") {
		t.Fatalf("unexpected unittest output:\n%s", out)
	}
}

// exportAll exercises every part of the Python module and prints what a
// scrape would read.
const exportAll = `
import sys
sys.path.insert(0, sys.argv[1])
import mltop_instrument as mi
from prometheus_client import CollectorRegistry, generate_latest
reg = CollectorRegistry()
ref = mi.Reference.from_sample({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]}, prediction=[0.2, 0.7, 0.9])
m = mi.ModelMetrics("m", "1", ref, registry=reg)
m.observe({"x": 2.0, "c": "a"}, 0.7, 0.01)
m.set_estimate("rmse", 1.0)
m.set_drift_score("x", "psi", 0.1)
fb = mi.Feedback("m", "1", ref, registry=reg)
fb.label(0.7, True, predicted_at=0, now=1)
sys.stdout.write(generate_latest(reg).decode())
`

// notFromModelServers are the names the mltop profile reads that a model
// server does not export: a rollout controller's (docs/instrumenting.md).
var notFromModelServers = []string{"model_analysis_metric_phase", "model_analysis_run_info",
	"model_rollout_info", "model_rollout_set_weight", "model_rollout_step", "model_rollout_steps"}

// TestPythonInstrumentExportsTheMltopProfile: every metric the Python
// module exports is read by the mltop profile's queries (no invented
// names), and every metric those queries read is exported by it, except
// a rollout controller's.
func TestPythonInstrumentExportsTheMltopProfile(t *testing.T) {
	py := python(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "-c", exportAll, instrumentDir(t)).Output()
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("parse the exposition: %v\n%s", err, out)
	}
	read := map[string]bool{}
	for _, r := range config.ProfileRoles("mltop") {
		for _, m := range r.Metrics {
			read[m] = true
		}
	}
	exported := map[string]bool{}
	for name, f := range fams {
		if !strings.HasPrefix(name, "model_") {
			continue // the client's own process metrics
		}
		series := name
		if f.GetType() == dto.MetricType_HISTOGRAM {
			series = name + "_bucket"
		}
		exported[series] = true
		if !read[series] {
			t.Errorf("the module exports %s, which the mltop profile does not read", series)
		}
	}
	for m := range read {
		if !exported[m] && !slices.Contains(notFromModelServers, m) && !exported[strings.TrimSuffix(strings.TrimSuffix(m, "_sum"), "_count")+"_bucket"] {
			t.Errorf("the mltop profile reads %s, which the module does not export", m)
		}
	}
}

// exampleRegistry is an MLflow registry holding model "example", version
// 1 (champion), tagged with the reference profile the example wrote.
func exampleRegistry(t *testing.T, reference string) string {
	t.Helper()
	version := map[string]any{"name": "example", "version": "1", "status": "READY", "current_stage": "None",
		"run_id": "run1", "aliases": []string{"champion"}, "creation_timestamp": time.Now().Add(-time.Hour).UnixMilli(),
		"tags": []map[string]string{{"key": histdrift.TagKey, "value": reference}}}
	answers := map[string]any{
		"registered-models/search": map[string]any{"registered_models": []any{map[string]any{"name": "example",
			"aliases": []map[string]string{{"alias": "champion", "version": "1"}}}}},
		"model-versions/search": map[string]any{"model_versions": []any{version}},
		"runs/get":              map[string]any{"run": map[string]any{"info": map[string]any{"run_id": "run1", "status": "FINISHED"}}},
		"metrics/get-history":   map[string]any{"metrics": []any{}},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		a, ok := answers[strings.TrimPrefix(r.URL.Path, "/api/2.0/mlflow/")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			a = map[string]string{"error_code": "ENDPOINT_NOT_FOUND", "message": r.URL.Path}
		}
		_ = json.NewEncoder(w).Encode(a)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// exampleVersion is versionDoc (snapshot_test.go) with the drift
// verdicts and the quality estimate.
type exampleVersion struct {
	versionDoc
	Drift *struct {
		Reference *string `json:"reference"`
		Features  []struct {
			Feature string   `json:"feature"`
			Method  string   `json:"method"`
			Score   *float64 `json:"score"`
			Drifted *bool    `json:"drifted"`
		} `json:"features"`
		Prediction *struct {
			Drifted *bool `json:"drifted"`
		} `json:"prediction"`
	} `json:"drift"`
	Estimated map[string]struct {
		Value    float64  `json:"value"`
		StdError *float64 `json:"std_error"`
	} `json:"estimated_performance"`
	Calibration *struct {
		ECE         *float64 `json:"ece"`
		Noise       *float64 `json:"ece_noise"`
		Unreliable  bool     `json:"unreliable"`
		Unavailable *string  `json:"unavailable"`
	} `json:"calibration"`
}

// TestPythonExampleScrapedByBuiltInEngine: the Python example model server
// runs with the instrumentation module, mltop's built-in engine scrapes
// it, the registry holds the reference the example wrote, and the
// snapshot shows the simulation's known figures.
func TestPythonExampleScrapedByBuiltInEngine(t *testing.T) {
	py := python(t)
	port := testenv.FreePort(t)
	refPath := filepath.Join(t.TempDir(), "ref.json")
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", port)
	started := time.Now()
	prog := testenv.StartProgram(t, "example", metricsURL, 30*time.Second, py,
		filepath.Join(instrumentDir(t), "example.py"), "--port", fmt.Sprint(port), "--reference", refPath)
	ref, err := os.ReadFile(refPath)
	if err != nil {
		t.Fatalf("the example wrote no reference: %v\n%s", err, prog.Log())
	}

	const scrapeEvery = time.Second
	cfg := config.DefaultEnv(func(string) string { return "" })
	cfg.Scrape = config.Scrape{Interval: scrapeEvery, Timeout: scrapeEvery, Targets: []string{metricsURL}}
	cfg.MLflow.TrackingURI = exampleRegistry(t, string(ref))
	cfg.Window = 10 * time.Second
	cfg.Drift.Window = 20 * time.Second
	cfg.Estimate.CalibrationWindow = 20 * time.Second
	a, err := wiring.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.Start(ctx)
	// The drift window full of scrapes, and one more.
	rounds := uint64(cfg.Drift.Window/scrapeEvery) + 2
	deadline := time.Now().Add(3 * cfg.Drift.Window)
	for a.Engine.Scrapes() < rounds {
		if time.Now().After(deadline) {
			t.Fatalf("%d scrape rounds after %s, want %d; example log:\n%s", a.Engine.Scrapes(), 3*cfg.Drift.Window, rounds, prog.Log())
		}
		time.Sleep(100 * time.Millisecond) // polling the engine's round count
	}
	snap := a.Poller.PollOnce(ctx)
	elapsed := time.Since(started).Seconds()
	for _, q := range snap.Queries {
		if !q.OK {
			t.Errorf("query %s: %s", q.Name, q.Error)
		}
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Models []struct {
			Name     string           `json:"name"`
			Versions []exampleVersion `json:"versions"`
		} `json:"models"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Models) != 1 || doc.Models[0].Name != "example" || len(doc.Models[0].Versions) != 1 {
		t.Fatalf("want model example with one version; snapshot:\n%s", raw)
	}
	v := doc.Models[0].Versions[0]
	t.Logf("measured: %.2f req/s, error %v, latency p50 %v p95 %v p99 %v, labels p50 %v p95 %v age %v fraction %v, live %v, estimated %s, calibration %s",
		deref(v.RequestsPerSecond), deref(v.ErrorRate), deref(v.Latency.P50), deref(v.Latency.P95), deref(v.Latency.P99),
		deref(v.GroundTruth.DelayP50Seconds), deref(v.GroundTruth.DelayP95Seconds), deref(v.GroundTruth.LastLabelAgeSeconds), deref(v.GroundTruth.LabeledFraction),
		v.Performance, mustJSON(v.Estimated), mustJSON(v.Calibration))
	if v.Drift != nil {
		t.Logf("drift: %s", mustJSON(v.Drift))
	}
	within := func(what string, got *float64, want, tol float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > tol {
			t.Errorf("%s = %v, want %.4g ± %.3g", what, deref(got), want, tol)
		}
	}
	inBucket := func(what string, got *float64, lo, hi float64) {
		t.Helper()
		if got == nil || !(*got > lo && *got <= hi) {
			t.Errorf("%s = %v, want in its bucket (%g, %g]", what, deref(got), lo, hi)
		}
	}

	if v.Track == nil || *v.Track != "stable" || v.TrafficWeight == nil || *v.TrafficWeight != 100 {
		t.Errorf("track %v weight %v, want stable 100", v.Track, deref(v.TrafficWeight))
	}

	// Rate: the example's count is exact on its clock; a scrape may see it
	// up to lag late (a tick of 10 ms plus scheduling on a loaded machine),
	// and rate() divides two samples at least window − 1 scrape apart.
	const lag = 0.1
	span := (cfg.Window - scrapeEvery).Seconds()
	within("requests_per_second", v.RequestsPerSecond, exRate, (2+2*lag*exRate)/span)
	// Every 20th prediction fails: over a window's predictions the ratio is
	// off by at most one error.
	n := exRate * span
	within("error_rate", v.ErrorRate, exErrorRatio, 1.5/n)

	// Latency is uniform on (10, 50] ms: p50, p95 and p99 fall in the
	// bucket (25, 50] ms, where histogram_quantile's linear interpolation
	// is exact for a uniform distribution, up to the sampling noise of
	// the share below 25 ms (37.5 %) over n predictions, 4σ.
	share := (0.025 - exLatencyLo) / (exLatencyHi - exLatencyLo)
	inBucketShare := 1 - share
	for _, q := range []struct {
		name string
		got  *float64
		p    float64
	}{{"p50", v.Latency.P50, 0.5}, {"p95", v.Latency.P95, 0.95}, {"p99", v.Latency.P99, 0.99}} {
		want := exLatencyLo + q.p*(exLatencyHi-exLatencyLo)
		inBucket("latency "+q.name, q.got, 0.025, 0.05)
		within("latency "+q.name, q.got, want, 4*0.025*math.Sqrt(share*(1-share)/n)/inBucketShare)
	}

	// Drift against the registry's reference: amount moved by half a
	// training sd, which mltop measures with Wasserstein (the reference
	// has 20,000 observations) on the buckets. The expected score is the
	// same statistic on the reference's counts against the shifted normal
	// distribution's shares of its buckets; the window's mean strays by
	// 1/√n sd (4σ).
	d := v.Drift
	if d == nil || d.Reference == nil || *d.Reference != "registry" {
		t.Fatalf("drift %+v, want against the registry's reference; snapshot:\n%s", d, raw)
	}
	var prof histdrift.Profile
	if err := json.Unmarshal(ref, &prof); err != nil {
		t.Fatal(err)
	}
	wantAmount := shiftedWasserstein(t, prof.Features["amount"], exShift)
	t.Logf("expected: amount wasserstein %.4f, estimated roc_auc %.4f", wantAmount, bucketedAUC(10))
	nDrift := exRate * (cfg.Drift.Window - scrapeEvery).Seconds()
	seen := map[string]bool{}
	for _, f := range d.Features {
		seen[f.Feature] = true
		switch f.Feature {
		case "amount":
			if f.Method != "wasserstein" || f.Drifted == nil || !*f.Drifted {
				t.Errorf("amount %s drifted %v, want wasserstein drifted", f.Method, f.Drifted)
			}
			within("amount wasserstein", f.Score, wantAmount, 4/math.Sqrt(nDrift))
		case "plan":
			if f.Drifted == nil || *f.Drifted {
				t.Errorf("plan %s score %v drifted %v, want not drifted (same shares)", f.Method, deref(f.Score), f.Drifted)
			}
		}
	}
	if !seen["amount"] || !seen["plan"] {
		t.Errorf("drift features %+v, want amount and plan", d.Features)
	}
	if d.Prediction == nil || d.Prediction.Drifted == nil || *d.Prediction.Drifted {
		t.Errorf("prediction drift %+v, want judged, not drifted (uniform scores both sides)", d.Prediction)
	}

	// Labels: a delay uniform on [1, 3] s in buckets 0.5 s wide: p50 = 2 s,
	// p95 = 2.9 s, each off by the sampling noise of the 25 % share in a
	// bucket over the window's labels (4σ).
	gt := v.GroundTruth
	labels := exLabelled * (1 - exErrorRatio) * n
	delayTol := 4 * 0.5 * math.Sqrt(0.25*0.75/labels) / 0.25
	inBucket("label delay p50", gt.DelayP50Seconds, 1.5, 2.5)
	within("label delay p50", gt.DelayP50Seconds, 2, delayTol)
	inBucket("label delay p95", gt.DelayP95Seconds, 2.5, 3)
	within("label delay p95", gt.DelayP95Seconds, exDelayLo+0.95*(exDelayHi-exDelayLo), delayTol)
	// The newest label is at most a scrape interval, a tick and the poll
	// old.
	if gt.LastLabelAgeSeconds == nil || *gt.LastLabelAgeSeconds < 0 || *gt.LastLabelAgeSeconds > 2*scrapeEvery.Seconds()+lag {
		t.Errorf("newest label age %v s, want within %gs", deref(gt.LastLabelAgeSeconds), 2*scrapeEvery.Seconds()+lag)
	}
	// Totals since the start: up to 3 s of labels are still to come.
	full := exLabelled * (1 - exErrorRatio)
	if gt.LabeledFraction == nil || *gt.LabeledFraction > full+0.01 || *gt.LabeledFraction < full*(1-(exDelayHi+lag)/elapsed)-0.01 {
		t.Errorf("labelled fraction %v, want %.3f less at most the last %gs of %gs", deref(gt.LabeledFraction), full, exDelayHi, elapsed)
	}

	// Live quality over the last 1,000 labels of a calibrated score
	// uniform on [0, 1]: accuracy E[max(s, 1−s)] = 3/4, AUC 5/6; 4σ.
	for metric, want := range map[string]float64{"accuracy": 0.75, "auc": 5.0 / 6} {
		got, ok := v.Performance[metric]
		if !ok {
			t.Errorf("live %s missing: %v", metric, v.Performance)
			continue
		}
		// Binomial for accuracy; Hanley–McNeil's for an AUC of 5/6 on
		// 1,000 labels, about half positive, is 0.013.
		sd := map[string]float64{"accuracy": math.Sqrt(0.75 * 0.25 / 1000), "auc": 0.013}[metric]
		within("live "+metric, &got, want, 4*sd)
	}

	// Calibration: scores turn out positive at their bucket's midpoint
	// rate, so the ECE is sampling noise (a sum of ten |noise| terms:
	// 2.5 times its mean is about 6σ) and the estimate is reliable.
	c := v.Calibration
	if c == nil || c.ECE == nil || c.Noise == nil || c.Unreliable || (c.Unavailable != nil && *c.Unavailable != "") {
		t.Fatalf("calibration %+v, want a reliable one; snapshot:\n%s", c, raw)
	}
	if *c.ECE > 2.5**c.Noise {
		t.Errorf("ECE %.4f, want within sampling noise (ece_noise %.4f)", *c.ECE, *c.Noise)
	}
	// CBPE on ten equal buckets with p_b their midpoints: accuracy 3/4 and
	// the bucketed AUC below, each off by its standard error (4σ) plus
	// what the calibration's own noise moves it (at most twice ece_noise).
	for metric, want := range map[string]float64{"accuracy": 0.75, "roc_auc": bucketedAUC(10)} {
		e, ok := v.Estimated[metric]
		if !ok || e.StdError == nil {
			t.Errorf("estimated %s missing: %+v", metric, v.Estimated)
			continue
		}
		within("estimated "+metric, &e.Value, want, 4**e.StdError+2**c.Noise)
	}

	checkExportRoundTrip(t, py, a.Engine, prof)
}

// readReference loads a profile with the Python module and prints the
// bounds and categories it would export with.
const readReference = `
import json, sys
sys.path.insert(0, sys.argv[1])
import mltop_instrument as mi
r = mi.Reference.load(sys.argv[2])
print(json.dumps({"bounds": {f: [repr(x) for x in b] for f, b in r.bounds.items()},
                  "categories": {f: list(c) for f, c in r.categories.items()}}))
`

// checkExportRoundTrip: `mltop reference export` over the example's
// metrics writes a profile the Python module reads with the bounds it
// exported, which are the training reference's.
func checkExportRoundTrip(t *testing.T, py string, eng *embedded.Engine, training histdrift.Profile) {
	t.Helper()
	isolate(t)
	out := filepath.Join(t.TempDir(), "exported.json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"reference", "export", "example", "1", "--last", "15s", "--prometheus", engineAPI(t, eng).URL,
		"--out", out, "--log-file", "-"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("reference export: exit %d: %s", code, stderr.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	raw, err := exec.CommandContext(ctx, py, "-c", readReference, instrumentDir(t), out).Output()
	if err != nil {
		t.Fatalf("the module cannot read the exported reference: %v", err)
	}
	var got struct {
		Bounds     map[string][]string
		Categories map[string][]string
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	for _, f := range []string{"amount", "__prediction__"} {
		var want []string
		for _, b := range training.Features[f].Bounds {
			want = append(want, map[bool]string{true: "inf", false: fmt.Sprint(float64(b))}[math.IsInf(float64(b), 1)])
		}
		if fmt.Sprint(got.Bounds[f]) != fmt.Sprint(want) {
			t.Errorf("%s: exported profile read back with bounds %v, want the training reference's %v", f, got.Bounds[f], want)
		}
	}
	if fmt.Sprint(got.Categories["plan"]) != "[basic pro]" {
		t.Errorf("plan categories %v, want [basic pro]", got.Categories["plan"])
	}
}

// shiftedWasserstein is mltop's Wasserstein score of the reference's
// counts against a normal distribution shifted by shift reference sds,
// as shares of the same buckets (the sd estimated from the buckets the way
// the profile was made: 20,000 draws of N(100, 20)).
func shiftedWasserstein(t *testing.T, f histdrift.FeatureProfile, shift float64) float64 {
	t.Helper()
	bounds := make([]float64, len(f.Bounds))
	for i, b := range f.Bounds {
		bounds[i] = float64(b)
	}
	const mean, sd = 100.0, 20.0
	cur := make([]float64, len(bounds))
	prev := 0.0
	for i, b := range bounds {
		cdf := 1.0
		if !math.IsInf(b, 1) {
			cdf = 0.5 * math.Erfc(-(b-mean-shift*sd)/(sd*math.Sqrt2))
		}
		cur[i], prev = cdf-prev, cdf
	}
	w, err := drift.WassersteinNormed(drift.Binned{Bounds: bounds, Counts: f.Counts}, drift.Binned{Bounds: bounds, Counts: cur})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// bucketedAUC is CBPE's AUC for k equal buckets on [0, 1] whose
// predictions turn out positive at the midpoint's rate, ties within a
// bucket counted as half (docs/estimate.md).
func bucketedAUC(k int) float64 {
	var sumP, sumQ, num, below float64
	for b := range k {
		p := (float64(b) + 0.5) / float64(k)
		q := 1 - p
		num += p * (below + q/2)
		below += q
		sumP += p
		sumQ += q
	}
	return num / (sumP * sumQ)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

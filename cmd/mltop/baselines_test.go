package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/rules"
	"github.com/mltop/mltop/internal/testenv"
)

// mltop serve --metrics-listen publishes the registry's baselines as
// model_offline_performance; a real Prometheus scraping it and the model
// servers evaluates the quality rule of `mltop rules` to exactly the
// versions the judge's comparison calls worse.
func TestServePublishesBaselinesForTheQualityRule(t *testing.T) {
	isolate(t)
	testenv.LookBinary(t, "prometheus")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fl, err := demo.Start(ctx, demo.Options{Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fl.Close() })
	port := testenv.FreePort(t)
	prom := testenv.StartPrometheus(t, append(fl.Targets(), fmt.Sprintf("http://127.0.0.1:%d/metrics", port)), time.Second)
	cfgPath := filepath.Join(t.TempDir(), "mltop.yaml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf("prometheus:\n  url: %s\nmlflow:\n  tracking_uri: %s\n", prom.URL, fl.RegistryURL())), 0o644); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr serveOutput
	code := make(chan int, 1)
	go func() {
		code <- run([]string{"serve", "--http-only", "--metrics-listen", fmt.Sprintf("127.0.0.1:%d", port), "--config", cfgPath, "--refresh", "1s", "--log-file", "-"}, &stdout, &stderr)
	}()
	listening := regexp.MustCompile(`HTTP only on 127\.0\.0\.1:\d+`)
	awaitServe(t, 30*time.Second, "the HTTP listener", func() bool { return listening.MatchString(stdout.String()) })

	// The baselines join the live quality on model, version and metric.
	joined := `max by (model, version, metric) (model_offline_performance) and on (model, version, metric) max by (model, version, metric) (model_performance)`
	prom.WaitFor(joined, 60*time.Second, func(v model.Vector) bool { return len(v) > 0 })
	// Every query below reads one instant a little in the past, complete
	// by then, so that they all see the same samples.
	var at time.Time
	awaitServe(t, 30*time.Second, "a complete instant with baselines", func() bool {
		at = time.Now().Add(-2 * time.Second)
		return len(prom.Query(joined, at)) > 0
	})

	for _, drop := range []float64{0.05, 0.001} {
		cfg := config.Default()
		cfg.Thresholds.QualityDrop = drop
		f, err := rules.Generate(cfg, rules.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var warn string
		for _, r := range f.Groups[0].Rules {
			if r.Alert == rules.AlertQualityDrop && r.Labels["severity"] == rules.Warning {
				warn = r.Expr
			}
		}
		got := keys(prom.Query(warn, at))
		live := byKey(prom.Query(`max by (model, version, metric) (model_performance)`, at))
		offline := byKey(prom.Query(`max by (model, version, metric) (model_offline_performance)`, at))
		var want []string
		for k, l := range live {
			o, ok := offline[k]
			if !ok {
				continue
			}
			metric := k[strings.LastIndex(k, "/")+1:]
			if judge.LowerIsBetter(metric) && o == 0 {
				continue
			}
			if judge.QualityDrop(metric, l, o) >= drop {
				want = append(want, k)
			}
		}
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("quality_drop %g: the rule finds %v, the judge's comparison %v (live %v, offline %v)", drop, got, want, live, offline)
		}
		t.Logf("quality_drop %g: %d of %d versions' metrics with a baseline are worse: %v", drop, len(got), len(offline), got)
		if drop == 0.001 && len(want) == 0 {
			t.Errorf("no version of the demo is worse than its baseline at all: the comparison proves nothing (live %v, offline %v)", live, offline)
		}
	}

	interruptServe(t, code, &stderr, "serve --http-only")
}

func key(m model.Metric) string {
	return string(m["model"]) + "/" + string(m["version"]) + "/" + string(m["metric"])
}

func keys(v model.Vector) []string {
	out := make([]string, 0, len(v))
	for _, s := range v {
		out = append(out, key(s.Metric))
	}
	sort.Strings(out)
	return out
}

func byKey(v model.Vector) map[string]float64 {
	out := make(map[string]float64, len(v))
	for _, s := range v {
		out[key(s.Metric)] = float64(s.Value)
	}
	return out
}

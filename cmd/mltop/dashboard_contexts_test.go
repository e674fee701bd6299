package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/testenv"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/contexts"
	"github.com/mltop/mltop/ui/uitest"
)

// twoContexts is a dashboard over two contexts, prod and staging, each a
// real Prometheus scraping its own exporter with its own models: prod
// serves fraud and iris, staging churn and ranker.
type twoContexts struct {
	Prod, Staging *testenv.Prometheus
	Cfg           *config.Config
	Switcher      *contexts.Model
	D             *uitest.Driver
}

// contextModels are each context's models, as its exporter serves them.
var contextModels = map[string][]string{"prod": {"fraud", "iris"}, "staging": {"churn", "ranker"}}

// startTwoContexts starts both servers and the dashboard on prod, sized
// 160x40. extra adds YAML to a context's config (actions, read_only).
func startTwoContexts(t *testing.T, extra map[string]string) *twoContexts {
	t.Helper()
	return startTwoContextsWith(t, extra, everyContext{})
}

// startTwoContextsWith is startTwoContexts with command-line flags that
// hold in every context (--read-only, --refresh, --theme).
func startTwoContextsWith(t *testing.T, extra map[string]string, every everyContext) *twoContexts {
	t.Helper()
	tc := startContextServers(t, extra)
	ctx, cancel := context.WithCancel(context.Background())
	apps := &contextApps{ctx: ctx, log: slog.New(slog.NewTextHandler(io.Discard, nil)), noColor: true, d: dashboard{every: every}}
	t.Cleanup(func() {
		cancel()
		apps.close()
	})
	sw, err := apps.switcher(tc.Cfg)
	if err != nil {
		t.Fatal(err)
	}
	tc.Switcher = sw
	tc.D = uitest.NewDriver(t, sw)
	tc.D.Send(tea.WindowSizeMsg{Width: 160, Height: 40})
	tc.waitFleet("prod")
	return tc
}

// startContextServers starts each context's exporter and Prometheus and
// builds the config of the two contexts (by hand: contexts' parsing is
// tested in internal/config).
func startContextServers(t *testing.T, extra map[string]string) *twoContexts {
	t.Helper()
	tc := &twoContexts{Cfg: &config.Config{}}
	dir := t.TempDir()
	for _, name := range []string{"prod", "staging"} {
		var series []testenv.LinearSeries
		for _, m := range contextModels[name] {
			series = append(series, testenv.LinearSeries{Model: m, Version: "1", Track: "stable", RPS: 10, ErrorsPerSec: 0.01, Weight: 100,
				LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.5, 1}})
		}
		exp := testenv.StartLinearExporter(t, series, nil)
		prom := testenv.StartPrometheus(t, []string{exp.URL}, time.Second)
		prom.WaitFor("count_over_time(model_predictions_total[10s])", 60*time.Second, func(v model.Vector) bool {
			return len(v) == len(series) && v[0].Value >= 3
		})
		yaml := fmt.Sprintf("window: 10s\nrefresh: 1s\nprometheus:\n  url: %s\naudit:\n  path: %s\n%s",
			prom.URL, filepath.Join(dir, name+"-audit.jsonl"), extra[name])
		cfg, err := config.Parse(name+".yaml", []byte(yaml))
		if err != nil {
			t.Fatalf("context %s: %v", name, err)
		}
		color := ""
		if name == "prod" {
			color = "red"
			tc.Prod = prom
		} else {
			tc.Staging = prom
		}
		cfg.ContextName, cfg.ContextColor = name, color
		tc.Cfg.Contexts = append(tc.Cfg.Contexts, config.Context{Name: name, Color: color, Config: cfg})
	}
	return tc
}

// waitFleet waits until the context shown draws every model of name's.
func (tc *twoContexts) waitFleet(name string) {
	tc.D.Until(name+"'s models drawn", 60*time.Second, func() bool { return tc.D.Shows(contextModels[name]...) })
}

// ctx types :ctx ARG and waits for what it shows.
func (tc *twoContexts) ctx(arg, shown string) {
	tc.D.Command("ctx " + arg)
	tc.D.Until(shown+" shown", 60*time.Second, func() bool { return tc.Switcher.Shown() == shown })
}

func statusLine(frame string) string {
	first, _, _ := strings.Cut(frame, "\n")
	return first
}

// Two contexts switch with :ctx, keep their own filter and cursor, and
// :ctx all shows both fleets with the context of each model.
func TestDashboardContexts(t *testing.T) {
	t.Parallel()
	tc := startTwoContexts(t, nil)
	d := tc.D
	if tc.Switcher.Root("staging") != nil {
		t.Fatal("staging was started before it was shown")
	}
	if s := statusLine(d.Plain()); !strings.Contains(s, "prod") {
		t.Fatalf("status line without the context: %q", s)
	}
	for _, m := range contextModels["staging"] {
		if d.Shows(m) {
			t.Fatalf("prod shows staging's %s:\n%s", m, d.Plain())
		}
	}
	prod := tc.Switcher.Root("prod")
	d.Keys("down")
	cursor := prod.FleetSelected()
	if cursor == "" {
		t.Fatal("no model under prod's cursor")
	}

	tc.ctx("staging", "staging")
	tc.waitFleet("staging")
	if s := statusLine(d.Plain()); !strings.Contains(s, "staging") {
		t.Fatalf("status line after the switch: %q", s)
	}
	d.Keys("/", "churn", "enter")
	d.Until("staging filtered", 10*time.Second, func() bool { return d.Shows("churn") && !d.Shows("ranker") })

	tc.ctx("prod", "prod")
	if f := prod.Filter(); f != "" {
		t.Fatalf("prod took staging's filter %q", f)
	}
	tc.waitFleet("prod")
	if got := prod.FleetSelected(); got != cursor {
		t.Fatalf("prod's cursor moved from %q to %q", cursor, got)
	}
	tc.ctx("staging", "staging")
	if f := tc.Switcher.Root("staging").Filter(); f != "churn" {
		t.Fatalf("staging's filter after the round trip = %q", f)
	}

	tc.ctx("all", common.AllContexts)
	d.Until("both fleets with CTX", 60*time.Second, func() bool {
		return d.Shows(append(append([]string{"CTX"}, contextModels["prod"]...), contextModels["staging"]...)...)
	})
	for _, line := range strings.Split(d.Plain(), "\n") {
		for name, models := range contextModels {
			for _, m := range models {
				if strings.Contains(line, " "+m+" ") && !strings.Contains(line, name) {
					t.Errorf("%s's row does not name %s: %q", m, name, line)
				}
			}
		}
	}
}

// The context mltop starts on runs with the config loaded for it, flags
// (--prometheus, --listen, ...) laid over; another with its own.
func TestStartingContextKeepsTheFlags(t *testing.T) {
	prod := &config.Config{ContextName: "prod", Prometheus: config.Prometheus{URL: "http://prod:9090"}}
	staging := &config.Config{ContextName: "staging", Prometheus: config.Prometheus{URL: "http://staging:9090"}}
	ctxs := []config.Context{{Name: "prod", Config: prod}, {Name: "staging", Config: staging}}
	loaded := *staging
	loaded.Prometheus.URL = "http://from-the-flag:9090"
	loaded.Contexts = ctxs
	first, err := startContext(&loaded)
	if err != nil || first.Name != "staging" {
		t.Fatalf("start on %q (%v), want staging", first.Name, err)
	}
	if got := chosenConfig(&loaded, first); got.Prometheus.URL != "http://from-the-flag:9090" {
		t.Fatalf("the starting context runs on %s, not the flag's", got.Prometheus.URL)
	}
	if got := chosenConfig(&loaded, ctxs[0]); got != prod {
		t.Fatalf("prod runs on %s", got.Prometheus.URL)
	}
}

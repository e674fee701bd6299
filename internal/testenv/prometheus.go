package testenv

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

// Prometheus is a real Prometheus server started for one test.
type Prometheus struct {
	*Querier
	// DataDir is its TSDB directory (a Thanos sidecar reads it).
	DataDir string
	proc    *process
}

// PrometheusConfig is what a test may set beyond the scrape targets.
type PrometheusConfig struct {
	Targets  []string // full URLs
	Interval time.Duration
	// ExternalLabels identify the server to a Thanos sidecar.
	ExternalLabels map[string]string
	// RemoteWrite is a URL every sample is also pushed to.
	RemoteWrite string
	// Args are extra command-line flags.
	Args []string
	// RuleFiles are rule files (paths) Prometheus evaluates every
	// EvaluationInterval (default: Interval).
	RuleFiles          []string
	EvaluationInterval time.Duration
	// Alertmanagers are the URLs of the Alertmanagers alerts are sent to
	// (re-sent every second while they fire).
	Alertmanagers []string
	// Backfill is OpenMetrics text (ending "# EOF") written into the TSDB
	// with promtool before the server starts: series from the past, such
	// as last week's, that a test cannot wait for.
	Backfill string
}

// StartPrometheus starts Debian's prometheus on 127.0.0.1, scraping targets
// (full URLs) every interval, and waits until it is ready. It is stopped
// when the test ends.
func StartPrometheus(t testing.TB, targets []string, interval time.Duration) *Prometheus {
	t.Helper()
	return StartPrometheusWith(t, PrometheusConfig{Targets: targets, Interval: interval})
}

// StartPrometheusWith is StartPrometheus with external labels, remote
// write or extra flags.
func StartPrometheusWith(t testing.TB, c PrometheusConfig) *Prometheus {
	t.Helper()
	bin := LookBinary(t, "prometheus")
	dir := t.TempDir()
	conf := scrapeConfig(t, c.Targets, c.Interval, c.ExternalLabels)
	conf = withAlerting(t, conf, c)
	if c.RemoteWrite != "" {
		// Short deadlines so pushed samples arrive within about a second.
		conf += fmt.Sprintf(`remote_write:
  - url: %q
    queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
    metadata_config: {send: false}
`, c.RemoteWrite)
	}
	confPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	port := FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	p := &Prometheus{DataDir: filepath.Join(dir, "data")}
	if c.Backfill != "" {
		backfill(t, dir, p.DataDir, c.Backfill)
	}
	args := append([]string{
		"--config.file=" + confPath,
		"--storage.tsdb.path=" + p.DataDir,
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port),
		"--web.enable-lifecycle",
	}, c.Args...)
	if len(c.Alertmanagers) > 0 {
		args = append(args, "--rules.alert.resend-delay=1s")
	}
	p.proc = newProcess(t, "prometheus", bin, dir, base+"/-/ready", args...)
	p.proc.start(30 * time.Second)
	p.Querier = newQuerier(t, "prometheus", base, nil)
	return p
}

// withAlerting adds to conf (scrapeConfig's) the rule files with their
// evaluation interval, set only with rule files so that a server without
// them is configured as before, and the Alertmanagers to send to.
func withAlerting(t testing.TB, conf string, c PrometheusConfig) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(conf)
	if len(c.RuleFiles) > 0 {
		every := c.EvaluationInterval
		if every <= 0 {
			every = c.Interval
		}
		files := make([]string, len(c.RuleFiles))
		for i, f := range c.RuleFiles {
			abs, err := filepath.Abs(f)
			if err != nil {
				t.Fatalf("rule file %s: %v", f, err)
			}
			files[i] = fmt.Sprintf("%q", abs)
		}
		fmt.Fprintf(&b, "rule_files: [%s]\n", strings.Join(files, ", "))
		// One global block only: the interval goes into scrapeConfig's.
		global := fmt.Sprintf("global:\n  evaluation_interval: %s\n", model.Duration(every))
		s := strings.Replace(b.String(), "global:\n", global, 1)
		b.Reset()
		b.WriteString(s)
	}
	if len(c.Alertmanagers) > 0 {
		hosts := make([]string, len(c.Alertmanagers))
		for i, am := range c.Alertmanagers {
			u, err := url.Parse(am)
			if err != nil || u.Host == "" {
				t.Fatalf("alertmanager %q: not a URL", am)
			}
			hosts[i] = fmt.Sprintf("%q", u.Host)
		}
		fmt.Fprintf(&b, "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [%s]\n", strings.Join(hosts, ", "))
	}
	return b.String()
}

// backfill writes OpenMetrics text into a TSDB directory as blocks, with
// Debian's promtool.
func backfill(t testing.TB, dir, dataDir, text string) {
	t.Helper()
	in := filepath.Join(dir, "backfill.om")
	if err := os.WriteFile(in, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	createBlocks(t, in, dataDir, 60*time.Second)
}

// createBlocks writes the OpenMetrics file in into the TSDB at dataDir with
// promtool; the server must not be running on it.
func createBlocks(t testing.TB, in, dataDir string, timeout time.Duration) {
	t.Helper()
	bin := LookBinary(t, "promtool")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "tsdb", "create-blocks-from", "openmetrics", in, dataDir).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool backfill: %v\n%s", err, out)
	}
}

// scrapeConfig is a scrape configuration both Prometheus and
// VictoriaMetrics read (no evaluation_interval: VictoriaMetrics exits on it).
func scrapeConfig(t testing.TB, targets []string, interval time.Duration, external map[string]string) string {
	t.Helper()
	var hosts []string
	path := "/metrics"
	for _, target := range targets {
		u, err := url.Parse(target)
		if err != nil {
			t.Fatalf("target %q: %v", target, err)
		}
		hosts = append(hosts, fmt.Sprintf("%q", u.Host))
		path = u.Path
	}
	var b strings.Builder
	fmt.Fprintf(&b, "global:\n  scrape_interval: %s\n  scrape_timeout: %s\n", model.Duration(interval), model.Duration(interval))
	if len(external) > 0 {
		names := make([]string, 0, len(external))
		for k := range external {
			names = append(names, k)
		}
		sort.Strings(names)
		b.WriteString("  external_labels:\n")
		for _, k := range names {
			fmt.Fprintf(&b, "    %s: %q\n", k, external[k])
		}
	}
	fmt.Fprintf(&b, `scrape_configs:
  - job_name: mltop
    metrics_path: %s
    static_configs:
      - targets: [%s]
`, path, strings.Join(hosts, ", "))
	return b.String()
}

// Log returns what the server printed.
func (p *Prometheus) Log() string { return p.proc.Log() }

// Stop kills the server (SIGKILL: the tests need it gone at once) and waits.
func (p *Prometheus) Stop() { p.proc.stop() }

// Restart starts the server again on the same port and data directory.
func (p *Prometheus) Restart() {
	p.proc.t.Helper()
	p.Stop()
	p.proc.start(30 * time.Second)
}

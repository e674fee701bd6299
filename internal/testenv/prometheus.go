package testenv

import (
	"fmt"
	"net/url"
	"os"
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
	// RuleFiles are rule files (full paths) the server loads.
	RuleFiles []string
	// EvaluationInterval is the rules' default evaluation interval;
	// zero leaves Prometheus's own default.
	EvaluationInterval time.Duration
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
	if c.EvaluationInterval > 0 {
		// Here only: VictoriaMetrics, which shares scrapeConfig, exits on it.
		conf = strings.Replace(conf, "global:\n", fmt.Sprintf("global:\n  evaluation_interval: %s\n", model.Duration(c.EvaluationInterval)), 1)
	}
	if len(c.RuleFiles) > 0 {
		conf += "rule_files:\n"
		for _, f := range c.RuleFiles {
			conf += fmt.Sprintf("  - %q\n", f)
		}
	}
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
	args := append([]string{
		"--config.file=" + confPath,
		"--storage.tsdb.path=" + p.DataDir,
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port),
		"--web.enable-lifecycle",
	}, c.Args...)
	p.proc = newProcess(t, "prometheus", bin, dir, base+"/-/ready", args...)
	p.proc.start(30 * time.Second)
	p.Querier = newQuerier(t, "prometheus", base, nil)
	return p
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

package testenv

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// Prometheus is a real Prometheus server started for one test.
type Prometheus struct {
	URL  string
	API  v1.API
	cmd  *exec.Cmd
	args []string
	dir  string
	log  *os.File
	t    testing.TB
	rt   *http.Transport
}

// StartPrometheus starts Debian's prometheus on 127.0.0.1, scraping targets
// (full URLs) every interval, and waits until it is ready. It is stopped
// when the test ends.
func StartPrometheus(t testing.TB, targets []string, interval time.Duration) *Prometheus {
	t.Helper()
	bin := LookBinary(t, "prometheus")
	dir := t.TempDir()
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
	conf := fmt.Sprintf(`global:
  scrape_interval: %s
  scrape_timeout: %s
scrape_configs:
  - job_name: mltop
    metrics_path: %s
    static_configs:
      - targets: [%s]
`, model.Duration(interval), model.Duration(interval), path, strings.Join(hosts, ", "))
	confPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	port := FreePort(t)
	p := &Prometheus{
		URL: fmt.Sprintf("http://127.0.0.1:%d", port),
		dir: dir,
		t:   t,
		args: []string{
			"--config.file=" + confPath,
			"--storage.tsdb.path=" + filepath.Join(dir, "data"),
			fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port),
			"--web.enable-lifecycle",
		},
	}
	p.start(bin)
	p.rt = &http.Transport{}
	c, err := api.NewClient(api.Config{Address: p.URL, RoundTripper: p.rt})
	if err != nil {
		t.Fatal(err)
	}
	p.API = v1.NewAPI(c)
	t.Cleanup(func() {
		p.Stop()
		p.rt.CloseIdleConnections()
	})
	return p
}

func (p *Prometheus) start(bin string) {
	p.t.Helper()
	logf, err := os.OpenFile(filepath.Join(p.dir, "prometheus.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	p.log = logf
	p.cmd = exec.Command(bin, p.args...)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		p.t.Fatalf("start prometheus: %v", err)
	}
	p.waitReady(30 * time.Second)
}

// waitReady polls /-/ready: Prometheus answers within a second or two.
func (p *Prometheus) waitReady(limit time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.URL + "/-/ready") //nolint:noctx // a local readiness probe
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if p.cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond) // polling a server's readiness, not synchronising with our own code
	}
	p.t.Fatalf("prometheus not ready after %s; log:\n%s", limit, p.Log())
}

// Log returns what the server printed.
func (p *Prometheus) Log() string {
	b, _ := os.ReadFile(filepath.Join(p.dir, "prometheus.log"))
	return string(b)
}

// Stop kills the server (SIGKILL: the tests need it gone at once) and waits.
func (p *Prometheus) Stop() {
	if p.cmd == nil || p.cmd.Process == nil || p.cmd.ProcessState != nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	_ = p.cmd.Wait()
	if p.log != nil {
		_ = p.log.Close()
	}
}

// Restart starts the server again on the same port and data directory.
func (p *Prometheus) Restart() {
	p.t.Helper()
	p.Stop()
	p.start(p.cmd.Path)
}

// WaitFor polls an instant query until check accepts its result or the
// limit passes: the first scraped data appears only after a few seconds.
func (p *Prometheus) WaitFor(query string, limit time.Duration, check func(model.Vector) bool) model.Vector {
	p.t.Helper()
	deadline := time.Now().Add(limit)
	var last model.Vector
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		v, _, _, err := p.API.Query(ctx, query, time.Now())
		cancel()
		lastErr = err
		if err == nil {
			if vec, ok := v.(model.Vector); ok {
				last = vec
				if check(vec) {
					return vec
				}
			}
		}
		time.Sleep(200 * time.Millisecond) // polling an external server for data
	}
	p.t.Fatalf("prometheus: %s not satisfied within %s (last %v, err %v)", query, limit, last, lastErr)
	return nil
}

// Query evaluates an instant query at time at.
func (p *Prometheus) Query(query string, at time.Time) model.Vector {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, _, _, err := p.API.Query(ctx, query, at)
	if err != nil {
		p.t.Fatalf("prometheus query %s: %v", query, err)
	}
	vec, ok := v.(model.Vector)
	if !ok {
		p.t.Fatalf("prometheus query %s: %s result", query, v.Type())
	}
	return vec
}

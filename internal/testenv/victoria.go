package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// VictoriaMetrics is a single-node VictoriaMetrics (Debian's package) that
// scrapes the targets itself. Its query API is a cluster's vmselect's.
type VictoriaMetrics struct {
	*Querier
	proc *process
}

// StartVictoriaMetrics starts victoria-metrics on 127.0.0.1, scraping
// targets every interval, and waits until it is ready. It is stopped when
// the test ends.
func StartVictoriaMetrics(t testing.TB, targets []string, interval time.Duration) *VictoriaMetrics {
	t.Helper()
	bin := LookBinary(t, "victoria-metrics")
	dir := t.TempDir()
	confPath := filepath.Join(dir, "scrape.yml")
	if err := os.WriteFile(confPath, []byte(scrapeConfig(t, targets, interval, nil)), 0o644); err != nil {
		t.Fatal(err)
	}
	port := FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	v := &VictoriaMetrics{}
	v.proc = newProcess(t, "victoria-metrics", bin, dir, base+"/health",
		fmt.Sprintf("-httpListenAddr=127.0.0.1:%d", port),
		"-storageDataPath="+filepath.Join(dir, "data"),
		"-promscrape.config="+confPath,
		// By default "now" is answered with data 30s old, so that slow
		// writers have landed; here every sample is scraped locally.
		"-search.latencyOffset=0s",
		"-retentionPeriod=1d",
	)
	v.proc.start(30 * time.Second)
	v.Querier = newQuerier(t, "victoriametrics", base, nil)
	return v
}

// Log returns what the server printed.
func (v *VictoriaMetrics) Log() string { return v.proc.Log() }

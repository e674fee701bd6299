package testenv

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"testing"
	"time"
)

// TenantHeader is the header that names a Mimir (or Cortex) tenant.
const TenantHeader = "X-Scope-OrgID"

// Mimir is Grafana Mimir in monolithic mode, fed by a real Prometheus that
// scrapes the targets and remote-writes into one tenant.
type Mimir struct {
	*Querier // the tenant's query API, under /prometheus
	// Base is Mimir's root URL; the query API is under Base+"/prometheus".
	Base       string
	Tenant     string
	Prometheus *Prometheus
	proc       *process
}

// rings lists every hash ring of the monolithic target: each must live in
// memory and advertise 127.0.0.1, or queries wait forever for an address
// nothing listens on.
var mimirRings = []string{
	"alertmanager.sharding-ring", "compactor.ring", "distributor.ring", "ingester.ring",
	"overrides-exporter.ring", "querier.ring", "query-scheduler.ring", "ruler.ring",
	"store-gateway.sharding-ring",
}

// StartMimir starts Mimir, a header-adding relay in this process, and a
// Prometheus that scrapes targets every interval and remote-writes to the
// relay: Debian's Prometheus (2.42) cannot send the tenant header itself.
// Without targets, only Mimir runs.
func StartMimir(t testing.TB, targets []string, interval time.Duration, tenant string) *Mimir {
	t.Helper()
	bin := EngineBinary(t, MimirEngine)
	dir := t.TempDir()
	httpPort, grpcPort := FreePort(t), FreePort(t)
	m := &Mimir{Base: fmt.Sprintf("http://127.0.0.1:%d", httpPort), Tenant: tenant}
	data := func(sub string) string { return filepath.Join(dir, "data", sub) }
	args := []string{
		"-target=all",
		"-usage-stats.enabled=false", // no reports to the vendor from a test
		"-log.level=warn",
		"-server.http-listen-address=127.0.0.1", fmt.Sprintf("-server.http-listen-port=%d", httpPort),
		"-server.grpc-listen-address=127.0.0.1", fmt.Sprintf("-server.grpc-listen-port=%d", grpcPort),
		"-common.storage.backend=filesystem", "-common.storage.filesystem.dir=" + data("objects"),
		"-blocks-storage.tsdb.dir=" + data("tsdb"),
		"-blocks-storage.bucket-store.sync-dir=" + data("sync"),
		"-compactor.data-dir=" + data("compactor"),
		"-ruler-storage.backend=filesystem", "-ruler-storage.filesystem.dir=" + data("rules"),
		"-ingester.ring.replication-factor=1",
		"-store-gateway.sharding-ring.replication-factor=1",
		// Ready in half a second instead of a minute.
		"-ingester.ring.min-ready-duration=0s", "-ingester.ring.final-sleep=0s",
		"-query-frontend.instance-addr=127.0.0.1",
		// A fleet of 1,000 models is ~30,000 series scraped every second or
		// two: over the default per-tenant limits (10,000 samples/s).
		"-distributor.ingestion-rate-limit=1000000", "-distributor.ingestion-burst-size=2000000",
		"-ingester.max-global-series-per-user=0",
	}
	for _, r := range mimirRings {
		args = append(args, "-"+r+".store=inmemory", "-"+r+".instance-addr=127.0.0.1")
	}
	m.proc = newProcess(t, "mimir", bin, dir, m.Base+"/ready", args...)
	m.proc.start(60 * time.Second)

	if len(targets) > 0 {
		relay := startTenantRelay(t, m.Base, tenant)
		m.Prometheus = StartPrometheusWith(t, PrometheusConfig{
			Targets: targets, Interval: interval, RemoteWrite: relay + "/api/v1/push",
		})
	}
	m.Querier = newQuerier(t, "mimir", m.Base+"/prometheus", map[string]string{TenantHeader: tenant})
	return m
}

// startTenantRelay forwards requests to target with the tenant header set,
// on a loopback port, until the test ends.
func startTenantRelay(t testing.TB, target, tenant string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
			r.Out.Header.Set(TenantHeader, tenant)
		},
		Transport: tr,
	}
	// Prometheus retries a failed push: a 502 is all it needs to know.
	proxy.ErrorHandler = func(w http.ResponseWriter, _ *http.Request, _ error) {
		w.WriteHeader(http.StatusBadGateway)
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(func() {
		srv.Close()
		tr.CloseIdleConnections()
	})
	return srv.URL
}

// Log returns what Mimir printed.
func (m *Mimir) Log() string { return m.proc.Log() }

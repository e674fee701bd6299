package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Thanos is a Thanos Query in front of one sidecar in front of a real
// Prometheus: the smallest Thanos there is.
type Thanos struct {
	*Querier
	Prometheus *Prometheus
	// StoreAddr is the sidecar's gRPC address, as Thanos names the store in
	// its warnings.
	StoreAddr string
	sidecar   *process
	query     *process
}

// StartThanos starts Prometheus scraping targets every interval, a sidecar
// and a query whose only store is that sidecar, configured strict: a dead
// strict store stays queried, so every answer carries a partial-response
// warning until it returns (a non-strict one is dropped after ~5s, and the
// answers become silently empty).
func StartThanos(t testing.TB, targets []string, interval time.Duration) *Thanos {
	t.Helper()
	return StartThanosWith(t, PrometheusConfig{Targets: targets, Interval: interval})
}

// StartThanosWith is StartThanos over a Prometheus configured by c (its
// rule files, say: Thanos Query answers /api/v1/alerts from the sidecar's
// rules API). The labels and flags the sidecar needs are added to c's.
func StartThanosWith(t testing.TB, c PrometheusConfig) *Thanos {
	t.Helper()
	bin := EngineBinary(t, ThanosEngine)
	// The sidecar refuses a Prometheus without external labels.
	labels := map[string]string{"prometheus": "mltop-test"}
	for k, v := range c.ExternalLabels {
		labels[k] = v
	}
	c.ExternalLabels = labels
	// The sidecar wants blocks it can upload untouched.
	c.Args = append([]string{"--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h"}, c.Args...)
	prom := StartPrometheusWith(t, c)
	dir := t.TempDir()
	grpcPort, httpPort := FreePort(t), FreePort(t)
	th := &Thanos{Prometheus: prom, StoreAddr: fmt.Sprintf("127.0.0.1:%d", grpcPort)}
	th.sidecar = newProcess(t, "thanos-sidecar", bin, dir, fmt.Sprintf("http://127.0.0.1:%d/-/ready", httpPort),
		"sidecar",
		"--prometheus.url="+prom.URL,
		"--tsdb.path="+prom.DataDir,
		"--grpc-address="+th.StoreAddr,
		fmt.Sprintf("--http-address=127.0.0.1:%d", httpPort),
	)
	th.sidecar.start(30 * time.Second)

	endpoints := filepath.Join(dir, "endpoints.yml")
	conf := fmt.Sprintf("endpoints:\n  - address: %q\n    strict: true\n", th.StoreAddr)
	if err := os.WriteFile(endpoints, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	qPort, qGRPC := FreePort(t), FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", qPort)
	th.query = newProcess(t, "thanos-query", bin, dir, base+"/-/ready",
		"query",
		fmt.Sprintf("--http-address=127.0.0.1:%d", qPort),
		fmt.Sprintf("--grpc-address=127.0.0.1:%d", qGRPC),
		"--endpoint.sd-config-file="+endpoints,
	)
	th.query.start(60 * time.Second)
	th.Querier = newQuerier(t, "thanos", base, nil)
	th.WaitForStore(30 * time.Second)
	return th
}

// WaitForStore polls /api/v1/stores until the sidecar is listed healthy:
// until then answers are empty.
func (th *Thanos) WaitForStore(limit time.Duration) {
	th.t.Helper()
	deadline := time.Now().Add(limit)
	var last string
	for time.Now().Before(deadline) {
		ok, state := th.storeHealthy()
		if ok {
			return
		}
		last = state
		time.Sleep(200 * time.Millisecond) // polling an external server
	}
	th.t.Fatalf("thanos query never listed the sidecar %s as healthy (last: %s); log:\n%s", th.StoreAddr, last, tail(th.query.Log(), 4000))
}

func (th *Thanos) storeHealthy() (bool, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, th.URL+"/api/v1/stores", nil)
	if err != nil {
		return false, err.Error()
	}
	resp, err := (&http.Client{Transport: th.rt}).Do(req)
	if err != nil {
		return false, err.Error()
	}
	defer resp.Body.Close()
	var body struct {
		Data map[string][]struct {
			Name      string  `json:"name"`
			LastError *string `json:"lastError"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return false, err.Error()
	}
	for _, s := range body.Data["sidecar"] {
		if s.Name == th.StoreAddr && s.LastError == nil {
			return true, ""
		}
	}
	return false, fmt.Sprintf("%+v", body.Data)
}

// StopSidecar kills the sidecar: the store goes away, Prometheus stays.
func (th *Thanos) StopSidecar() { th.sidecar.stop() }

// StartSidecar starts the sidecar again on the same address and waits
// until the query lists it healthy.
func (th *Thanos) StartSidecar() {
	th.t.Helper()
	th.sidecar.start(30 * time.Second)
	th.WaitForStore(60 * time.Second)
}

// Logs returns what the sidecar and the query printed.
func (th *Thanos) Logs() string {
	return "--- sidecar\n" + th.sidecar.Log() + "--- query\n" + th.query.Log()
}

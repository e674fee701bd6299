package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Alertmanager is a real Alertmanager (Debian's prometheus-alertmanager)
// started for one test, alone in its cluster.
type Alertmanager struct {
	URL  string // http://127.0.0.1:PORT
	proc *process
}

// alertmanagerConfig routes every alert to a receiver that sends nothing:
// the tests read alerts and silences through the API.
const alertmanagerConfig = `route:
  receiver: nowhere
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: nowhere
`

// StartAlertmanager starts Alertmanager on 127.0.0.1 with clustering off
// and waits until it is ready. It is stopped when the test ends.
func StartAlertmanager(t testing.TB) *Alertmanager {
	t.Helper()
	bin := LookBinary(t, "prometheus-alertmanager")
	dir := t.TempDir()
	conf := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(conf, []byte(alertmanagerConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	port := FreePort(t)
	am := &Alertmanager{URL: fmt.Sprintf("http://127.0.0.1:%d", port)}
	am.proc = newProcess(t, "alertmanager", bin, dir, am.URL+"/-/ready",
		"--config.file="+conf,
		"--storage.path="+filepath.Join(dir, "data"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port),
		"--cluster.listen-address=", // no gossip: nothing but loopback HTTP
	)
	am.proc.start(30 * time.Second)
	return am
}

// Log returns what the server printed.
func (a *Alertmanager) Log() string { return a.proc.Log() }

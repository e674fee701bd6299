package testenv

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

// FlaggerLoadTesterEngine is Flagger's load tester, whose manual gating
// endpoints (/gate/open, /rollback/open, ...) the flagger action kind
// drives. v1.36.1 is the newest version the module proxy serves here.
var FlaggerLoadTesterEngine = Engine{Name: "flagger-loadtester", Module: "github.com/fluxcd/flagger",
	Version: "v1.36.1", Package: "./cmd/loadtester", Env: "MLTOP_FLAGGER_LOADTESTER_BIN"}

// StartFlaggerLoadTester runs the load tester bin (from EngineBinary(t,
// FlaggerLoadTesterEngine)) and returns its address on 127.0.0.1. It
// takes only a port (it listens on every interface); namespaceRegexp,
// when set, is its -namespace-regexp.
func StartFlaggerLoadTester(t testing.TB, bin, namespaceRegexp string) string {
	t.Helper()
	port := FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	args := []string{"-port", strconv.Itoa(port), "-log-level", "info"}
	if namespaceRegexp != "" {
		args = append(args, "-namespace-regexp", namespaceRegexp)
	}
	p := newProcess(t, "flagger-loadtester", bin, t.TempDir(), base+"/healthz", args...)
	p.start(30 * time.Second)
	return base
}

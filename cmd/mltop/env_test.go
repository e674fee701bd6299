package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// $MLFLOW_TRACKING_URI may name a backend the MLflow client reads but mltop
// cannot (databricks, file:, sqlite:); asked only for Prometheus, mltop
// warns that the registry is off and goes on.
func TestTrackingURIInEnvThatIsNoServerTurnsTheRegistryOff(t *testing.T) {
	for _, uri := range []string{"databricks", "file:///tmp/mlruns", "sqlite:///mlflow.db"} {
		isolate(t)
		t.Setenv("MLFLOW_TRACKING_URI", uri)
		var stdout, stderr bytes.Buffer
		// Nothing listens on port 1: the snapshot records the failure.
		code := run([]string{"snapshot", "--prometheus", "http://127.0.0.1:1", "--log-file", "-"}, &stdout, &stderr)
		if code != exitOK {
			t.Errorf("%s: exit %d, stderr %q", uri, code, stderr.String())
		}
		want := `mltop: warning: $MLFLOW_TRACKING_URI="` + uri + `" is not the http(s) URL of an MLflow tracking server, so the registry is off`
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("%s: stderr %q lacks %q", uri, stderr.String(), want)
		}
		if strings.Contains(stdout.String(), `"mlflow"`) && strings.Contains(stdout.String(), uri) {
			t.Errorf("%s: the snapshot still names the registry: %s", uri, stdout.String())
		}
		// --mlflow replaces the environment: no warning about it.
		stderr.Reset()
		run([]string{"snapshot", "--prometheus", "http://127.0.0.1:1", "--mlflow", "http://127.0.0.1:1", "--log-file", "-"}, &stdout, &stderr)
		if strings.Contains(stderr.String(), "MLFLOW_TRACKING_URI") {
			t.Errorf("%s with --mlflow: stderr %q", uri, stderr.String())
		}
	}
}

// --prometheus HOST:PORT gets the message the config file's prometheus.url
// gets, with the URL it was likely meant to be.
func TestPrometheusFlagWithoutSchemeSaysWhatTheFileSays(t *testing.T) {
	isolate(t)
	var stdout, stderr bytes.Buffer
	code := run([]string{"snapshot", "--prometheus", "127.0.0.1:9090"}, &stdout, &stderr)
	msg := `not an http or https URL: "127.0.0.1:9090" (did you mean "http://127.0.0.1:9090"?)`
	if code != exitFailure || stderr.String() != "mltop: --prometheus: "+msg+"\n" {
		t.Errorf("flag: exit %d, stderr %q", code, stderr.String())
	}
	path := filepath.Join(t.TempDir(), "mltop.yaml")
	if err := os.WriteFile(path, []byte("prometheus:\n  url: 127.0.0.1:9090\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	code = run([]string{"snapshot", "--config", path}, &stdout, &stderr)
	if code != exitFailure || stderr.String() != "mltop: "+path+":2: prometheus.url: "+msg+"\n" {
		t.Errorf("file: exit %d, stderr %q", code, stderr.String())
	}
}

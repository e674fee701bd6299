package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/testenv"
)

// doctor runs mltop doctor with this config file and returns its exit
// code and output.
func doctor(t *testing.T, cfg string, extra ...string) (int, string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	code := run(append([]string{"doctor", "--log-file", "-", "--config", path}, extra...), &out, &errb)
	return code, out.String(), errb.String()
}

// problemLines are the lines under "problems".
func problemLines(out string) []string {
	_, after, ok := strings.Cut(out, "\nproblems\n")
	if !ok {
		return nil
	}
	return strings.Split(strings.TrimSuffix(after, "\n"), "\n")
}

// A URL nothing listens on: one line naming the URL, the cause and the
// key to fix.
func TestDoctorWrongURL(t *testing.T) {
	t.Parallel()
	url := fmt.Sprintf("http://127.0.0.1:%d", testenv.FreePort(t))
	code, out, errb := doctor(t, "prometheus:\n  url: "+url+"\n")
	if code != exitBreach {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errb)
	}
	want := "prometheus " + url + ": connection refused — check prometheus.url (or --prometheus)"
	if got := problemLines(out); len(got) != 1 || got[0] != want {
		t.Errorf("problems %q, want exactly %q\n%s", got, want, out)
	}
	// Detection could not run: what the commands read meanwhile is said.
	if !strings.Contains(out, "profiles     mltop+triton+mlserver+seldon-v2+kserve+torchserve+bentoml (not detected: every exporter profile is read)") {
		t.Errorf("profiles line missing:\n%s", out)
	}
}

// Mimir answers for any tenant; one that holds nothing is named, with the
// header to check. The right tenant on the same server is fine.
func TestDoctorWrongTenant(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{{Model: "fraud", Version: "3", Track: "stable", RPS: 5, Weight: 100}}, nil)
	m := testenv.StartMimir(t, []string{exp.URL}, time.Second, "ml")
	m.WaitFor("model_predictions_total", 90*time.Second, func(v model.Vector) bool { return len(v) > 0 })

	cfg := func(tenant string) string {
		return fmt.Sprintf("prometheus:\n  url: %s/prometheus\n  headers:\n    X-Scope-OrgID: %s\n", m.Base, tenant)
	}
	code, out, errb := doctor(t, cfg("x"))
	if code != exitBreach {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errb)
	}
	want := `prometheus: the server answers but holds no metric names for tenant "x" — check the X-Scope-OrgID header in prometheus.headers`
	if got := problemLines(out); len(got) != 1 || got[0] != want {
		t.Errorf("problems %q, want exactly %q\n%s", got, want, out)
	}

	code, out, errb = doctor(t, cfg("ml"))
	if code != exitOK {
		t.Fatalf("right tenant: exit %d, want 0\n%s%s", code, out, errb)
	}
	if !strings.Contains(out, "profiles     mltop (detected)") || !strings.Contains(out, "(mimir)") {
		t.Errorf("right tenant: no detected profile or backend:\n%s", out)
	}
}

// One Prometheus scraping only an exporter in mltop's convention.
func TestDoctorProfiles(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{{Model: "fraud", Version: "3", Track: "stable", RPS: 5, ErrorsPerSec: 0.1, Weight: 100,
		LatencyBounds: []float64{0.05, 0.1}, LatencyShares: []float64{0.5, 1}}}, nil)
	prom := testenv.StartPrometheus(t, []string{exp.URL}, time.Second)
	prom.WaitFor("model_predictions_total", 60*time.Second, func(v model.Vector) bool { return len(v) > 0 })
	am := testenv.StartAlertmanager(t)

	// A configured profile whose metrics are absent: one line naming it,
	// what was looked for and what to do; mltop's, present, is not named.
	t.Run("absent profile", func(t *testing.T) {
		code, out, errb := doctor(t, fmt.Sprintf("prometheus:\n  url: %s\n  profile: [mltop, triton]\n", prom.URL))
		if code != exitBreach {
			t.Fatalf("exit %d, want 1\n%s%s", code, out, errb)
		}
		want := "profile triton: none of its metrics (nv_inference_request_failure, nv_inference_request_success) on the server — remove it from prometheus.profile or check the scrape config"
		if got := problemLines(out); len(got) != 1 || got[0] != want {
			t.Errorf("problems %q, want exactly %q\n%s", got, want, out)
		}
		if !strings.Contains(out, "profiles     mltop+triton (prometheus.profile)") {
			t.Errorf("profiles line missing:\n%s", out)
		}
	})

	// Healthy: no profile written, mltop's detected, every source
	// answering; the roles mltop fills and one nothing fills are listed
	// with their metrics.
	t.Run("healthy", func(t *testing.T) {
		cfg := fmt.Sprintf("prometheus:\n  url: %s\nalertmanager:\n  url: %s\n", prom.URL, am.URL)
		code, out, errb := doctor(t, cfg)
		if code != exitOK {
			t.Fatalf("exit %d, want 0\n%s%s", code, out, errb)
		}
		for _, want := range []string{
			"prometheus   " + prom.URL + ": answers; ",
			"(prometheus)\n",
			"alertmanager " + am.URL + ": answers\n",
			"profiles     mltop (detected)\n",
			"  request_rate                  mltop (model_predictions_total)\n",
			"  drift_score                   nothing: looked for mltop (model_drift_score)\n",
			"  labeled_fraction              mltop (model_predictions_total; absent: model_ground_truth_labeled_total)\n",
			"no problems found\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		code, out, _ = doctor(t, cfg, "--format", "json")
		var doc struct {
			Profiles struct {
				Names    []string `json:"names"`
				Detected bool     `json:"detected"`
			} `json:"profiles"`
			Sources []struct {
				Name string `json:"name"`
				OK   bool   `json:"ok"`
			} `json:"sources"`
			Problems []string `json:"problems"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("JSON: %v\n%s", err, out)
		}
		if code != exitOK || !doc.Profiles.Detected || len(doc.Profiles.Names) != 1 || doc.Problems == nil || len(doc.Problems) != 0 || len(doc.Sources) != 2 || !doc.Sources[0].OK || !doc.Sources[1].OK {
			t.Errorf("exit %d, JSON %+v", code, doc)
		}
	})
}

// Every context is checked when none is named, each under its name, each
// problem line prefixed with it; --context checks that one alone.
func TestDoctorEveryContext(t *testing.T) {
	t.Parallel()
	exp := testenv.StartLinearExporter(t, []testenv.LinearSeries{{Model: "fraud", Version: "3", Track: "stable", RPS: 5, Weight: 100}}, nil)
	prom := testenv.StartPrometheus(t, []string{exp.URL}, time.Second)
	prom.WaitFor("model_predictions_total", 60*time.Second, func(v model.Vector) bool { return len(v) > 0 })
	dead := fmt.Sprintf("http://127.0.0.1:%d", testenv.FreePort(t))
	cfg := fmt.Sprintf("contexts:\n  good:\n    prometheus: {url: %s}\n  broken:\n    prometheus: {url: %s}\n", prom.URL, dead)
	refused := "prometheus " + dead + ": connection refused — check prometheus.url (or --prometheus)"

	code, out, errb := doctor(t, cfg)
	if code != exitBreach {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errb)
	}
	good, broken, ok := strings.Cut(out, "\ncontext      broken\n")
	if !ok || !strings.Contains(good, "context      good\nprometheus   "+prom.URL+": answers;") || !strings.Contains(good, "profiles     mltop (detected)\n") || !strings.HasSuffix(good, "no problems found\n") {
		t.Errorf("the good context's section is not whole and first:\n%s", out)
	}
	if got := problemLines(broken); len(got) != 1 || got[0] != "broken: "+refused {
		t.Errorf("broken context's problems %q, want %q\n%s", got, "broken: "+refused, out)
	}

	code, out, _ = doctor(t, cfg, "--format", "json")
	var doc struct {
		Context  *string  `json:"context"`
		Problems []string `json:"problems"`
		Contexts []struct {
			Context  string   `json:"context"`
			Problems []string `json:"problems"`
			Profiles struct {
				Detected bool `json:"detected"`
			} `json:"profiles"`
		} `json:"contexts"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if code != exitBreach || doc.Context == nil || *doc.Context != "good" || len(doc.Problems) != 1 || doc.Problems[0] != "broken: "+refused ||
		len(doc.Contexts) != 2 || doc.Contexts[0].Context != "good" || !doc.Contexts[0].Profiles.Detected || len(doc.Contexts[0].Problems) != 0 ||
		doc.Contexts[1].Context != "broken" || len(doc.Contexts[1].Problems) != 1 || doc.Contexts[1].Problems[0] != refused {
		t.Errorf("exit %d, JSON %+v\n%s", code, doc, out)
	}

	code, out, errb = doctor(t, cfg, "--context", "good")
	if code != exitOK || !strings.HasPrefix(out, "config       ") || !strings.Contains(out, "\ncontext      good\n") || strings.Contains(out, "broken") {
		t.Errorf("--context good: exit %d\n%s%s", code, out, errb)
	}
}

// With only $MLFLOW_TRACKING_URI, doctor checks that registry and says
// the other commands want a config file or a flag.
func TestDoctorEnvironmentOnly(t *testing.T) {
	isolate(t)
	uri := fmt.Sprintf("http://127.0.0.1:%d", testenv.FreePort(t))
	t.Setenv("MLFLOW_TRACKING_URI", uri)
	var out, errb strings.Builder
	code := run([]string{"doctor", "--log-file", "-"}, &out, &errb)
	want := []string{"mlflow " + uri + ": connection refused — check mlflow.tracking_uri (or --mlflow)", envOnlyProblem}
	if got := problemLines(out.String()); code != exitBreach || !slices.Equal(got, want) || !strings.HasPrefix(out.String(), "config       no file: flags and environment only\n") {
		t.Errorf("exit %d, problems %q, want %q\n%s%s", code, got, want, out.String(), errb.String())
	}
	t.Setenv("MLFLOW_TRACKING_URI", "")
	out.Reset()
	errb.Reset()
	if code := run([]string{"doctor", "--log-file", "-"}, &out, &errb); code != exitFailure || errb.String() != noConfigHelp {
		t.Errorf("nothing set: exit %d, stderr %q", code, errb.String())
	}
}

// A config that cannot be loaded, or bad usage: exit 2 and no diagnosis.
func TestDoctorConfigCannotBeLoaded(t *testing.T) {
	code, out, errb := doctor(t, "prometheus:\n  url: http://127.0.0.1:9\n  profile: tritn\n")
	if code != exitFailure || out != "" || !strings.Contains(errb, `unknown profile "tritn" (did you mean "triton"?`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errb)
	}
	if code, _, _ := doctor(t, "prometheus:\n  url: http://127.0.0.1:9\n", "--format", "yaml"); code != exitFailure {
		t.Errorf("bad --format: exit %d, want 2", code)
	}
}

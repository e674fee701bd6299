package wiring

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

func diagnose(t *testing.T, yaml string) Diagnosis {
	t.Helper()
	return Diagnose(context.Background(), detectConfig(t, yaml), nil)
}

// Answers that cannot come from a real server here: each is one line
// naming the URL, what is wrong and what to check.
func TestDoctorPrometheusRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		yaml    string
		want    string
	}{
		{"tenant header missing", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "no org id", http.StatusUnauthorized)
		}, "", "authentication failed (401): missing or wrong X-Scope-OrgID"},
		{"login page", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>sign in</html>"))
		}, "", "answered with an HTML page (a login page or a proxy?), not the Prometheus API: check prometheus.url"},
		{"no answer", func(_ http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // holds the request until the client gives up
		}, "  timeout: 200ms\n", "no answer within 200ms — check prometheus.url (or --prometheus) and the network, or raise prometheus.timeout"},
		{"empty server", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"success","data":[]}`))
		}, "", "the server answers but holds no metrics from the last hour — check that it scrapes your exporters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			d := diagnose(t, "prometheus:\n  url: "+srv.URL+"\n"+tc.yaml)
			if len(d.Problems) != 1 || !strings.HasPrefix(d.Problems[0], "prometheus "+srv.URL+": ") || !strings.Contains(d.Problems[0], tc.want) {
				t.Errorf("problems %q, want one line on %s containing %q", d.Problems, srv.URL, tc.want)
			}
			if d.Roles != nil || len(d.Profiles.Names) < 2 {
				t.Errorf("nothing to choose profiles from, yet roles %v, profiles %+v", d.Roles, d.Profiles)
			}
			want := "the server could not be asked"
			if tc.name == "empty server" {
				want = "the server answered but holds none of the metrics looked for"
			}
			if d.Profiles.Problem != want {
				t.Errorf("profiles problem %q, want %q", d.Profiles.Problem, want)
			}
		})
	}
}

func TestDoctorOtherSources(t *testing.T) {
	mlflowURL, amURL := closedPort(t), closedPort(t)
	d := diagnose(t, fmt.Sprintf("mlflow:\n  tracking_uri: %s\nalertmanager:\n  url: %s\n", mlflowURL, amURL))
	want := []string{
		"mlflow " + mlflowURL + ": connection refused — check mlflow.tracking_uri (or --mlflow)",
		"alertmanager " + amURL + ": connection refused — check alertmanager.url",
	}
	if !slices.Equal(d.Problems, want) {
		t.Errorf("problems %q, want %q", d.Problems, want)
	}
	target := closedPort(t) + "/metrics"
	d = diagnose(t, "scrape:\n  targets: ["+target+"]\n")
	if want := "scrape target " + target + ": connection refused — check scrape.targets"; len(d.Problems) != 1 || d.Problems[0] != want {
		t.Errorf("problems %q, want %q", d.Problems, want)
	}
	if d.Profiles.Explicit || d.Profiles.Detected || !slices.Equal(d.Profiles.Names, []string{"mltop"}) {
		t.Errorf("built-in engine: profiles %+v, want the default", d.Profiles)
	}
}

// A password in a URL never reaches the output.
func TestDoctorRedactsPasswords(t *testing.T) {
	url := strings.Replace(closedPort(t), "http://", "http://ana:s3cret@", 1)
	d := diagnose(t, "prometheus:\n  url: "+url+"\n")
	if len(d.Problems) != 1 || strings.Contains(d.Problems[0], "s3cret") || strings.Contains(d.Sources[0].URL, "s3cret") {
		t.Errorf("password shown: %q %q", d.Problems, d.Sources[0].URL)
	}
}

// Which profile fills a role: the written order, prometheus.queries, and
// for a role no profile read fills, the profiles that would.
func TestDoctorRoles(t *testing.T) {
	cfg := detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n  profile: [mlserver, mltop]\n  queries:\n    latency_mean: up\n    performance: \"\"\n")
	var d Diagnosis
	d.checkProfiles(cfg, []string{"model_predictions_total", "model_infer_request_duration_count", "model_infer_request_failure_total"})
	if len(d.Problems) != 0 {
		t.Errorf("problems %q", d.Problems)
	}
	roles := map[string]RoleCheck{}
	for _, r := range d.Roles {
		roles[r.Role] = r
	}
	if r := roles["request_rate"]; len(r.FilledBy) != 2 || r.FilledBy[0].Profile != "mlserver" || r.FilledBy[1].Profile != "mltop" {
		t.Errorf("request_rate filled by %+v, want mlserver then mltop", r.FilledBy)
	}
	if r := roles["error_ratio"]; len(r.FilledBy) != 2 || !slices.Equal(r.FilledBy[1].Absent, []string{"model_prediction_errors_total"}) {
		t.Errorf("error_ratio %+v: mltop's error counter is absent", r.FilledBy)
	}
	if r := roles["latency_mean"]; !r.Query || r.Off {
		t.Errorf("latency_mean %+v, want set by prometheus.queries", r)
	}
	if r := roles["performance"]; !r.Query || !r.Off {
		t.Errorf("performance %+v, want turned off", r)
	}
	if r := roles["drift_score"]; len(r.FilledBy) != 0 || len(r.LookedFor) != 1 || r.LookedFor[0].Profile != "mltop" {
		t.Errorf("drift_score %+v", r)
	}
	if r := roles["rollout_info"]; len(r.LookedFor) != 1 || r.LookedFor[0].Profile != "mltop" {
		t.Errorf("rollout_info looked for %+v, want mltop's (a profile read)", r.LookedFor)
	}
	if _, ok := roles["profile"]; ok {
		t.Error("the profile role, which no profile's query fills, is listed")
	}
	// A role no profile read fills names those that would.
	cfg = detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n  profile: triton\n")
	d = Diagnosis{}
	d.checkProfiles(cfg, []string{"nv_inference_request_success"})
	for _, r := range d.Roles {
		if r.Role == "analysis_run" && (len(r.LookedFor) != 2 || r.LookedFor[0].Profile != "mltop" || r.LookedFor[1].Profile != "argo-rollouts") {
			t.Errorf("analysis_run looked for %+v, want mltop and argo-rollouts", r.LookedFor)
		}
	}
}

// A server that ignores limit and sends more names than a list may hold
// is not empty: the check goes on to the profiles' metrics.
func TestDoctorHugeServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = r.ParseForm()
		if len(r.Form["match[]"]) > 0 {
			_, _ = w.Write([]byte(`{"status":"success","data":["model_predictions_total"]}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"success","data":[`))
		chunk := []byte(strings.Repeat(`"a_metric_name_of_some_length",`, 4096))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	d := diagnose(t, "prometheus:\n  url: "+srv.URL+"\n")
	if len(d.Problems) != 0 || !d.Profiles.Detected || !slices.Equal(d.Profiles.Names, []string{"mltop"}) {
		t.Errorf("problems %q, profiles %+v", d.Problems, d.Profiles)
	}
}

// A rollout profile replaces the roles of the profiles before it: doctor
// names the profile whose query is sent, not the one replaced, even when
// only the replaced one's metric is on the server.
func TestDoctorRolesFollowTheRenderedQuery(t *testing.T) {
	cfg := detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n  profile: [mltop, flagger]\n")
	var d Diagnosis
	d.checkProfiles(cfg, []string{"model_predictions_total", "model_traffic_weight", "flagger_canary_status"})
	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	var sent string
	for _, q := range qs {
		if q.Role == "traffic_weight" {
			sent = q.Expr
		}
	}
	for _, r := range d.Roles {
		if r.Role != "traffic_weight" {
			continue
		}
		if len(r.FilledBy) != 0 || len(r.LookedFor) != 1 || r.LookedFor[0].Profile != "flagger" || !slices.Equal(r.Replaced, []string{"mltop"}) {
			t.Fatalf("traffic_weight %+v, want nothing: looked for flagger, mltop's replaced", r)
		}
		for _, m := range r.LookedFor[0].Metrics {
			if !strings.Contains(sent, m) {
				t.Errorf("doctor looked for %s, which the query sent (%s) does not read", m, sent)
			}
		}
		return
	}
	t.Error("traffic_weight not listed")
}

// Each of the two questions has the whole time limit: a server that takes
// most of it for each is slow, not unreachable.
func TestDoctorQuestionsHaveTheirOwnTimeLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // a slow server: each answer takes 60% of the limit
		case <-time.After(600 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":["model_predictions_total"]}`))
	}))
	defer srv.Close()
	d := diagnose(t, "prometheus:\n  url: "+srv.URL+"\n  timeout: 1s\n")
	if len(d.Problems) != 0 || !d.Profiles.Detected {
		t.Errorf("problems %q, profiles %+v", d.Problems, d.Profiles)
	}
}

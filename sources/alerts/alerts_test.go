package alerts

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/neterr"
)

// hostile is what a hostile server puts in a string: an OSC 52 clipboard
// write, a C1 control, a bidi override and a forged line.
const hostile = "\x1b]52;c;cm0gLXJmIH4=\x07\u009b2J\u202e\r\nFORGED"

func serve(t *testing.T, routes map[string]string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		body, ok := routes[r.URL.Path]
		if !ok {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func read(t *testing.T, opts Options) ([]fleet.Alert, []string, error) {
	t.Helper()
	r, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return r.Alerts(context.Background())
}

const rulesAnswerJSON = `{"status":"success","data":{"alerts":[
 {"labels":{"alertname":"ModelErrorRatioHigh","model":"fraud","version":"7","severity":"critical"},
  "annotations":{"summary":"error ratio 4.1% > 2%","description":"long words"},"state":"firing","activeAt":"2026-12-07T14:00:00Z","value":"4.1e-02"},
 {"labels":{"alertname":"ModelLatencyHigh","model":"fraud"},"annotations":{},"state":"pending","activeAt":"2026-12-07T14:05:00Z"},
 {"labels":{"alertname":"Gone"},"state":"inactive"}
]},"warnings":["store 10.0.0.1 down"]}`

func TestRulesAlerts(t *testing.T) {
	srv, hits := serve(t, map[string]string{"/prom/api/v1/alerts": rulesAnswerJSON})
	as, warnings, err := read(t, Options{URL: srv.URL + "/prom/", Kind: KindRules})
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests, want 1", hits.Load())
	}
	if len(as) != 2 {
		t.Fatalf("got %d alerts, want 2 (inactive left out): %+v", len(as), as)
	}
	a := as[0]
	if a.Name != "ModelErrorRatioHigh" || a.State != fleet.AlertFiring || a.Model != "fraud" || a.Version != "7" ||
		a.Severity != "critical" || a.Summary != "error ratio 4.1% > 2%" || !a.Since.Equal(time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("first alert: %+v", a)
	}
	if as[1].State != fleet.AlertPending || as[1].Version != "" {
		t.Errorf("second alert: %+v", as[1])
	}
	if len(warnings) != 1 || warnings[0] != "store 10.0.0.1 down" {
		t.Errorf("warnings %q", warnings)
	}
}

func TestAlertmanagerResolvesSilences(t *testing.T) {
	srv, hits := serve(t, map[string]string{
		"/api/v2/alerts": `[
 {"labels":{"alertname":"ModelErrorRatioHigh","model":"fraud","severity":"critical"},"annotations":{"summary":"s"},
  "startsAt":"2026-12-07T14:00:00Z","status":{"state":"suppressed","silencedBy":["abc"],"inhibitedBy":[]}},
 {"labels":{"alertname":"ModelSilent","model":"churn"},"annotations":{},"startsAt":"2026-12-07T14:01:00Z",
  "status":{"state":"active","silencedBy":[],"inhibitedBy":[]}},
 {"labels":{"alertname":"X","model":"churn"},"startsAt":"2026-12-07T14:01:00Z","status":{"state":"suppressed","silencedBy":["gone"],"inhibitedBy":["f1"]}}]`,
		"/api/v2/silences": `[{"id":"abc","createdBy":"ana","comment":"deploy","endsAt":"2026-12-07T17:00:00Z","status":{"state":"active"}}]`,
	})
	as, warnings, err := read(t, Options{URL: srv.URL, Kind: KindAlertmanager})
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Errorf("%d requests, want 2 (alerts, then silences)", hits.Load())
	}
	if len(warnings) != 0 {
		t.Errorf("warnings %q", warnings)
	}
	if len(as) != 3 {
		t.Fatalf("%d alerts", len(as))
	}
	want := fleet.Silence{ID: "abc", Author: "ana", Comment: "deploy", Ends: time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC)}
	if as[0].State != fleet.AlertSuppressed || len(as[0].SilencedBy) != 1 || as[0].SilencedBy[0] != want {
		t.Errorf("silenced alert: %+v", as[0])
	}
	if as[1].State != fleet.AlertFiring || as[1].SilencedBy != nil {
		t.Errorf("active alert: %+v", as[1])
	}
	// A silence that is not listed any more is still named by its id.
	if s := as[2].SilencedBy; len(s) != 1 || s[0] != (fleet.Silence{ID: "gone"}) || len(as[2].InhibitedBy) != 1 {
		t.Errorf("unknown silence: %+v", as[2])
	}
}

// Without a silenced alert the silences are not read: one request.
func TestAlertmanagerOneRequestWithoutSilences(t *testing.T) {
	srv, hits := serve(t, map[string]string{"/api/v2/alerts": `[]`})
	as, _, err := read(t, Options{URL: srv.URL, Kind: KindAlertmanager})
	if err != nil || len(as) != 0 || as == nil {
		t.Fatalf("alerts %v, err %v", as, err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests, want 1", hits.Load())
	}
}

func TestSilencesUnreadableIsAWarning(t *testing.T) {
	srv, _ := serve(t, map[string]string{"/api/v2/alerts": `[{"labels":{"alertname":"A","model":"m"},"status":{"state":"suppressed","silencedBy":["abc"]}}]`})
	as, warnings, err := read(t, Options{URL: srv.URL, Kind: KindAlertmanager})
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].SilencedBy[0].ID != "abc" {
		t.Errorf("alerts %+v", as)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "silences not read: HTTP 404") {
		t.Errorf("warnings %q", warnings)
	}
}

func TestHostileTextIsCleanedAndBounded(t *testing.T) {
	long := strings.Repeat("x", 10000)
	labels := `"alertname":"` + jsonEsc(hostile) + `","model":"` + jsonEsc(hostile) + `","note":"` + long + `"`
	for i := range 100 {
		labels += `,"l` + string(rune('a'+i%26)) + strings.Repeat("z", i) + `":"v"`
	}
	srv, _ := serve(t, map[string]string{
		"/api/v2/alerts":   `[{"labels":{` + labels + `},"annotations":{"summary":"` + jsonEsc(hostile) + `","description":"` + long + `"},"status":{"state":"suppressed","silencedBy":["s1"]}}]`,
		"/api/v2/silences": `[{"id":"s1","createdBy":"` + jsonEsc(hostile) + `","comment":"` + long + `"}]`,
	})
	as, _, err := read(t, Options{URL: srv.URL, Kind: KindAlertmanager})
	if err != nil {
		t.Fatal(err)
	}
	a := as[0]
	texts := []string{a.Name, a.Model, a.Summary, a.Description, a.SilencedBy[0].Author, a.SilencedBy[0].Comment}
	for k, v := range a.Labels {
		texts = append(texts, k, v)
	}
	for _, s := range texts {
		if strings.ContainsAny(s, "\x1b\u009b\u202e\r\n\a") {
			t.Errorf("control kept: %q", s)
		}
		if len(s) > maxText+len("…") {
			t.Errorf("text of %d bytes kept", len(s))
		}
	}
	if len(a.Labels) > maxLabels {
		t.Errorf("%d labels kept", len(a.Labels))
	}
	if !strings.Contains(a.Name, "FORGED") {
		t.Errorf("the printable text should stay: %q", a.Name)
	}
}

func jsonEsc(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == '"' || r == '\\' || (r >= 0x7f && r <= 0x9f) {
			b.WriteString(`\u00`)
			b.WriteString(strings.ToLower(string("0123456789ABCDEF"[r>>4]) + string("0123456789ABCDEF"[r&15])))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestFailuresInPlainWords(t *testing.T) {
	huge := `[` + strings.Repeat(`{"labels":{"alertname":"A"}},`, 50000) + `{}]`
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer slow.Close()
	srv, _ := serve(t, map[string]string{
		"/tenantless/api/v1/alerts": `{"status":"error","errorType":"unavailable","error":"no org id"}`,
		"/html/api/v1/alerts":       `<html>proxy login</html>`,
		"/big/api/v2/alerts":        huge,
	})
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close()
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"404", Options{URL: srv.URL + "/nothing", Kind: KindRules}, "HTTP 404 from /api/v1/alerts: no alerts API there"},
		{"refused", Options{URL: srv.URL + "/tenantless", Kind: KindRules}, "the server refused /api/v1/alerts: no org id"},
		{"not json", Options{URL: srv.URL + "/html", Kind: KindRules}, "not the alerts API's JSON"},
		{"too large", Options{URL: srv.URL + "/big", Kind: KindAlertmanager, MaxBytes: 1 << 20}, "larger than 1 MiB"},
		{"timeout", Options{URL: slow.URL, Kind: KindAlertmanager, Timeout: 50 * time.Millisecond}, "timed out after 50ms"},
		{"down", Options{URL: refusedURL, Kind: KindRules}, "connection refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			as, _, err := read(t, c.opts)
			if err == nil {
				t.Fatalf("no error, alerts %v", as)
			}
			if as != nil {
				t.Errorf("alerts with an error: %v", as)
			}
			if got := neterr.Plain(err, c.opts.Timeout); !strings.Contains(got, c.want) {
				t.Errorf("error %q, want it to say %q", got, c.want)
			}
		})
	}
}

// A refusal says what the server said in words, never its HTML page.
func TestRefusalsInWords(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/html/api/v1/alerts":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte("<html><body>401 Unauthorized</body></html>"))
		case "/json/api/v1/alerts":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"unavailable","error":"ruler not ready` + jsonEsc(hostile) + `"}`))
		case "/text/api/v2/alerts":
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte("no org id\nsecond line"))
		}
	}))
	defer srv.Close()
	for _, c := range []struct {
		path, kind, want, not string
	}{
		{"/html", KindRules, "HTTP 401 from /api/v1/alerts: refused (credentials, or the tenant header)", "<"},
		{"/json", KindRules, "HTTP 503 from /api/v1/alerts: ruler not ready", "\x1b"},
		{"/text", KindAlertmanager, "HTTP 401 from /api/v2/alerts: refused (credentials, or the tenant header): no org id", "second"},
	} {
		_, _, err := read(t, Options{URL: srv.URL + c.path, Kind: c.kind})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), c.not) {
			t.Errorf("%s: %v, want %q without %q", c.path, err, c.want, c.not)
		}
	}
}

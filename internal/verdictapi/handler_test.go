package verdictapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/report"
)

func snapshot() fleet.Snapshot {
	return fleet.Snapshot{
		TakenAt: time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC),
		Sources: []fleet.SourceStatus{{Name: "prometheus", Kind: "prometheus", OK: true}},
		Models: []fleet.Model{
			{Name: "fraud-detector", Serving: true, Versions: []fleet.Version{{Version: "8", Track: "stable"}, {Version: "9", Track: "canary"}}},
			{Name: "churn\x1b]0;pwned\x07", Serving: true, Versions: []fleet.Version{{Version: "1", Track: "stable"}}},
		},
	}
}

// judgeBy gives each candidate an outcome: 9 fails, 10 lacks data, the
// rest pass; "" is 9. A model without a canary has no candidate.
func judgeBy(calls *atomic.Int64) report.VerdictJudge {
	return func(s *fleet.Snapshot, model, candidate string) fleet.Verdict {
		calls.Add(1)
		m, err := report.FindModel(*s, model)
		if err != nil {
			panic("the judge was asked for an unknown model: " + model)
		}
		if candidate == "" {
			for _, v := range m.Versions {
				if v.Track == "canary" {
					candidate = v.Version
				}
			}
		}
		if candidate == "" {
			return fleet.Verdict{Model: m.Name, Outcome: fleet.VerdictNotEnough}
		}
		out := fleet.VerdictPass
		switch candidate {
		case "9":
			out = fleet.VerdictFail
		case "10":
			out = fleet.VerdictNotEnough
		}
		return fleet.Verdict{Model: m.Name, Candidate: candidate, Baseline: "8", Outcome: out, Why: string(out), Window: time.Hour}
	}
}

func serve(t *testing.T, latest func() (fleet.Snapshot, bool), calls *atomic.Int64) string {
	t.Helper()
	srv := httptest.NewServer(Handler(Options{Latest: latest, Judge: judgeBy(calls)}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(t *testing.T, method, u string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// Every answer is JSON with the status the docs give: 200 pass, 409 fail,
// 425 not enough data, 400 without a model, 404 unknown model or
// version (with did_you_mean), 405 for another method.
func TestVerdictStatuses(t *testing.T) {
	var calls atomic.Int64
	base := serve(t, func() (fleet.Snapshot, bool) { return snapshot(), true }, &calls)
	cases := []struct {
		method, query string
		status        int
		field, want   string // a top-level JSON field and its value
	}{
		{"GET", "model=fraud-detector", 409, "outcome", "fail"},
		{"GET", "model=fraud-detector&candidate=9", 409, "candidate", "9"},
		{"GET", "model=fraud-detector&candidate=8", 200, "outcome", "pass"},
		{"GET", "model=fraud-detector&candidate=10", 404, "error", `model "fraud-detector" has no version "10"; did you mean 8, 9?`},
		{"GET", "model=fraud-detecter", 404, "error", `no model "fraud-detecter" in the snapshot; did you mean fraud-detector?`},
		{"GET", "candidate=9", 400, "error", "missing parameter model: GET /v1/verdict?model=M[&candidate=V]"},
		{"GET", "model=churn%1B%5D0%3Bpwned%07", 404, "error", `model "churn\x1b]0;pwned\a" has no candidate version (no canary, shadow or challenger); name the version to compare`},
		{"GET", "model=fraud-detector&always_200=true", 200, "outcome", "fail"},
		{"GET", "model=fraud-detector&candidate=8&always_200=1", 200, "outcome", "pass"},
		{"GET", "model=fraud-detector&always_200=false", 409, "outcome", "fail"},
		{"GET", "model=fraud-detector&always_200=maybe", 400, "error", "always_200 must be true or false"},
		{"GET", "model=fraud-detecter&always_200=true", 404, "error", `no model "fraud-detecter" in the snapshot; did you mean fraud-detector?`},
		{"POST", "model=fraud-detector", 405, "error", "method POST not allowed: use GET"},
		{"DELETE", "model=fraud-detector", 405, "error", "method DELETE not allowed: use GET"},
	}
	for _, c := range cases {
		status, h, body := get(t, c.method, base+Path+"?"+c.query)
		if status != c.status {
			t.Errorf("%s %s: status %d, want %d: %s", c.method, c.query, status, c.status, body)
		}
		if ct := h.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("%s %s: Content-Type %q", c.method, c.query, ct)
		}
		if strings.ContainsAny(body, "\x1b\x07") {
			t.Errorf("%s %s: raw control characters in %q", c.method, c.query, body)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Errorf("%s %s: not JSON: %v\n%s", c.method, c.query, err, body)
			continue
		}
		if doc[c.field] != c.want {
			t.Errorf("%s %s: %s = %q, want %q", c.method, c.query, c.field, doc[c.field], c.want)
		}
		if c.status == 405 && h.Get("Allow") != "GET" {
			t.Errorf("405 without Allow: GET")
		}
	}
	if _, _, body := get(t, "GET", base+Path+"?candidate=9"); !strings.Contains(body, "?model=M[&candidate=V]") {
		t.Errorf("the usage is HTML-escaped: %s", body)
	}
	status, _, body := get(t, "GET", base+Path+"?model=fraud-detecter")
	var e ErrorDoc
	if err := json.Unmarshal([]byte(body), &e); err != nil || status != 404 || len(e.DidYouMean) != 1 || e.DidYouMean[0] != "fraud-detector" {
		t.Errorf("did_you_mean: %d %s", status, body)
	}
}

// Not enough data is 425, with the verdict's body; before the poller's
// first snapshot every model is 425 too, and nothing is judged.
func TestVerdictTooEarly(t *testing.T) {
	var calls atomic.Int64
	var ready atomic.Bool
	s := snapshot()
	s.Models[0].Versions = append(s.Models[0].Versions, fleet.Version{Version: "10"})
	base := serve(t, func() (fleet.Snapshot, bool) { return s, ready.Load() }, &calls)

	status, h, body := get(t, "GET", base+Path+"?model=fraud-detector")
	var doc report.VerdictDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil || status != 425 || doc.Outcome != "not_enough_data" ||
		!strings.Contains(doc.Why, "first poll") || h.Get("Cache-Control") != "no-store" {
		t.Errorf("before the first poll: %d %s", status, body)
	}
	if calls.Load() != 0 {
		t.Errorf("judged %d times before the first snapshot", calls.Load())
	}
	if status, _, body = get(t, "GET", base+Path+"?model=fraud-detector&always_200=true"); status != 200 || !strings.Contains(body, `"outcome": "not_enough_data"`) {
		t.Errorf("before the first poll, always_200: %d %s", status, body)
	}
	ready.Store(true)
	for _, c := range []struct {
		query  url.Values
		status int
	}{
		{url.Values{"model": {"fraud-detector"}, "candidate": {"10"}}, 425},
		{url.Values{"model": {"fraud-detector"}, "candidate": {"10"}, "always_200": {"true"}}, 200},
	} {
		status, _, body = get(t, "GET", base+Path+"?"+c.query.Encode())
		if err := json.Unmarshal([]byte(body), &doc); err != nil || status != c.status || doc.Outcome != "not_enough_data" || doc.Candidate != "10" {
			t.Errorf("not enough data, %v: %d %s", c.query, status, body)
		}
	}
}

package embedded

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// Each target reports which model versions it exports, when it last
// answered and, when down, why in plain words; what it exported is kept
// while it is down, so the poller knows whose data went stale.
func TestScrapeTargetsReport(t *testing.T) {
	c := newClock()
	x := newExporter(t, lines(
		`m{model="a",version="1"} 1`, `m{model="a",version="2"} 1`, `h_bucket{model="a",version="1",le="1"} 1`,
		`n{model="b"} 1`, `other 1`))
	e := newTestEngine(t, c, Options{Interval: step}, x.URL())
	if err := scrapeAt(t, e, c, 0); err != nil {
		t.Fatal(err)
	}
	want := []fleet.ModelVersion{{Model: "a", Version: "1"}, {Model: "a", Version: "2"}, {Model: "b"}}
	got := e.ScrapeTargets()[0]
	if !got.Up || got.Error != "" || !got.LastSuccess.Equal(t0) || !got.LastScrape.Equal(t0) || !reflect.DeepEqual(got.Series, want) {
		t.Fatalf("after a good scrape: %+v", got)
	}

	x.Set(lines(`m{model="a",version="1"} 2`, `n{model="b"} 2`))
	if err := scrapeAt(t, e, c, step); err != nil {
		t.Fatal(err)
	}
	want = []fleet.ModelVersion{{Model: "a", Version: "1"}, {Model: "b"}}
	if got := e.ScrapeTargets()[0]; !reflect.DeepEqual(got.Series, want) || !got.LastSuccess.Equal(t0.Add(step)) {
		t.Fatalf("after a version went away: %+v", got)
	}

	x.SetStatus(http.StatusInternalServerError)
	if err := scrapeAt(t, e, c, 2*step); err == nil {
		t.Fatal("want an error")
	}
	got = e.ScrapeTargets()[0]
	if got.Up || got.Error != "server returned HTTP status 500 Internal Server Error" ||
		!got.LastSuccess.Equal(t0.Add(step)) || !got.LastScrape.Equal(t0.Add(2*step)) || !reflect.DeepEqual(got.Series, want) {
		t.Fatalf("while down: %+v", got)
	}

	x.SetStatus(http.StatusOK)
	x.Set("")
	if err := scrapeAt(t, e, c, 3*step); err != nil {
		t.Fatal(err)
	}
	if got := e.ScrapeTargets()[0]; !got.Up || got.Series != nil {
		t.Fatalf("up with an empty exposition: %+v, want no series", got)
	}
}

func TestScrapeTargetErrorsInPlainWords(t *testing.T) {
	c := newClock()
	closed := httptest.NewServer(http.NotFoundHandler())
	refused := closed.URL + "/metrics"
	closed.Close()
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	defer close(block)
	e := newTestEngine(t, c, Options{Interval: step, Timeout: 50 * time.Millisecond}, refused, slow.URL+"/metrics")
	if err := scrapeAt(t, e, c, 0); err == nil {
		t.Fatal("want errors")
	}
	ts := e.ScrapeTargets()
	if ts[0].Up || ts[0].Error != "connection refused" || !ts[0].LastSuccess.IsZero() {
		t.Errorf("refused: %+v", ts[0])
	}
	if ts[1].Up || ts[1].Error != "timed out after 50ms" {
		t.Errorf("slow: %+v", ts[1])
	}
}

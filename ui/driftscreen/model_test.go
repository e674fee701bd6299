package driftscreen

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestInitFetchesRangeAtHeatmapWidth(t *testing.T) {
	m, c, p := open(t, "dark", "churn-predictor", 120, 40)
	msgs := uitest.Run(m.Init())
	a := p.Asked()
	if a.Calls != 1 || a.Model != "churn-predictor" || a.Range != c.Range || a.Width != heatWidth(120) {
		t.Fatalf("Init asked %d× for %q %v width %d; want once for churn-predictor %v width %d",
			a.Calls, a.Model, a.Range, a.Width, c.Range, heatWidth(120))
	}
	if !strings.Contains(uitest.Plain(m), "loading drift history over 1h") {
		t.Errorf("before the answer the screen should say it is loading:\n%s", uitest.Plain(m))
	}
	for _, msg := range msgs {
		m.Update(msg)
	}
	if !strings.Contains(uitest.Plain(m), "when it started") {
		t.Errorf("the answer should draw the heatmap:\n%s", uitest.Plain(m))
	}
}

func TestRangeMsgFetchesNewRange(t *testing.T) {
	m, c, p := open(t, "dark", "churn-predictor", 80, 24)
	withHistory(m, c)
	c.Range = 6 * time.Hour
	_, cmd := m.Update(common.RangeMsg{Range: 6 * time.Hour})
	if cmd == nil {
		t.Fatal("RangeMsg returned no fetch")
	}
	if strings.Contains(uitest.Plain(m), "when it started") {
		t.Error("the 1h heatmap is still drawn under the 6h range")
	}
	msgs := uitest.Run(cmd)
	a := p.Asked()
	if a.Calls != 1 || a.Model != "churn-predictor" || a.Range != 6*time.Hour || a.Width != heatWidth(80) {
		t.Fatalf("asked %d× for %q %v width %d; want churn-predictor 6h width %d", a.Calls, a.Model, a.Range, a.Width, heatWidth(80))
	}
	for _, msg := range msgs {
		m.Update(msg)
	}
	v := uitest.Plain(m)
	if !strings.Contains(v, "over 6h") || !strings.Contains(v, "TREND 6h") {
		t.Errorf("after the answer the 6h history should be drawn:\n%s", v)
	}
}

func TestIgnoresHistoryForOtherModelOrRange(t *testing.T) {
	m, c, _ := open(t, "dark", "churn-predictor", 120, 40)
	before := m.View()
	for _, msg := range []common.DriftHistoryMsg{
		{Model: "search-ranker", History: uitest.DriftHistory("search-ranker", c.Range, 100)},
		{Model: "churn-predictor", History: uitest.DriftHistory("churn-predictor", 6*time.Hour, 100)},
		{Model: "churn-predictor", History: fleet.DriftHistory{Range: 6 * time.Hour}, Err: errors.New("late failure")},
		{Model: "search-ranker", Err: errors.New("not mine")},
	} {
		m.Update(msg)
		if got := m.View(); got != before {
			t.Fatalf("%s/%v changed the view:\n%s", msg.Model, msg.History.Range, ansi.Strip(got))
		}
	}
	m.Update(common.DriftHistoryMsg{Model: "churn-predictor", Err: errors.New("query timed out")})
	if !strings.Contains(uitest.Plain(m), "no drift history: query timed out") {
		t.Errorf("an error for this model should be said in plain words:\n%s", uitest.Plain(m))
	}
}

func TestWidthChangeAndSnapshotsFetch(t *testing.T) {
	m, c, p := open(t, "dark", "churn-predictor", 80, 24)
	uitest.Run(m.Init())
	m.SetSize(200, 50)
	_, cmd := m.Update(common.TickMsg{Now: c.Now})
	uitest.Run(cmd)
	if a := p.Asked(); a.Calls != 2 || a.Width != heatWidth(200) {
		t.Fatalf("after a resize: %d calls, width %d; want 2 calls at width %d", a.Calls, a.Width, heatWidth(200))
	}
	// Snapshots fetch at most once per refresh interval.
	s := *c.Snapshot
	_, cmd = m.Update(common.SnapshotMsg{Snapshot: s})
	uitest.Run(cmd)
	if p.Asked().Calls != 2 {
		t.Fatalf("a snapshot within the refresh interval fetched again (%d calls)", p.Asked().Calls)
	}
	c.Now = c.Now.Add(c.Refresh)
	_, cmd = m.Update(common.SnapshotMsg{Snapshot: s})
	uitest.Run(cmd)
	if p.Asked().Calls != 3 {
		t.Fatalf("a snapshot a refresh later did not fetch (%d calls)", p.Asked().Calls)
	}
}

func TestWithoutProvider(t *testing.T) {
	for name, prov := range map[string]common.DriftHistoryProvider{"nil": nil} {
		t.Run(name, func(t *testing.T) {
			_, c, _ := open(t, "dark", "churn-predictor", 120, 40)
			c.DriftHistory = prov
			m := New(c, "churn-predictor")
			m.SetSize(120, 40)
			if cmd := m.Init(); cmd != nil {
				t.Fatal("Init without a provider returned a command")
			}
			v := uitest.Plain(m)
			for _, want := range []string{"no drift history:", "the scores are the latest poll's", "tenure", ".27", "⚠ drift"} {
				if !strings.Contains(v, want) {
					t.Errorf("missing %q in\n%s", want, v)
				}
			}
			if strings.Contains(v, "TREND") || strings.Contains(v, "when it started") {
				t.Errorf("no trend or heatmap without history:\n%s", v)
			}
		})
	}
}

func TestContent(t *testing.T) {
	m, c, _ := open(t, "dark", "churn-predictor", 120, 40)
	withHistory(m, c)
	v := uitest.Plain(m)
	for _, want := range []string{
		"churn-predictor", "⚠ drift: 1 of 4 features (25 %) — dataset drift needs 50 %", "output ✔ ok",
		"reference registry", "jensenshannon", "≥.10", "region", "— no data", "╌╌ output",
		"└02:00", "┴02:30", "now┘", "× threshold",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("churn-predictor: missing %q in\n%s", want, v)
		}
	}
	m, c, _ = open(t, "dark", "search-ranker", 200, 50)
	withHistory(m, c)
	v = uitest.Plain(m)
	for _, want := range []string{"v21 stable 100%  ✔ no drift: 0 of 3 features over threshold", "v22 shadow",
		"reference 7d offset", "wasserstein", "chisquare", "<.05"} {
		if !strings.Contains(v, want) {
			t.Errorf("search-ranker: missing %q in\n%s", want, v)
		}
	}
}

func TestNoDriftDataExplains(t *testing.T) {
	m, _, _ := open(t, "dark", "image-tagger", 120, 40)
	v := uitest.Plain(m)
	for _, want := range []string{"no drift data for image-tagger", "model_feature_value", "model_drift_score"} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q in\n%s", want, v)
		}
	}
}

func TestPredictionRowSetApart(t *testing.T) {
	m, c, _ := open(t, "dark", "churn-predictor", 120, 40)
	withHistory(m, c)
	lines := strings.Split(uitest.Plain(m), "\n")
	sep := -1
	for i, l := range lines {
		if strings.Contains(l, "╌╌ output") {
			sep = i
			break
		}
	}
	if sep < 0 || sep+1 >= len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[sep+1]), "prediction") ||
		!strings.Contains(lines[sep+1], ".06") {
		t.Fatalf("no prediction row after the output separator:\n%s", strings.Join(lines, "\n"))
	}
	// The heatmap lists the prediction last, after the features.
	axis := -1
	for i, l := range lines {
		if strings.Contains(l, "└02:00") {
			axis = i
		}
	}
	if axis < 1 || !strings.HasPrefix(strings.TrimSpace(lines[axis-1]), "prediction") {
		t.Errorf("the heatmap's last row is not the prediction:\n%s", strings.Join(lines, "\n"))
	}
}

func TestStaleDriftIsSaid(t *testing.T) {
	m, c, _ := open(t, "dark", "churn-predictor", 120, 40)
	s := *c.Snapshot
	s.Queries = []fleet.QueryStatus{{Name: "drift", Role: fleet.RoleDriftScore, OK: false, Error: "timeout",
		LastSuccess: c.Now.Add(-3 * time.Minute)}}
	c.Snapshot = &s
	m.Update(common.SnapshotMsg{Snapshot: s})
	if v := uitest.Plain(m); !strings.Contains(v, "drift values 3m old: timeout") {
		t.Errorf("stale drift not said:\n%s", v)
	}
}

func TestEscapeSequencesInNamesDrawnClean(t *testing.T) {
	m, c, _ := open(t, "dark", "churn-predictor", 120, 40)
	th, err := themes.ByName("dark", true)
	if err != nil {
		t.Fatal(err)
	}
	// Without colours the theme emits only bold and reverse, so any other
	// sequence on screen came from the data.
	c.Theme = themes.Build(th.Palette, true)
	s := uitest.DriftSnapshot()
	for i := range s.Models {
		if s.Models[i].Name == "churn-predictor" {
			d := s.Models[i].Versions[0].Drift
			d.Features[0].Feature = "\x1b]0;pwned\x07ev\x1b[31mil\u202e"
			d.Features[0].Method = "psi\x1b[2J"
			d.Reference = "reg\x1b[1;1Histry"
		}
	}
	c.Snapshot = &s
	h := uitest.DriftHistory("churn-predictor", c.Range, m.fetchWidth())
	h.Series = append(h.Series, fleet.DriftSeries{Version: "3", Feature: "x\x1b[1;1Hy", Method: "psi", Threshold: 0.1, Scores: []float64{0.1, 0.2}})
	m.Update(common.DriftHistoryMsg{Model: "churn-predictor", History: h})
	v := m.View()
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[31m", "\x1b[2J", "\x1b[1;1H", "\u202e"} {
		if strings.Contains(v, bad) {
			t.Fatalf("%q from the data reached the screen:\n%q", bad, v)
		}
	}
	p := ansi.Strip(v)
	for _, want := range []string{"evil", "xy", "registry"} {
		if !strings.Contains(p, want) {
			t.Errorf("cleaned %q missing:\n%s", want, p)
		}
	}
}

func TestScrolling(t *testing.T) {
	m, c, _ := open(t, "dark", "search-ranker", 80, 24)
	withHistory(m, c)
	top := uitest.Plain(m)
	if !strings.Contains(lineWith(top, "Range 1h"), "↓ 1–") {
		t.Fatalf("a page taller than the screen should say it scrolls:\n%s", top)
	}
	m.Update(uitest.Press("down"))
	if uitest.Plain(m) == top {
		t.Fatal("down did not scroll")
	}
	m.Update(uitest.Press("end"))
	bottom := uitest.Plain(m)
	if !strings.Contains(bottom, "v22 shadow") || strings.Contains(lineWith(bottom, "Range 1h"), "↓") {
		t.Errorf("end should show the last version with nothing below:\n%s", bottom)
	}
	m.Update(uitest.Press("home"))
	if uitest.Plain(m) != top {
		t.Error("home did not return to the top")
	}
}

func TestKeysAndTitle(t *testing.T) {
	m, _, _ := open(t, "dark", "churn-predictor", 80, 24)
	if m.Title() != "drift" || m.Capturing() {
		t.Errorf("Title %q Capturing %v", m.Title(), m.Capturing())
	}
	if len(m.Keys().ShortHelp()) == 0 || len(m.Keys().FullHelp()) == 0 {
		t.Error("no key help")
	}
}

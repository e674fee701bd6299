package detailscreen

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestRangeMsgFetchesNewRange(t *testing.T) {
	m, _, p := open(t, "dark", "credit-risk", 120, 40)
	uitest.Run(m.Init())
	_, cmd := m.Update(common.RangeMsg{Range: 6 * time.Hour})
	msgs := uitest.Run(cmd)
	if len(msgs) != 1 {
		t.Fatalf("RangeMsg gave %d messages, want one fetch", len(msgs))
	}
	if p.Asked().Range != 6*time.Hour {
		t.Errorf("asked for range %s, want 6h", p.Asked().Range)
	}
	// The width asked for is about the number of plotted columns: the graph
	// area of one of two side-by-side panels, less the y-axis labels.
	panel := (120 - 1) / 2
	if p.Asked().Width < 20 || p.Asked().Width > panel-leftColWidth {
		t.Errorf("asked for %d points for a %d-column panel", p.Asked().Width, panel)
	}
	hm, ok := msgs[0].(common.HistoryMsg)
	if !ok || hm.Model != "credit-risk" || hm.Window.Range != 6*time.Hour {
		t.Fatalf("fetch answered %#v", msgs[0])
	}
	if v := uitest.Plain(m); !strings.Contains(v, "loading…") || !strings.Contains(v, "Range 6h") {
		t.Errorf("after a range change the old window is still drawn:\n%s", v)
	}
	m.Update(hm)
	if v := uitest.Plain(m); strings.Contains(v, "loading…") || !strings.Contains(v, "┤") {
		t.Errorf("6h window not drawn:\n%s", v)
	}
}

func TestResizeFetchesAtNewWidth(t *testing.T) {
	m, c, p := open(t, "dark", "credit-risk", 120, 40)
	uitest.Run(m.Init())
	first := p.Asked().Width
	m.SetSize(250, 60)
	_, cmd := m.Update(common.TickMsg{Now: c.Now})
	if len(uitest.Run(cmd)) != 1 {
		t.Fatal("no fetch after a resize")
	}
	if p.Asked().Width <= first {
		t.Errorf("wider screen asked for %d points, narrower one %d", p.Asked().Width, first)
	}
	calls := p.Asked().Calls
	m.SetSize(250, 30) // height only: same graph width
	_, cmd = m.Update(common.TickMsg{Now: c.Now})
	uitest.Run(cmd)
	if p.Asked().Calls != calls {
		t.Error("a height change fetched again")
	}
}

func TestOtherModelOrRangeIgnored(t *testing.T) {
	m, c, _ := open(t, "dark", "payments-fraud", 120, 40)
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: uitest.History(c.Range, 120)})
	if !strings.Contains(uitest.Plain(m), "loading…") {
		t.Error("took another model's history")
	}
	m.Update(common.HistoryMsg{Model: "payments-fraud", Window: uitest.History(6*time.Hour, 120)})
	if !strings.Contains(uitest.Plain(m), "loading…") {
		t.Error("took a window for another range")
	}
	m.Update(common.HistoryMsg{Model: "payments-fraud", Window: uitest.History(c.Range, 120)})
	if strings.Contains(uitest.Plain(m), "loading…") {
		t.Error("dropped its own window")
	}
}

func TestNilProvider(t *testing.T) {
	for name, p := range map[string]common.HistoryProvider{"nil": nil} {
		c := uitest.Common("dark")
		c.History = p
		m := New(c, "credit-risk")
		m.SetSize(200, 50)
		if cmd := m.Init(); cmd != nil {
			t.Errorf("%s: Init returned a fetch without a provider", name)
		}
		_, cmd := m.Update(common.RangeMsg{Range: 15 * time.Minute})
		if cmd != nil {
			t.Errorf("%s: RangeMsg returned a fetch without a provider", name)
		}
		v := uitest.Plain(m)
		if !strings.Contains(v, "no history: the metrics source cannot answer range queries") {
			t.Errorf("%s: no explanation:\n%s", name, v)
		}
		if !strings.Contains(v, "40.3 req/s") || !strings.Contains(v, "auc .87 (off .88)") {
			t.Errorf("%s: current values missing:\n%s", name, v)
		}
	}
}

func TestSnapshotFetchPaced(t *testing.T) {
	m, c, p := open(t, "dark", "credit-risk", 120, 40)
	uitest.Run(m.Init())
	calls := p.Asked().Calls
	snap := *c.Snapshot
	_, cmd := m.Update(common.SnapshotMsg{Snapshot: snap})
	uitest.Run(cmd)
	if p.Asked().Calls != calls {
		t.Error("a snapshot within the refresh interval fetched again")
	}
	c.Now = c.Now.Add(c.Refresh)
	snap.TakenAt = c.Now
	_, cmd = m.Update(common.SnapshotMsg{Snapshot: snap})
	uitest.Run(cmd)
	if p.Asked().Calls != calls+1 {
		t.Errorf("a snapshot one interval later: %d fetches, want 1", p.Asked().Calls-calls)
	}
	_, cmd = m.Update(common.SnapshotMsg{Snapshot: snap})
	uitest.Run(cmd)
	if p.Asked().Calls != calls+1 {
		t.Error("a second snapshot in the same interval fetched again")
	}
}

func TestOpenWithoutInitFetches(t *testing.T) {
	m, c, p := open(t, "dark", "credit-risk", 120, 40)
	_, cmd := m.Update(common.TickMsg{Now: c.Now})
	uitest.Run(cmd)
	if p.Asked().Calls != 1 {
		t.Errorf("first update without Init: %d fetches, want 1", p.Asked().Calls)
	}
}

func TestLeadingGapSaysSince(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", 200, 50)
	w := uitest.History(c.Range, 180)
	k := history.Key{Role: fleet.RoleRequestRate, Model: "credit-risk", Version: "11"}
	w.Series[k] = w.Series[k][60:]
	// A gap in the middle is bridged, not drawn as a new start.
	lat := history.Key{Role: fleet.RoleLatencyP95, Model: "credit-risk", Version: "11"}
	w.Series[lat] = append(append([]history.Point(nil), w.Series[lat][:50]...), w.Series[lat][90:]...)
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: w})
	v := uitest.Plain(m)
	want := "since " + w.Series[k][0].T.Format("15:04")
	if strings.Count(v, "since ") != 1 || !strings.Contains(v, want) {
		t.Errorf("want exactly one %q:\n%s", want, v)
	}
	// The graph starts where the data does: the first columns are empty.
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "req/s") && strings.Contains(l, "┤") {
			after := l[strings.Index(l, "┤")+len("┤"):]
			if !strings.HasPrefix(after, "          ") {
				t.Errorf("request-rate graph drawn before its first sample: %q", l)
			}
			break
		}
	}
	uitest.CheckSize(t, m.View(), 200, 50)
}

func TestViewIsPure(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", 120, 40)
	withHistory(m, c, 180)
	before := m.page
	a, b := m.View(), m.View()
	if a != b {
		t.Error("two Views differ")
	}
	// Common changed without a message: the view follows, the stored page does not.
	c.Now = c.Now.Add(24 * time.Hour)
	if v := uitest.Plain(m); !strings.Contains(v, "created 4d ago") {
		t.Errorf("view does not follow Common.Now:\n%s", v)
	}
	if m.page.key != before.key {
		t.Error("View changed the stored page")
	}
}

func BenchmarkView(b *testing.B) {
	m, c, _ := open(b, "dark", "credit-risk", 200, 50)
	withHistory(m, c, 180)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkRebuild is the cost of a tick or snapshot: the page redrawn
// with the cached graphs.
func BenchmarkRebuild(b *testing.B) {
	m, c, _ := open(b, "dark", "credit-risk", 200, 50)
	withHistory(m, c, 180)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Update(common.TickMsg{Now: c.Now})
	}
}

// BenchmarkHistory is the cost of drawing every graph for a new window.
func BenchmarkHistory(b *testing.B) {
	m, c, _ := open(b, "dark", "credit-risk", 200, 50)
	w := uitest.History(c.Range, 180)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m.Update(common.HistoryMsg{Model: "credit-risk", Window: w})
	}
}

func TestUnplottableValues(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", 120, 40)
	w := uitest.History(c.Range, 120)
	inf := history.Key{Role: fleet.RoleErrorRatio, Model: "credit-risk", Version: "11"}
	for i := range w.Series[inf] {
		if i%7 == 0 {
			w.Series[inf][i].V = math.Inf(1)
		}
	}
	nan := history.Key{Role: fleet.RoleRequestRate, Model: "credit-risk", Version: "12"}
	for i := range w.Series[nan] {
		w.Series[nan][i].V = math.NaN()
	}
	w.Errors = map[fleet.Role]string{fleet.RoleRequestRate: "bad_data: \x1b[31mparse error"}
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: w})
	v := uitest.Plain(m)
	if !strings.Contains(v, "query failed: bad_data: parse error") {
		t.Errorf("an empty series with a failed query does not say why:\n%s", v)
	}
	drawn := false
	for _, l := range strings.Split(v, "\n") {
		if i := strings.Index(l, "errors"); i >= 0 && i < 60 {
			drawn = strings.Contains(l[:len(l)/2], "┤")
			break
		}
	}
	if !drawn {
		t.Errorf("a series with some infinite values is not drawn:\n%s", v)
	}
	uitest.CheckSize(t, m.View(), 120, 40)
}

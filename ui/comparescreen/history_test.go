package comparescreen

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestInitFetchesForTheModelAndRange(t *testing.T) {
	m, c, p := open(t, "dark", "credit-risk", "", "", 120, 40)
	msgs := uitest.Run(m.Init())
	if len(msgs) != 1 || p.Asked().Calls != 1 || p.Asked().Range != c.Range || p.Asked().Width != m.page.fetchWidth {
		t.Fatalf("init: %d messages, %d calls, range %v, width %d (want %d)", len(msgs), p.Asked().Calls, p.Asked().Range, p.Asked().Width, m.page.fetchWidth)
	}
	h, ok := msgs[0].(common.HistoryMsg)
	if !ok || h.Model != "credit-risk" {
		t.Fatalf("init answered %#v", msgs[0])
	}
	if !strings.Contains(uitest.Plain(m), "Graphs over 1h · loading…") {
		t.Errorf("before the answer:\n%s", uitest.Plain(m))
	}
	m.Update(h)
	if !strings.Contains(uitest.Plain(m), "request rate  v11 ─  v12 ─") {
		t.Errorf("after the answer:\n%s", uitest.Plain(m))
	}
}

func TestHistoryForAnotherModelOrRangeIgnored(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", "", "", 120, 40)
	before := uitest.Plain(m)
	m.Update(common.HistoryMsg{Model: "payments-fraud", Window: uitest.History(c.Range, 100)})
	m.Update(common.HistoryMsg{Model: "", Window: uitest.History(c.Range, 100)})
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: uitest.History(6*time.Hour, 100)})
	if got := uitest.Plain(m); got != before || m.hist.Have {
		t.Fatalf("a window for another model or range was taken:\n%s", got)
	}
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: uitest.History(c.Range, 100)})
	if !m.hist.Have {
		t.Fatal("the window for this model and range was not taken")
	}
}

func TestHistoryErrors(t *testing.T) {
	m, c, _ := open(t, "dark", "credit-risk", "", "", 120, 40)
	m.Update(common.HistoryMsg{Model: "credit-risk", Err: errors.New("range query: timeout\x1b[31m")})
	if got := uitest.Plain(m); !strings.Contains(got, "Graphs over 1h ✖ range query: timeout") || strings.Contains(m.View(), "\x1b[31m") {
		t.Fatalf("error without a window:\n%s", got)
	}
	withHistory(m, c, 100)
	m.Update(common.HistoryMsg{Model: "credit-risk", Window: uitest.History(c.Range, 100), Err: errors.New("partial: thanos")})
	got := uitest.Plain(m)
	if !strings.Contains(got, "⏲ last fetch failed: partial: thanos") || !strings.Contains(got, "request rate  v11 ─  v12 ─") {
		t.Fatalf("error with a window keeps the graphs, marked:\n%s", got)
	}
}

func TestRangeChangeRefetches(t *testing.T) {
	m, c, p := open(t, "dark", "credit-risk", "", "", 120, 40)
	uitest.Run(m.Init())
	withHistory(m, c, 100)
	_, cmd := m.Update(common.RangeMsg{Range: 6 * time.Hour})
	if m.hist.Have || !strings.Contains(uitest.Plain(m), "Graphs over 6h · loading…") {
		t.Fatalf("the old range's window must go:\n%s", uitest.Plain(m))
	}
	msgs := uitest.Run(cmd)
	if p.Asked().Calls != 2 || p.Asked().Range != 6*time.Hour || len(msgs) != 1 {
		t.Fatalf("range change: %d calls, range %v", p.Asked().Calls, p.Asked().Range)
	}
	m.Update(msgs[0])
	if !m.hist.Have || !strings.Contains(uitest.Plain(m), "Graphs over 6h") {
		t.Fatalf("6h window not shown:\n%s", uitest.Plain(m))
	}
}

func TestSnapshotsRefetchAtMostOncePerRefresh(t *testing.T) {
	m, c, p := open(t, "dark", "credit-risk", "", "", 120, 40)
	uitest.Run(m.Init())
	snap := *c.Snapshot
	for i := 0; i < 3; i++ {
		snap.TakenAt = c.Now.Add(time.Duration(i) * time.Second)
		_, cmd := m.Update(common.SnapshotMsg{Snapshot: snap})
		uitest.Run(cmd)
	}
	if p.Asked().Calls != 1 {
		t.Fatalf("%d fetches for snapshots within one refresh, want the init's only", p.Asked().Calls)
	}
	c.Now = c.Now.Add(c.Refresh)
	snap.TakenAt = c.Now
	_, cmd := m.Update(common.SnapshotMsg{Snapshot: snap})
	uitest.Run(cmd)
	if p.Asked().Calls != 2 {
		t.Fatalf("%d fetches after a refresh interval, want 2", p.Asked().Calls)
	}
}

func TestResizeFetchesAtTheNewWidth(t *testing.T) {
	m, _, p := open(t, "dark", "credit-risk", "", "", 80, 24)
	uitest.Run(m.Init())
	narrow := p.Asked().Width
	m.SetSize(200, 50)
	_, cmd := m.Update(tea0{})
	uitest.Run(cmd)
	if p.Asked().Calls != 2 || p.Asked().Width <= narrow {
		t.Fatalf("after a resize: %d calls at width %d (was %d)", p.Asked().Calls, p.Asked().Width, narrow)
	}
}

func TestNoProvider(t *testing.T) {
	c := uitest.Common("dark")
	c.History = nil
	m := New(c, "credit-risk", "", "")
	m.SetSize(120, 40)
	if cmd := m.Init(); cmd != nil {
		t.Fatal("a fetch without a provider")
	}
	if !strings.Contains(uitest.Plain(m), "none: the metrics source cannot answer range queries") {
		t.Errorf("no provider:\n%s", uitest.Plain(m))
	}
}

// TestHistoryByServingName: a model joined under its registered name keeps
// its series under the label in the metrics.
func TestHistoryByServingName(t *testing.T) {
	c := uitest.Common("dark")
	s := uitest.SnapshotRegisteredAs("credit-risk", "credit")
	c.Snapshot = &s
	c.History = &uitest.Provider{}
	m := New(c, "credit", "", "")
	m.SetSize(200, 50)
	m.Update(common.HistoryMsg{Model: "credit", Window: uitest.History(c.Range, 100)})
	v := uitest.Plain(m)
	if !strings.Contains(v, "credit  compare v11 ↔ v12 · champion vs challenger · metrics as credit-risk") {
		t.Errorf("serving name not shown:\n%s", v)
	}
	if strings.Contains(v, "no data") {
		t.Errorf("graphs looked up by the registered name:\n%s", v)
	}
}

func TestKeysListEverything(t *testing.T) {
	m, _, _ := open(t, "dark", "credit-risk", "", "", 80, 24)
	var helps []string
	for _, col := range m.Keys().FullHelp() {
		for _, b := range col {
			helps = append(helps, b.Help().Key)
		}
	}
	got := strings.Join(helps, " ")
	for _, want := range []string{"←/h", "→/l", "space", "tab", "[", "]", "{", "}", "↑/k", "↓/j", "pgup", "pgdn", "g/home", "G/end"} {
		if !strings.Contains(got, want) {
			t.Errorf("help lacks %q: %s", want, got)
		}
	}
	if len(m.Keys().ShortHelp()) == 0 {
		t.Error("no short help")
	}
}

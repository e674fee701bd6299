package detailscreen

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

// fakeServed answers with fixed intervals (or an error).
type fakeServed struct {
	ivs []fleet.ServedInterval
	err error
}

func (f *fakeServed) Served(_ context.Context, model string, _, _ time.Time) (map[string][]fleet.ServedInterval, error) {
	if f.ivs == nil {
		return nil, f.err
	}
	return map[string][]fleet.ServedInterval{model: f.ivs}, f.err
}

func day(d float64) time.Time { return uitest.Now.Add(time.Duration(d * float64(24*time.Hour))) }

// creditRiskServed: v9 for nine days, a gap of a day, v10 for eleven, v11
// for nine, with v12 as a quarter canary for the last two.
func creditRiskServed() []fleet.ServedInterval {
	return []fleet.ServedInterval{
		{Version: "9", From: day(-30), To: day(-21), Share: 1},
		{Version: "10", From: day(-20), To: day(-9), Share: 1},
		{Version: "11", From: day(-9), To: day(0), Share: 0.9},
		{Version: "12", From: day(-2), To: day(0), Share: 0.25},
	}
}

// openServed is the detail screen with a serving history provider, after
// the fetch Init sends was answered.
func openServed(t testing.TB, model string, w, h int, p *fakeServed) *Model {
	t.Helper()
	m, c, _ := open(t, "dark", model, w, h)
	c.Served = p
	withHistory(m, c, 180)
	m.Update(m.fetchServed(true)())
	return m
}

func TestGoldenServed(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-served-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			view := openServed(t, "credit-risk", sz[0], sz[1], &fakeServed{ivs: creditRiskServed()}).View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
		})
	}
}

// The strip names each version where it has room, between the range's
// dates, with the gap as the empty bar.
func TestServedStrip(t *testing.T) {
	v := uitest.Plain(openServed(t, "credit-risk", 200, 50, &fakeServed{ivs: creditRiskServed()}))
	line := ""
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, "Served") {
			line = strings.TrimRight(l, " ")
		}
	}
	if !strings.HasPrefix(line, "Served   Oct 24 v9 █") || !strings.HasSuffix(line, "█ Nov 23") {
		t.Fatalf("strip line = %q", line)
	}
	for _, want := range []string{"█░", "░v10 █", "█ v11 █"} {
		if !strings.Contains(line, want) {
			t.Errorf("strip %q lacks %q", line, want)
		}
	}
	if strings.Contains(line, "v12") {
		t.Errorf("the canary's quarter never leads a cell: %q", line)
	}
}

func TestServedCells(t *testing.T) {
	// 30 days in 10 cells of 3 days: v1 days 0-7 (cells 0-2), nothing
	// in days 9-11 (cell 3), v2 from day 12 (cells 4-9), v3 at a third
	// from day 24 (cells 8-9) loses to v2's two thirds; v4 ties v2 at
	// half in cell 6 and wins as the newer.
	from := uitest.Now
	at := func(d float64) time.Time { return from.Add(time.Duration(d * float64(24*time.Hour))) }
	got := servedCells([]fleet.ServedInterval{
		{Version: "1", From: at(0), To: at(7), Share: 1},
		{Version: "2", From: at(12), To: at(30), Share: 2.0 / 3},
		{Version: "3", From: at(24), To: at(30), Share: 1.0 / 3},
		{Version: "4", From: at(18.5), To: at(20.5), Share: 2.0 / 3},
	}, from, at(30), 10)
	want := []string{"1", "1", "1", "", "2", "2", "4", "2", "2", "2"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("cells = %q, want %q", got, want)
	}
}

// Loading, a failed fetch, no traffic and no provider are said in words.
func TestServedStates(t *testing.T) {
	line := func(m *Model) string {
		for _, l := range strings.Split(uitest.Plain(m), "\n") {
			if strings.HasPrefix(l, "Served") {
				return strings.TrimSpace(l)
			}
		}
		return ""
	}
	m, c, _ := open(t, "dark", "credit-risk", 200, 50)
	if got := line(m); got != "" {
		t.Errorf("without a provider: %q, want no section", got)
	}
	p := &fakeServed{err: errors.New("query request_rate: connection refused")}
	c.Served = p
	m = New(c, "credit-risk")
	m.SetSize(200, 50)
	if got := line(m); got != "Served   loading which versions served in the last 30 days…" {
		t.Errorf("before the answer: %q", got)
	}
	m.Update(m.fetchServed(true)())
	if got := line(m); got != "Served   serving history unavailable: query request_rate: connection refused" {
		t.Errorf("after a failure: %q", got)
	}
	m.Update(common.ServedMsg{Model: "credit-risk", From: c.Now.Add(-common.ServedRange), To: c.Now, Intervals: []fleet.ServedInterval{}})
	if got, want := line(m), "Served   no version took traffic in the 30 days to "+c.Now.UTC().Format("Jan 02 15:04")+" UTC"; got != want {
		t.Errorf("no traffic: %q", got)
	}
	m.Update(common.ServedMsg{Model: "other", From: c.Now.Add(-common.ServedRange), To: c.Now, Intervals: creditRiskServed()})
	if got := line(m); !strings.Contains(got, "no version took traffic") {
		t.Errorf("another model's answer was taken: %q", got)
	}
}

// One fetch when the screen opens, then at most one per servedEvery as
// snapshots arrive.
func TestServedFetchPacing(t *testing.T) {
	c := uitest.Common("dark")
	p := &fakeServed{ivs: creditRiskServed()}
	c.Served = p
	m := New(c, "credit-risk")
	m.SetSize(120, 40)
	if m.fetchServed(true) == nil {
		t.Fatal("no fetch when the screen opens")
	}
	first := m.srv.asked
	snap := *c.Snapshot
	for i := range 10 {
		c.Now = c.Now.Add(20 * time.Second)
		m.Update(common.SnapshotMsg{Snapshot: snap})
		if !m.srv.asked.Equal(first) {
			t.Fatalf("snapshot %d asked again %s after the first", i, c.Now.Sub(first))
		}
	}
	c.Now = c.Now.Add(servedEvery)
	m.Update(common.SnapshotMsg{Snapshot: snap})
	if !m.srv.asked.Equal(c.Now) {
		t.Errorf("no fetch %s after the last", servedEvery)
	}
}

// An empty history (a server that began scraping moments ago) is asked for
// again within servedEmptyEvery, not servedEvery.
func TestEmptyServedIsAskedAgainSoon(t *testing.T) {
	c := uitest.Common("dark")
	c.Served = &fakeServed{}
	m := New(c, "credit-risk")
	m.SetSize(120, 40)
	m.fetchServed(true)
	m.Update(common.ServedMsg{Model: "credit-risk", From: c.Now.Add(-30 * 24 * time.Hour), To: c.Now, Intervals: []fleet.ServedInterval{}})
	first := m.srv.asked
	snap := *c.Snapshot
	c.Now = c.Now.Add(servedEmptyEvery / 2)
	m.Update(common.SnapshotMsg{Snapshot: snap})
	if !m.srv.asked.Equal(first) {
		t.Fatalf("asked again after %s", servedEmptyEvery/2)
	}
	c.Now = c.Now.Add(servedEmptyEvery / 2)
	m.Update(common.SnapshotMsg{Snapshot: snap})
	if !m.srv.asked.Equal(c.Now) {
		t.Errorf("an empty history was not asked for again after %s", servedEmptyEvery)
	}
}

// A slow live read that lands after a look back's answer is not kept: the
// strip stays the one ending at the time looked at.
func TestALateLiveAnswerDoesNotReplaceALookBack(t *testing.T) {
	c := uitest.Common("dark")
	c.Served = &fakeServed{ivs: creditRiskServed()}
	m := New(c, "credit-risk")
	m.SetSize(200, 50)
	live := m.fetchServed(true) // the live read, slow to answer
	c.At = day(-5)
	m.Update(common.RangeMsg{})
	m.Update(common.ServedMsg{Model: "credit-risk", From: day(-35), To: day(-5), Intervals: creditRiskServed()[:2]})
	m.Update(live())
	if !m.srv.to.Equal(day(-5)) || len(m.srv.ivs) != 2 {
		t.Errorf("strip to %v with %d intervals, want the look back's: to %v, 2 intervals", m.srv.to, len(m.srv.ivs), day(-5))
	}
}

// After a strip, a failed read keeps it and says so beside it, with when
// the strip is from; an answer that brought intervals with an error says
// the error under its strip.
func TestAFailureAfterAStripIsShown(t *testing.T) {
	p := &fakeServed{ivs: creditRiskServed()}
	m := openServed(t, "credit-risk", 200, 50, p)
	stripAt := m.c.Now
	m.c.Now = m.c.Now.Add(servedEvery)
	p.ivs, p.err = nil, errors.New("query request_rate: connection refused")
	m.Update(m.fetchServed(true)())
	view := uitest.Plain(m)
	want := "⚠ as of " + stripAt.UTC().Format("Jan 02 15:04") + " UTC: query request_rate: connection refused"
	if !strings.Contains(view, want) || !strings.Contains(view, "v11") {
		t.Errorf("view lacks the kept strip and %q:\n%s", want, view)
	}
	p.ivs, p.err = creditRiskServed(), errors.New("query error_ratio: connection refused")
	m.Update(m.fetchServed(true)())
	view = uitest.Plain(m)
	if !strings.Contains(view, "⚠ query error_ratio: connection refused") || strings.Contains(view, "UTC: query") {
		t.Errorf("a partial answer's error is not said under its strip:\n%s", view)
	}
}

func TestGoldenServedStale(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		name := fmt.Sprintf("credit-risk-served-stale-dark-%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			p := &fakeServed{ivs: creditRiskServed()}
			m := openServed(t, "credit-risk", sz[0], sz[1], p)
			m.c.Now = m.c.Now.Add(servedEvery)
			p.ivs, p.err = nil, errors.New("query request_rate: connection refused")
			m.Update(m.fetchServed(true)())
			view := m.View()
			uitest.CheckSize(t, view, sz[0], sz[1])
			uitest.Golden(t, name, view)
		})
	}
}

// A failed read after an empty history says so too: "no traffic" is that
// older read's, not a present fact.
func TestAFailureAfterAnEmptyHistoryIsShown(t *testing.T) {
	p := &fakeServed{ivs: []fleet.ServedInterval{}}
	m := openServed(t, "credit-risk", 200, 50, p)
	emptyAt := m.c.Now
	m.c.Now = m.c.Now.Add(servedEmptyEvery)
	p.ivs, p.err = nil, errors.New("query request_rate: connection refused")
	m.Update(m.fetchServed(true)())
	view := uitest.Plain(m)
	want := "⚠ as of " + emptyAt.UTC().Format("Jan 02 15:04") + " UTC: query request_rate: connection refused"
	if !strings.Contains(view, "no version took traffic") || !strings.Contains(view, want) {
		t.Errorf("view lacks the empty history and %q:\n%s", want, view)
	}
}

package fleetscreen

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

func TestDefaultSortIsWorstFirst(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	got := order(m)
	if len(got) < 2 || got[0] != "payments-fraud" || got[1] != "image-tagger" {
		t.Fatalf("order = %v, want payments-fraud, image-tagger first", got)
	}
	// Status rank never improves going down; within a rank, findings
	// never increase; within equal findings, names ascend.
	for i := 1; i < len(m.view); i++ {
		a, b := &m.entries[m.view[i-1]], &m.entries[m.view[i]]
		switch {
		case a.rank > b.rank:
			t.Errorf("%s (rank %d) above %s (rank %d)", a.name, a.rank, b.name, b.rank)
		case a.rank == b.rank && a.findings < b.findings:
			t.Errorf("%s (%d findings) above %s (%d)", a.name, a.findings, b.name, b.findings)
		case a.rank == b.rank && a.findings == b.findings && a.name > b.name:
			t.Errorf("%s above %s with equal health", a.name, b.name)
		}
	}
	if first := plainLines(m)[1]; !strings.Contains(first, "payments-fraud") {
		t.Errorf("first drawn line = %q", first)
	}
}

func TestSortKeyCycles(t *testing.T) {
	m := newScreen(t, "dark", 200, 50)
	press(m, "s")
	if m.sort != col("MODEL") {
		t.Fatalf("s: sort = %v, want name", m.sort)
	}
	names := order(m)
	if !slices.IsSorted(names) {
		t.Errorf("by name: %v", names)
	}
	if h := plainLines(m)[0]; !strings.Contains(h, "MODEL▲") {
		t.Errorf("header lacks MODEL▲: %q", h)
	}
	press(m, "S")
	if got := order(m); !slices.Equal(got, reversed(names)) {
		t.Errorf("S: %v, want %v", got, reversed(names))
	}
	if h := plainLines(m)[0]; !strings.Contains(h, "MODEL▼") {
		t.Errorf("header lacks MODEL▼: %q", h)
	}

	press(m, "s") // req/s, busiest first, reverse cleared
	if m.sort != col("REQ/S") || m.reverse {
		t.Fatalf("sort = %v reverse %v", m.sort, m.reverse)
	}
	checkMonotone(t, m, col("REQ/S"), true)
	if h := plainLines(m)[0]; !strings.Contains(h, "REQ/S▼") {
		t.Errorf("header lacks REQ/S▼: %q", h)
	}
	press(m, "S")
	checkMonotone(t, m, col("REQ/S"), false)

	for _, k := range []colID{col("P95"), col("ERR"), col("QUALITY"), col("DRIFT"), col("LABELS")} {
		press(m, "s")
		if m.sort != k {
			t.Fatalf("sort = %v, want %v", m.sort, k)
		}
		checkMonotone(t, m, k, true)
	}
	press(m, "s")
	if m.sort != col("") || order(m)[0] != "payments-fraud" {
		t.Errorf("cycle did not return to severity: %v %v", m.sort, order(m))
	}
}

// The sorted column stays on screen even where it would drop for width.
func TestSortedColumnIsKept(t *testing.T) {
	m := newScreen(t, "dark", 80, 24)
	if strings.Contains(plainLines(m)[0], "LABELS") {
		t.Fatal("labels shown at 80 columns before sorting by them")
	}
	m.setSort(col("LABELS"), false)
	if h := plainLines(m)[0]; !strings.Contains(h, "LABELS▼") {
		t.Errorf("header lacks LABELS▼ when sorted by label age: %q", h)
	}
}

// checkMonotone asserts known values run in the sort direction and
// unknowns come last.
func checkMonotone(t *testing.T, m *Model, k colID, desc bool) {
	t.Helper()
	prev, seenUnknown := math.NaN(), false
	for _, pos := range m.view {
		e := &m.entries[pos]
		v := e.value(k)
		if math.IsNaN(v) {
			seenUnknown = true
			continue
		}
		if seenUnknown {
			t.Errorf("%v: known %s after an unknown", k, e.name)
		}
		if !math.IsNaN(prev) && ((desc && v > prev) || (!desc && v < prev)) {
			t.Errorf("%v desc=%v: %s (%g) after %g", k, desc, e.name, v, prev)
		}
		prev = v
	}
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

// Lower RMSE is better: a rise reads as worse, a fall as better.
func TestQualityDeltaIsDirectionAware(t *testing.T) {
	g := newScreen(t, "dark", 80, 24).c.Glyphs
	cases := []struct {
		name       string
		metric     string
		live, base float64
		want       string
		tone       tone
	}{
		{"rmse rise is worse", "rmse", 12.8, 12.4, "rmse 12.8 ▼3.2%", toneWorse},
		{"rmse fall is better", "rmse", 12.0, 12.4, "rmse 12 ▲3.2%", toneBetter},
		{"rmse within 1% is the same", "rmse", 12.45, 12.4, "rmse 12.4 ≈", toneMuted},
		{"auc drop is worse", "auc", 0.81, 0.88, "auc .81 ▼.07", toneWorse},
		{"auc rise is better", "auc", 0.93, 0.91, "auc .93 ▲.02", toneBetter},
		{"auc within .005 is the same", "auc", 0.873, 0.876, "auc .87 ≈", toneMuted},
		{"accuracy abbreviated", "accuracy", 0.88, 0.91, "acc .88 ▼.03", toneWorse},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := fleet.Version{Performance: map[string]float64{c.metric: c.live}, Baseline: map[string]float64{c.metric: c.base}}
			cl := qualityCell(qualityOf(&v), g)
			var text string
			for i := 0; i < cl.n; i++ {
				text += cl.segs[i].s
			}
			if text != c.want {
				t.Errorf("cell = %q, want %q", text, c.want)
			}
			if last := cl.segs[cl.n-1].t; last != c.tone {
				t.Errorf("delta tone = %v, want %v", last, c.tone)
			}
			if w := qualityWidth(qualityOf(&v)); w < cl.width() {
				t.Errorf("width estimate %d < cell width %d", w, cl.width())
			}
		})
	}
}

package comparescreen

import (
	"strings"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestDefaultPair(t *testing.T) {
	v := func(id, track string, serving bool) fleet.Version {
		return fleet.Version{Version: id, Track: track, Serving: serving}
	}
	cases := []struct {
		name      string
		m         fleet.Model
		a, b, why string
		ok        bool
	}{
		{"aliases first", fleet.Model{Aliases: map[string]string{"champion": "3", "challenger": "5"},
			Versions: []fleet.Version{v("4", "stable", true), v("6", "canary", true), v("3", "", false), v("5", "", false)}},
			"3", "5", "champion vs challenger", true},
		{"an alias on a version not listed is skipped", fleet.Model{Aliases: map[string]string{"champion": "3", "challenger": "9"},
			Versions: []fleet.Version{v("3", "stable", true), v("4", "canary", true)}},
			"3", "4", "stable vs canary", true},
		{"stable and canary", fleet.Model{Versions: []fleet.Version{v("1", "stable", true), v("2", "canary", true), v("3", "shadow", true)}},
			"1", "2", "stable vs canary", true},
		{"stable and shadow", fleet.Model{Versions: []fleet.Version{v("21", "stable", true), v("22", "shadow", true)}},
			"21", "22", "stable vs shadow", true},
		{"two newest serving, numbers as numbers", fleet.Model{Versions: []fleet.Version{v("9", "", true), v("10", "", true), v("12", "", false), v("8", "", true)}},
			"9", "10", "two newest serving versions", true},
		{"two newest when fewer than two serve", fleet.Model{Versions: []fleet.Version{v("1", "", true), v("2", "", false)}},
			"1", "2", "two newest versions", true},
		{"one version", fleet.Model{Versions: []fleet.Version{v("1", "stable", true)}}, "", "", "", false},
		{"no versions", fleet.Model{}, "", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := defaultPair(&tc.m)
			if ok != tc.ok || p.a != tc.a || p.b != tc.b || p.why != tc.why {
				t.Errorf("defaultPair = %+v, %v; want %s vs %s (%s), %v", p, ok, tc.a, tc.b, tc.why, tc.ok)
			}
		})
	}
}

// withVersions gives credit-risk two more versions: v10 (registry only,
// with the alias "previous") and v13 (shadow, serving).
func withVersions(c *common.Common) {
	s := uitest.Snapshot()
	for i := range s.Models {
		m := &s.Models[i]
		if m.Name != "credit-risk" {
			continue
		}
		m.Aliases["previous"] = "10"
		rps := 2.0
		m.Versions = append(m.Versions,
			fleet.Version{Version: "13", Track: fleet.TrackShadow, Serving: true, RequestsPerSecond: &rps},
			fleet.Version{Version: "10", InRegistry: true, Baseline: map[string]float64{"auc": 0.86}})
	}
	c.Snapshot = &s
}

func TestTooFewVersionsSaidPlainly(t *testing.T) {
	m, _, _ := open(t, "dark", "image-tagger", "", "", 120, 40)
	v := uitest.Plain(m)
	if !strings.Contains(v, "image-tagger has one version (v2): there is nothing to compare it with") {
		t.Errorf("one version:\n%s", v)
	}
	if m.Title() != "compare" {
		t.Errorf("title = %q", m.Title())
	}
	m, _, _ = open(t, "dark", "nope", "", "", 120, 40)
	if v := uitest.Plain(m); !strings.Contains(v, `no model named "nope" in the latest poll`) {
		t.Errorf("unknown model:\n%s", v)
	}
	m, _, _ = open(t, "dark", "credit-risk", "11", "99", 120, 40)
	if v := uitest.Plain(m); !strings.Contains(v, "v99 is not a version of credit-risk (it has v11, v12)") {
		t.Errorf("unknown version:\n%s", v)
	}
	c := uitest.Common("dark")
	c.Snapshot = nil
	m = New(c, "credit-risk", "", "")
	m.SetSize(80, 24)
	if v := uitest.Plain(m); !strings.Contains(v, "waiting for the first poll") {
		t.Errorf("before the first poll:\n%s", v)
	}
}

func TestMarkTwoVersionsWithSpace(t *testing.T) {
	c := uitest.Common("dark")
	withVersions(c)
	m := New(c, "credit-risk", "", "")
	m.SetSize(200, 50)
	if m.Title() != "compare v11 ↔ v12" {
		t.Fatalf("default title = %q", m.Title())
	}
	if v := uitest.Plain(m); !strings.Contains(v, "[ ] v10 previous") || !strings.Contains(v, "[ ] v13 shadow") {
		t.Fatalf("every version of the model is listed with its track and aliases:\n%s", v)
	}
	// The cursor starts on A (v11); versions are in the model's order: 11, 12, 13, 10.
	keys(m, "right", "right", "right", "space")
	if v := uitest.Plain(m); !strings.Contains(v, "[●] v10") || !strings.Contains(v, "v10 marked: mark one more to compare") {
		t.Fatalf("after marking v10:\n%s", v)
	}
	if m.Title() != "compare v11 ↔ v12" {
		t.Fatalf("one mark must not change the pair: %q", m.Title())
	}
	// Unmark, mark again, then mark v13: the pair is v10 ↔ v13 in marking order.
	keys(m, "space", "space", "left", "space")
	if m.Title() != "compare v10 ↔ v13" {
		t.Fatalf("after marking v10 then v13: %q", m.Title())
	}
	v := uitest.Plain(m)
	for _, want := range []string{"compare v10 ↔ v13 · marked", "[A] v10 previous", "[B] v13 shadow", "A v10", "B v13 shadow"} {
		if !strings.Contains(v, want) {
			t.Errorf("missing %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "[●]") || strings.Contains(v, "marked:") {
		t.Errorf("marks must clear once two make the pair:\n%s", v)
	}
	// v10 is not serving: its live cells are unknown, never zero.
	if !strings.Contains(rowOf(v, "request rate"), "— ") {
		t.Errorf("request rate of a version that does not serve: %q", rowOf(v, "request rate"))
	}
}

func TestSwapAndCycle(t *testing.T) {
	c := uitest.Common("dark")
	withVersions(c)
	m := New(c, "credit-risk", "", "")
	m.SetSize(120, 40)
	keys(m, "tab")
	if m.Title() != "compare v12 ↔ v11" {
		t.Fatalf("after tab: %q", m.Title())
	}
	if got := rowOf(uitest.Plain(m), "latency p95"); !strings.Contains(got, "47ms") || strings.Index(got, "47ms") > strings.Index(got, "44ms") {
		t.Errorf("swapped values must swap columns: %q", got)
	}
	// After the swap B (v11) is 3ms faster at p95: the verdict (B against
	// A, with the hour's requests) calls that shift ≈, too small to act
	// on; the serving row shows the difference without a winner.
	if got := rowOf(uitest.Plain(m), "latency (p95)"); !strings.Contains(got, "≈ -3ms") || !strings.HasSuffix(strings.TrimSpace(got), "≈") {
		t.Errorf("verdict latency after the swap: %q", got)
	}
	if got := strings.Join(strings.Fields(rowOf(uitest.Plain(m), "latency p95")), " "); got != "latency p95 47ms 44ms -3ms" {
		t.Errorf("serving latency after the swap: %q", got)
	}
	keys(m, "]") // A: 12 → 13 (skipping nothing)
	if m.Title() != "compare v13 ↔ v11" {
		t.Fatalf("after ]: %q", m.Title())
	}
	keys(m, "]") // A: 13 → 10
	keys(m, "]") // A: 10 → 11 is B, so 12
	if m.Title() != "compare v12 ↔ v11" {
		t.Fatalf("] must skip B: %q", m.Title())
	}
	keys(m, "[")
	if m.Title() != "compare v10 ↔ v11" {
		t.Fatalf("after [: %q", m.Title())
	}
	keys(m, "}")
	if m.Title() != "compare v10 ↔ v12" {
		t.Fatalf("after }: %q", m.Title())
	}
	keys(m, "{", "{")
	if m.Title() != "compare v10 ↔ v13" {
		t.Fatalf("{ must skip A: %q", m.Title())
	}
}

func TestChosenPairFromNew(t *testing.T) {
	c := uitest.Common("dark")
	withVersions(c)
	m := New(c, "credit-risk", "13", "11")
	m.SetSize(120, 40)
	if m.Title() != "compare v13 ↔ v11" || !strings.Contains(uitest.Plain(m), "· chosen") {
		t.Fatalf("explicit pair: %q\n%s", m.Title(), uitest.Plain(m))
	}
}

// rowOf is the first line of view whose text starts with label.
func rowOf(view, label string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), label) {
			return l
		}
	}
	return ""
}

package fleetscreen

import (
	"slices"
	"strings"
	"testing"

	"github.com/mltop/mltop/ui/common"
)

func TestFilter(t *testing.T) {
	cases := []struct {
		query string
		want  []string // in severity order
	}{
		{"fraud", []string{"payments-fraud"}},
		{"FRAUD", []string{"payments-fraud"}},
		{"v22", []string{"search-ranker"}},
		{"vision", []string{"image-tagger"}},                              // a tag value
		{"/^(churn|eta)-/", []string{"churn-predictor", "eta-predictor"}}, // explicit regex
		{"pred.*r$", []string{"churn-predictor", "eta-predictor"}},        // metacharacters that compile
		{"team=risk", []string{"credit-risk"}},
		{"TEAM=Risk", []string{"credit-risk"}},
		{"team=ris", nil}, // tags match exactly
		{"risk_tier=high", []string{"payments-fraud", "credit-risk"}},
		{"risk_tier=high !fraud", []string{"credit-risk"}},
		{"!/-(predictor|forecast)$/ !risk", []string{"payments-fraud", "image-tagger", "search-ranker"}},
		// Health and track: health=WORD or the bare word, track=NAME.
		{"health=critical", []string{"payments-fraud", "image-tagger"}},
		{"critical", []string{"payments-fraud", "image-tagger"}},
		{"HEALTH=Warn", []string{"credit-risk", "churn-predictor"}},
		{"!ok", []string{"payments-fraud", "image-tagger", "credit-risk", "churn-predictor"}},
		{"!ok risk_tier=high", []string{"payments-fraud", "credit-risk"}},
		{"health=unknown", nil},
		{"track=canary", []string{"credit-risk"}},
		{"track=shadow", []string{"search-ranker"}},
		{"!track=canary team=risk", nil},
		{"track=stable ok", []string{"demand-forecast", "eta-predictor", "search-ranker"}},
		{"", []string{"payments-fraud", "image-tagger", "credit-risk", "churn-predictor", "demand-forecast", "eta-predictor", "search-ranker"}},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			m := newScreen(t, "dark", 120, 40)
			if err := m.SetFilter(c.query); err != nil {
				t.Fatal(err)
			}
			if got := order(m); !slices.Equal(got, c.want) {
				t.Errorf("filter %q = %v, want %v", c.query, got, c.want)
			}
		})
	}
}

func TestFilterHeaderAndEmptyResult(t *testing.T) {
	m := newScreen(t, "dark", 200, 50)
	if err := m.SetFilter("team=risk"); err != nil {
		t.Fatal(err)
	}
	if h := plainLines(m)[0]; !strings.Contains(h, "1 of 7 models · filter team=risk") || !strings.Contains(h, "MODEL") {
		t.Errorf("header = %q", h)
	}
	// Where the header has no room, the summary takes its own line.
	m.SetSize(80, 24)
	lines := plainLines(m)
	if !strings.Contains(lines[0], "1 of 7 models") || !strings.Contains(lines[1], "MODEL") {
		t.Errorf("80 columns: first lines = %q / %q", lines[0], lines[1])
	}
	checkSize(t, m.View(), 80, 24)

	if err := m.SetFilter("team=nobody"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plainLines(m), "\n"), "no model matches team=nobody") {
		t.Errorf("empty result not explained:\n%s", strings.Join(plainLines(m), "\n"))
	}
	if m.Selected() != "" {
		t.Errorf("selected %q with nothing shown", m.Selected())
	}
}

func TestBadRegexKeepsFilter(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	if err := m.SetFilter("team=risk"); err != nil {
		t.Fatal(err)
	}
	if err := m.SetFilter("/[/"); err == nil {
		t.Fatal("bad regex accepted")
	}
	if got := order(m); !slices.Equal(got, []string{"credit-risk"}) {
		t.Errorf("after bad regex: %v, want the old filter's result", got)
	}
	// Through FilterMsg, the error goes to the status bar.
	_, cmd := m.Update(common.FilterMsg{Query: "/(/"})
	if cmd == nil {
		t.Fatal("no status for a bad regex")
	}
	st, ok := cmd().(common.StatusMsg)
	if !ok || !st.Error || !strings.Contains(st.Text, "regular expression") {
		t.Errorf("status = %#v", st)
	}
	if got := order(m); !slices.Equal(got, []string{"credit-risk"}) {
		t.Errorf("after bad FilterMsg: %v", got)
	}
	// A bare term that does not compile is a plain substring, not an error.
	if err := m.SetFilter("fraud("); err != nil {
		t.Errorf("bare term with metacharacters: %v", err)
	}
	if _, cmd := m.Update(common.FilterMsg{Query: ""}); cmd != nil || len(order(m)) != 7 {
		t.Errorf("clearing: cmd %v, %d models", cmd, len(order(m)))
	}
}

func TestFilterBadHealthWord(t *testing.T) {
	m := newScreen(t, "dark", 120, 40)
	err := m.SetFilter("health=broken")
	if err == nil || !strings.Contains(err.Error(), "ok, warn, critical or unknown") {
		t.Fatalf("health=broken: error %v, want the health words named", err)
	}
}

package graph

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/ui/uitest"
)

func ramp(n int, from, step float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + float64(i)*step
	}
	return out
}

func TestPlotFillsItsBox(t *testing.T) {
	th := uitest.Common("dark").Theme
	opt := Options{Format: human.Percent, ZeroSpan: 0.01, MinPlotWidth: 2}
	for _, ascii := range []bool{false, true} {
		for _, sz := range [][2]int{{20, 2}, {40, 5}, {100, 8}} {
			series := []Series{{Values: Constant(0.5, 60), Line: Reference}, {Values: ramp(60, 0.1, 0.01), Line: Primary}}
			lines := Plot(th, ascii, series, opt, sz[0], sz[1])
			if len(lines) != sz[1] {
				t.Fatalf("%dx%d: %d lines", sz[0], sz[1], len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Errorf("%dx%d: line %d is %d wide: %q", sz[0], sz[1], i, w, ansi.Strip(l))
				}
				if ascii && strings.ContainsAny(ansi.Strip(l), "─┄│╭╮╰╯┤┼") {
					t.Errorf("ASCII graph draws box drawing: %q", ansi.Strip(l))
				}
			}
			if top := ansi.Strip(lines[0]); !strings.HasPrefix(strings.TrimSpace(top), "69.0%") {
				t.Errorf("top label is not the highest value: %q", top)
			}
		}
	}
}

func TestPlotWithoutDataOrRoom(t *testing.T) {
	th := uitest.Common("dark").Theme
	opt := Options{Format: human.Rate, ZeroSpan: 1, MinPlotWidth: 4}
	gaps := []float64{math.NaN(), math.NaN()}
	for name, series := range map[string][]Series{
		"none":      nil,
		"only gaps": {{Values: gaps}},
		"empty":     {{Values: nil}},
		"unequal":   {{Values: ramp(5, 1, 1)}, {Values: ramp(6, 1, 1), Line: Secondary}},
	} {
		if got := Plot(th, false, series, opt, 60, 5); got != nil {
			t.Errorf("%s: drew %d lines", name, len(got))
		}
	}
	if got := Plot(th, false, []Series{{Values: ramp(5, 1, 1)}}, opt, 10, 5); got != nil {
		t.Error("drew a plot narrower than MinPlotWidth")
	}
	if got := Plot(th, false, []Series{{Values: ramp(5, 1, 1)}}, opt, 60, 1); got != nil {
		t.Error("drew a one-row plot")
	}
}

func TestPlotFlatZeroSitsAtTheBottom(t *testing.T) {
	th := uitest.Common("dark").Theme
	lines := Plot(th, false, []Series{{Values: Constant(0, 30)}}, Options{Format: human.Percent, ZeroSpan: 0.01, MinPlotWidth: 2}, 40, 3)
	if top, bottom := ansi.Strip(lines[0]), ansi.Strip(lines[2]); !strings.Contains(top, "1.0%") || !strings.Contains(bottom, "0.0%") ||
		!strings.Contains(bottom, "─") {
		t.Errorf("flat zero:\n%s\n%s\n%s", top, ansi.Strip(lines[1]), bottom)
	}
}

func TestFinerLabelsWhenTheUsualOnesTie(t *testing.T) {
	th := uitest.Common("dark").Theme
	vals := ramp(30, 0.5, 0.00001) // 50.00% … 50.03%
	lines := Plot(th, false, []Series{{Values: vals}}, Options{Format: human.Percent, MinPlotWidth: 2}, 40, 3)
	if top, bottom := ansi.Strip(lines[0]), ansi.Strip(lines[2]); !strings.Contains(top, "50.03%") || !strings.Contains(bottom, "50.00%") {
		t.Errorf("labels do not tell top from bottom:\n%s\n%s", top, bottom)
	}
}

func TestDistinctMiddle(t *testing.T) {
	th := uitest.Common("dark").Theme
	// Top 50.04% and middle 49.97% read alike at the usual precision;
	// the bottom (49.90%) does not.
	vals := []float64{0.4990, 0.5004}
	labels := func(distinct bool) string {
		lines := Plot(th, false, []Series{{Values: vals}}, Options{Format: human.Percent, MinPlotWidth: 2, DistinctMiddle: distinct}, 40, 5)
		return ansi.Strip(lines[0]) + ansi.Strip(lines[2]) + ansi.Strip(lines[4])
	}
	if got := labels(false); !strings.Contains(got, "50.0%") || !strings.Contains(got, "49.9%") {
		t.Errorf("usual labels: %q", got)
	}
	if got := labels(true); !strings.Contains(got, "50.04%") || !strings.Contains(got, "49.97%") || !strings.Contains(got, "49.90%") {
		t.Errorf("finer labels: %q", got)
	}
}

func TestFillGaps(t *testing.T) {
	nan := math.NaN()
	vals := []float64{nan, 1, nan, math.Inf(1), 4, nan}
	first, last := FillGaps(vals)
	if first != 1 || last != 4 {
		t.Fatalf("first %d last %d, want 1 and 4", first, last)
	}
	want := []float64{nan, 1, 1, 1, 4, nan}
	for i := range vals {
		if vals[i] != want[i] && !(math.IsNaN(vals[i]) && math.IsNaN(want[i])) {
			t.Errorf("vals = %v, want %v", vals, want)
			break
		}
	}
	if first, last := FillGaps([]float64{nan, math.Inf(-1)}); first != -1 || last != -1 {
		t.Errorf("no data: first %d last %d", first, last)
	}
}

func TestLegendGlyphsMatchTheLines(t *testing.T) {
	th := uitest.Common("dark").Theme
	plain := uitest.Common("no-color").Theme
	for _, tc := range []struct {
		line    Line
		noColor bool
		ascii   bool
		want    string
	}{
		{Primary, false, false, "─"}, {Secondary, false, false, "─"}, {Reference, false, false, "┄"},
		{Primary, false, true, "-"}, {Reference, false, true, "."},
		{Primary, true, false, "─"}, {Secondary, true, false, "═"}, {Reference, true, false, "┄"},
		{Primary, true, true, "-"}, {Secondary, true, true, "="}, {Reference, true, true, "."},
	} {
		theme := th
		if tc.noColor {
			theme = plain
		}
		if got := tc.line.Glyph(theme, tc.ascii); got != tc.want {
			t.Errorf("line %d no-color %v ascii %v: %q, want %q", tc.line, tc.noColor, tc.ascii, got, tc.want)
		}
	}
}

// Without colours the two lines of a pair are told apart by their glyphs:
// every cell of the graph belongs to one set or the other.
func TestNoColorPairLinesDiffer(t *testing.T) {
	th := uitest.Common("no-color").Theme
	if !th.NoColor {
		t.Fatal("the no-color fixture theme has colours")
	}
	opt := Options{Format: human.Percent, ZeroSpan: 0.01, MinPlotWidth: 2}
	for _, ascii := range []bool{false, true} {
		// A rising line under a level one: they never share a cell.
		series := []Series{{Values: ramp(40, 0.1, 0.001), Line: Primary}, {Values: Constant(0.9, 40), Line: Secondary}}
		text := ansi.Strip(strings.Join(Plot(th, ascii, series, opt, 60, 8), "\n"))
		a, b := "─", "═"
		if ascii {
			a, b = "-", "="
		}
		if !strings.Contains(text, a) || !strings.Contains(text, b) {
			t.Errorf("ascii %v: the pair's lines are not drawn apart (want %q and %q):\n%s", ascii, a, b, text)
		}
		if strings.ContainsAny(text, "\x1b") {
			t.Errorf("ascii %v: colours in a no-color graph", ascii)
		}
	}
	// With colours the pair keeps the same glyph; colour tells them apart.
	series := []Series{{Values: Constant(0.1, 20), Line: Primary}, {Values: Constant(0.9, 20), Line: Secondary}}
	if text := ansi.Strip(strings.Join(Plot(uitest.Common("dark").Theme, false, series, opt, 40, 6), "\n")); strings.Contains(text, "═") {
		t.Errorf("the coloured graph changed its glyphs:\n%s", text)
	}
}

// A flat line is drawn on the row labelled with its value, at every
// height: with an even number of rows its value used to fall between two
// rows, and a flat 50 % line was drawn on the row labelled 55 %.
func TestPlotFlatLineSitsOnItsValuesRow(t *testing.T) {
	th := uitest.Common("dark").Theme
	for _, c := range []struct {
		v   float64
		opt Options
	}{
		{0.5, Options{Format: human.Percent, ZeroSpan: 0.01, MinPlotWidth: 2}},
		{0.037, Options{Format: human.Percent, ZeroSpan: 0.01, MinPlotWidth: 2, DistinctMiddle: true}},
		{42, Options{Format: human.Rate, ZeroSpan: 1, MinPlotWidth: 2}},
		{0.044, Options{Format: human.Seconds, ZeroSpan: 0.1, MinPlotWidth: 2}},
		{-3, Options{Format: human.Score, ZeroSpan: 1, MinPlotWidth: 2}},
	} {
		for rows := 2; rows <= 60; rows++ {
			lines := Plot(th, false, []Series{{Values: Constant(c.v, 30)}}, c.opt, 60, rows)
			if len(lines) != rows {
				t.Fatalf("%v at %d rows: %d lines", c.v, rows, len(lines))
			}
			drawn := -1
			for i, l := range lines {
				// The axis is ┤, or ┼ where the line starts on it.
				_, plot, _ := strings.Cut(strings.Replace(ansi.Strip(l), "┼", "┤", 1), "┤")
				if strings.Contains(plot, "─") {
					if drawn >= 0 {
						t.Fatalf("%v at %d rows: drawn on rows %d and %d", c.v, rows, drawn, i)
					}
					drawn = i
				}
			}
			if want := (rows - 1) / 2; drawn != want {
				t.Errorf("%v at %d rows: drawn on row %d, want the middle row %d", c.v, rows, drawn, want)
				continue
			}
			label, _, _ := strings.Cut(ansi.Strip(lines[drawn]), "┼")
			label = strings.TrimSpace(label)
			labelled := drawn == 0 || rows >= 5
			if labelled && label != c.opt.Format(c.v) && label != fineFormat(c.opt.Format)(c.v) {
				t.Errorf("%v at %d rows: drawn on the row labelled %q", c.v, rows, label)
			}
		}
	}
}

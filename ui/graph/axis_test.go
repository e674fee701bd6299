package graph

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/uitest"
)

var axisFrom = time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)

func minute(m float64) time.Time { return axisFrom.Add(time.Duration(m * float64(time.Minute))) }

func TestColumn(t *testing.T) {
	to := minute(60)
	for _, c := range []struct {
		at   time.Time
		want int
		in   bool
	}{
		{minute(0), 0, true},
		{minute(60), 60, true},
		{minute(30), 30, true},
		{minute(12.4), 12, true},
		{minute(12.6), 13, true},
		{minute(-0.4), 0, true}, // within half a column of the first
		{minute(-0.6), 0, false},
		{minute(60.4), 60, true},
		{minute(60.6), 0, false},
		{minute(-600), 0, false},
	} {
		got, ok := Column(axisFrom, to, 61, c.at)
		if ok != c.in || (ok && got != c.want) {
			t.Errorf("Column(%s) = %d, %v; want %d, %v", c.at.Format("15:04:05"), got, ok, c.want, c.in)
		}
	}
	if _, ok := Column(axisFrom, axisFrom, 61, axisFrom); ok {
		t.Error("an empty range places events")
	}
}

// markAt is the column of the plot (0 = its first data column) where the
// axis row of a Plot with axis shows glyph, or -1s when absent.
func marksIn(row string, labelW int, glyph string) []int {
	var out []int
	for i, r := range []rune(ansi.Strip(row)) {
		if string(r) == glyph && i >= labelW+2 {
			out = append(out, i-labelW-2)
		}
	}
	return out
}

func TestEventMarkersAreDrawnAtTheirColumn(t *testing.T) {
	th := uitest.Common("dark").Theme
	const labelW, plotW = 6, 61 // a column a minute over an hour
	width := labelW + 2 + plotW
	// A spike at 02:30 in the data, so the mark can be checked against
	// where the plot draws the same time.
	vals := make([]float64, 61)
	vals[30] = 1
	ax := &TimeAxis{From: minute(0), To: minute(60), Times: true, Marks: []Mark{
		{minute(0), fleet.EventDeploy},         // first column
		{minute(60), fleet.EventAlert},         // last column
		{minute(30), fleet.EventAlias},         // middle
		{minute(45), fleet.EventAction},        // two kinds on one column
		{minute(45.2), fleet.EventDriftOnset},  //
		{minute(20), fleet.EventRolloutStep},   // two of one kind: its own mark
		{minute(20.1), fleet.EventRolloutStep}, //
		{minute(-5), fleet.EventStage},         // before the range: not drawn
		{minute(61), fleet.EventStage},         // after it: not drawn
	}}
	for _, ascii := range []bool{false, true} {
		g := themes.UnicodeEvents
		if ascii {
			g = themes.ASCIIEvents
		}
		lines := Plot(th, ascii, []Series{{Values: vals}}, Options{Format: human.Rate, MinPlotWidth: 2, Axis: ax}, width, 4)
		if len(lines) != 6 {
			t.Fatalf("ascii %v: %d lines, want 4 rows of plot, the axis and the times", ascii, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != width {
				t.Errorf("ascii %v: line %d is %d wide, want %d: %q", ascii, i, w, width, ansi.Strip(l))
			}
		}
		axis := lines[4]
		for glyph, want := range map[string][]int{
			g.Deploy: {0}, g.Alert: {60}, g.Alias: {30}, g.Several: {45}, g.RolloutStep: {20}, g.Stage: nil,
		} {
			if got := marksIn(axis, labelW, glyph); !equalInts(got, want) {
				t.Errorf("ascii %v: %q at columns %v, want %v: %q", ascii, glyph, got, want, ansi.Strip(axis))
			}
		}
		// The plot draws 02:30's spike on the column the mark is on.
		// The spike's top is drawn over three columns ("╭─╮"): its middle.
		top := map[bool]string{false: "─", true: "-"}[ascii]
		peak := -1
		if cols := marksIn(lines[1], labelW, top); len(cols) == 1 {
			peak = cols[0]
		}
		if peak != 30 {
			t.Errorf("ascii %v: the spike at 02:30 is drawn at column %d, its mark at 30:\n%s", ascii, peak, ansi.Strip(strings.Join(lines, "\n")))
		}
		times := ansi.Strip(lines[5])
		if !strings.HasPrefix(times[labelW+2:], "02:00") || !strings.HasSuffix(times, "03:00") || !strings.Contains(times, "02:30") {
			t.Errorf("ascii %v: times row %q does not name the range's ends and middle", ascii, times)
		}
		if i := strings.Index(times, "02:30"); i != labelW+2+30-2 {
			t.Errorf("ascii %v: 02:30 is named at %d, want centred on column 30 (%d)", ascii, i, labelW+2+30-2)
		}
		if ascii {
			for _, l := range lines {
				for _, r := range ansi.Strip(l) {
					if r > 127 {
						t.Errorf("ASCII graph draws %q: %q", r, ansi.Strip(l))
						break
					}
				}
			}
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTimesInTheZoneShown(t *testing.T) {
	th := uitest.Common("dark").Theme
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone data")
	}
	rows := AxisRows(th, false, TimeAxis{From: minute(0), To: minute(24 * 60), Loc: ny, Times: true}, 0, 100)
	times := ansi.Strip(rows[1])
	// 02:00 UTC is 21:00 the day before in New York: ticks every two
	// hours start at 22:00 there (at 23:00 if rounded in UTC).
	if !strings.HasPrefix(strings.TrimSpace(times), "22:00") || strings.Contains(times, "23:00") {
		t.Errorf("times row %q is not in New York time", times)
	}
	for _, r := range rows {
		if w := ansi.StringWidth(r); w != 102 {
			t.Errorf("row is %d wide, want 102", w)
		}
	}
}

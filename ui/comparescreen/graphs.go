package comparescreen

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/history"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/graph"
)

// graphSpec is one overlaid graph: a role (and its extra label) for both versions.
type graphSpec struct {
	title  string
	role   fleet.Role
	extra  string
	format func(float64) string
}

// graphSpecs are the graphs under the table: traffic, latency, errors and
// the headline quality metric.
func graphSpecs(a, b *fleet.Version) []graphSpec {
	specs := []graphSpec{{title: "request rate", role: fleet.RoleRequestRate, format: human.Rate}}
	if known(a.Latency.P95) || known(b.Latency.P95) || !known(a.Latency.Mean) && !known(b.Latency.Mean) {
		specs = append(specs, graphSpec{title: "latency p95", role: fleet.RoleLatencyP95, format: human.Seconds})
	} else {
		specs = append(specs, graphSpec{title: "latency (mean)", role: fleet.RoleLatencyMean, format: human.Seconds})
	}
	specs = append(specs, graphSpec{title: "error ratio", role: fleet.RoleErrorRatio, format: human.Percent})
	metric, _, _ := a.PrimaryMetric()
	if metric == "" {
		metric, _, _ = b.PrimaryMetric()
	}
	if metric != "" {
		specs = append(specs, graphSpec{title: termsafe.Clean(metric) + " (live)", role: fleet.RolePerformance, extra: metric, format: human.Score})
	}
	return specs
}

// graphBlock draws one graph: a title line with the legend, then rows
// lines of plot and the time axis with the events marked, every line
// exactly width cells.
func graphBlock(th *themes.Theme, ascii bool, spec graphSpec, win history.Window, model, verA, verB string, width, rows int, axis *graph.TimeAxis) []string {
	va := win.Values(history.Key{Role: spec.role, Model: model, Version: verA, Extra: spec.extra})
	vb := win.Values(history.Key{Role: spec.role, Model: model, Version: verB, Extra: spec.extra})
	firstA, _ := graph.FillGaps(va)
	firstB, _ := graph.FillGaps(vb)
	legend := func(style func(...string) string, line graph.Line, ver string, first int) string {
		s := versionLabel(ver) + " " + style(line.Glyph(th, ascii))
		if first < 0 {
			s += th.Muted.Render(" no data")
		}
		return s
	}
	title := th.Header.Render(spec.title) + "  " + legend(th.Graph1.Render, graph.Primary, verA, firstA) + "  " +
		legend(th.Graph2.Render, graph.Secondary, verB, firstB)
	out := []string{common.Fit(title, width)}
	plot := graph.Plot(th, ascii, []graph.Series{{Values: va, Line: graph.Primary}, {Values: vb, Line: graph.Secondary}},
		graph.Options{Format: spec.format, ZeroSpan: 1e-9, MinPlotWidth: 4, DistinctMiddle: true, Axis: axis}, width, rows)
	if plot == nil {
		return append(out, common.Fit("  "+th.Muted.Render("no data in this range"), width))
	}
	return append(out, plot...)
}

// Package report renders snapshots as plain text for scripts and terminals
// that are not a dashboard: `mltop snapshot --format table`.
package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// Table writes the sources and one line per (model, version). Every
// cell passes termsafe.Clean on its way into the table (row does that),
// so no label value, registry field or server error can act on the
// terminal, break a column or start a line of its own.
func Table(w io.Writer, s fleet.Snapshot) error {
	var b strings.Builder
	if lb := s.LookBack; lb != nil {
		termsafe.Fprintf(&b, "AS IT WAS AT %s — not live\n", s.TakenAt.UTC().Format("2006-01-02 15:04:05 UTC"))
		for _, n := range lb.Notes {
			termsafe.Fprintf(&b, "  note: %s\n", n)
		}
	}
	for _, src := range s.Sources {
		state := fmt.Sprintf("ok %dms", src.Latency.Milliseconds())
		if r := src.Recorded; r != nil && len(r.Roles) > 0 {
			state += fmt.Sprintf(", recorded %d/%d roles", len(r.Roles), r.Of)
		}
		if !src.OK {
			state = "error: " + src.Error
			if !src.LastSuccess.IsZero() {
				state += fmt.Sprintf(" (data %s old)", human.Duration(s.TakenAt.Sub(src.LastSuccess)))
			}
		}
		termsafe.Fprintf(&b, "%s (%s): %s\n", src.Name, src.Kind, state)
		for _, warn := range src.Warnings {
			termsafe.Fprintf(&b, "  warning: %s\n", warn)
		}
	}
	b.WriteString("\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	row(tw, "HEALTH", "MODEL", "VERSION", "TRACK", "WEIGHT", "REQ/S", "P95", "ERR", "QUALITY", "DRIFT", "LABELS", "ROLLOUT")
	for i := range s.Models {
		m := &s.Models[i]
		if len(m.Versions) == 0 {
			row(tw, m.Health.Status.String(), m.Name, "—", "", "", "", "", "", "", "", "", rollout(m.Rollout))
			continue
		}
		for j := range m.Versions {
			v := &m.Versions[j]
			name, ro, health := "", "", ""
			if j == 0 {
				name, ro, health = m.Name, rollout(m.Rollout), m.Health.Status.String()
			}
			row(tw, health, name, v.Version, dash(v.Track), opt(v.TrafficWeight, weight),
				opt(v.RequestsPerSecond, human.Rate), latency(v.Latency), opt(v.ErrorRate, human.Percent),
				quality(v), driftCell(v.Drift), labels(v.GroundTruth), ro)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return termsafe.WriteText(w, b.String())
}

// row writes one line of the table, each cell cleaned: a tab or newline
// in a value would break the columns.
func row(tw io.Writer, cells ...string) {
	for i := range cells {
		cells[i] = termsafe.Clean(cells[i])
	}
	_, _ = io.WriteString(tw, strings.Join(cells, "\t")+"\n")
}

func opt(v *float64, f func(float64) string) string {
	if v == nil {
		return "—"
	}
	return f(*v)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func weight(w float64) string { return fmt.Sprintf("%.0f%%", w) }

func latency(l fleet.Latency) string {
	if l.P95 != nil {
		return human.Seconds(*l.P95)
	}
	if l.Mean != nil {
		return human.Seconds(*l.Mean) + " (mean)"
	}
	return "—"
}

func quality(v *fleet.Version) string {
	name, live, base := v.PrimaryMetric()
	switch {
	case name == "":
		return "—"
	case live == nil:
		return fmt.Sprintf("%s — (off %s)", name, human.Score(*base))
	case base == nil:
		return fmt.Sprintf("%s %s", name, human.Score(*live))
	}
	return fmt.Sprintf("%s %s (off %s)", name, human.Score(*live), human.Score(*base))
}

func driftCell(d *fleet.Drift) string {
	if d == nil || d.Score == nil {
		return "—"
	}
	s := fmt.Sprintf("%s %s %s", d.Method, human.Score(*d.Score), d.Feature)
	if d.Drifted != nil && *d.Drifted {
		s += " DRIFT"
	}
	return s
}

func labels(g fleet.GroundTruth) string {
	if g.LastLabelAgeSeconds == nil && g.LabeledFraction == nil {
		return "—"
	}
	return opt(g.LastLabelAgeSeconds, human.Age) + " · " + opt(g.LabeledFraction, human.Percent)
}

func rollout(r *fleet.Rollout) string {
	if r == nil || r.Phase == "" {
		return "—"
	}
	s := r.Phase
	if r.Step != nil && r.Steps != nil {
		s += fmt.Sprintf(" %d/%d", *r.Step, *r.Steps)
	}
	if r.Candidate != "" {
		if w, ok := r.Weights[r.Candidate]; ok {
			s += fmt.Sprintf(" %s@%.0f%%", r.Candidate, w)
		}
	}
	return s
}

package auditreport

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/human"
)

// WriteMarkdown writes the report for people: one section per model, a
// table per kind of record, and what could not be read said where the
// records would be.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Model report: %s to %s (%s)\n\n", mdTime(r.From), mdTime(r.To), human.Duration(r.To.Sub(r.From)))
	fmt.Fprintf(&b, "Generated %s by mltop", mdTime(r.GeneratedAt))
	if r.Model != "" {
		fmt.Fprintf(&b, " for model %s", md(r.Model))
	}
	fmt.Fprintf(&b, ". Metrics were read at a %s step: the start and end of an episode are known to within one step. Times are UTC.\n\n",
		human.Duration(time.Duration(r.StepSeconds*float64(time.Second))))
	if r.Context != "" {
		fmt.Fprintf(&b, "Context %s: its sources, and its records of the audit log.\n\n", md(r.Context))
	}
	b.WriteString("## What could be read\n\n| section | status | detail |\n| --- | --- | --- |\n")
	status := map[string]Status{}
	for _, s := range r.Sections {
		status[s.Name] = s
		fmt.Fprintf(&b, "| %s | %s | %s |\n", s.Name, s.Status, md(s.Detail))
	}
	b.WriteString("\n")
	if len(r.Models) == 0 {
		b.WriteString("No model has a record in the period")
		unknown := 0
		for _, s := range r.Sections {
			if s.Status == StatusUnknown {
				unknown++
			}
		}
		if unknown > 0 {
			fmt.Fprintf(&b, " in the sections that could be read (%d of %d could not: see above)", unknown, len(r.Sections))
		}
		b.WriteString(".\n")
	}
	for _, m := range r.Models {
		writeModel(&b, m, status)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeModel(b *strings.Builder, m Model, status map[string]Status) {
	fmt.Fprintf(b, "## %s\n\n", md(m.Name))
	table(b, "Versions served", status[SectionServed], len(m.Served), []string{"version", "from", "to", "share of traffic", "error ratio"}, func(i int) []string {
		s := m.Served[i]
		er := "unknown"
		if s.ErrorRatio != nil {
			er = pct(*s.ErrorRatio)
		}
		return []string{s.Version, mdTime(s.From), mdTime(s.To), pct(s.Share), er}
	})
	table(b, "Actions", status[SectionActions], len(m.Actions), []string{"requested", "action", "change", "outcome", "by", "reason", "answer", "id"}, func(i int) []string {
		a := m.Actions[i]
		by := a.User
		if a.Host != "" {
			by += "@" + a.Host
		}
		by += " (" + a.Role + ")"
		if a.ApprovedBy != "" {
			by += ", approved by " + a.ApprovedBy
		}
		return []string{mdTime(a.Requested), a.Action, a.Change, a.State + " " + mdTime(a.Time), by, a.Reason, a.Outcome, a.ID}
	})
	table(b, "Alerts fired", status[SectionAlerts], len(m.Alerts), []string{"alert", "version", "from", "to"}, func(i int) []string {
		e := m.Alerts[i]
		return []string{e.Name, or(e.Version, "—"), mdTime(e.From), until(e)}
	})
	table(b, "Error ratio breaches", status[SectionBreaches], len(m.Breaches), []string{"version", "from", "to", "peak", "threshold"}, func(i int) []string {
		e := m.Breaches[i]
		return []string{e.Version, mdTime(e.From), until(e), pctp(e.Peak), pctp(e.Threshold)}
	})
	table(b, "Drift episodes", status[SectionDrift], len(m.Drift), []string{"version", "feature", "method", "from", "to", "worst score", "threshold"}, func(i int) []string {
		e := m.Drift[i]
		return []string{e.Version, e.Name, e.Method, mdTime(e.From), until(e), num(e.Peak), num(e.Threshold)}
	})
	table(b, "Quality below baseline", status[SectionQuality], len(m.Quality), []string{"version", "metric", "from", "to", "worst", "baseline", "drop threshold"}, func(i int) []string {
		e := m.Quality[i]
		return []string{e.Version, e.Name, mdTime(e.From), until(e), num(e.Peak), num(e.Baseline), pctp(e.Threshold)}
	})
	table(b, "Registry: aliases and stages", status[SectionRegistry], len(m.Registry), []string{"seen", "alias or stage", "from", "to"}, func(i int) []string {
		c := m.Registry[i]
		what := "alias " + c.Alias
		if c.Alias == "" {
			what = "stage of v" + c.Version
		}
		return []string{mdTime(c.Time), what, or(c.From, "(none)"), or(c.To, "(removed)")}
	})
}

// table writes one kind of record: unknown with its reason when the
// section could not be read, "none" when there is nothing, else the rows.
func table(b *strings.Builder, title string, st Status, n int, head []string, row func(int) []string) {
	fmt.Fprintf(b, "### %s\n\n", title)
	switch {
	case st.Status == StatusUnknown:
		fmt.Fprintf(b, "**unknown** — %s\n\n", md(st.Detail))
		return
	case n == 0:
		b.WriteString("none in the period")
		if st.Status == StatusPartial {
			fmt.Fprintf(b, " (partly read: %s)", md(st.Detail))
		}
		b.WriteString("\n\n")
		return
	}
	b.WriteString("| " + strings.Join(head, " | ") + " |\n|" + strings.Repeat(" --- |", len(head)) + "\n")
	for i := range n {
		cells := row(i)
		for j := range cells {
			cells[j] = md(cells[j])
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	if st.Status == StatusPartial {
		fmt.Fprintf(b, "\nPartly read: %s\n", md(st.Detail))
	}
	b.WriteString("\n")
}

// md escapes what Markdown would read as markup, so that a name from a
// server stays text (and a table cell stays one cell).
func md(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~", r) {
			b.WriteByte('\\')
		}
		if r == '\n' || r == '\r' {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func mdTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func until(e Episode) string {
	if e.Ongoing {
		return "ongoing (" + mdTime(e.To) + ")"
	}
	return mdTime(e.To)
}

func pctp(v *float64) string {
	if v == nil {
		return "—"
	}
	return pct(*v)
}

func num(v *float64) string {
	if v == nil {
		return "—"
	}
	return trimFloat(*v)
}

func trimFloat(v float64) string { return fmt.Sprintf("%.4g", v) }

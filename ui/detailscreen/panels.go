package detailscreen

import (
	"sort"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
)

// sep joins the parts of a section line.
func (m *Model) sep() string { return m.c.Theme.Subtle.Render(" · ") }

func (m *Model) sectionLabel(s string) string { return m.c.Theme.Header.Render(s) }

// rolloutLines say where the rollout stands, in Argo Rollouts' words:
// "◌ Progressing · canary · Step 2/4 · SetWeight 25 · ActualWeight 25".
func (m *Model) rolloutLines(mod *fleet.Model, width int) []string {
	th, g := m.c.Theme, m.c.Glyphs
	label := m.sectionLabel("Rollout")
	r := mod.Rollout
	if r == nil {
		return append(wrapParts(label, sectionLabelWidth, []string{th.Muted.Render("no rollout")}, m.sep(), width),
			m.inspectionLines(mod, width)...)
	}
	phase := termsafe.Clean(r.Phase)
	var icon string
	st := th.Unknown
	switch r.Phase {
	case "Healthy":
		icon, st = g.OK, th.OK
	case "Progressing":
		icon, st = g.Progressing, th.Progressing
	case "Paused":
		icon, st = g.Paused, th.Paused
	case "Degraded", "Aborted":
		icon, st = g.Aborted, th.Bad
	default:
		icon = g.Unknown
		if phase == "" {
			phase = "phase unknown"
		}
	}
	parts := []string{st.Render(icon + " " + phase)}
	if r.Strategy != "" {
		parts = append(parts, th.Text.Render(termsafe.Clean(r.Strategy)))
	}
	if r.Step != nil {
		step := "Step " + strconv.Itoa(*r.Step)
		if r.Steps != nil {
			step += "/" + strconv.Itoa(*r.Steps)
		}
		parts = append(parts, th.Text.Render(step))
	}
	if r.SetWeight != nil {
		parts = append(parts, th.Text.Render("SetWeight "+weightText(*r.SetWeight)))
	}
	if w, ok := r.Weights[r.Candidate]; ok && r.Candidate != "" {
		parts = append(parts, th.Text.Render("ActualWeight "+weightText(w)))
	}
	parts = append(parts, th.Muted.Render("stable ")+th.Stable.Render(versionText(r.Stable)))
	if r.Candidate != "" {
		parts = append(parts, th.Muted.Render("candidate ")+th.Canary.Render(versionText(r.Candidate)))
	} else {
		parts = append(parts, th.Muted.Render("no candidate"))
	}
	out := append(wrapParts(label, sectionLabelWidth, parts, m.sep(), width), m.inspectionLines(mod, width)...)
	return append(out, m.analysisLines(r, m.inspectedRuns(), width)...)
}

func versionText(v string) string {
	if v == "" {
		return "—"
	}
	return "v" + termsafe.Clean(v)
}

// versionTag is "v11" padded so the versions' lines align.
func versionTag(v string, w int) string {
	s := versionText(v)
	return s + strings.Repeat(" ", max(w-lipgloss.Width(s), 0))
}

func tagWidth(vs []*fleet.Version) int {
	w := 0
	for _, v := range vs {
		w = max(w, lipgloss.Width(versionText(v.Version)))
	}
	return w
}

// labelLines are each version's ground truth: label delay, labelled share,
// newest label's age and so how old the quality figure is.
func (m *Model) labelLines(vs []*fleet.Version, width int) []string {
	th := m.c.Theme
	var out []string
	tw := tagWidth(vs)
	for i, v := range vs {
		label := ""
		if i == 0 {
			label = m.sectionLabel("Labels")
		}
		gt := v.GroundTruth
		tag := th.Bold.Render(versionTag(v.Version, tw)) + " "
		if gt.LabeledFraction == nil && gt.DelayP50Seconds == nil && gt.DelayP95Seconds == nil && gt.LastLabelAgeSeconds == nil {
			out = append(out, wrapParts(label, sectionLabelWidth,
				[]string{tag + th.Muted.Render("no ground truth reported: live quality cannot be measured")}, m.sep(), width)...)
			continue
		}
		parts := []string{
			tag + th.Muted.Render("delay p50 ") + th.Text.Render(ptrText(gt.DelayP50Seconds, human.Age)),
			th.Muted.Render("p95 ") + th.Text.Render(ptrText(gt.DelayP95Seconds, human.Age)),
			th.Muted.Render("labelled ") + th.Text.Render(ptrText(gt.LabeledFraction, human.Percent)),
			m.labelAge(gt),
		}
		parts = append(parts, m.qualityAsOf(v))
		out = append(out, wrapParts(label, sectionLabelWidth, parts, m.sep(), width)...)
	}
	return out
}

// qualityAsOf says how old the live quality figure is, as the snapshot
// computed it (the older of the delay p95 and the newest label), marked
// when it predates the version: the version's own labels are then mostly
// still to come, and the figure says little about it.
func (m *Model) qualityAsOf(v *fleet.Version) string {
	th := m.c.Theme
	asOf := v.GroundTruth.QualityAsOf
	if asOf.IsZero() {
		return th.Muted.Render("quality as of —")
	}
	age := max(m.c.Now.Sub(asOf).Seconds(), 0)
	s := th.Muted.Render("quality as of ") + th.Text.Render(human.Age(age)+" ago") +
		th.Muted.Render(" ("+asOf.In(m.c.Now.Location()).Format("Jan 2 15:04")+")")
	if l := v.Lineage; v.GroundTruth.PredatesVersion && l != nil {
		created := max(m.c.Now.Sub(l.CreatedAt).Seconds(), 0)
		s += " " + th.Warn.Render(m.c.Glyphs.Warn+" older than "+versionText(v.Version)+" (created "+human.Age(created)+" ago)")
	}
	return s
}

// labelAge is the newest label's age, with ⚠ and the threshold when it is
// older than the label-age threshold.
func (m *Model) labelAge(gt fleet.GroundTruth) string {
	age := gt.LastLabelAgeSeconds
	th := m.c.Theme
	if age == nil {
		return th.Muted.Render("newest label —")
	}
	s := th.Muted.Render("newest label ") + th.Text.Render(human.Age(*age)+" ago")
	if t := m.c.Thresholds.LabelAge; gt.Old {
		s = th.Muted.Render("newest label ") + th.Warn.Render(human.Age(*age)+" ago "+m.c.Glyphs.Warn+" > "+human.Duration(t))
	}
	return s
}

// lineageLines say where each version came from: run, source, dataset, git
// commit, author, age, stage, then its offline metrics.
func (m *Model) lineageLines(vs []*fleet.Version, width int) []string {
	th := m.c.Theme
	var out []string
	tw := tagWidth(vs)
	dash := func(s string) string {
		if s = termsafe.Clean(s); s == "" {
			return "—"
		}
		return s
	}
	field := func(name, value string) string { return th.Muted.Render(name+" ") + th.Text.Render(value) }
	for i, v := range vs {
		label := ""
		if i == 0 {
			label = m.sectionLabel("Lineage")
		}
		tag := th.Bold.Render(versionTag(v.Version, tw)) + " "
		var parts []string
		if l := v.Lineage; l != nil {
			run := field("run", short(dash(l.RunID), 8))
			if l.RunName != "" {
				run += th.Text.Render(" \"" + termsafe.Clean(l.RunName) + "\"")
			}
			ds := "—"
			if d := l.Dataset; d != nil {
				ds = dash(d.Name)
				if d.Digest != "" {
					ds += "@" + short(termsafe.Clean(d.Digest), 12)
				}
				if d.Source != "" {
					ds += " (" + termsafe.Clean(d.Source) + ")"
				}
			}
			created := "—"
			if !l.CreatedAt.IsZero() {
				created = human.Duration(m.c.Now.Sub(l.CreatedAt)) + " ago"
			}
			parts = []string{tag + run, field("source", dash(l.Source)), field("dataset", ds),
				field("git", short(dash(l.GitCommit), 8)), field("by", dash(l.CreatedBy)), field("created", created),
				field("stage", dash(l.Stage)), field("status", dash(l.Status))}
		} else {
			msg := "lineage unknown"
			if !v.InRegistry {
				msg = "not in the registry: lineage unknown"
			}
			parts = []string{tag + th.Muted.Render(msg)}
		}
		parts = append(parts, m.offlineMetrics(v.Baseline))
		out = append(out, wrapParts(label, sectionLabelWidth, parts, m.sep(), width)...)
	}
	return out
}

// offlineMetrics lists the registry's evaluation compactly: "offline auc .88 f1 .71".
func (m *Model) offlineMetrics(b map[string]float64) string {
	th := m.c.Theme
	if len(b) == 0 {
		return th.Muted.Render("offline —")
	}
	names := make([]string, 0, len(b))
	for n := range b {
		names = append(names, n)
	}
	sort.Strings(names)
	s := th.Muted.Render("offline")
	for _, n := range names {
		s += th.Muted.Render(" "+termsafe.Clean(n)+" ") + th.Text.Render(human.Score(b[n]))
	}
	return s
}

// short keeps the first n characters of an id, as git and MLflow show them.
func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

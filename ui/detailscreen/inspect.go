package detailscreen

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// inspection is the model's Rollout as the Kubernetes API last described
// it (the pause reason, the analysis runs' measurements), paced like the
// graphs: one read when the screen opens, at most one per refresh after.
type inspection struct {
	have   bool
	ins    actions.RolloutInspection
	err    string // the last read's failure, in plain words; "" after a good read
	serial int
	asked  time.Time // c.Now at the last ask; zero before the first
}

// inspect asks for the Rollout when an inspector exists and a read is due.
func (m *Model) inspect(force bool) tea.Cmd {
	ri := common.InspectorOf(m.c.Actions)
	if ri == nil || m.lookingBack() {
		return nil
	}
	if !force && !m.insp.asked.IsZero() && m.c.Now.Sub(m.insp.asked) < m.c.Refresh {
		return nil
	}
	m.insp.asked = m.c.Now
	var tags map[string]string
	if mod := m.c.FindModel(m.model); mod != nil {
		tags = mod.Tags
	}
	return common.FetchRolloutInspection(ri, m.model, tags)
}

// takeInspection keeps an answer for this model.
func (m *Model) takeInspection(msg common.RolloutInspectionMsg) {
	if msg.Model != m.model {
		return
	}
	m.insp.serial++
	if msg.Err != nil {
		m.insp.err = termsafe.Clean(msg.Err.Error())
		return
	}
	m.insp.have, m.insp.ins, m.insp.err = true, msg.Inspection, ""
}

// inspectionLines say what the API adds to the controller's metrics: why
// the rollout is paused and until when, the controller's message (unless
// it only names the pause reason), and
// every analysis run of the revision with what each metric measured. Runs
// the metrics list and the API does not are left to analysisLines.
func (m *Model) inspectionLines(mod *fleet.Model, width int) []string {
	th := m.c.Theme
	ins := m.insp.ins
	indent := strings.Repeat(" ", sectionLabelWidth)
	var out []string
	line := func(s string) { out = append(out, wrapText(indent, s, width)...) }
	if m.lookingBack() {
		// The API says how the rollout is now, not then.
		if m.insp.have || m.insp.err != "" {
			line(th.Muted.Render("the Kubernetes API's view of the rollout is today's: not shown while looking back"))
		}
		return out
	}
	if m.insp.have && !ins.Found && mod.Rollout != nil {
		line(th.Warn.Render(termsafe.Clean(ins.NotFound)) + th.Muted.Render(": the rollout keys will find nothing to act on"))
	}
	if m.insp.have && ins.Found {
		if mod.Rollout == nil {
			head := "API: " + termsafe.Clean(ins.Phase)
			if ins.Step != "" {
				head += " at step " + termsafe.Clean(ins.Step)
			}
			line(th.Text.Render(head) + th.Muted.Render(" (the controller's metrics have no series for it)"))
		}
		if ins.Aborted {
			line(th.Bad.Render("aborted") + th.Muted.Render(": traffic is back on stable; retry (Y) starts the update again"))
		}
		if ins.Paused != "" {
			line(th.Paused.Render(m.c.Glyphs.Paused+" paused: ") + th.Text.Render(termsafe.Clean(ins.Paused)))
		}
		if ins.Message != "" && !strings.Contains(ins.Paused, ins.Message) {
			line(th.Muted.Render("controller says: ") + th.Text.Render(termsafe.Clean(ins.Message)))
		}
		for _, run := range ins.Analysis {
			out = append(out, m.runLines(run, width)...)
		}
		if ins.AnalysisErr != "" {
			line(th.Warn.Render("analysis runs: " + termsafe.Clean(ins.AnalysisErr)))
		}
	}
	if m.insp.err != "" {
		s := "could not read the rollout from the Kubernetes API: " + m.insp.err
		if m.insp.have {
			s += fmt.Sprintf(" (showing what it said at %s)", ins.ReadAt.UTC().Format("15:04:05 MST"))
		}
		line(th.Warn.Render(s))
	}
	return out
}

// runLines are one AnalysisRun: a line with its phase and every metric's
// phase and latest measurement, then what went wrong, in the run's words.
func (m *Model) runLines(run actions.AnalysisRunDetail, width int) []string {
	th := m.c.Theme
	head := th.Muted.Render("analysis ") + th.Text.Render(termsafe.Clean(run.Name)) + " " + m.analysisPhase(run.Phase)
	if run.Type != "" {
		head += th.Muted.Render(" (" + strings.ToLower(termsafe.Clean(run.Type)) + ")")
	}
	parts := []string{head}
	var why []string
	for _, x := range run.Metrics {
		p := th.Text.Render(termsafe.Clean(x.Name)) + " " + m.analysisPhase(x.Phase)
		if x.Measured != "" {
			p += th.Muted.Render(" measured ") + th.Text.Render(human.Clip(termsafe.Clean(x.Measured), 24))
		}
		if x.Count > 0 {
			p += th.Muted.Render(fmt.Sprintf(" (%d of %d failed)", x.Failed+x.Error, x.Count))
		}
		parts = append(parts, p)
		if x.Message != "" {
			why = append(why, termsafe.Clean(x.Name)+": "+termsafe.Clean(x.Message))
		}
	}
	out := wrapParts("", sectionLabelWidth, parts, m.sep(), width)
	indent := strings.Repeat(" ", sectionLabelWidth+2)
	if run.Message != "" {
		out = append(out, wrapText(indent, th.Muted.Render("says: ")+th.Text.Render(termsafe.Clean(run.Message)), width)...)
	}
	for _, w := range why {
		out = append(out, wrapText(indent, th.Muted.Render(w), width)...)
	}
	return out
}

// wrapText is s after indent, wrapped at the width (ANSI-aware) over at
// most maxMessageLines lines, the last cut with an ellipsis: a message
// is read, not scrolled through.
func wrapText(indent, s string, width int) []string {
	w := width - len(indent)
	if w < 10 {
		return []string{common.Fit(indent+s, width)}
	}
	lines := strings.Split(ansi.Wrap(s, w, " "), "\n")
	if len(lines) > maxMessageLines {
		lines = lines[:maxMessageLines]
		lines[maxMessageLines-1] = ansi.Truncate(lines[maxMessageLines-1], w-1, "") + "…"
	}
	for i, l := range lines {
		lines[i] = common.Fit(indent+l, width)
	}
	return lines
}

// maxMessageLines bounds one message on the page.
const maxMessageLines = 3

// lookingBack reports whether the snapshot shown is of a past time (:at).
func (m *Model) lookingBack() bool { return m.c.Snapshot != nil && !m.c.Snapshot.Live() }

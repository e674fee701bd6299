package driftscreen

import (
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// Data-quality column widths: three at wide screens (missing, out of
// range, unseen), one with the worst of them when narrow.
const (
	dqShareW = 6 // "12.5%", "UNSEEN"
	dqNarrow = 9 // "12% miss", "0.2% miss", "silent"
)

// addDataQuality gives every row of a feature its data quality, and adds
// rows for features only data quality knows (a silent one has no score).
func (vv *versionView) addDataQuality(seen map[string]bool) {
	dq := vv.v.DataQuality
	if dq == nil {
		return
	}
	for i := range dq.Features {
		f := &dq.Features[i]
		found := false
		for k := range vv.rows {
			if vv.rows[k].raw == f.Feature {
				vv.rows[k].dq, found = f, true
			}
		}
		if !found && !seen[f.Feature] {
			seen[f.Feature] = true
			vv.rows = append(vv.rows, row{name: termsafe.Clean(f.Feature), raw: f.Feature, dq: f})
		}
	}
}

func (r row) silent() bool { return r.dq != nil && r.dq.Silent }

// shareText is a share in a cell: "7%", "0.5%", "—" when unknown.
func shareText(p *float64) string {
	if p == nil {
		return "—"
	}
	return strings.ReplaceAll(judge.Percent(*p), " ", "")
}

// dqHeader names the data-quality columns.
func (p painter) dqHeader(l layout) []string {
	if !l.dq {
		return nil
	}
	if l.dqWide {
		return []string{fitRight("MISS", dqShareW), fitRight("OUT", dqShareW), fitRight("UNSEEN", dqShareW)}
	}
	return []string{common.Fit("DATA", dqNarrow)}
}

// dqCells are a row's data-quality cells; an alarming measure in the
// warning style, a silent feature in the critical one.
func (p painter) dqCells(r row, l layout) []string {
	if !l.dq {
		return nil
	}
	f := r.dq
	cell := func(v *float64, alarm bool, w int) string {
		if f == nil {
			return p.th.Muted.Render(fitRight("", w))
		}
		st := p.style(p.th.Text)
		if alarm {
			st = p.style(p.th.Warn)
		}
		if v == nil {
			st = p.th.Muted
		}
		return st.Render(fitRight(shareText(v), w))
	}
	if l.dqWide {
		var miss, out, unseen *float64
		var mAlarm, oAlarm, uAlarm bool
		if f != nil {
			miss, out, unseen = f.MissingShare, f.OutOfRangeShare, f.UnseenShare
			mAlarm, oAlarm, uAlarm = f.MissingAlarm, f.OutOfRangeAlarm, f.UnseenAlarm
		}
		return []string{cell(miss, mAlarm, dqShareW), cell(out, oAlarm, dqShareW), cell(unseen, uAlarm, dqShareW)}
	}
	switch {
	case f == nil:
		return []string{common.Fit("", dqNarrow)}
	case f.Silent:
		return []string{p.style(p.th.Bad).Render(common.Fit("silent", dqNarrow))}
	case f.MissingAlarm:
		return []string{p.style(p.th.Warn).Render(common.Fit(shareText(f.MissingShare)+" miss", dqNarrow))}
	case f.OutOfRangeAlarm:
		return []string{p.style(p.th.Warn).Render(common.Fit(shareText(f.OutOfRangeShare)+" out", dqNarrow))}
	case f.UnseenAlarm:
		return []string{p.style(p.th.Warn).Render(common.Fit(shareText(f.UnseenShare)+" new", dqNarrow))}
	case f.MissingShare != nil:
		return []string{p.th.Muted.Render(common.Fit(shareText(f.MissingShare)+" miss", dqNarrow))}
	}
	return []string{p.th.Muted.Render(common.Fit("—", dqNarrow))}
}

// dqNotes say, under a version's table, what each data-quality problem
// is against (the limit, the reference), the unseen categories by name,
// and the schema's changes.
func (m *Model) dqNotes(vv versionView) []string {
	dq := vv.v.DataQuality
	if dq == nil {
		return nil
	}
	th := m.c.Theme
	var out []string
	note := func(text string, critical bool) {
		st := th.Warn
		if critical {
			st = th.Bad
		}
		for _, l := range common.WrapText(text, m.width-1, 0) {
			out = append(out, " "+st.Render(l))
		}
	}
	for _, f := range dq.Features {
		name := termsafe.Clean(f.Feature)
		if f.Silent {
			note(name+": silent — in the reference, no values now while predictions flow (data quality, not drift)", true)
		}
		if f.MissingAlarm && f.MissingShare != nil && f.MissingLimit != nil {
			ref := "the reference does not say"
			if f.ReferenceMissingShare != nil {
				ref = "reference " + judge.Percent(*f.ReferenceMissingShare)
			}
			share, limit := judge.PercentApart(*f.MissingShare, *f.MissingLimit)
			note(name+": "+share+" missing > limit "+limit+" ("+ref+")", false)
		}
		if f.OutOfRangeAlarm && f.OutOfRangeShare != nil {
			note(name+": "+judge.Percent(*f.OutOfRangeShare)+" of values where the reference had none (out of range)", false)
		}
		if f.UnseenAlarm && f.UnseenShare != nil {
			cats := make([]string, 0, len(f.Unseen))
			for _, u := range f.Unseen {
				cats = append(cats, termsafe.Clean(u.Category)+" "+judge.Percent(u.Share))
			}
			note(name+": "+judge.Percent(*f.UnseenShare)+" in categories the reference never saw: "+strings.Join(cats, ", "), false)
		}
	}
	for _, f := range dq.Features {
		name := termsafe.Clean(f.Feature)
		if f.Unknown != "" {
			out = append(out, m.mutedNote(name+": whether it has values now is unknown — "+termsafe.Clean(f.Unknown))...)
		}
		if f.TooFew != "" {
			out = append(out, m.mutedNote(name+": "+termsafe.Clean(f.TooFew))...)
		}
	}
	var changes []string
	for _, s := range dq.Schema {
		changes = append(changes, termsafe.Clean(s.Feature)+" "+schemaWord(s.Change))
	}
	if len(changes) > 0 {
		out = append(out, m.mutedNote("schema against the reference: "+strings.Join(changes, ", "))...)
	}
	return out
}

// mutedNote is a note that is no alarm, wrapped to the screen.
func (m *Model) mutedNote(text string) []string {
	var out []string
	for _, l := range common.WrapText(text, m.width-1, 0) {
		out = append(out, " "+m.c.Theme.Muted.Render(l))
	}
	return out
}

func schemaWord(change string) string {
	switch change {
	case fleet.SchemaAdded:
		return "added"
	case fleet.SchemaRemoved:
		return "gone"
	case fleet.SchemaType:
		return "changed type"
	}
	return termsafe.Clean(change)
}

// dqVerdict heads a version's verdicts when its inputs are broken, ahead
// of drift: "✖ data quality · " with a silent feature, "⚠ data quality · "
// with another problem; "" otherwise.
func (p painter) dqVerdict(vv versionView) string {
	dq := vv.v.DataQuality
	if dq == nil {
		return ""
	}
	st, icon, any := p.th.Warn, p.g.Warn, false
	for _, f := range dq.Features {
		if f.Silent {
			st, icon = p.th.Bad, p.g.Bad
		}
		any = any || len(f.Problems) > 0
	}
	for _, s := range dq.Schema {
		any = any || s.Change != fleet.SchemaRemoved
	}
	if !any {
		return ""
	}
	return p.style(st).Render(icon+" data quality") + p.th.Muted.Render(" · ")
}

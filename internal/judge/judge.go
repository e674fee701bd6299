package judge

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
)

// Snapshot judges every model of s in place, reading from s's source and
// query status which versions' figures are stale.
func Snapshot(s *fleet.Snapshot, c Config) {
	var a arena
	for i := range s.Models {
		c.model(&s.Models[i], s, &a)
	}
}

// Model judges one model in place, as if all of its data were fresh.
func Model(m *fleet.Model, c Config) { c.model(m, nil, &arena{}) }

func (c Config) model(m *fleet.Model, s *fleet.Snapshot, a *arena) {
	var all []fleet.Finding
	worst := fleet.StatusUnknown
	doubt := false
	for i := range m.Versions {
		v := &m.Versions[i]
		c.version(v, s, a)
		all = append(all, v.Health.Findings...)
		worst = max(worst, v.Health.Status)
		doubt = doubt || v.Data.Stale || len(v.Data.Problems) > 0 || v.WarmingUp || hasUnknown(v.Health.Findings)
	}
	if f, ok := c.silentFinding(m); ok {
		all = append(all, f)
		worst = max(worst, f.Status)
		// A model known only from the hour before has no version to
		// carry the note that its figures are old: it goes here.
		if st := RolesStale(s, silentRoles...); st.Stale && len(m.Versions) == 0 {
			all = append(all, fleet.Finding{Check: fleet.CheckData, Status: fleet.StatusUnknown, Message: staleMessage(s.TakenAt, st.Since)})
			doubt = true
		}
	}
	if r := m.Rollout; r != nil {
		switch r.Phase {
		case "Degraded", "Aborted":
			all = append(all, fleet.Finding{Check: fleet.CheckRollout, Status: fleet.StatusCritical, Message: "rollout " + r.Phase, Breach: true})
			worst = fleet.StatusCritical
		case "Healthy", "Progressing", "Paused":
			if worst == fleet.StatusUnknown && !doubt {
				worst = fleet.StatusOK
			}
		}
	}
	// A model is no healthier than its least known version: one version
	// with stale or impossible figures, or warming up, keeps the model
	// from ✔.
	if doubt && worst == fleet.StatusOK {
		worst = fleet.StatusUnknown
	}
	// Worst first; a stale version's note ranks with its version, ahead of
	// what its old figures said.
	rank := func(f fleet.Finding) fleet.Status {
		if v := m.Version(f.Version); f.Check == fleet.CheckData && v != nil && v.Data.Stale && len(v.Health.Findings) > 0 && f == v.Health.Findings[0] {
			return v.Health.Status
		}
		return f.Status
	}
	sort.SliceStable(all, func(i, j int) bool { return rank(all[i]) > rank(all[j]) })
	m.Health = fleet.Health{Status: worst, Findings: all}
}

func (c Config) version(v *fleet.Version, s *fleet.Snapshot, a *arena) {
	c.judgeDrift(v.Drift, a)
	c.judgeLabels(v)
	c.judgeQuality(v)
	c.judgeEstimate(v)
	v.Data = fleet.DataState{Problems: impossible(v)}
	v.Data.Stale, v.Data.Since = c.staleness(s, v)
	v.ErrorStatus = c.errorStatus(v)
	h := fleet.Health{Status: fleet.StatusUnknown}
	add := func(check string, st fleet.Status, breach bool, format string, args ...any) {
		h.Findings = append(h.Findings, fleet.Finding{Version: v.Version, Check: check, Status: st, Message: fmt.Sprintf(format, args...), Breach: breach})
		h.Status = max(h.Status, st)
	}
	if v.RequestsPerSecond != nil || v.Performance != nil {
		h.Status = fleet.StatusOK
	}
	t := c.Thresholds
	if e := v.ErrorRate; e != nil {
		switch v.ErrorStatus {
		case fleet.StatusCritical:
			if math.IsInf(*e, 1) {
				add(fleet.CheckErrorRate, fleet.StatusCritical, true, "errors with no successful predictions")
			} else {
				add(fleet.CheckErrorRate, fleet.StatusCritical, true, "error rate %.1f%% ≥ %.1f%%", *e*100, t.ErrorRate*100)
			}
		case fleet.StatusWarn:
			// An early warning (past half the threshold), not a breach.
			add(fleet.CheckErrorRate, fleet.StatusWarn, false, "error rate %.1f%% ≥ %.1f%%", *e*100, t.ErrorRate*50)
		}
	}
	c.qualityFindings(v, add)
	c.estimateFindings(v, add)
	unsure := c.latencyFindings(v, add)
	unsure = c.burnFindings(v, add) || unsure
	if v.GroundTruth.Old {
		add(fleet.CheckLabelAge, fleet.StatusWarn, true, "newest label %s old > %s", hours(*v.GroundTruth.LastLabelAgeSeconds), hours(t.LabelAge.Seconds()))
	}
	// Broken inputs look like drift: their findings come first.
	unsure = c.dataQualityFindings(v, add) || unsure
	if msg := driftFinding(v.Drift); msg != "" {
		add(fleet.CheckDrift, fleet.StatusWarn, true, "%s", msg)
	}
	// Faults are never health: what cannot be believed or is not current
	// makes a healthy-looking version unknown, and says why.
	for _, p := range v.Data.Problems {
		h.Findings = append(h.Findings, fleet.Finding{Version: v.Version, Check: fleet.CheckData, Status: fleet.StatusUnknown, Message: p})
	}
	// A version younger than the rate window is on rates that have not
	// settled (they read low, or swing): not ✔ yet. A bad reading stays
	// bad; the note says why the rest is not judged.
	if v.WarmingUp {
		h.Findings = append(h.Findings, fleet.Finding{Version: v.Version, Check: fleet.CheckWarmingUp, Status: fleet.StatusUnknown, Message: warmingMessage(c.RateWindow)})
	}
	if (v.Data.Stale || len(v.Data.Problems) > 0 || v.WarmingUp || unsure) && h.Status == fleet.StatusOK {
		h.Status = fleet.StatusUnknown
	}
	sortFindings(h.Findings)
	if v.Data.Stale {
		// Said first: whatever the icon shows, the figures behind it are
		// old. A critical reading stays critical (the last thing known).
		now := time.Time{}
		if s != nil {
			now = s.TakenAt
		}
		note := fleet.Finding{Version: v.Version, Check: fleet.CheckData, Status: fleet.StatusUnknown, Message: staleMessage(now, v.Data.Since)}
		h.Findings = append([]fleet.Finding{note}, h.Findings...)
	}
	v.Health = h
}

// errorStatus judges the error ratio: critical at the threshold, warn past
// half of it, critical when there are errors and no successful prediction
// at all (+Inf). Without traffic a finite ratio says nothing.
func (c Config) errorStatus(v *fleet.Version) fleet.Status {
	e, t := v.ErrorRate, c.Thresholds.ErrorRate
	switch {
	case e == nil || math.IsNaN(*e) || *e < 0:
		return fleet.StatusUnknown
	case math.IsInf(*e, 1):
		return fleet.StatusCritical
	case t <= 0 || !knownPtr(v.RequestsPerSecond) || *v.RequestsPerSecond <= 0:
		return fleet.StatusUnknown
	case *e >= t:
		return fleet.StatusCritical
	case *e >= t*ErrorWarnShare:
		return fleet.StatusWarn
	}
	return fleet.StatusOK
}

// qualityFindings judge every live metric against its baseline: a drop of
// quality_drop warns, twice it is critical; on fewer labels than
// min_labels it is a warning that says so, never a breach.
func (c Config) qualityFindings(v *fleet.Version, add func(string, fleet.Status, bool, string, ...any)) {
	t := c.Thresholds
	if t.QualityDrop <= 0 {
		return
	}
	for _, metric := range sortedKeys(v.Performance) {
		base, ok := v.Baseline[metric]
		live := v.Performance[metric]
		if !ok || !known(base) || !known(live) {
			continue
		}
		d := QualityDrop(metric, live, base)
		switch {
		case d < t.QualityDrop:
		case v.GroundTruth.LowConfidence:
			// Too few labels to tell a drop from noise: say so, but do
			// not page anyone over it.
			note := "low confidence"
			if n := v.GroundTruth.Labels; knownPtr(n) {
				note = fmt.Sprintf("n=%.0f, low confidence", *n)
			}
			add(fleet.CheckQualityDrop, fleet.StatusWarn, false, "%s %.3g vs offline %.3g (%s)", metric, live, base, note)
		case d >= QualityCriticalFactor*t.QualityDrop:
			add(fleet.CheckQualityDrop, fleet.StatusCritical, true, "%s %.3g vs offline %.3g", metric, live, base)
		default:
			add(fleet.CheckQualityDrop, fleet.StatusWarn, true, "%s %.3g vs offline %.3g", metric, live, base)
		}
	}
}

// warmingMessage is the health of a version warming up.
func warmingMessage(window time.Duration) string {
	if window <= 0 {
		return "warming up (rates not settled)"
	}
	return "warming up (rates settle within " + human.Duration(window) + ")"
}

// hasUnknown reports a finding that could not be judged (stale, impossible
// values, warming up, a check without its data).
func hasUnknown(fs []fleet.Finding) bool {
	for _, f := range fs {
		if f.Status == fleet.StatusUnknown {
			return true
		}
	}
	return false
}

func sortFindings(f []fleet.Finding) {
	sort.SliceStable(f, func(i, j int) bool { return f[i].Status > f[j].Status })
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// hours writes an age the way thresholds are usually set: 49h, 90m, 45s.
func hours(seconds float64) string {
	switch {
	case seconds >= 3*3600:
		return fmt.Sprintf("%.0fh", seconds/3600)
	case seconds >= 120:
		return fmt.Sprintf("%.0fm", seconds/60)
	}
	return fmt.Sprintf("%.0fs", seconds)
}

// arena hands out pointers into shared chunks, so that judging a large
// fleet costs one allocation per chunk rather than one per verdict.
type arena struct {
	nums  []float64
	flags []bool
}

func (a *arena) num(v float64) *float64 {
	if len(a.nums) == cap(a.nums) {
		a.nums = make([]float64, 0, 512)
	}
	a.nums = append(a.nums, v)
	return &a.nums[len(a.nums)-1]
}

func (a *arena) flag(v bool) *bool {
	if len(a.flags) == cap(a.flags) {
		a.flags = make([]bool, 0, 512)
	}
	a.flags = append(a.flags, v)
	return &a.flags[len(a.flags)-1]
}

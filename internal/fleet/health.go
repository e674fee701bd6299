package fleet

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Status is a health verdict, ordered from best to worst.
type Status int

const (
	StatusUnknown Status = iota // no data to judge by
	StatusOK
	StatusWarn
	StatusCritical
)

func (s Status) String() string {
	switch s {
	case StatusOK:
		return "ok"
	case StatusWarn:
		return "warn"
	case StatusCritical:
		return "critical"
	}
	return "unknown"
}

// Checks a finding can come from; they match the thresholds' names.
const (
	CheckErrorRate   = "error_rate"
	CheckQualityDrop = "quality_drop"
	CheckLabelAge    = "label_age"
	CheckDrift       = "drift"
	CheckRollout     = "rollout"
	CheckStale       = "stale"
)

// Finding is one reason a model or version is not healthy.
type Finding struct {
	Version string // "" for model-level findings
	Check   string
	Status  Status
	Message string // plain words, e.g. "error rate 4.1% ≥ 5%"
	// Breach is true when a configured threshold is crossed; false for
	// early warnings (an error rate past half its threshold).
	Breach bool
}

// Health is a verdict with its reasons, worst first.
type Health struct {
	Status   Status
	Findings []Finding
}

// Thresholds decide when a quantity makes a model unhealthy.
type Thresholds struct {
	ErrorRate   float64       // ratio at which errors are critical; half of it warns
	LabelAge    time.Duration // newest label older than this warns
	QualityDrop float64       // drop against the offline baseline that warns; twice it is critical
	// MinLabels is the number of labels below which live quality is low
	// confidence: a drop is shown as a warning, never a breach. 0 turns
	// the rule off.
	MinLabels int
}

// DefaultThresholds are SPEC's defaults.
var DefaultThresholds = Thresholds{ErrorRate: 0.05, LabelAge: 48 * time.Hour, QualityDrop: 0.05, MinLabels: 100}

// lowerIsBetter lists error-like metrics, where a rise is a drop in quality.
var lowerIsBetter = map[string]bool{
	"rmse": true, "mae": true, "mse": true, "mape": true, "logloss": true, "log_loss": true,
	"brier": true, "error": true, "loss": true,
}

// LowerIsBetter reports whether smaller values of a quality metric are better.
func LowerIsBetter(metric string) bool { return lowerIsBetter[strings.ToLower(metric)] }

// QualityDrop returns how much worse live is than baseline, as a positive
// number when worse: absolute for bounded scores (accuracy, AUC, ...),
// relative for error metrics, whose scale is arbitrary.
func QualityDrop(metric string, live, baseline float64) float64 {
	if LowerIsBetter(metric) {
		if baseline == 0 {
			return 0
		}
		return (live - baseline) / baseline
	}
	return baseline - live
}

// Assess fills the Health of every version of m and of m itself.
func Assess(m *Model, t Thresholds) {
	var all []Finding
	worst := StatusUnknown
	for i := range m.Versions {
		v := &m.Versions[i]
		v.Health = assessVersion(v, t)
		all = append(all, v.Health.Findings...)
		if v.Health.Status > worst {
			worst = v.Health.Status
		}
	}
	if r := m.Rollout; r != nil {
		switch r.Phase {
		case "Degraded", "Aborted":
			all = append(all, Finding{Check: CheckRollout, Status: StatusCritical, Message: "rollout " + r.Phase, Breach: true})
			worst = StatusCritical
		case "Healthy", "Progressing", "Paused":
			if worst == StatusUnknown {
				worst = StatusOK
			}
		}
	}
	sortFindings(all)
	m.Health = Health{Status: worst, Findings: all}
}

func assessVersion(v *Version, t Thresholds) Health {
	h := Health{Status: StatusUnknown}
	add := func(check string, s Status, format string, args ...any) {
		breach := !(check == CheckErrorRate && s == StatusWarn)
		h.Findings = append(h.Findings, Finding{Version: v.Version, Check: check, Status: s, Message: fmt.Sprintf(format, args...), Breach: breach})
		if s > h.Status {
			h.Status = s
		}
	}
	if v.RequestsPerSecond != nil || v.Performance != nil {
		h.Status = StatusOK
	}
	if e := v.ErrorRate; e != nil && t.ErrorRate > 0 && v.RequestsPerSecond != nil && *v.RequestsPerSecond > 0 {
		switch {
		case *e >= t.ErrorRate:
			add(CheckErrorRate, StatusCritical, "error rate %.1f%% ≥ %.1f%%", *e*100, t.ErrorRate*100)
		case *e >= t.ErrorRate/2:
			add(CheckErrorRate, StatusWarn, "error rate %.1f%% ≥ %.1f%%", *e*100, t.ErrorRate*50)
		}
	}
	if t.QualityDrop > 0 {
		for _, metric := range sortedKeys(v.Performance) {
			base, ok := v.Baseline[metric]
			if !ok {
				continue
			}
			d := QualityDrop(metric, v.Performance[metric], base)
			if d < t.QualityDrop {
				continue
			}
			if lowConfidence(v, t) {
				// Too few labels to tell a drop from noise: say so, but
				// do not page anyone over it.
				note := "low confidence"
				if n := v.GroundTruth.Labels; n != nil {
					note = fmt.Sprintf("n=%.0f, low confidence", *n)
				}
				h.Findings = append(h.Findings, Finding{Version: v.Version, Check: CheckQualityDrop, Status: StatusWarn,
					Message: fmt.Sprintf("%s %.3g vs offline %.3g (%s)", metric, v.Performance[metric], base, note)})
				h.Status = max(h.Status, StatusWarn)
				continue
			}
			if d >= 2*t.QualityDrop {
				add(CheckQualityDrop, StatusCritical, "%s %.3g vs offline %.3g", metric, v.Performance[metric], base)
			} else {
				add(CheckQualityDrop, StatusWarn, "%s %.3g vs offline %.3g", metric, v.Performance[metric], base)
			}
		}
	}
	if a := v.GroundTruth.LastLabelAgeSeconds; a != nil && t.LabelAge > 0 && *a > t.LabelAge.Seconds() {
		add(CheckLabelAge, StatusWarn, "newest label %s old > %s", hours(*a), hours(t.LabelAge.Seconds()))
	}
	if d := v.Drift; d != nil {
		var names []string
		for _, f := range d.Features {
			if f.Drifted != nil && *f.Drifted {
				names = append(names, f.Feature)
			}
		}
		if d.Prediction != nil && d.Prediction.Drifted != nil && *d.Prediction.Drifted {
			names = append(names, "prediction")
		}
		if len(names) > 0 {
			add(CheckDrift, StatusWarn, "drift in %s", strings.Join(names, ", "))
		}
	}
	infiniteErrors(v, t, &h)
	sortFindings(h.Findings)
	return h
}

// infiniteErrors judges an error ratio of +Inf — errors while no
// prediction succeeded — critical: the rule above needs a request rate
// above zero, which such a version does not have.
func infiniteErrors(v *Version, t Thresholds, h *Health) {
	if e := v.ErrorRate; e == nil || !math.IsInf(*e, 1) || t.ErrorRate <= 0 {
		return
	}
	for _, f := range h.Findings {
		if f.Check == CheckErrorRate {
			return
		}
	}
	h.Findings = append(h.Findings, Finding{Version: v.Version, Check: CheckErrorRate, Status: StatusCritical,
		Message: "errors with no successful prediction (error ratio +Inf)", Breach: true})
	h.Status = StatusCritical
}

// lowConfidence reports whether live quality rests on fewer labels than
// MinLabels. Unknown label counts are not low confidence: nothing says so.
func lowConfidence(v *Version, t Thresholds) bool {
	n := v.GroundTruth.Labels
	return v.GroundTruth.LowConfidence || t.MinLabels > 0 && n != nil && *n < float64(t.MinLabels)
}

func sortFindings(f []Finding) {
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

// AssessStale makes stale data unknown health, after Assess: a version whose
// exporter is down shows its last values, but a verdict on them would be a
// guess ("unknown (data 2m old)"), and its old findings no longer breach. A
// model with a stale version is never ok; a fresh version's warning or
// critical finding still counts.
func AssessStale(m *Model, now time.Time) {
	var stale []Finding
	for i := range m.Versions {
		v := &m.Versions[i]
		f, ok := staleFinding(v, now)
		if !ok {
			continue
		}
		old := v.Health.Findings
		v.Health = Health{Status: StatusUnknown, Findings: make([]Finding, 0, len(old)+1)}
		v.Health.Findings = append(v.Health.Findings, f)
		for _, o := range old {
			o.Breach = false
			v.Health.Findings = append(v.Health.Findings, o)
		}
		stale = append(stale, f)
	}
	if len(stale) == 0 {
		return
	}
	// The model's verdict again, from fresh versions and model findings
	// (the rollout) only; stale findings go after the fresh problems.
	worst := StatusUnknown
	var fresh, rest []Finding
	for _, f := range m.Health.Findings {
		if v := m.Version(f.Version); f.Version != "" && v != nil && !v.StaleSince.IsZero() {
			f.Breach = false
			rest = append(rest, f)
			continue
		}
		fresh = append(fresh, f)
		worst = max(worst, f.Status)
	}
	for i := range m.Versions {
		if v := &m.Versions[i]; v.StaleSince.IsZero() {
			worst = max(worst, v.Health.Status)
		}
	}
	if worst == StatusOK {
		worst = StatusUnknown
	}
	all := append(fresh, stale...)
	m.Health = Health{Status: worst, Findings: append(all, rest...)}
}

// staleFinding says how old a stale version's data is.
func staleFinding(v *Version, now time.Time) (Finding, bool) {
	if v.StaleSince.IsZero() {
		return Finding{}, false
	}
	age := max(now.Sub(v.StaleSince), 0)
	return Finding{Version: v.Version, Check: CheckStale, Status: StatusUnknown,
		Message: "unknown (data " + hours(age.Seconds()) + " old)"}, true
}

package judge

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
)

// MinVerdictRequests is the fewest requests each side needs in the window
// before a verdict is given: below it the normal approximation behind the
// error-rate test and the asymptotic KS p-value are not to be trusted,
// and a verdict would rest on a handful of requests.
const MinVerdictRequests = 200

// Comparisons configures candidate-vs-stable verdicts.
type Comparisons struct {
	// Alpha is the false-alarm rate (verdict.alpha); 0 means the default.
	Alpha float64
	// Window is the verdict window the counts are taken over.
	Window time.Duration
	// Refresh is how often a verdict is looked at: per-look tests spend
	// Alpha over the Window/Refresh looks of one window.
	Refresh time.Duration
	// ServingAlias and CandidateAlias are the registry aliases of the
	// serving version and the one being tried, for models without tracks.
	ServingAlias, CandidateAlias string
}

func comparisonsFrom(cfg *config.Config) Comparisons {
	return Comparisons{
		Alpha: cfg.Verdict.Alpha, Window: cfg.Verdict.Window, Refresh: cfg.Refresh,
		ServingAlias: cfg.MLflow.ServingAlias, CandidateAlias: cfg.MLflow.CandidateAlias,
	}
}

func (c Comparisons) alpha() float64 {
	if !(c.Alpha > 0 && c.Alpha < 0.5) {
		return config.DefaultVerdictAlpha
	}
	return c.Alpha
}

// VerdictWindow is Window, or the default when unset.
func (c Comparisons) VerdictWindow() time.Duration { return c.window() }

func (c Comparisons) window() time.Duration {
	if c.Window <= 0 {
		return config.DefaultVerdictWindow
	}
	return c.Window
}

// Looks is how many times a verdict is looked at over one window: the
// Bonferroni divisor of the per-look tests (KS, Newcombe, z).
func (c Comparisons) Looks() int {
	if c.Refresh <= 0 {
		return 1
	}
	return max(1, int(math.Ceil(float64(c.window())/float64(c.Refresh))))
}

// Candidate picks the version to judge when none is named: the canary,
// else the shadow, else the candidate alias's version. ok is false when
// the model has none.
func (c Comparisons) Candidate(m *fleet.Model) (string, bool) {
	for _, t := range []string{fleet.TrackCanary, fleet.TrackShadow} {
		if v := trackOf(m, t); v != "" {
			return v, true
		}
	}
	base, _ := c.Baseline(m)
	if v := m.Aliases[orDefault(c.CandidateAlias, "challenger")]; v != "" && v != base && m.Version(v) != nil {
		return v, true
	}
	return "", false
}

// Baseline is the version a candidate is judged against: the stable
// track's, else the serving alias's.
func (c Comparisons) Baseline(m *fleet.Model) (string, bool) {
	if v := trackOf(m, fleet.TrackStable); v != "" {
		return v, true
	}
	if v := m.Aliases[orDefault(c.ServingAlias, "champion")]; v != "" && m.Version(v) != nil {
		return v, true
	}
	return "", false
}

func trackOf(m *fleet.Model, track string) string {
	for i := range m.Versions {
		if m.Versions[i].Track == track {
			return m.Versions[i].Version
		}
	}
	return ""
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// SnapshotVerdict is Verdict for a model of a snapshot, which also knows
// whether the queries the counts come from failed: then the counts are
// old and the verdict is not_enough_data.
func (c Config) SnapshotVerdict(s *fleet.Snapshot, model, candidate string) fleet.Verdict {
	var m *fleet.Model
	for i := range s.Models {
		if s.Models[i].Name == model || s.Models[i].ServingName == model && model != "" {
			m = &s.Models[i]
			break
		}
	}
	if m == nil {
		return fleet.Verdict{Model: model, Candidate: candidate, Outcome: fleet.VerdictNotEnough,
			Window: c.Comparisons.window(), Why: fmt.Sprintf("no model %q in the snapshot", termsafe.Clean(model))}
	}
	return StaleVerdict(s, c.Verdict(m, candidate))
}

// StaleVerdict turns v into not_enough_data when the queries its counts
// come from, or a metrics source, failed in s: the counts are old.
func StaleVerdict(s *fleet.Snapshot, v fleet.Verdict) fleet.Verdict {
	if v.Outcome == fleet.VerdictNotEnough {
		return v
	}
	if st := RolesStale(s, fleet.RoleVerdictCounts, fleet.RoleVerdictLatency); st.Stale {
		v.Outcome = fleet.VerdictNotEnough
		v.Why = "the request counts are old: " + staleWhat(st) + "; " + v.Why
	}
	return v
}

func staleWhat(st Staleness) string {
	var parts []string
	for _, q := range st.Queries {
		parts = append(parts, "query "+termsafe.Clean(string(q.Role))+" failed")
	}
	for _, src := range st.Sources {
		parts = append(parts, "source "+termsafe.Clean(src.Name)+" failed")
	}
	if len(parts) == 0 {
		return "a source failed"
	}
	return strings.Join(parts, ", ")
}

// Verdict compares a candidate version of m with its baseline (the stable
// version): error rate by an always-valid test, latency by KS, measured
// and estimated quality by their intervals. candidate "" picks the canary,
// else the shadow, else the candidate alias's version. Fail when a row is
// significantly worse; not_enough_data when a side, its counts or enough
// requests are missing, or its data is stale; pass otherwise. m is read,
// never changed.
func (c Config) Verdict(m *fleet.Model, candidate string) fleet.Verdict {
	cmp := c.Comparisons
	out := fleet.Verdict{Outcome: fleet.VerdictNotEnough, Window: cmp.window(), Candidate: candidate}
	if m == nil {
		out.Why = "no such model"
		return out
	}
	out.Model = m.Name
	name := termsafe.Clean(m.Name)
	if candidate == "" {
		v, ok := cmp.Candidate(m)
		if !ok {
			out.Why = name + " has no canary, shadow or " + orDefault(cmp.CandidateAlias, "challenger") + " version to judge"
			return out
		}
		out.Candidate = v
	}
	base, ok := cmp.Baseline(m)
	if !ok {
		out.Why = name + " has no stable (or " + orDefault(cmp.ServingAlias, "champion") + ") version to judge against"
		return out
	}
	return c.VerdictPair(m, base, out.Candidate)
}

// VerdictPair compares candidate with baseline, any two versions of m, as
// Verdict compares a candidate with the stable version: the compare
// screen's B against its A.
func (c Config) VerdictPair(m *fleet.Model, baseline, candidate string) fleet.Verdict {
	out := fleet.Verdict{Outcome: fleet.VerdictNotEnough, Window: c.Comparisons.window(), Candidate: candidate, Baseline: baseline}
	if m == nil {
		out.Why = "no such model"
		return out
	}
	out.Model = m.Name
	name := termsafe.Clean(m.Name)
	cv, bv := m.Version(candidate), m.Version(baseline)
	for _, v := range []struct {
		id string
		p  *fleet.Version
	}{{candidate, cv}, {baseline, bv}} {
		if v.p == nil {
			out.Why = fmt.Sprintf("v%s is not a version of %s", termsafe.Clean(v.id), name)
			return out
		}
	}
	if candidate == baseline {
		out.Why = fmt.Sprintf("v%s is on both sides", termsafe.Clean(baseline))
		return out
	}
	s := sides{cand: cv, base: bv, cn: versionName(cv), bn: versionName(bv)}
	rules := rowRules{alpha: c.Comparisons.alpha(), looks: c.Comparisons.Looks()}
	if why := s.missing(); why != "" {
		out.Why = why
		if row, ok := rules.fewRow(s); ok {
			out.Rows = []fleet.VerdictRow{row}
		}
		return out
	}
	out.Rows = rules.rows(s)
	out.Outcome, out.Why = outcome(s, out.Rows)
	return out
}

// sides are the two versions compared.
type sides struct {
	cand, base *fleet.Version
	cn, bn     string // "v12", cleaned for the terminal
}

func versionName(v *fleet.Version) string { return "v" + termsafe.Clean(v.Version) }

// missing says why the counts cannot carry a verdict, or "".
func (s sides) missing() string {
	for _, v := range []*fleet.Version{s.cand, s.base} {
		n := versionName(v)
		switch {
		case !v.StaleSince.IsZero():
			return n + "'s figures are old: its exporter is down"
		case v.Counts == nil || v.Counts.Requests == nil:
			return "no request count over the verdict window for " + n + " (the verdict_counts query gave none)"
		case *v.Counts.Requests < MinVerdictRequests:
			return fmt.Sprintf("%s has %s requests in the window; a verdict needs at least %d on each side",
				n, countText(*v.Counts.Requests), MinVerdictRequests)
		}
	}
	return ""
}

// outcome is the verdict from its rows: fail on any significantly worse
// row, not_enough_data while the error rate is unknown, pass otherwise.
func outcome(s sides, rows []fleet.VerdictRow) (fleet.VerdictOutcome, string) {
	var worse, checked []string
	errorKnown := false
	for _, r := range rows {
		switch r.Comparison {
		case ComparisonWorse:
			worse = append(worse, strings.ReplaceAll(r.Quantity, "_", " "))
		case ComparisonSame, ComparisonBetter:
			checked = append(checked, strings.ReplaceAll(r.Quantity, "_", " "))
			errorKnown = errorKnown || r.Quantity == QuantityErrorRate
		}
		if r.Quantity == QuantityErrorRate && r.Comparison == ComparisonUnknown {
			return fleet.VerdictNotEnough, "error rate unknown: " + r.Why
		}
	}
	if len(worse) > 0 {
		return fleet.VerdictFail, fmt.Sprintf("%s is significantly worse than %s on %s", s.cn, s.bn, strings.Join(worse, ", "))
	}
	if !errorKnown {
		return fleet.VerdictNotEnough, "no error-rate comparison"
	}
	return fleet.VerdictPass, fmt.Sprintf("%s is not significantly worse than %s on %s", s.cn, s.bn, strings.Join(checked, ", "))
}

// countText writes a sample count for people: 36,000.
func countText(f float64) string {
	if math.IsInf(f, 1) {
		return "∞"
	}
	n := int64(math.Round(f))
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

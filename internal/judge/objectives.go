package judge

import (
	"fmt"
	"math"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
)

// The service-level checks: the latency objective and the error budget's
// burn rate per version, the silent model per model. Their semantics are
// the ones `mltop rules` writes as alerting rules (docs/alerting.md).

// LatencySlowShare is the share of requests the latency objective allows
// to be slower than thresholds.latency_p95 (it is a 95th percentile).
const LatencySlowShare = 0.05

// The burn rates of the multiwindow alert (Google's SRE workbook): a
// budget burning 14.4× as fast is spent in 2 days of a 30-day period
// (page), 6× in 5 days (ticket).
const (
	BurnPage   = 14.4
	BurnTicket = 6.0
)

// ErrorWarnShare is the share of thresholds.error_rate at which an error
// ratio warns, an early warning before the breach.
const ErrorWarnShare = 0.5

// QualityCriticalFactor times thresholds.quality_drop is a critical drop;
// quality_drop itself warns.
const QualityCriticalFactor = 2.0

// SlowShare is the share of requests slower than bound (seconds) in a
// cumulative histogram ascending by Le with +Inf last: 1 − bucket{le=bound}
// / count when bound is a bucket's bound; inside a bucket it interpolates
// linearly, as histogram_quantile does (the first bucket starting at 0),
// and Interpolated names that bucket. Beyond the largest finite bound the
// share is unknown: Within is then false and Share is the share slower
// than that bound, the most that can be slower than bound. OK is false
// without requests.
type SlowShare struct {
	Share        float64
	Interpolated bool
	Lo, Hi       float64 // the bucket interpolated in
	Within       bool    // bound is within the histogram's finite bounds
	OK           bool
}

// SlowerThan measures the share of requests slower than bound.
func SlowerThan(buckets []fleet.Bucket, bound float64) SlowShare {
	n := len(buckets)
	if n == 0 || !math.IsInf(buckets[n-1].Le, 1) || !(buckets[n-1].Count > 0) {
		return SlowShare{}
	}
	total := buckets[n-1].Count
	lo, below := 0.0, 0.0 // the previous bound and its count
	for _, b := range buckets[:n-1] {
		switch {
		case sameBound(b.Le, bound):
			return SlowShare{Share: clamp01(1 - b.Count/total), Within: true, OK: true}
		case bound < b.Le:
			at := below
			if b.Le > lo {
				at += (b.Count - below) * (bound - lo) / (b.Le - lo)
			}
			return SlowShare{Share: clamp01(1 - at/total), Interpolated: true, Lo: lo, Hi: b.Le, Within: true, OK: true}
		}
		lo, below = b.Le, b.Count
	}
	return SlowShare{Share: clamp01(1 - below/total), Lo: lo, Hi: math.Inf(1), OK: true}
}

func sameBound(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

func clamp01(f float64) float64 { return math.Min(1, math.Max(0, f)) }

// latencyFindings judge the latency objective: more than 5 % of requests
// slower than latency_p95 over the rate window warns. Without a histogram
// there is no verdict, and it says so (unsure): never ✔ by absence.
func (c Config) latencyFindings(v *fleet.Version, add addFunc) (unsure bool) {
	t := c.Thresholds.LatencyP95
	if t <= 0 || !v.Serving {
		return false
	}
	objective := human.Seconds(t.Seconds())
	buckets := v.Objectives.LatencyBuckets
	if buckets == nil {
		if rps := v.RequestsPerSecond; knownPtr(rps) && *rps == 0 {
			return false // nothing served, nothing slow
		}
		add(fleet.CheckLatency, fleet.StatusUnknown, false, "p95 objective %s: no latency histogram", objective)
		return true
	}
	s := SlowerThan(buckets, t.Seconds())
	switch {
	case !s.OK, s.Share <= LatencySlowShare+1e-12:
		// No requests in the window, or within the objective (the margin:
		// 1 − 95/100 is 5 % and a rounding error).
		return false
	case len(buckets) == 1:
		add(fleet.CheckLatency, fleet.StatusUnknown, false, "p95 objective %s: the latency histogram has no bucket but +Inf", objective)
		return true
	case !s.Within:
		add(fleet.CheckLatency, fleet.StatusUnknown, false, "p95 objective %s: %s of requests slower than %s, the histogram's largest bound; cannot tell above it",
			objective, human.Percent(s.Share), human.Seconds(s.Lo))
		return true
	}
	note := ""
	if s.Interpolated {
		note = fmt.Sprintf(", interpolated in %s–%s", human.Seconds(s.Lo), human.Seconds(s.Hi))
	}
	add(fleet.CheckLatency, fleet.StatusWarn, true, "p95 objective: %s of requests slower than %s (> %s%s)",
		human.Percent(s.Share), objective, human.PercentWhole(LatencySlowShare), note)
	return false
}

// burnFindings judge the error budget of thresholds.availability: the
// error ratio over 1h and 5m both burning it more than 14.4× as fast as
// allowed is critical (page), over 6h and 30m both more than 6× a warning
// (ticket). A version with an error ratio but no ratio over a burn window
// is unsure: the burn-rate query failed or answered without it.
func (c Config) burnFindings(v *fleet.Version, add addFunc) (unsure bool) {
	a := c.Thresholds.Availability
	if !(a > 0 && a < 1) || !v.Serving {
		return false
	}
	budget := 1 - a
	r := v.Objectives.ErrorRatios
	pair := func(long, short string, factor float64) (float64, float64, bool) {
		l, okL := r[long]
		s, okS := r[short]
		return l / budget, s / budget, okL && okS && l/budget > factor && s/budget > factor
	}
	objective := fmt.Sprintf("%.4g%%", a*100) // 99.9%, 99.95%
	if l, s, ok := pair(fleet.BurnWindow1h, fleet.BurnWindow5m, BurnPage); ok {
		add(fleet.CheckBurnRate, fleet.StatusCritical, true, "error budget burning %s (1h) and %s (5m) the %s objective", times(l), times(s), objective)
		return false
	}
	if l, s, ok := pair(fleet.BurnWindow6h, fleet.BurnWindow30m, BurnTicket); ok {
		add(fleet.CheckBurnRate, fleet.StatusWarn, true, "error budget burning %s (6h) and %s (30m) the %s objective", times(l), times(s), objective)
		return false
	}
	if !knownPtr(v.ErrorRate) {
		return false // no error ratio at all: as for error_rate, nothing to judge
	}
	var missing []string
	for _, w := range []string{fleet.BurnWindow1h, fleet.BurnWindow5m, fleet.BurnWindow6h, fleet.BurnWindow30m} {
		if _, ok := r[w]; !ok {
			missing = append(missing, w)
		}
	}
	if len(missing) == 0 {
		return false
	}
	add(fleet.CheckBurnRate, fleet.StatusUnknown, false, "error budget: no error ratio over %s", strings.Join(missing, ", "))
	return true
}

// times writes a burn rate: 20×, 6.4×, ∞× (errors and no success).
func times(f float64) string {
	if math.IsInf(f, 1) {
		return "∞×"
	}
	if f >= 99.5 {
		return fmt.Sprintf("%.0f×", f)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0") + "×"
}

// silentFinding judges a model's request rate, summed over its versions,
// against its own past: none in the rate window after requests in the
// hour before is critical (stopped); below silent_share of the same time
// last week warns. A model with no series last week (a new one) is never
// silent; one with no request series now is judged by the hour before
// only. Per model, not per version: a rollout moves traffic between
// versions, and only the model's total says whether callers went away.
func (c Config) silentFinding(m *fleet.Model) (fleet.Finding, bool) {
	share := c.Thresholds.SilentShare
	if !(share > 0) {
		return fleet.Finding{}, false
	}
	now, haveNow := 0.0, false
	for i := range m.Versions {
		if p := m.Versions[i].RequestsPerSecond; knownPtr(p) && *p >= 0 {
			now, haveNow = now+*p, true
		}
	}
	h := m.RequestHistory
	window := "the rate window"
	if c.RateWindow > 0 {
		window = human.Duration(c.RateWindow)
	}
	if hb := h.HourBefore; knownPtr(hb) && *hb > 0 && now == 0 {
		what := "no requests"
		if !haveNow {
			what = "no requests reported"
		}
		return fleet.Finding{Check: fleet.CheckSilent, Status: fleet.StatusCritical, Breach: true,
			Message: fmt.Sprintf("stopped: %s in %s after %s req/s the hour before", what, window, human.Rate(*hb))}, true
	}
	if lw := h.LastWeek; haveNow && knownPtr(lw) && *lw > 0 && now < share**lw {
		return fleet.Finding{Check: fleet.CheckSilent, Status: fleet.StatusWarn, Breach: true,
			Message: fmt.Sprintf("silent: %s req/s, %s of last week's %s req/s", human.Rate(now), percentOf(now / *lw), human.Rate(*lw))}, true
	}
	return fleet.Finding{}, false
}

// percentOf writes a share of a past value: whole percents, one decimal
// below 1 %.
func percentOf(f float64) string {
	if f > 0 && f < 0.01 {
		return human.Percent(f)
	}
	return human.PercentWhole(f)
}

// silentRoles are the roles the silent check reads.
var silentRoles = []fleet.Role{fleet.RoleRequestRate, fleet.RoleRequestsLastWeek, fleet.RoleRequestsHourBefore}

type addFunc = func(check string, st fleet.Status, breach bool, format string, args ...any)

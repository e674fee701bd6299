package judge

import (
	"math"
	"strconv"
	"strings"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/fleet"
)

// DataQualityConfig is when data quality alarms (docs/dataquality.md).
type DataQualityConfig struct {
	// MissingFloor is the missing share above which a feature alarms when
	// p₀ is 0 or unknown, and the least limit of any.
	MissingFloor float64
	// MissingSigmas: above p₀ + MissingSigmas·√(p₀(1−p₀)/n) when p₀ > 0
	// and that is above the floor.
	MissingSigmas float64
	// OutOfRange and Unseen are the shares above which a feature alarms.
	OutOfRange, Unseen float64
}

// DefaultDataQuality is the configuration's default.
func DefaultDataQuality() DataQualityConfig {
	return DataQualityConfig{MissingFloor: config.DefaultMissingFloor, MissingSigmas: config.DefaultMissingSigmas,
		OutOfRange: config.DefaultOutOfRange, Unseen: config.DefaultUnseen}
}

func dataQualityFrom(cfg *config.Config) DataQualityConfig {
	d := cfg.DataQuality
	return DataQualityConfig{MissingFloor: d.MissingFloor, MissingSigmas: d.MissingSigmas, OutOfRange: d.OutOfRange, Unseen: d.Unseen}
}

// MissingLimit is the missing share above which a feature alarms: the
// larger of the floor and p₀ + sigmas·√(p₀(1−p₀)/n) for a reference share
// p₀ > 0 over n predictions; the floor when p₀ is 0 or unknown (nil). A
// feature often missing in the reference alarms just above its own noise.
// Never below the floor: a limit that grows with p₀ from the floor at
// p₀ = 0 cannot drop under it (a feature that missed 0.01 % would
// otherwise alarm at a tenth of a never-missing one's limit).
func (d DataQualityConfig) MissingLimit(p0 *float64, n float64) float64 {
	if p0 == nil || !(*p0 > 0) || !(n > 0) {
		return d.MissingFloor
	}
	p := min(*p0, 1)
	return max(d.MissingFloor, p+d.MissingSigmas*math.Sqrt(p*(1-p)/n))
}

// dataQualityFindings judge a version's data quality: a silent feature is
// critical; a missing share above its limit, an out-of-range or unseen
// share above its threshold and a schema change warn. Each is a breach,
// said feature by feature ("tenure 7 % missing") and written into the
// feature's Problems. A feature whose presence cannot be told (its
// window not read, or whether predictions flow unknown) is an unknown
// finding, not a breach; unsure reports one.
func (c Config) dataQualityFindings(v *fleet.Version, add func(string, fleet.Status, bool, string, ...any)) (unsure bool) {
	dq := v.DataQuality
	if dq == nil {
		return false
	}
	d := c.DataQuality
	if d == (DataQualityConfig{}) {
		d = DefaultDataQuality() // a Config built without the section
	}
	// The window's prediction count has the histograms' window and
	// cadence; the request rate (a shorter window, read every refresh)
	// only when it is unknown: after an idle spell the rate is back while
	// the histograms still lag, and every feature would read silent.
	flowing, flowKnown := false, false
	switch {
	case knownPtr(dq.Predictions):
		flowing, flowKnown = *dq.Predictions > 0, true
	case knownPtr(v.RequestsPerSecond):
		flowing, flowKnown = *v.RequestsPerSecond > 0, true
	}
	var unknown unknownFeatures
	n := 0.0
	if knownPtr(dq.Predictions) {
		n = *dq.Predictions
	}
	for i := range dq.Features {
		f := &dq.Features[i]
		f.Silent, f.MissingLimit, f.Problems = false, nil, nil
		f.MissingAlarm, f.OutOfRangeAlarm, f.UnseenAlarm = false, false, false
		problem := func(st fleet.Status, text string) {
			f.Problems = append(f.Problems, text)
			add(fleet.CheckDataQuality, st, true, "%s %s", f.Feature, text)
		}
		switch {
		case f.Unknown != "":
			unknown.add(f.Unknown, f.Feature)
		case f.Absent && !flowKnown:
			unknown.add("no values now, and whether predictions flow is unknown", f.Feature)
		case f.Absent && flowing:
			f.Silent = true
			problem(fleet.StatusCritical, "silent (no values while predictions flow)")
		}
		if knownPtr(f.MissingShare) && n > 0 {
			limit := d.MissingLimit(f.ReferenceMissingShare, n)
			f.MissingLimit = &limit
			if *f.MissingShare > limit {
				f.MissingAlarm = true
				share, _ := PercentApart(*f.MissingShare, limit)
				problem(fleet.StatusWarn, share+" missing")
			}
		}
		if knownPtr(f.OutOfRangeShare) && *f.OutOfRangeShare > d.OutOfRange {
			f.OutOfRangeAlarm = true
			problem(fleet.StatusWarn, Percent(*f.OutOfRangeShare)+" out of range")
		}
		if knownPtr(f.UnseenShare) && *f.UnseenShare > d.Unseen {
			f.UnseenAlarm = true
			names := make([]string, 0, len(f.Unseen))
			for _, u := range f.Unseen {
				names = append(names, u.Category)
			}
			problem(fleet.StatusWarn, Percent(*f.UnseenShare)+" unseen ("+strings.Join(names, ", ")+")")
		}
	}
	// A feature gone is the silent finding above while predictions flow,
	// and says nothing while they do not: only additions and type changes.
	var changes []string
	for _, s := range dq.Schema {
		switch s.Change {
		case fleet.SchemaAdded:
			changes = append(changes, s.Feature+" added")
		case fleet.SchemaType:
			changes = append(changes, s.Feature+" changed type")
		}
	}
	if len(changes) > 0 {
		add(fleet.CheckDataQuality, fleet.StatusWarn, true, "schema: %s", strings.Join(changes, ", "))
	}
	for _, u := range unknown {
		add(fleet.CheckDataQuality, fleet.StatusUnknown, false, "data quality of %s unknown: %s", strings.Join(u.features, ", "), u.why)
	}
	return len(unknown) > 0
}

// unknownFeatures group the features whose presence is unknown by why,
// in the order first met: one finding per reason.
type unknownFeatures []unknownGroup

type unknownGroup struct {
	why      string
	features []string
}

func (u *unknownFeatures) add(why, feature string) {
	for i := range *u {
		if (*u)[i].why == why {
			(*u)[i].features = append((*u)[i].features, feature)
			return
		}
	}
	*u = append(*u, unknownGroup{why, []string{feature}})
}

// Percent writes a share as people read it in a finding: "7 %", "1.5 %",
// "0.3 %".
func Percent(share float64) string {
	p := math.Round(share*1000) / 10
	if p >= 10 || p == math.Trunc(p) {
		return strconv.FormatFloat(math.Round(p), 'f', 0, 64) + " %"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + " %"
}

// PercentApart writes two different shares as Percent does, with more
// decimals (up to four) while they would read the same: "1.04 %" and
// "1.00 %", never "1 % missing > limit 1 %".
func PercentApart(a, b float64) (string, string) {
	pa, pb := Percent(a), Percent(b)
	for d := 1; pa == pb && a != b && d <= 4; d++ {
		pa = strconv.FormatFloat(a*100, 'f', d, 64) + " %"
		pb = strconv.FormatFloat(b*100, 'f', d, 64) + " %"
	}
	return pa, pb
}

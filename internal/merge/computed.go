package merge

import (
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
)

// computeDrift judges the feature histograms of every version at once and
// keeps each version's result for finishDrift. It runs after the registry
// join, which gives it the versions' reference profiles and may have
// renamed models: results are keyed by the metrics' model label.
func (b *builder) computeDrift(vectors map[fleet.Role]model.Vector) {
	in := b.histInput(vectors)
	if in.Buckets.Len() == 0 && in.Categories.Len() == 0 {
		return
	}
	byLabel := b.byLabel()
	b.addProfiles(&in, byLabel)
	calc := b.calculator()
	for vk, res := range calc.Compute(in) {
		v := b.servingVersion(byLabel, vk)
		r := res
		v.computed = &r
	}
}

// histInput is the histogram roles' answers as tables.
func (b *builder) histInput(vectors map[fleet.Role]model.Vector) histdrift.Input {
	tab := func(role fleet.Role) *labelrows.Table { return b.table(vectors, role) }
	return histdrift.Input{
		Buckets:       tab(fleet.RoleFeatureBuckets),
		BucketsRef:    tab(fleet.RoleFeatureBucketsRef),
		Categories:    tab(fleet.RoleFeatureCategories),
		CategoriesRef: tab(fleet.RoleFeatureCategoriesRef),
		Missing:       tab(fleet.RoleFeatureMissing),
		MissingRef:    tab(fleet.RoleFeatureMissingRef),
	}
}

func (b *builder) calculator() *histdrift.Calculator {
	if b.cfg.Drift != nil {
		return b.cfg.Drift
	}
	return histdrift.New(histdrift.Options{Thresholds: b.cfg.DriftThresholds})
}

// servingVersion is the version a histogram result names by its metrics
// labels, marked serving.
func (b *builder) servingVersion(byLabel map[string]*modelAcc, vk histdrift.VersionKey) *versionAcc {
	m := byLabel[vk.Model]
	if m == nil {
		m = b.model(vk.Model)
		byLabel[vk.Model] = m
	}
	m.serving = true
	v := m.version(vk.Version)
	v.v.Serving = true
	return v
}

// addProfiles gives in the registry's reference profiles.
func (b *builder) addProfiles(in *histdrift.Input, byLabel map[string]*modelAcc) {
	for label, m := range byLabel {
		if m.registered == nil {
			continue
		}
		for _, rv := range m.registered.Versions {
			if tag, ok := rv.Tags[histdrift.TagKey]; ok {
				if in.Profiles == nil {
					in.Profiles = make(map[histdrift.VersionKey]string)
				}
				in.Profiles[histdrift.VersionKey{Model: label, Version: rv.Version}] = tag
			}
		}
	}
}

// computeDataQuality measures every version's inputs against its
// reference (histdrift.DataQuality); the judge gives the verdicts.
func (b *builder) computeDataQuality(vectors map[fleet.Role]model.Vector) {
	in := b.histInput(vectors)
	if in.Buckets.Len() == 0 && in.Categories.Len() == 0 && in.Missing.Len() == 0 {
		return
	}
	byLabel := b.byLabel()
	b.addProfiles(&in, byLabel)
	for vk, dq := range b.calculator().DataQuality(in) {
		d := dq
		b.servingVersion(byLabel, vk).v.DataQuality = &d
	}
}

// addComputed puts computed drift next to exported scores. A feature (or
// the output) scored both ways by the same method keeps the exported
// score: whoever exports it computed it on the raw data, mltop only on
// the buckets.
func (b *builder) addComputed(v *versionAcc) {
	c := v.computed
	exported := len(v.features)
	for _, f := range c.Features {
		if !hasScore(v.features[:exported], f.Feature, f.Method) {
			v.features = append(v.features, f)
		}
	}
	if p := c.Prediction; p != nil && !hasMethod(v.outputs, p.Method) {
		v.outputs = append(v.outputs, *p)
	}
}

func hasMethod(fs []fleet.FeatureDrift, method string) bool {
	for i := range fs {
		if fs[i].Method == method {
			return true
		}
	}
	return false
}

func hasScore(fs []fleet.FeatureDrift, feature, method string) bool {
	for i := range fs {
		if fs[i].Feature == feature && fs[i].Method == method {
			return true
		}
	}
	return false
}

// finishGroundTruth derives how far back quality is complete; how far it
// can be trusted (intervals, low confidence) is the judge's.
func (b *builder) finishGroundTruth(v *fleet.Version) {
	gt := &v.GroundTruth
	if b.cfg.Now.IsZero() {
		return
	}
	// Labels arrive up to the delay p95 late, and none has arrived since
	// the newest one: the older of the two bounds what is complete.
	lag := -1.0
	if d := gt.DelayP95Seconds; d != nil && *d >= 0 {
		lag = *d
	}
	if a := gt.LastLabelAgeSeconds; a != nil && *a > lag {
		lag = *a
	}
	if lag >= 0 && lag < maxLagSeconds {
		gt.QualityAsOf = b.cfg.Now.Add(-time.Duration(lag * float64(time.Second)))
	}
}

// maxLagSeconds keeps an absurd lag (a label timestamp of 0) from
// overflowing a time.Duration: about 290 years.
const maxLagSeconds = 9e9

// TableColumns are the labels a role's answer is kept by as a table, or
// nil for a role read as samples.
func TableColumns(role fleet.Role) []string {
	switch role {
	case fleet.RoleFeatureBuckets, fleet.RoleFeatureBucketsRef:
		return histdrift.BucketColumns
	case fleet.RoleFeatureCategories, fleet.RoleFeatureCategoriesRef:
		return histdrift.CategoryColumns
	case fleet.RoleScoreCalibration:
		return calibrationColumns
	case fleet.RoleFeatureMissing, fleet.RoleFeatureMissingRef:
		return histdrift.MissingColumns
	}
	return nil
}

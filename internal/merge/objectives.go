package merge

import (
	"math"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/fleet"
)

const labelWindow model.LabelName = "window"

// isObjectivesRole reports the roles read after the others (addObjectives):
// they attach to models and versions other roles named.
func isObjectivesRole(r fleet.Role) bool {
	switch r {
	case fleet.RoleLatencyBuckets, fleet.RoleRequestsLastWeek, fleet.RoleErrorRatioPage, fleet.RoleErrorRatioTicket:
		return true
	}
	return false
}

// addObjectives fills the inputs of the latency, burn-rate and silent
// checks. Only versions and models another role named get them: a version
// that stopped serving hours ago still has a 6h error ratio, and a model
// retired days ago still has last week's rate, and neither must come back
// as serving for that. The hour before (RoleRequestsHourBefore, read with
// the other roles) does name its model: a model whose series ended within
// the hour is one the silent check calls stopped.
func (b *builder) addObjectives(vectors map[fleet.Role]model.Vector) {
	for v, h := range b.bucketsByVersion(vectors[fleet.RoleLatencyBuckets]) {
		v.v.Objectives.LatencyBuckets = h
	}
	for _, role := range []fleet.Role{fleet.RoleErrorRatioPage, fleet.RoleErrorRatioTicket} {
		for _, s := range vectors[role] {
			b.addBurnRatio(s)
		}
	}
	for _, s := range vectors[fleet.RoleRequestsLastWeek] {
		if s == nil {
			continue
		}
		if m := b.models[string(s.Metric[labelModel])]; m != nil {
			m.lastWeek = b.addRate(m.lastWeek, s.Value)
		}
	}
}

// addBurnRatio files one window's error ratio; +Inf (errors and no
// successful prediction) is kept, and of several series the worst.
func (b *builder) addBurnRatio(s *model.Sample) {
	v := b.countsVersion(s)
	w := string(s.Metric[labelWindow])
	f := float64(s.Value)
	if v == nil || w == "" || math.IsNaN(f) || math.IsInf(f, -1) {
		return
	}
	r := &v.v.Objectives.ErrorRatios
	if *r == nil {
		*r = make(map[string]float64, 4)
	}
	if old, ok := (*r)[w]; !ok || f > old {
		(*r)[w] = f
	}
}

// addRate adds a request rate to a model's sum; several series (one per
// version, or an override without sum by) are added up.
func (b *builder) addRate(sum *float64, val model.SampleValue) *float64 {
	f := float64(val)
	if !known(f) || f < 0 {
		return sum
	}
	if sum != nil {
		f += *sum
	}
	return b.nums.ptr(f)
}

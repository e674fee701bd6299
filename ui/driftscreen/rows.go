package driftscreen

import (
	"math"
	"sort"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
	"github.com/mltop/mltop/internal/termsafe"
)

// row is one feature (or the prediction) as drawn: the latest score from
// the snapshot and, when fetched, its history.
type row struct {
	name       string // cleaned, for drawing
	raw        string // as in the data, for matching the history
	prediction bool

	known     bool // a current score exists
	score     float64
	method    string // cleaned
	threshold float64
	thrKnown  bool
	pvalue    *float64
	drifted   bool
	severity  float64 // 1 = at the threshold, larger is worse
	source    string  // fleet.DriftExported, fleet.DriftComputed or ""
	// observed and least are, for a row without a verdict for too few
	// observations, the count of the window that fell short and the
	// minimum; observedIn names that window. least is 0 otherwise.
	observed, least float64
	observedIn      string

	// dq is the feature's data quality; nil when unmeasured.
	dq *fleet.FeatureQuality

	// history is the severity at each step of the fetched range, oldest
	// first, NaN where there was no data; nil when not fetched.
	history []float64
}

// versionView is one version's drift: its rows, worst first, and the
// prediction row apart.
type versionView struct {
	v          *fleet.Version
	rows       []row
	prediction *row
	measured   int // features with a current score
	drifted    int // of those, drifted
	dataset    bool
	share      float64 // drifted share that makes dataset drift
	hasData    bool    // any score, now or in the history
}

// newRow draws a judged score: its threshold, verdict and severity are
// internal/judge's.
func newRow(fd fleet.FeatureDrift, prediction bool) row {
	r := row{name: termsafe.Clean(fd.Feature), raw: fd.Feature, prediction: prediction, method: termsafe.Clean(fd.Method), source: termsafe.Clean(fd.Source)}
	if prediction {
		r.name = "prediction"
	}
	if fd.Threshold != nil {
		r.threshold, r.thrKnown = *fd.Threshold, true
	}
	if math.IsNaN(fd.Score) || math.IsInf(fd.Score, 0) {
		return r
	}
	r.known, r.score, r.pvalue = true, fd.Score, fd.PValue
	if r.pvalue != nil && math.IsNaN(*r.pvalue) {
		r.pvalue = nil
	}
	r.severity = judge.SeverityOf(fd)
	r.drifted = fd.Drifted != nil && *fd.Drifted
	return r
}

// worseFirst orders rows by verdict, then severity, then name; rows
// without a current score go last.
func worseFirst(rows []row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.silent() != b.silent() {
			return a.silent() // critical: first
		}
		if a.known != b.known {
			return a.known
		}
		if a.drifted != b.drifted {
			return a.drifted
		}
		if a.severity != b.severity {
			return a.severity > b.severity
		}
		return a.name < b.name
	})
}

// views builds every shown version's drift from the snapshot and the
// history (nil when none was fetched).
func views(mod *fleet.Model, hist *fleet.DriftHistory) []versionView {
	var out []versionView
	for _, v := range orderedVersions(mod) {
		vv := versionView{v: v}
		// A feature may be scored by several methods (an exported score and
		// one computed from histograms): one row per (feature, method).
		seen := map[string]bool{}
		if d := v.Drift; d != nil {
			for _, fd := range d.Features {
				if fd.Feature == fleet.PredictionFeature || seen[rowKey(fd.Feature, fd.Method)] {
					continue
				}
				seen[rowKey(fd.Feature, fd.Method)] = true
				seen[fd.Feature] = true
				vv.rows = append(vv.rows, newRow(fd, false))
			}
			if d.Prediction != nil {
				p := newRow(*d.Prediction, true)
				vv.prediction = &p
			}
			vv.addTooFew(d.TooFew, seen)
			vv.addNoData(d.NoData, seen)
		}
		if hist != nil {
			vv.addHistory(hist, seen)
		}
		vv.addDataQuality(seen)
		worseFirst(vv.rows)
		// The counts and the dataset verdict are judged: a feature counts
		// once, drifted when any of its methods says so.
		if d := v.Drift; d != nil {
			vv.measured, vv.drifted, vv.share = d.Judged, len(d.DriftedFeatures), d.Share
			vv.dataset = d.Drifted != nil && *d.Drifted
		}
		vv.hasData = vv.measured > 0 || (vv.prediction != nil && vv.prediction.known) || hasHistory(vv) ||
			v.DataQuality != nil && len(v.DataQuality.Features) > 0
		if len(vv.rows) > 0 || vv.prediction != nil || v.Serving {
			out = append(out, vv)
		}
	}
	return out
}

// addTooFew adds rows for features computed on too few observations for
// a verdict, with their counts, unless the feature already has a row of
// that method.
func (vv *versionView) addTooFew(fs []fleet.FeatureDrift, seen map[string]bool) {
	for _, fd := range fs {
		if fd.Observations == nil || fd.MinObservations == nil {
			continue
		}
		r := row{name: termsafe.Clean(fd.Feature), raw: fd.Feature, method: termsafe.Clean(fd.Method), source: termsafe.Clean(fd.Source),
			observed: *fd.Observations, least: *fd.MinObservations, observedIn: fd.ObservationsWindow}
		if fd.Threshold != nil {
			r.threshold, r.thrKnown = *fd.Threshold, true
		}
		switch {
		case fd.Feature == fleet.PredictionFeature && vv.prediction == nil:
			r.name, r.prediction = "prediction", true
			vv.prediction = &r
		case fd.Feature != fleet.PredictionFeature && !seen[rowKey(fd.Feature, fd.Method)]:
			seen[rowKey(fd.Feature, fd.Method)] = true
			seen[fd.Feature] = true
			vv.rows = append(vv.rows, r)
		}
	}
}

// tooFew reports whether the row has no verdict for too few observations.
func (r row) tooFew() bool { return !r.known && r.least > 0 }

// addNoData adds rows for features that have histograms but no verdict
// (an empty current or reference window).
func (vv *versionView) addNoData(names []string, seen map[string]bool) {
	for _, name := range names {
		switch {
		case name == fleet.PredictionFeature && vv.prediction == nil:
			vv.prediction = &row{name: "prediction", raw: name, prediction: true}
		case name != fleet.PredictionFeature && !seen[name]:
			seen[name] = true
			vv.rows = append(vv.rows, row{name: termsafe.Clean(name), raw: name})
		}
	}
}

// addHistory attaches each series to its row, adding rows for features
// the history knows but the latest snapshot does not.
func (vv *versionView) addHistory(h *fleet.DriftHistory, seen map[string]bool) {
	for _, s := range h.Series {
		if s.Version != vv.v.Version {
			continue
		}
		pred := s.Feature == fleet.PredictionFeature
		var r *row
		switch {
		case pred && vv.prediction == nil:
			vv.prediction = &row{name: "prediction", raw: s.Feature, prediction: true, method: termsafe.Clean(s.Method)}
			fallthrough
		case pred:
			r = vv.prediction
		default:
			// The series belongs to the row of its own method; a feature
			// listed only as "no data" takes the method of its history.
			for i := range vv.rows {
				cand := &vv.rows[i]
				if cand.raw == s.Feature && (cand.method == termsafe.Clean(s.Method) || (!cand.known && cand.method == "")) {
					r = cand
				}
			}
			if r == nil {
				seen[rowKey(s.Feature, s.Method)] = true
				vv.rows = append(vv.rows, row{name: termsafe.Clean(s.Feature), raw: s.Feature, method: termsafe.Clean(s.Method)})
				r = &vv.rows[len(vv.rows)-1]
			}
		}
		r.history = judge.SeriesSeverity(s)
		if !r.thrKnown {
			r.threshold, r.thrKnown = judge.SeriesThreshold(s)
		}
	}
}

// rowKey identifies a row: a feature scored by one method.
func rowKey(feature, method string) string { return feature + "\x00" + method }

func hasHistory(vv versionView) bool {
	rows := vv.rows
	if vv.prediction != nil {
		rows = append(rows[:len(rows):len(rows)], *vv.prediction)
	}
	for _, r := range rows {
		for _, v := range r.history {
			if !math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

// orderedVersions puts serving versions first (stable, canary, shadow),
// then the rest, numeric versions in numeric order.
func orderedVersions(m *fleet.Model) []*fleet.Version {
	out := make([]*fleet.Version, 0, len(m.Versions))
	for i := range m.Versions {
		out = append(out, &m.Versions[i])
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Serving != b.Serving {
			return a.Serving
		}
		if fleet.TrackRank(a.Track) != fleet.TrackRank(b.Track) {
			return fleet.TrackRank(a.Track) < fleet.TrackRank(b.Track)
		}
		return fleet.CompareVersions(a.Version, b.Version) < 0
	})
	return out
}

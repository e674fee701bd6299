package judge

import (
	"math"
	"slices"
	"strings"

	"github.com/mltop/mltop/internal/drift"
	"github.com/mltop/mltop/internal/fleet"
)

// judgeFeature resolves a score's threshold and gives its verdict and
// severity. Without a threshold a verdict the data brought is kept: an
// exporter may judge by a method mltop does not know.
func (c Config) judgeFeature(f *fleet.FeatureDrift, a *arena) {
	f.Severity = nil
	thr, ok := c.featureThreshold(f.Method, f.Threshold)
	if !ok {
		f.Threshold = nil
		return
	}
	f.Threshold = a.num(thr)
	if !known(f.Score) {
		return
	}
	f.Drifted = a.flag(drift.Drifted(f.Method, f.Score, thr))
	f.Severity = a.num(drift.Severity(f.Method, f.Score, thr))
}

// featureThreshold resolves a method's threshold: the configured one,
// else the one the score came with (computed drift carries the one it
// was computed against), else Evidently's default.
func (c Config) featureThreshold(method string, given *float64) (float64, bool) {
	if t, ok := c.configured(method); ok {
		return t, true
	}
	if knownPtr(given) && *given > 0 {
		return *given, true
	}
	return drift.DefaultThreshold(method)
}

// DriftThreshold is the threshold c judges method's scores by: the
// configured one, else the method's default.
func (c Config) DriftThreshold(method string) (float64, bool) {
	return c.featureThreshold(method, nil)
}

// SeriesThreshold is the threshold a drift-over-time series is judged
// by: the one it was computed against, else the method's default.
func SeriesThreshold(s fleet.DriftSeries) (float64, bool) {
	return Config{}.featureThreshold(s.Method, &s.Threshold)
}

// SeriesSeverity turns a drift-over-time series into severities (1 = at
// the threshold), NaN where there was no score, by the same rule as the
// snapshot's scores; without a threshold a score stands for itself.
func SeriesSeverity(s fleet.DriftSeries) []float64 {
	thr, ok := SeriesThreshold(s)
	out := make([]float64, len(s.Scores))
	for i, v := range s.Scores {
		switch {
		case !known(v):
			out[i] = math.NaN()
		case ok:
			out[i] = drift.Severity(s.Method, v, thr)
		default:
			out[i] = v
		}
	}
	return out
}

// SeverityOf is what orders drift findings: judged ones by severity (1 =
// at the threshold), unjudged ones by their score.
func SeverityOf(f fleet.FeatureDrift) float64 {
	if f.Severity != nil {
		return *f.Severity
	}
	return f.Score
}

func drifted(f fleet.FeatureDrift) bool { return f.Drifted != nil && *f.Drifted }

// worse reports whether a is a worse finding than c: drifted first, then
// judged, then by severity; ties go to the name, so the choice is stable.
func worse(a, c fleet.FeatureDrift) bool {
	if da, dc := drifted(a), drifted(c); da != dc {
		return da
	}
	if ja, jc := a.Severity != nil, c.Severity != nil; ja != jc {
		return ja
	}
	if sa, sc := SeverityOf(a), SeverityOf(c); sa != sc {
		return sa > sc
	}
	if a.Feature != c.Feature {
		return a.Feature < c.Feature
	}
	return a.Method < c.Method
}

// judgeDrift gives every score its verdict, picks the prediction among
// the output's scores, the worst input feature (d.Score, d.Feature, ...),
// the finding to show (Worst) and the dataset verdict: drifted when at
// least Share of the judged features drifted, a feature judged by several
// methods counting once, drifted when any says so.
func (c Config) judgeDrift(d *fleet.Drift, a *arena) {
	if d == nil {
		return
	}
	d.Share = c.share()
	outs := d.Outputs
	if len(outs) == 0 && d.Prediction != nil {
		outs = []fleet.FeatureDrift{*d.Prediction}
	}
	d.Prediction = nil
	for i := range outs {
		p := outs[i]
		c.judgeFeature(&p, a)
		if d.Prediction == nil || worse(p, *d.Prediction) {
			d.Prediction = &p
		}
	}
	var worst *fleet.FeatureDrift
	for i := range d.Features {
		f := &d.Features[i]
		c.judgeFeature(f, a)
		if f.Severity != nil && (worst == nil || worse(*f, *worst)) {
			worst = f
		}
	}
	d.Score, d.Method, d.Threshold, d.Feature = nil, "", nil, ""
	if worst != nil {
		d.Score, d.Method, d.Threshold, d.Feature = a.num(worst.Score), worst.Method, worst.Threshold, worst.Feature
	}
	// Too few observations for a verdict: the threshold is still the
	// resolved one, so the screen can show what the score will be held to.
	for i := range d.TooFew {
		f := &d.TooFew[i]
		f.Drifted, f.Severity = nil, nil
		if t, ok := c.featureThreshold(f.Method, f.Threshold); ok {
			f.Threshold = a.num(t)
		}
	}
	d.Judged, d.DriftedFeatures = featureVerdicts(d.Features)
	d.Drifted = nil
	if d.Judged > 0 {
		d.Drifted = a.flag(float64(len(d.DriftedFeatures))/float64(d.Judged) >= d.Share)
	}
	d.Worst = nil
	var show *fleet.FeatureDrift
	if worst != nil {
		w := *worst
		show = &w
	}
	// Output drift matters as much as any input: shown when it is worse.
	if p := d.Prediction; p != nil && known(p.Score) && (show == nil || worse(*p, *show)) {
		q := *p
		show = &q
	}
	d.Worst = show
}

// featureVerdicts counts the features with a verdict and names those
// drifted, each once however many methods scored it (drifted when any
// says so), sorted.
func featureVerdicts(fs []fleet.FeatureDrift) (judged int, drifted []string) {
	byName := func(a, b fleet.FeatureDrift) int { return strings.Compare(a.Feature, b.Feature) }
	if !slices.IsSortedFunc(fs, byName) {
		fs = slices.Clone(fs)
		slices.SortStableFunc(fs, byName)
	}
	for i := 0; i < len(fs); {
		j, has, any := i, false, false
		for ; j < len(fs) && fs[j].Feature == fs[i].Feature; j++ {
			if fs[j].Drifted != nil {
				has = true
				any = any || *fs[j].Drifted
			}
		}
		if has {
			judged++
		}
		if any {
			drifted = append(drifted, fs[i].Feature)
		}
		i = j
	}
	return judged, drifted
}

// driftFinding names each drifted feature once, the prediction last.
func driftFinding(d *fleet.Drift) string {
	if d == nil {
		return ""
	}
	names := append([]string(nil), d.DriftedFeatures...)
	if d.Prediction != nil && drifted(*d.Prediction) {
		names = append(names, "prediction")
	}
	if len(names) == 0 {
		return ""
	}
	return "drift in " + strings.Join(names, ", ")
}

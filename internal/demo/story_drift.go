package demo

import (
	"math"
	"time"
)

// tenureShift is the churn story's drift: a marketing push brings in new
// customers, so tenure falls. It starts twenty minutes before the story,
// passes PSI 0.1 within fifteen story minutes and keeps growing for hours.
func tenureShift(s time.Duration) float64 {
	const onset = -20 * time.Minute
	switch {
	case s <= onset:
		return 0
	case s < 0:
		return -0.14 * float64(s-onset) / float64(-onset)
	}
	return -math.Min(0.85, 0.14+0.2*math.Pow(s.Minutes()/15, 0.4))
}

// churnPredictor drifts: its live accuracy follows the drift of two hours
// ago, because that is when the labels now arriving were predicted; the
// estimate from today's scores sees the drop two hours sooner.
func churnPredictor() *modelSpec {
	healthy := versionSpec{
		p50: 0.014, p95: 0.031, errRate: 0.005,
		liveGap: map[string]float64{"accuracy": -0.01, "f1": -0.02},
	}
	v := func(n int, age time.Duration, stage, run string, acc, f1 float64) versionSpec {
		s := healthy
		s.number, s.age, s.stage, s.user, s.runName = n, age, stage, "li@example.com", run
		s.offline = map[string]float64{"accuracy": acc, "f1": f1, "auc": acc - 0.02}
		return s
	}
	return &modelSpec{
		name:        "churn-predictor",
		description: "Monthly subscriber churn propensity for retention campaigns",
		owner:       "li", team: "growth-ml", risk: "medium",
		strategy: "canary",
		rate:     48,
		features: []featureSpec{
			{name: "tenure", base: logNormal(24, 0.7), shift: tenureShift},
			{name: "monthly_charges", base: normal(65, 22), shift: steady(0.03)},
			{name: "support_calls", base: logNormal(2, 0.5), shift: steady(-0.04)},
			{
				name:       "plan",
				categories: []string{"basic", "standard", "premium", "family"},
				probs:      []float64{0.38, 0.33, 0.21, 0.08},
				current:    []float64{0.39, 0.32, 0.21, 0.08},
			},
		},
		// Calibrated scores (calibration.go): accuracy .885 and f1 .72
		// before the drift. New customers, whom the model knows less well,
		// get higher and less confident scores, so both fall.
		prediction:       logitNormal(-3.0, 3.4),
		predictionShift:  func(s time.Duration) float64 { return -tenureShift(s) / 2 },
		predictionSpread: func(s time.Duration) float64 { return 1 + tenureShift(s)/2 },
		predBounds:       probabilityBounds,
		scoreLabels:      true,
		labels: &labelSpec{
			fraction: 0.30, delay: delayDist(2*time.Hour, 8*time.Hour),
			landEvery: 15 * time.Minute, initialAge: 6 * time.Minute,
		},
		live:     []string{"accuracy", "f1"},
		template: v(0, 0, none, "", 0, 0),
		versions: []versionSpec{
			v(1, 90*day, arch, "logreg-baseline", 0.86, 0.66),
			v(2, 45*day, arch, "lgbm-usage-features", 0.88, 0.71),
			v(3, 20*day, prod, "lgbm-2026-q3", 0.895, 0.74),
		},
		stable:  3,
		aliases: map[string]int{"champion": 3},
		dataset: datasetSpec{
			name: "churn-monthly-snapshot", sourceType: "delta",
			source: `{"path": "s3://lake/crm/churn_snapshot", "delta_table_version": 88}`,
		},
		params:       map[string]string{"num_leaves": "63", "learning_rate": "0.03", "n_estimators": "900"},
		sourceName:   "git@github.com:example/growth-models.git#churn/train.py",
		experimentID: "12",
	}
}

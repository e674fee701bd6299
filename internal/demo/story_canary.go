package demo

import "time"

// creditRisk has a canary in progress (v12 at step 2 of 4) and labels that
// arrive days late in nightly batches, and the batch pipeline has stalled:
// the newest label is 47 story hours old at the start. Its scores are
// calibrated, so quality can be estimated before the labels come.
func creditRisk() *modelSpec {
	healthy := versionSpec{
		p50: 0.020, p95: 0.044, errRate: 0.005,
		liveGap: map[string]float64{"auc": -0.01},
	}
	v := func(n int, age time.Duration, stage, run string, auc float64) versionSpec {
		s := healthy
		s.number, s.age, s.stage, s.user, s.runName = n, age, stage, ci, run
		s.offline = map[string]float64{"auc": auc, "ks_statistic": auc - 0.36, "brier": 0.09 - (auc-0.8)/5}
		return s
	}
	v12 := v(12, 3*day, stag, "xgb-2026-11", 0.91)
	v12.description = "bureau v3 attributes, monotone constraints"
	v12.p50, v12.p95, v12.errRate = 0.021, 0.047, 0.004
	v12.scoreSigma = 2.84 // sharper: its expected auc is .90, v11's (2.21) .87
	return &modelSpec{
		name:        "credit-risk",
		description: "Probability of default for consumer loan applications",
		owner:       "ravi", team: "risk", risk: "high",
		strategy: "canary",
		rate:     50,
		features: []featureSpec{
			{name: "income", base: logNormal(52000, 0.5), shift: steady(0.03)},
			{name: "debt_to_income", base: normal(0.32, 0.1), shift: steady(0.02)},
			{name: "credit_utilization", base: normal(0.35, 0.15), shift: steady(0.03)},
			{
				name:       "employment_type",
				categories: []string{"salaried", "self_employed", "contract", "unemployed"},
				probs:      []float64{0.62, 0.18, 0.12, 0.08},
				current:    []float64{0.61, 0.19, 0.12, 0.08},
			},
		},
		// Scores are calibrated on their buckets (calibration.go): the
		// spread sets the expected auc, .87 here, offline minus a point.
		prediction:  logitNormal(-2.5, 2.21),
		predBounds:  probabilityBounds,
		scoreLabels: true,
		labels: &labelSpec{
			fraction: 0.05, delay: delayDist(26*time.Hour, 48*time.Hour),
			landEvery: day, initialAge: 47 * time.Hour, stalledFor: 36 * time.Hour,
		},
		live:     []string{"auc"},
		template: v(0, 0, none, "", 0),
		versions: []versionSpec{
			v(9, 120*day, arch, "xgb-2026-05", 0.86),
			v(10, 60*day, arch, "xgb-2026-08", 0.87),
			v(11, 25*day, prod, "xgb-2026-10", 0.88),
			v12,
		},
		stable:  11,
		canary:  &canarySpec{version: 12, step: 2, inStep: 25 * time.Minute},
		aliases: map[string]int{"champion": 11, "challenger": 12},
		dataset: datasetSpec{
			name: "credit-train", sourceType: "delta",
			source: `{"path": "s3://lake/risk/applications_outcomes", "delta_table_version": 1207}`,
		},
		params:       map[string]string{"max_depth": "6", "learning_rate": "0.04", "n_estimators": "800", "monotone_constraints": "income:-1,debt_to_income:1"},
		sourceName:   "git@github.com:example/risk-models.git#pd/train.py",
		experimentID: "3",
	}
}

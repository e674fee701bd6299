package demo

import "time"

// paymentsFraud is the incident: v8 went out a day ago, has been champion
// for 45 minutes, and is slow and failing; v7 is healthy.
func paymentsFraud() *modelSpec {
	healthy := versionSpec{
		p50: 0.018, p95: 0.040, errRate: 0.003,
		liveGap: map[string]float64{"auc": -0.01, "recall": -0.02},
	}
	v := func(n int, age time.Duration, stage, run string, auc, recall float64) versionSpec {
		s := healthy
		s.number, s.age, s.stage, s.user, s.runName = n, age, stage, ci, run
		s.offline = map[string]float64{"auc": auc, "recall": recall, "logloss": 0.061 + (0.9-auc)/4}
		return s
	}
	v8 := v(8, 26*time.Hour, prod, "xgb-merchant-graph", 0.88, 0.79)
	v8.description = "adds merchant-graph features looked up online"
	v8.p50, v8.p95 = 0.38, 0.9
	v8.errRate, v8.errSwing = 0.06, 0.02
	v8.liveGap = map[string]float64{"auc": -0.07, "recall": -0.12}
	return &modelSpec{
		name:        "payments-fraud",
		description: "Card-payment fraud classifier scoring every authorisation",
		owner:       "maria", team: "payments-risk", risk: "high",
		strategy: "canary",
		rate:     1200,
		features: []featureSpec{
			{name: "amount", base: logNormal(45, 0.9), shift: steady(0.06)},
			{name: "txn_count_24h", base: logNormal(3, 0.6), shift: steady(0.05)},
			{name: "distance_from_home_km", base: logNormal(12, 1.1), shift: steady(0.08)},
			{
				name:       "merchant_category",
				categories: []string{"grocery", "retail", "travel", "digital", "gaming", "other"},
				probs:      []float64{0.34, 0.25, 0.12, 0.17, 0.05, 0.07},
				current:    []float64{0.33, 0.25, 0.13, 0.17, 0.05, 0.07},
			},
		},
		prediction: logitNormal(-4, 1.5),
		predBounds: probabilityBounds,
		labels: &labelSpec{
			fraction: 0.92, delay: delayDist(10*time.Minute, 2*time.Hour),
			landEvery: 2 * time.Minute, initialAge: time.Minute,
		},
		live:     []string{"auc", "recall"},
		template: v(0, 0, none, "", 0, 0),
		versions: []versionSpec{
			v(5, 60*day, arch, "xgb-baseline", 0.85, 0.74),
			v(6, 34*day, arch, "xgb-device-features", 0.86, 0.76),
			v(7, 12*day, arch, "xgb-2026-q3-window", 0.87, 0.77),
			v8,
		},
		stable:  8,
		aliases: map[string]int{"champion": 8},
		dataset: datasetSpec{
			name: "payments-auth-train", sourceType: "delta",
			source: `{"path": "s3://lake/payments/auth_labelled", "delta_table_version": 412}`,
		},
		params:       map[string]string{"max_depth": "8", "learning_rate": "0.05", "n_estimators": "600", "scale_pos_weight": "40"},
		sourceName:   "git@github.com:example/payments-models.git#fraud/train.py",
		experimentID: "7",
	}
}

package demo

import "time"

// searchRanker is healthy, with a challenger mirrored in shadow.
func searchRanker() *modelSpec {
	healthy := versionSpec{p50: 0.009, p95: 0.018, errRate: 0.0002, liveGap: map[string]float64{"ndcg": -0.01}}
	v := func(n int, age time.Duration, stage, run string, ndcg float64) versionSpec {
		s := healthy
		s.number, s.age, s.stage, s.user, s.runName = n, age, stage, "sam@example.com", run
		s.offline = map[string]float64{"ndcg": ndcg, "mrr": ndcg + 0.08}
		return s
	}
	v22 := v(22, 2*day, stag, "lambdamart-freshness", 0.74)
	v22.p50, v22.p95, v22.errRate = 0.011, 0.022, 0.001
	return &modelSpec{
		name:        "search-ranker",
		description: "Learning-to-rank model ordering catalogue search results",
		owner:       "sam", team: "search", risk: "medium",
		strategy: "shadow",
		rate:     3400,
		features: []featureSpec{
			{name: "query_length_tokens", base: logNormal(3, 0.5), shift: steady(0.03)},
			{name: "doc_age_days", base: logNormal(40, 1.2), shift: steady(0.05)},
			{
				name:       "locale",
				categories: []string{"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "other"},
				probs:      []float64{0.41, 0.12, 0.14, 0.11, 0.09, 0.13},
				current:    []float64{0.40, 0.12, 0.15, 0.11, 0.09, 0.13},
			},
		},
		prediction: normal(0, 1),
		predBounds: []float64{-2, -1, -0.5, 0, 0.5, 1, 2},
		labels: &labelSpec{
			fraction: 0.64, delay: delayDist(2*time.Minute, 12*time.Minute),
			landEvery: 5 * time.Minute, initialAge: 2 * time.Minute,
		},
		live:     []string{"ndcg"},
		template: v(0, 0, none, "", 0),
		versions: []versionSpec{
			v(19, 50*day, arch, "lambdamart-baseline", 0.70),
			v(20, 30*day, arch, "lambdamart-click-model", 0.71),
			v(21, 14*day, prod, "lambdamart-2026-10", 0.72),
			v22,
		},
		stable: 21, shadow: 22,
		aliases: map[string]int{"champion": 21, "challenger": 22},
		dataset: datasetSpec{
			name: "search-judgements", sourceType: "s3",
			source: `{"uri": "s3://lake/search/judgements/2026-10"}`,
		},
		params:       map[string]string{"objective": "lambdarank", "num_leaves": "255", "learning_rate": "0.1"},
		sourceName:   "git@github.com:example/search-ranking.git#train/ltr.py",
		experimentID: "21",
	}
}

// imageTagger has no latency histogram (a summary without quantiles), no
// ground truth, and fails often on little traffic.
func imageTagger() *modelSpec {
	healthy := versionSpec{p50: 0.11, p95: 0.25, errRate: 0.091}
	v := func(n int, age time.Duration, stage, run string, top1 float64) versionSpec {
		s := healthy
		s.number, s.age, s.stage, s.user, s.runName = n, age, stage, "noor@example.com", run
		s.offline = map[string]float64{"top1_accuracy": top1, "top5_accuracy": top1 + 0.12}
		return s
	}
	v3 := v(3, 10*day, none, "vit-b16-finetune", 0.84)
	v3.description = "rejected: failed bias review"
	return &modelSpec{
		name:        "image-tagger",
		description: "Tags user-uploaded product images",
		owner:       "noor", team: "vision", risk: "low",
		rate:            25,
		prediction:      logitNormal(1.5, 1),
		predBounds:      probabilityBounds,
		meanLatencyOnly: true,
		template:        v(0, 0, none, "", 0),
		versions: []versionSpec{
			v(1, 200*day, arch, "resnet50-baseline", 0.78),
			v(2, 90*day, prod, "effnet-b3", 0.81),
			v3,
		},
		stable:  2,
		aliases: map[string]int{"champion": 2},
		dataset: datasetSpec{
			name: "product-images-labelled", sourceType: "s3",
			source: `{"uri": "s3://lake/vision/product_images/v4"}`,
		},
		params:       map[string]string{"epochs": "30", "batch_size": "256", "lr": "0.0003"},
		sourceName:   "git@github.com:example/vision.git#tagger/train.py",
		experimentID: "30",
	}
}

// demandForecast is a healthy regression with daily label batches.
func demandForecast() *modelSpec {
	healthy := versionSpec{p50: 0.028, p95: 0.060, errRate: 0.002, liveGap: map[string]float64{"rmse": 0.5, "mae": 0.3}}
	v := func(n int, age time.Duration, stage, run string, rmse float64) versionSpec {
		s := healthy
		s.number, s.age, s.stage, s.user, s.runName = n, age, stage, "jonas@example.com", run
		s.offline = map[string]float64{"rmse": rmse, "mae": rmse * 0.65, "mape": 0.18}
		return s
	}
	return &modelSpec{
		name:        "demand-forecast",
		description: "Next-day unit demand per store and SKU",
		owner:       "jonas", team: "supply-chain-ml", risk: "medium",
		strategy: "blue-green",
		rate:     120,
		features: []featureSpec{
			{name: "temperature_c", base: normal(14, 8), shift: steady(0.05)},
			{name: "price", base: normal(9.5, 2.5), shift: steady(0.02)},
			{
				name:       "promo",
				categories: []string{"none", "discount", "bundle"},
				probs:      []float64{0.72, 0.20, 0.08},
				current:    []float64{0.71, 0.21, 0.08},
			},
		},
		prediction: logNormal(40, 0.8),
		predBounds: []float64{1, 5, 10, 20, 50, 100, 200, 500, 1000},
		labels: &labelSpec{
			fraction: 0.98, delay: delayDist(12*time.Hour, 22*time.Hour),
			landEvery: day, initialAge: 9 * time.Hour,
		},
		live:     []string{"rmse", "mae"},
		template: v(0, 0, none, "", 0),
		versions: []versionSpec{
			v(3, 100*day, arch, "prophet-baseline", 14.1),
			v(4, 60*day, arch, "lgbm-weather", 13.0),
			v(5, 28*day, prod, "lgbm-weather-promo", 12.4),
		},
		stable:  5,
		aliases: map[string]int{"champion": 5},
		dataset: datasetSpec{
			name: "store-sku-daily", sourceType: "delta",
			source: `{"path": "s3://lake/supply/store_sku_daily", "delta_table_version": 530}`,
		},
		params:       map[string]string{"num_leaves": "127", "learning_rate": "0.05", "horizon_days": "1"},
		sourceName:   "git@github.com:example/forecasting.git#demand/train.py",
		experimentID: "40",
	}
}

// etaPredictor is a healthy regression with fast labels (trips complete).
func etaPredictor() *modelSpec {
	healthy := versionSpec{p50: 0.012, p95: 0.025, errRate: 0.001, liveGap: map[string]float64{"mae": 0.06}}
	v := func(n int, age time.Duration, stage, run string, mae float64) versionSpec {
		s := healthy
		s.number, s.age, s.stage, s.user, s.runName = n, age, stage, "keiko@example.com", run
		s.offline = map[string]float64{"mae": mae, "rmse": mae * 1.5}
		return s
	}
	return &modelSpec{
		name:        "eta-predictor",
		description: "Delivery time estimate shown at checkout",
		owner:       "keiko", team: "logistics-ml", risk: "low",
		strategy: "canary",
		rate:     800,
		features: []featureSpec{
			{name: "distance_km", base: logNormal(6, 0.7), shift: steady(0.03)},
			{name: "traffic_index", base: normal(0.5, 0.18), shift: steady(0.05), missing: trafficFeedOutage},
			{
				name:       "weather",
				categories: []string{"clear", "rain", "snow", "fog"},
				probs:      []float64{0.60, 0.25, 0.05, 0.10},
				current:    []float64{0.58, 0.27, 0.05, 0.10},
			},
		},
		prediction: logNormal(18, 0.5),
		predBounds: []float64{5, 10, 15, 20, 30, 45, 60, 90, 120},
		labels: &labelSpec{
			fraction: 0.97, delay: delayDist(20*time.Minute, 70*time.Minute),
			landEvery: time.Minute, initialAge: 30 * time.Second,
		},
		live:     []string{"mae"},
		template: v(0, 0, none, "", 0),
		versions: []versionSpec{
			v(7, 80*day, arch, "gbm-baseline", 2.6),
			v(8, 40*day, arch, "gbm-traffic", 2.3),
			v(9, 15*day, prod, "gbm-traffic-weather", 2.1),
		},
		stable:  9,
		aliases: map[string]int{"champion": 9},
		dataset: datasetSpec{
			name: "trips-completed", sourceType: "delta",
			source: `{"path": "s3://lake/logistics/trips", "delta_table_version": 2291}`,
		},
		params:       map[string]string{"max_depth": "10", "learning_rate": "0.08", "n_estimators": "500"},
		sourceName:   "git@github.com:example/logistics-ml.git#eta/train.py",
		experimentID: "44",
	}
}

// trafficFeedOutage is eta-predictor's data-pipeline incident: from story
// hour 3 to hour 6 (three to six minutes into the demo) the traffic feed
// times out for 30 % of requests, which then go without traffic_index.
// The values that do arrive are as before: data quality, not drift.
func trafficFeedOutage(s time.Duration) float64 {
	if s >= 3*time.Hour && s < 6*time.Hour {
		return 0.3
	}
	return 0
}

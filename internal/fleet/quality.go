package fleet

import "sort"

// metricPreference orders quality metrics by how well one number summarises
// a model: the first one present is the model's headline metric.
var metricPreference = []string{"auc", "ndcg", "f1", "accuracy", "precision", "recall", "rmse", "mae", "mape", "mse", "logloss"}

// PrimaryMetric returns the version's headline quality metric: the first of
// the preferred metrics it has live or offline, else the alphabetically first.
func (v *Version) PrimaryMetric() (name string, live, baseline *float64) {
	pick := ""
	for _, m := range metricPreference {
		if _, ok := v.Performance[m]; ok {
			pick = m
			break
		}
	}
	if pick == "" {
		for _, m := range metricPreference {
			if _, ok := v.Baseline[m]; ok {
				pick = m
				break
			}
		}
	}
	if pick == "" {
		keys := make([]string, 0, len(v.Performance))
		for k := range v.Performance {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) == 0 {
			return "", nil, nil
		}
		pick = keys[0]
	}
	if x, ok := v.Performance[pick]; ok {
		live = &x
	}
	if x, ok := v.Baseline[pick]; ok {
		baseline = &x
	}
	return pick, live, baseline
}

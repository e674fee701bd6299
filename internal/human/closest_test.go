package human

import (
	"slices"
	"testing"
)

func TestClosestNames(t *testing.T) {
	names := []string{"churn-predictor", "credit-risk", "fraud-detector", "Fraud-Detector-v2", "search-ranker", "x"}
	cases := map[string][]string{
		"fraud-detecter":  {"fraud-detector", "Fraud-Detector-v2"},
		"FRAUD-DETECTOR":  {"fraud-detector", "Fraud-Detector-v2"},
		"credit":          {"credit-risk"},
		"churn-predicter": {"churn-predictor"},
		"zzzzzzzz":        {},
		"y":               {"x"},
	}
	for in, want := range cases {
		if got := ClosestNames(in, names, 3); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

package fleet

import "time"

// VerdictOutcome is a comparison's overall answer, for people and for
// rollout controllers.
type VerdictOutcome string

const (
	VerdictPass      VerdictOutcome = "pass"            // the candidate is not significantly worse
	VerdictFail      VerdictOutcome = "fail"            // significantly worse on at least one row
	VerdictNotEnough VerdictOutcome = "not_enough_data" // too few requests or labels to tell, or data missing
)

// VerdictRow is one quantity compared between candidate and baseline.
type VerdictRow struct {
	// Quantity is what is compared: "error_rate", "latency", a quality
	// metric ("accuracy"), or an estimated one ("estimated roc_auc").
	Quantity string
	// Method names the test: "msprt two-proportion", "ks", "newcombe",
	// "difference of estimates".
	Method              string
	Candidate, Baseline *float64
	// Samples are the counts each side rests on (requests or labels).
	CandidateSamples, BaselineSamples float64
	// Comparison is "better", "worse", "same" (no significant difference)
	// or "unknown" (Why says why).
	Comparison string
	// PValue is the always-valid p-value where the method has one.
	PValue *float64
	// Interval is the 95 % interval of candidate − baseline where the
	// method gives one.
	Interval *[2]float64
	// NeedMore, for "same", says how many more samples would detect a
	// given change at 80 % power ("≈ 12,400 more requests to detect +1 pp").
	NeedMore string
	Why      string
}

// Verdict compares a candidate version with its baseline (the stable one).
type Verdict struct {
	Model, Candidate, Baseline string
	Outcome                    VerdictOutcome
	// Why says in words what decided Outcome.
	Why    string
	Window time.Duration
	Rows   []VerdictRow
}

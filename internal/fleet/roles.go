package fleet

// Role names a quantity the poller fills from a query. A profile maps each
// role to PromQL; the merge step knows where each role's samples land.
type Role string

// The roles of the default metric convention. Each query returns samples
// labelled at least by model (and version where the quantity has one).
const (
	RoleRequestRate     Role = "request_rate"       // req/s by (model, version)
	RoleErrorRatio      Role = "error_ratio"        // 0..1 by (model, version)
	RoleLatencyP50      Role = "latency_p50"        // seconds
	RoleLatencyP95      Role = "latency_p95"        // seconds
	RoleLatencyP99      Role = "latency_p99"        // seconds
	RoleLatencyMean     Role = "latency_mean"       // seconds, where no histogram exists
	RolePerformance     Role = "performance"        // by (model, version, metric)
	RoleTrafficWeight   Role = "traffic_weight"     // percent by (model, version, track)
	RoleRolloutInfo     Role = "rollout_info"       // 1 by (model, phase, strategy)
	RoleRolloutStep     Role = "rollout_step"       // current step by (model)
	RoleRolloutSteps    Role = "rollout_steps"      // number of steps by (model)
	RoleRolloutSetWt    Role = "rollout_set_weight" // weight asked for by (model)
	RoleLabeledFraction Role = "labeled_fraction"   // 0..1 by (model, version)
	RoleLabelDelayP50   Role = "label_delay_p50"    // seconds
	RoleLabelDelayP95   Role = "label_delay_p95"    // seconds
	RoleLabelAge        Role = "label_age"          // seconds since newest label
	RoleDriftScore      Role = "drift_score"        // by (model, version, feature, method)
	RoleLabelsInWindow  Role = "labels_in_window"   // labelled predictions in the window, by (model, version)
	// RoleWarmingUp is present (> 0) by (model, version) for a version whose
	// series are younger than the rate window: its rates are not settled yet.
	RoleWarmingUp Role = "warming_up"

	// Feature histograms, from which mltop computes drift itself: window
	// counts by (model, version, feature, le) for numeric features and the
	// prediction (feature PredictionFeature), by (model, version, feature,
	// category) for categorical ones; current window and reference window.
	RoleFeatureBuckets       Role = "feature_buckets"
	RoleFeatureBucketsRef    Role = "feature_buckets_reference"
	RoleFeatureCategories    Role = "feature_categories"
	RoleFeatureCategoriesRef Role = "feature_categories_reference"

	// RoleScoreCalibration counts labelled predictions per score bucket over
	// the calibration window, by (model, version, le, calibration), where
	// calibration is CalibrationAll or CalibrationPositive: the calibration
	// the quality estimate (CBPE) rests on.
	RoleScoreCalibration Role = "score_calibration"
	// RolePerformanceEstimate is an exporter's own estimate of a quality
	// metric, by (model, version, metric).
	RolePerformanceEstimate Role = "performance_estimate"
	// RoleVerdictCounts counts requests and errors over the verdict window,
	// by (model, version, counter), counter CounterRequests or CounterErrors.
	RoleVerdictCounts Role = "verdict_counts"
	// RoleVerdictLatency counts requests per latency bucket over the verdict
	// window, by (model, version, le).
	RoleVerdictLatency Role = "verdict_latency"
	// RoleAnalysisRun is 1 by (model, run, phase) for each analysis run of
	// the model's rollout, phase the controller's (Running, Successful, ...).
	RoleAnalysisRun Role = "analysis_run"
	// RoleAnalysisMetric is 1 by (model, run, metric, phase) for each
	// metric of an analysis run, in its current phase.
	RoleAnalysisMetric Role = "analysis_metric"

	// RoleLatencyBuckets is requests per second per latency bucket over the
	// rate window, by (model, version, le), cumulative: the share slower
	// than the latency objective is read from it.
	RoleLatencyBuckets Role = "latency_buckets"
	// RoleRequestsLastWeek is a model's request rate over the rate window
	// one week earlier, by (model): what "silent" compares with.
	RoleRequestsLastWeek Role = "requests_last_week"
	// RoleRequestsHourBefore is a model's request rate over the hour before
	// the rate window, by (model): a model that stops after it is critical.
	RoleRequestsHourBefore Role = "requests_hour_before"
	// RoleErrorRatioPage and RoleErrorRatioTicket are the error ratio over
	// the burn-rate windows, by (model, version, window): 1h and 5m (page),
	// 6h and 30m (ticket).
	RoleErrorRatioPage   Role = "error_ratio_page"
	RoleErrorRatioTicket Role = "error_ratio_ticket"

	// RoleFeatureMissing counts, over the drift window, the predictions
	// whose feature was missing or null (counter CounterMissing, by
	// feature) and all predictions (counter CounterPredictions, no
	// feature), by (model, version, feature, counter);
	// RoleFeatureMissingRef the same over the reference window.
	RoleFeatureMissing    Role = "feature_missing"
	RoleFeatureMissingRef Role = "feature_missing_reference"
)

// RoleProfile is 1 by (model, version, profile): the profile whose queries
// answered for the version when several exporter profiles combine (the
// config sends it only then).
const RoleProfile Role = "profile"

// Values of the calibration and counter labels the roles above carry.
const (
	CalibrationAll      = "all"
	CalibrationPositive = "positive"
	CounterRequests     = "requests"
	CounterErrors       = "errors"
	CounterMissing      = "missing"
	CounterPredictions  = "predictions"
)

// The burn-rate windows, as the window label of the error ratio roles
// writes them.
const (
	BurnWindow5m  = "5m"
	BurnWindow30m = "30m"
	BurnWindow1h  = "1h"
	BurnWindow6h  = "6h"
)

// AllRoles lists every role in a stable order.
var AllRoles = []Role{
	RoleRequestRate, RoleErrorRatio, RoleLatencyP50, RoleLatencyP95, RoleLatencyP99,
	RoleLatencyMean, RolePerformance, RoleTrafficWeight, RoleRolloutInfo, RoleRolloutStep,
	RoleRolloutSteps, RoleRolloutSetWt, RoleLabeledFraction, RoleLabelDelayP50,
	RoleLabelDelayP95, RoleLabelAge, RoleDriftScore, RoleLabelsInWindow,
	RoleFeatureBuckets, RoleFeatureBucketsRef, RoleFeatureCategories, RoleFeatureCategoriesRef,
	RoleWarmingUp, RoleScoreCalibration, RolePerformanceEstimate, RoleVerdictCounts, RoleVerdictLatency,
	RoleAnalysisRun, RoleAnalysisMetric,
	RoleLatencyBuckets, RoleRequestsLastWeek, RoleRequestsHourBefore, RoleErrorRatioPage, RoleErrorRatioTicket,
	RoleFeatureMissing, RoleFeatureMissingRef, RoleProfile,
}

// HistogramRoles are the roles whose samples are feature histograms for
// computed drift rather than values to show.
var HistogramRoles = []Role{RoleFeatureBuckets, RoleFeatureBucketsRef, RoleFeatureCategories, RoleFeatureCategoriesRef}

// IsHistogramRole reports whether r is one of HistogramRoles.
func IsHistogramRole(r Role) bool {
	switch r {
	case RoleFeatureBuckets, RoleFeatureBucketsRef, RoleFeatureCategories, RoleFeatureCategoriesRef:
		return true
	}
	return false
}

// IsReferenceRole reports whether r reads the reference window, which
// changes slowly and need not be queried on every refresh.
func IsReferenceRole(r Role) bool {
	return r == RoleFeatureBucketsRef || r == RoleFeatureCategoriesRef || r == RoleFeatureMissingRef
}

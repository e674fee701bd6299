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
)

// AllRoles lists every role in a stable order.
var AllRoles = []Role{
	RoleRequestRate, RoleErrorRatio, RoleLatencyP50, RoleLatencyP95, RoleLatencyP99,
	RoleLatencyMean, RolePerformance, RoleTrafficWeight, RoleRolloutInfo, RoleRolloutStep,
	RoleRolloutSteps, RoleRolloutSetWt, RoleLabeledFraction, RoleLabelDelayP50,
	RoleLabelDelayP95, RoleLabelAge, RoleDriftScore,
}

package fleet

import "time"

// Registry is what a model registry knows, as read by one poll.
type Registry struct {
	Models []RegisteredModel
}

// RegisteredModel is a model as the registry records it.
type RegisteredModel struct {
	Name        string
	Description string
	Tags        map[string]string
	Aliases     map[string]string // alias -> version
	LastUpdated time.Time
	Versions    []RegisteredVersion
}

// RegisteredVersion is a model version as the registry records it.
type RegisteredVersion struct {
	Version  string
	Aliases  []string
	Tags     map[string]string
	Lineage  Lineage
	Baseline map[string]float64 // the run's metrics (offline evaluation)
}

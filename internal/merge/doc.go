// Package merge turns the metrics source's answers (by role) and the model
// registry into the fleet's models: versions joined on (model, version),
// registry facts attached, rollout and drift assembled, versions ordered.
// It is a pure function of its inputs: no I/O and no clock of its own.
package merge

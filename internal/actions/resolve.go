package actions

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/sources/mlflow"
)

// Registry is what the executor needs of an MLflow client
// (*mlflow.Client satisfies it).
type Registry interface {
	GetRegisteredModel(ctx context.Context, name string) (mlflow.RegisteredModel, error)
	AllModelVersions(ctx context.Context, name string) ([]mlflow.ModelVersion, error)
	SetAlias(ctx context.Context, name, alias, version string) error
	TransitionStage(ctx context.Context, name, version, stage string, archiveExisting bool) error
	TrackingURI() string
}

// Candidate is a version a rollback may return to.
type Candidate struct {
	Version     string
	Stage       string // legacy registry stage, "" when unknown
	Status      string // READY, or "" when the registry does not say
	Aliases     []string
	Created     time.Time // zero when unknown
	Description string
	Default     bool // the plan's default target
}

// situation is what the registry, the snapshot and the audit log say about
// a model before an action on it.
type situation struct {
	tags        map[string]string
	from        string // the version serving now; "" when unknown
	canary      string // a candidate version being rolled out, if any
	traffic     traffic
	candidates  []Candidate
	defaultTo   string
	defaultFrom string // "last known good", "audit log" or "registry history"
	defaultWhy  string // the line that says why, in words
	warnings    []string
	unknown     string // why the model is known nowhere, with the names meant; "" when known
}

// situation reads what an action on req.Model needs to know. Only the
// mlflow-* rollback kinds fail without the registry; for the others its
// answer is a refinement and a failure becomes a warning.
func (e *Executor) situation(ctx context.Context, s Spec, req Request) (situation, error) {
	var sit situation
	if m := req.Snapshot; m != nil {
		sit.tags = m.Tags
		sit.from = servingFromSnapshot(m, e.servingAlias)
		sit.traffic = trafficOf(m)
		if m.Rollout != nil && m.Rollout.Candidate != sit.from {
			sit.canary = m.Rollout.Candidate
		}
	}
	strict := s.Action == Rollback && usesRegistry(s.Kind)
	if strict && e.registry == nil {
		return sit, fmt.Errorf("rollback kind %s needs the MLflow registry: set mlflow.tracking_uri", s.Kind)
	}
	if e.registry != nil && (s.Action == Rollback || sit.tags == nil) {
		rm, err := e.registry.GetRegisteredModel(ctx, req.Model)
		switch {
		case err != nil && strict:
			return sit, fmt.Errorf("read model %s from the registry: %w", req.Model, err)
		case err != nil && s.Action != Rollback && req.Snapshot == nil && mlflow.IsNotFound(err):
			// Not in the metrics, and the registry says it does not exist.
			sit.unknown = e.unknownModel(ctx, req.Model)
		case err != nil:
			sit.warnings = append(sit.warnings, "could not read the registry: "+err.Error())
		default:
			sit.registryModel(rm, s.Kind == kindMLflowAlias, e.servingAlias, e.candidateAlias)
		}
	}
	if s.Action != Rollback {
		return sit, nil
	}
	if e.registry != nil {
		vs, err := e.registry.AllModelVersions(ctx, req.Model)
		switch {
		case err != nil && strict:
			return sit, fmt.Errorf("read versions of %s from the registry: %w", req.Model, err)
		case err != nil:
			sit.warnings = append(sit.warnings, "could not read the registry's versions: "+err.Error())
		default:
			sit.registryVersions(vs, s.Kind == kindMLflowStage)
		}
	} else if req.Snapshot != nil {
		sit.snapshotVersions(req.Snapshot)
	}
	if to, why := e.lastKnownGood(ctx, req.Model, req.Snapshot, &sit); to != "" {
		sit.setDefault(to, DefaultLastKnownGood)
		sit.defaultWhy = why
	} else {
		sit.chooseDefault(e.audit, req.Model)
		if why != "" && sit.defaultTo != "" {
			sit.defaultWhy = why + "; v" + sit.defaultTo + " served before v" + sit.from + " (" + sit.defaultFrom + ")"
		}
	}
	return sit, nil
}

func (sit *situation) registryModel(rm mlflow.RegisteredModel, byAlias bool, serving, candidate string) {
	if sit.tags == nil {
		sit.tags = map[string]string{}
		for _, t := range rm.Tags {
			sit.tags[t.Key] = t.Value
		}
	}
	for _, a := range rm.Aliases {
		switch {
		case a.Alias == serving && byAlias:
			sit.from = a.Version // the alias is what an mlflow-alias rollback moves
		case a.Alias == serving && sit.from == "":
			sit.from = a.Version
		case a.Alias == candidate && sit.canary == "":
			sit.canary = a.Version
		}
	}
}

func (sit *situation) registryVersions(vs []mlflow.ModelVersion, byStage bool) {
	if byStage {
		best := ""
		for _, v := range vs {
			if v.CurrentStage == "Production" && (best == "" || compareVersions(best, v.Version) < 0) {
				best = v.Version
			}
		}
		if best != "" {
			sit.from = best
		}
	}
	for _, v := range vs {
		if v.Version == sit.from || (v.Status != "" && v.Status != "READY") {
			continue
		}
		sit.candidates = append(sit.candidates, Candidate{
			Version: v.Version, Stage: v.CurrentStage, Status: v.Status, Aliases: v.Aliases,
			Created: v.CreationTimestamp.Time(), Description: v.Description,
		})
	}
	sortCandidates(sit.candidates)
}

func (sit *situation) snapshotVersions(m *fleet.Model) {
	for _, v := range m.Versions {
		if v.Version == sit.from || v.Version == "" {
			continue
		}
		c := Candidate{Version: v.Version}
		if v.Lineage != nil {
			c.Stage, c.Status, c.Created = v.Lineage.Stage, v.Lineage.Status, v.Lineage.CreatedAt
		}
		if c.Status != "" && c.Status != "READY" {
			continue
		}
		sit.candidates = append(sit.candidates, c)
	}
	sortCandidates(sit.candidates)
}

func sortCandidates(cs []Candidate) {
	slices.SortFunc(cs, func(a, b Candidate) int { return -compareVersions(a.Version, b.Version) })
}

// chooseDefault picks the version that served before the current one: as
// the audit log knows it (the earlier version of the last succeeded change
// to the current one), else from the registry's history (the highest READY
// version below the current one). A change that came down from a newer
// version (a previous rollback) does not count: returning to it would undo
// the fix.
func (sit *situation) chooseDefault(log *audit.Log, model string) {
	if sit.from == "" {
		return
	}
	known := func(v string) bool {
		return slices.ContainsFunc(sit.candidates, func(c Candidate) bool { return c.Version == v })
	}
	// The newest change to the current version that came up from an
	// older one; the log is read a record at a time, as it may be large.
	var back string
	_, err := log.Scan(func(r audit.Record) error {
		if r.Model != model || r.State != audit.Succeeded || r.After["version"] != sit.from {
			return nil
		}
		if b := r.Before["version"]; b != "" && compareVersions(b, sit.from) < 0 && known(b) {
			back = b
		}
		return nil
	})
	if err != nil {
		sit.warnings = append(sit.warnings, "could not read the audit log: "+err.Error())
	} else if back != "" {
		sit.setDefault(back, "audit log")
		return
	}
	for _, c := range sit.candidates { // newest first
		if compareVersions(c.Version, sit.from) < 0 {
			sit.setDefault(c.Version, "registry history")
			return
		}
	}
}

func (sit *situation) setDefault(v, from string) {
	sit.defaultTo, sit.defaultFrom = v, from
	for i := range sit.candidates {
		sit.candidates[i].Default = sit.candidates[i].Version == v
	}
}

func servingFromSnapshot(m *fleet.Model, alias string) string {
	if m.Rollout != nil && m.Rollout.Stable != "" {
		return m.Rollout.Stable
	}
	for _, v := range m.Versions {
		if v.Track == fleet.TrackStable {
			return v.Version
		}
	}
	return m.Aliases[alias]
}

// compareVersions orders version ids as the registry's numbers, also with
// a leading "v".
func compareVersions(a, b string) int {
	return fleet.CompareVersions(strings.TrimPrefix(a, "v"), strings.TrimPrefix(b, "v"))
}

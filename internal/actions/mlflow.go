package actions

import (
	"context"
	"fmt"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/internal/config"
)

// The registry kinds: a rollback done in MLflow itself, with MLflow's own
// credentials, so neither has keys of its own.
const (
	kindMLflowAlias = config.DefaultRollbackKind // "mlflow-alias"
	kindMLflowStage = "mlflow-stage"
)

func init() {
	register(kindOf[struct{}]{
		name:   kindMLflowAlias,
		serves: []string{Rollback},
		build:  func(e *Executor, _ Spec, _ *struct{}) (adapter, error) { return &aliasAdapter{e: e}, nil },
	})
	register(kindOf[struct{}]{
		name:   kindMLflowStage,
		serves: []string{Rollback},
		build:  func(e *Executor, _ Spec, _ *struct{}) (adapter, error) { return &stageAdapter{e: e}, nil },
	})
}

// usesRegistry reports whether kind is carried out in the registry, which
// it then cannot do without.
func usesRegistry(kind string) bool { return kind == kindMLflowAlias || kind == kindMLflowStage }

// aliasAdapter rolls back by moving the registry's serving alias
// (POST /api/2.0/mlflow/registered-models/alias); the deployment follows
// the alias.
type aliasAdapter struct{ e *Executor }

func (a *aliasAdapter) target() string {
	if a.e.registry == nil {
		return ""
	}
	return a.e.registry.TrackingURI() + "/api/2.0/mlflow/registered-models/alias"
}

func (a *aliasAdapter) describe(d TemplateData) ([]string, string) {
	return []string{fmt.Sprintf("alias %s: %s → %s", d.Alias, orNone(d.From), d.To)}, trafficMeaning(d)
}

func (a *aliasAdapter) change(d TemplateData) (before, after map[string]string) {
	return map[string]string{"alias": d.Alias, "version": d.From}, map[string]string{"alias": d.Alias, "version": d.To}
}

func (a *aliasAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	if a.e.registry == nil {
		return audit.Response{}, errNoRegistry
	}
	if err := a.e.registry.SetAlias(ctx, d.Model, d.Alias, d.To); err != nil {
		return audit.Response{}, err
	}
	return audit.Response{Status: 200, Message: fmt.Sprintf("alias %s now points at v%s", d.Alias, d.To)}, nil
}

func (a *aliasAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check the registry: alias %s of %s may or may not have moved to v%s", d.Alias, d.Model, d.To)
}

// stageAdapter rolls back with legacy stages: the version moves to
// Production and the versions there are archived
// (POST /api/2.0/mlflow/model-versions/transition-stage).
type stageAdapter struct{ e *Executor }

const production = "Production"

func (a *stageAdapter) target() string {
	if a.e.registry == nil {
		return ""
	}
	return a.e.registry.TrackingURI() + "/api/2.0/mlflow/model-versions/transition-stage"
}

func (a *stageAdapter) describe(d TemplateData) ([]string, string) {
	line := fmt.Sprintf("stage %s: %s → %s", production, orNone(d.From), d.To)
	if d.From != "" {
		line += fmt.Sprintf(" (v%s archived)", d.From)
	}
	return []string{line}, trafficMeaning(d)
}

func (a *stageAdapter) change(d TemplateData) (before, after map[string]string) {
	return map[string]string{"stage": production, "version": d.From}, map[string]string{"stage": production, "version": d.To}
}

func (a *stageAdapter) send(ctx context.Context, d TemplateData) (audit.Response, error) {
	if a.e.registry == nil {
		return audit.Response{}, errNoRegistry
	}
	if err := a.e.registry.TransitionStage(ctx, d.Model, d.To, production, true); err != nil {
		return audit.Response{}, err
	}
	return audit.Response{Status: 200, Message: fmt.Sprintf("v%s is now in %s", d.To, production)}, nil
}

func (a *stageAdapter) check(d TemplateData) string {
	return fmt.Sprintf("check the registry: v%s of %s may or may not be in %s", d.To, d.Model, production)
}

package actions

import (
	"context"
	"fmt"
	"strings"

	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/sources/mlflow"
)

// modelLister is what suggesting a name needs of the registry
// (*mlflow.Client satisfies it).
type modelLister interface {
	AllRegisteredModels(ctx context.Context, filter string) ([]mlflow.RegisteredModel, error)
}

// unknownModel is the refusal of an action on a model that neither the
// metrics nor the registry know: a typo, most likely, so it names the
// registry's closest names.
func (e *Executor) unknownModel(ctx context.Context, name string) string {
	why := fmt.Sprintf("no model %q in the metrics or the registry (the registry says it does not exist)", name)
	l, ok := e.registry.(modelLister)
	if !ok {
		return why
	}
	ms, err := l.AllRegisteredModels(ctx, "")
	if err != nil {
		return why
	}
	names := make([]string, 0, len(ms))
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if near := human.ClosestNames(name, names, 3); len(near) > 0 {
		return why + "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return why
}

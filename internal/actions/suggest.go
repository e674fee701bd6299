package actions

import (
	"context"
	"fmt"
	"slices"
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
	if near := closestNames(name, names, 3); len(near) > 0 {
		return why + "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return why
}

// closestNames returns up to n of names nearest to name: by edit distance
// (case aside) within a third of its length, or holding it whole.
func closestNames(name string, names []string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	want := strings.ToLower(name)
	limit := max(2, len([]rune(want))/3)
	var cs []cand
	for _, s := range names {
		low := strings.ToLower(s)
		d := human.EditDistance(want, low)
		if d > limit && (len(want) < 3 || !strings.Contains(low, want) && !strings.Contains(want, low)) {
			continue
		}
		cs = append(cs, cand{s, d})
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]string, 0, min(n, len(cs)))
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.name)
	}
	return out
}

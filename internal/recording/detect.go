package recording

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/prometheus/common/model"
)

// Querier answers instant queries (a metrics source does).
type Querier interface {
	Query(ctx context.Context, expr string, at time.Time) (model.Vector, []string, error)
}

// DetectQuery asks which of the rules' series exist now: one series per
// name found, so the answer is never larger than the rules.
func DetectQuery(rules []Rule) string {
	return `group by (__name__) (` + SelectorOf(rules) + `)`
}

// SelectorOf selects every series the rules record, in one query.
func SelectorOf(rules []Rule) string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = regexp.QuoteMeta(r.Record)
	}
	return `{__name__=~"` + strings.Join(names, "|") + `"}`
}

// Present returns the rules whose recorded series exist on q at time at.
func Present(ctx context.Context, q Querier, rules []Rule, at time.Time) ([]Rule, error) {
	if len(rules) == 0 {
		return nil, nil
	}
	vec, _, err := q.Query(ctx, DetectQuery(rules), at)
	if err != nil {
		return nil, fmt.Errorf("look for recorded series: %w", err)
	}
	found := map[string]bool{}
	for _, s := range vec {
		found[string(s.Metric[model.MetricNameLabel])] = true
	}
	var out []Rule
	for _, r := range rules {
		if found[r.Record] {
			out = append(out, r)
		}
	}
	return out, nil
}

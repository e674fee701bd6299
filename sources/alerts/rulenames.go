package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// maxRuleNames bounds the names one answer may give.
const maxRuleNames = 10_000

// AlertRuleNames lists the names of the alerting rules the rule evaluator
// has loaded (GET /api/v1/rules?type=alert), each once, sorted, cleaned:
// whether mltop's rules are there, so that no MLTop alert in the history
// can be told from no rule to fire one. Alertmanager knows no rules.
func (r *Reader) AlertRuleNames(ctx context.Context) ([]string, error) {
	if r.kind != KindRules {
		return nil, errors.New("alertmanager knows no alerting rules: only a rule evaluator says which are loaded")
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	body, err := r.get(ctx, "/api/v1/rules?type=alert")
	if err != nil {
		return nil, err
	}
	var ans struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Groups []struct {
				Rules []struct {
					Name string `json:"name"`
					Type string `json:"type"`
				} `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("the answer of /api/v1/rules is not the rules API's JSON: %w", err)
	}
	if ans.Status != "success" {
		return nil, errors.New("the server refused /api/v1/rules: " + or(text(ans.Error, maxText), "status "+text(ans.Status, maxShortText)))
	}
	seen := map[string]bool{}
	var names []string
	for _, g := range ans.Data.Groups {
		for _, rule := range g.Rules {
			n := text(rule.Name, maxShortText)
			if (rule.Type == "" || rule.Type == "alerting") && !seen[n] && len(names) < maxRuleNames {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

func or(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

package recording

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/mltop/mltop/internal/config"
)

// RuleFile is a Prometheus rule file recording the roles of cfg worth
// recording (Rules), one group evaluated every Interval.
func RuleFile(cfg *config.Config) ([]byte, error) {
	rules, err := Rules(cfg)
	if err != nil {
		return nil, err
	}
	return Marshal(rules)
}

// Marshal writes rules as a Prometheus rule file, each rule preceded by
// the role it serves.
func Marshal(rules []Rule) ([]byte, error) {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, r := range rules {
		rule := mapping("record", r.Record, "expr", r.Expr)
		rule.HeadComment = "role " + r.Role
		list.Content = append(list.Content, rule)
	}
	group := mapping("name", GroupName, "interval", config.FormatDuration(Interval))
	group.Content = append(group.Content, scalar("rules"), list)
	doc := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		scalar("groups"), {Kind: yaml.SequenceNode, Content: []*yaml.Node{group}},
	}}
	doc.HeadComment = "Recording rules for mltop: one series per role it would otherwise evaluate on every\n" +
		"refresh. mltop reads a role's series instead of its query once the series exists\n" +
		"(prometheus.recorded). Regenerate after changing the window, profiles or queries:\n" +
		"the names carry the window, and a query that changed is no longer recorded."
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, fmt.Errorf("write recording rules: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write recording rules: %w", err)
	}
	return b.Bytes(), nil
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

func mapping(kv ...string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, s := range kv {
		n.Content = append(n.Content, scalar(s))
	}
	return n
}

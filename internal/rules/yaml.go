package rules

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// KubeMeta names the PrometheusRule object.
type KubeMeta struct {
	Name, Namespace string
	Labels          map[string]string
}

// WriteYAML writes f as a Prometheus rule file (rule_files: in
// prometheus.yml, promtool check rules), rules left out as comments.
func (f File) WriteYAML(w io.Writer) error {
	var b strings.Builder
	for _, h := range f.Header {
		b.WriteString("# " + h + "\n")
	}
	f.writeGroups(&b, "")
	_, err := io.WriteString(w, b.String())
	return err
}

// WritePrometheusRule writes f as a Kubernetes PrometheusRule (Prometheus
// Operator, monitoring.coreos.com/v1) with the same groups.
func (f File) WritePrometheusRule(w io.Writer, meta KubeMeta) error {
	var b strings.Builder
	for _, h := range f.Header {
		b.WriteString("# " + h + "\n")
	}
	writeKubeHead(&b, meta)
	f.writeGroups(&b, "  ")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeKubeHead is a PrometheusRule up to its spec's groups.
func writeKubeHead(b *strings.Builder, meta KubeMeta) {
	b.WriteString("apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n")
	b.WriteString("  name: " + quote(meta.Name) + "\n")
	if meta.Namespace != "" {
		b.WriteString("  namespace: " + quote(meta.Namespace) + "\n")
	}
	writeMap(b, "  ", "labels", meta.Labels)
	b.WriteString("spec:\n")
}

// WrapPrometheusRule writes a rule file (its comments, then its top-level
// groups key) as the spec of a PrometheusRule: for rule files made
// elsewhere, such as the recording rules.
func WrapPrometheusRule(w io.Writer, meta KubeMeta, ruleFile []byte) error {
	var b strings.Builder
	lines := strings.SplitAfter(string(ruleFile), "\n")
	i := 0
	for ; i < len(lines) && strings.HasPrefix(lines[i], "#"); i++ {
		b.WriteString(lines[i])
	}
	if i == len(lines) || !strings.HasPrefix(lines[i], "groups:") {
		return fmt.Errorf("not a rule file: no groups key after its comments")
	}
	writeKubeHead(&b, meta)
	for _, l := range lines[i:] {
		if strings.TrimSpace(l) != "" {
			b.WriteString("  ")
		}
		b.WriteString(l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (f File) writeGroups(b *strings.Builder, in string) {
	b.WriteString(in + "groups:\n")
	for _, g := range f.Groups {
		b.WriteString(in + "  - name: " + quote(g.Name) + "\n")
		if g.Interval != "" {
			b.WriteString(in + "    interval: " + g.Interval + "\n")
		}
		b.WriteString(in + "    rules:\n")
		r := in + "      "
		for _, rule := range g.Rules {
			if rule.LeftOut != "" {
				which := rule.Alert
				if sev := rule.Labels["severity"]; sev != "" {
					which += " (" + sev + ")"
				}
				b.WriteString(r + "# " + which + " left out: " + oneLine(rule.LeftOut) + "\n")
				continue
			}
			b.WriteString(r + "- alert: " + quote(rule.Alert) + "\n")
			writeExpr(b, r+"  ", rule.Expr)
			if rule.For != "" {
				b.WriteString(r + "  for: " + rule.For + "\n")
			}
			writeMap(b, r+"  ", "labels", rule.Labels)
			writeMap(b, r+"  ", "annotations", rule.Annotations)
		}
	}
}

// writeExpr writes a prettified expression as a literal block, one line of
// PromQL per line of YAML.
func writeExpr(b *strings.Builder, in, expr string) {
	lines := strings.Split(expr, "\n")
	if len(lines) == 1 || strings.ContainsFunc(expr, func(r rune) bool { return r != '\n' && (r < 0x20 || r == 0x7f) }) {
		b.WriteString(in + "expr: " + quote(expr) + "\n")
		return
	}
	b.WriteString(in + "expr: |2-\n") // explicit indentation: a line may start further left than the first
	for _, l := range lines {
		b.WriteString(in + "  " + strings.TrimRight(l, " ") + "\n")
	}
}

// writeMap writes a map in sorted key order; nothing when it is empty.
func writeMap(b *strings.Builder, in, key string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	b.WriteString(in + key + ":\n")
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(in + "  " + quote(k) + ": " + quote(m[k]) + "\n")
	}
}

// quote writes a YAML scalar. Single quotes keep PromQL readable (its
// double quotes need no escape); text with a control character is written
// as a JSON string, which YAML reads as a double-quoted scalar.
func quote(s string) string {
	if strings.IndexFunc(s, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff
	}) >= 0 {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s)
		return strings.TrimSuffix(b.String(), "\n")
	}
	if plain.MatchString(s) && !reserved[strings.ToLower(s)] {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// plain matches what YAML reads as the same string unquoted, but for the
// words it reads as booleans or null.
var plain = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

var reserved = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true}

// oneLine keeps a comment on its line whatever a reason holds.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/prometheus/promql/parser"
)

// Query is one rendered PromQL expression filling one role. Name is the
// role's name.
type Query struct {
	Name, Role, Expr string
}

// Placeholders in a template, replaced by the configured durations.
const (
	windowVar          = "{{window}}"             // window
	driftWindowVar     = "{{drift_window}}"       // drift.window
	referenceOffsetVar = "{{reference_offset}}"   // drift.reference.offset
	referenceWindowVar = "{{reference_window}}"   // drift.reference.window
	calibrationWinVar  = "{{calibration_window}}" // estimate.calibration_window
	verdictWindowVar   = "{{verdict_window}}"     // verdict.window
)

// profiles maps a profile name to its query templates, one per role it can
// fill. Adding an exporter is one file holding its []Query plus a line here.
var profiles = map[string][]Query{
	"mltop":         mltopProfile,
	"triton":        tritonProfile,
	"mlserver":      mlserverProfile,
	"seldon-v2":     seldonV2Profile,
	"kserve":        kserveProfile,
	"torchserve":    torchserveProfile,
	"bentoml":       bentomlProfile,
	"argo-rollouts": argoRolloutsProfile,
	"flagger":       flaggerProfile,
}

// Experimental functions are accepted: whether they run is the backend's
// call, and rejecting them here would forbid queries that work.
var promqlParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// KnownProfiles lists the profile names, sorted.
func KnownProfiles() []string {
	names := make([]string, 0, len(profiles))
	for name := range profiles {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// rolloutOnly are the profiles that read a rollout controller, not an
// exporter of model metrics: their roles replace what an earlier profile
// set, and a later exporter profile's role replaces theirs.
var rolloutOnly = map[string]bool{"argo-rollouts": true, "flagger": true}

// union joins the exporter profiles' queries for one role so that, for each
// (model, version), the earlier profile's samples answer and the later's
// only fill versions the earlier does not report. Matching on (model,
// version) alone keeps one profile's buckets, metrics or windows from
// mixing with another's for the same version. The outer parentheses keep
// the whole union one operand wherever a rule embeds the role.
func union(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return "((" + strings.Join(parts, ") or on (model, version) (") + "))"
}

const (
	requestRateRole = "request_rate"
	profileRole     = "profile"
)

// whichProfile is the profile role: for each (model, version) with a
// request rate, the name of the profile whose request_rate query answered,
// the earlier profile winning as union has it. The label is added after
// each profile's (model, version) set is formed and the sets join on
// (model, version) only, so the tag never changes which profile wins.
func whichProfile(requests, profiles []string) string {
	tagged := make([]string, len(requests))
	for i, q := range requests {
		tagged[i] = setLabel("group by (model, version) ("+q+")", "profile", profiles[i])
	}
	return strings.Join(tagged, " or on (model, version) ")
}

// Queries renders the selected profiles in order (exporter profiles'
// queries for a role combine, the earlier profile winning for a (model,
// version) both report; a rollout profile's role replaces), applies
// prometheus.queries by role (an empty override turns the role off),
// substitutes {{window}}, {{drift_window}},
// {{reference_offset}}, {{reference_window}}, {{calibration_window}} and
// {{verdict_window}}, and checks that every
// expression parses. Queries come in KnownRoles order.
func (c *Config) Queries() ([]Query, error) {
	qs, errs := c.render()
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return qs, nil
}

// combine is each role's profiles' query templates (parts) and the
// profiles they come from (names), in the order the profiles are written:
// exporter profiles' templates for a role combine, a rollout profile's
// (and an exporter profile's after it) replace the earlier ones. origin is
// the key that set each role, for errors.
func (c *Config) combine() (parts, names map[string][]string, origin map[string]string, errs Errors) {
	parts = map[string][]string{}
	names = map[string][]string{}
	origin = map[string]string{}
	united := map[string]bool{} // role -> filled by exporter profiles, which combine
	seen := map[string]bool{}
	for i, name := range c.Prometheus.Profile {
		key := c.profileKey(i)
		tmpl, ok := profiles[name]
		if !ok {
			errs = append(errs, c.src.errorf(key, "%s", unknownProfileMsg(name)))
			continue
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		for _, q := range tmpl {
			if len(parts[q.Role]) > 0 && united[q.Role] && !rolloutOnly[name] {
				parts[q.Role], names[q.Role] = append(parts[q.Role], q.Expr), append(names[q.Role], name)
				continue
			}
			parts[q.Role], names[q.Role], origin[q.Role], united[q.Role] = []string{q.Expr}, []string{name}, key, !rolloutOnly[name]
		}
	}
	return parts, names, origin, errs
}

// RoleProfiles is, for each role the profiles fill, the profiles whose
// queries the rendered expression reads, in order: what Queries sends,
// before prometheus.queries. A profile whose role a later one replaced
// is not among them. Unknown profiles are left out.
func (c *Config) RoleProfiles() map[string][]string {
	_, names, _, _ := c.combine()
	return names
}

func (c *Config) render() ([]Query, Errors) {
	parts, names, origin, errs := c.combine()
	exprs := make(map[string]string, len(parts))
	for role, ps := range parts {
		exprs[role] = union(ps)
	}
	if reqs := names[requestRateRole]; len(reqs) > 1 {
		exprs[profileRole], origin[profileRole] = whichProfile(parts[requestRateRole], reqs), origin[requestRateRole]
	}
	for role, expr := range c.Prometheus.Queries {
		key := "prometheus.queries." + role
		switch {
		case !isKnownRole(role):
			errs = append(errs, c.src.errorf(key, "%s", unknownMsg("role", role, knownRoles, false)))
		case strings.TrimSpace(expr) == "":
			delete(exprs, role)
		default:
			exprs[role], origin[role] = expr, key
		}
	}
	if _, own := c.Prometheus.Queries[requestRateRole]; own && len(names[requestRateRole]) > 1 {
		if _, set := c.Prometheus.Queries[profileRole]; !set {
			// The request rates are no longer the profiles': neither is
			// which profile answered.
			delete(exprs, profileRole)
		}
	}
	if c.Window < time.Millisecond {
		// PromQL ranges have millisecond resolution: nothing below renders.
		return nil, append(errs, c.src.errorf("window", "must be at least 1ms, got %s", showDuration(c.Window)))
	}
	vars := strings.NewReplacer(
		windowVar, FormatDuration(c.Window),
		driftWindowVar, FormatDuration(max(c.Drift.Window, time.Millisecond)),
		referenceOffsetVar, FormatDuration(max(c.Drift.Reference.Offset, time.Millisecond)),
		referenceWindowVar, FormatDuration(max(c.Drift.Reference.Window, time.Millisecond)),
		calibrationWinVar, FormatDuration(max(c.Estimate.CalibrationWindow, time.Millisecond)),
		verdictWindowVar, FormatDuration(max(c.Verdict.Window, time.Millisecond)),
	)
	var qs []Query
	for _, role := range knownRoles {
		expr, ok := exprs[role]
		if !ok {
			continue
		}
		expr = vars.Replace(expr)
		if _, err := promqlParser.ParseExpr(expr); err != nil {
			errs = append(errs, c.src.errorf(origin[role], "invalid PromQL for role %s: %v", role, err))
			continue
		}
		qs = append(qs, Query{Name: role, Role: role, Expr: expr})
	}
	return qs, errs
}

// profileKey names the i-th profile entry as it was written: a single name
// or a list item.
func (c *Config) profileKey(i int) string {
	item := indexKey("prometheus.profile", i)
	if c.src.has(item) {
		return item
	}
	return "prometheus.profile"
}

func unknownProfileMsg(name string) string {
	known := KnownProfiles()
	if s := suggest(name, known); s != "" {
		return fmt.Sprintf("unknown profile %q (did you mean %q? known: %s)", name, s, strings.Join(known, ", "))
	}
	return fmt.Sprintf("unknown profile %q (known: %s)", name, strings.Join(known, ", "))
}

// The exporter profiles build their PromQL from these, so that each file
// reads as "which metric, relabelled how". Exporters name their labels
// differently; the merge wants model and version, so each profile copies its
// exporter's labels onto those before aggregating.

// sumByVersion aggregates expr onto the labels of a per-version role.
func sumByVersion(expr string) string { return "sum by (model, version) (" + expr + ")" }

// quantile is the q-quantile of a histogram rate expression that carries le.
func quantile(q, bucketRate string) string {
	return "histogram_quantile(" + q + ", sum by (model, version, le) (" + bucketRate + "))"
}

// copyLabel sets label to to the value of label from.
func copyLabel(expr, to, from string) string {
	return `label_replace(` + expr + `, "` + to + `", "$1", "` + from + `", "(.*)")`
}

// setLabel sets label to a constant value.
func setLabel(expr, label, value string) string {
	return `label_replace(` + expr + `, "` + label + `", "` + value + `", "", "")`
}

// mapValue replaces the value of label by to where it fully matches regex.
func mapValue(expr, label, to, regex string) string {
	return `label_replace(` + expr + `, "` + label + `", "` + to + `", "` + label + `", "` + regex + `")`
}

// clearValue removes label where it holds placeholder, the stand-in an
// exporter writes when it knows no value (MLServer's "None").
func clearValue(expr, label, placeholder string) string {
	return mapValue(expr, label, "", placeholder)
}

// ratioOrZero divides part by whole, reading part as 0 for the series of
// whole that have none: error series often appear only after the first error.
func ratioOrZero(part, whole string) string {
	return "(" + part + " or 0 * " + whole + ") / " + whole
}

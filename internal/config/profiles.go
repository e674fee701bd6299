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

// Queries renders the selected profiles in order (a later profile's role
// replaces an earlier one's), applies prometheus.queries by role (an empty
// override turns the role off), substitutes {{window}}, {{drift_window}},
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

func (c *Config) render() ([]Query, Errors) {
	var errs Errors
	exprs := map[string]string{}
	origin := map[string]string{} // role -> key that set it, for errors
	for i, name := range c.Prometheus.Profile {
		key := c.profileKey(i)
		tmpl, ok := profiles[name]
		if !ok {
			errs = append(errs, c.src.errorf(key, "%s", unknownProfileMsg(name)))
			continue
		}
		for _, q := range tmpl {
			exprs[q.Role], origin[q.Role] = q.Expr, key
		}
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

package main

import "github.com/mltop/mltop/internal/wiring"

// doctorJSON is mltop doctor --format json (docs/doctor.md). With
// contexts, sources, profiles and roles are those of Context (the one the
// dashboard opens, or --context's), Problems every context's, prefixed
// with its name, and Contexts each context checked.
type doctorJSON struct {
	Config   doctorConfigJSON    `json:"config"`
	Context  *string             `json:"context"`
	Sources  []doctorSourceJSON  `json:"sources"`
	Profiles doctorProfilesJSON  `json:"profiles"`
	Roles    []doctorRoleJSON    `json:"roles"`
	Problems []string            `json:"problems"`
	Contexts []doctorSectionJSON `json:"contexts"`
}

// doctorSectionJSON is one context's diagnosis; its problems are not
// prefixed.
type doctorSectionJSON struct {
	Context  string             `json:"context"`
	Sources  []doctorSourceJSON `json:"sources"`
	Profiles doctorProfilesJSON `json:"profiles"`
	Roles    []doctorRoleJSON   `json:"roles"`
	Problems []string           `json:"problems"`
}

type doctorConfigJSON struct {
	Path *string `json:"path"` // null: flags and environment only
}

type doctorSourceJSON struct {
	Name    string  `json:"name"`
	URL     string  `json:"url"`
	OK      bool    `json:"ok"`
	Backend *string `json:"backend"`
	Detail  *string `json:"detail"`
	Problem *string `json:"problem"`
}

type doctorProfilesJSON struct {
	Names    []string `json:"names"`
	Explicit bool     `json:"explicit"`
	Detected bool     `json:"detected"`
	Problem  *string  `json:"problem"`
}

type doctorRoleJSON struct {
	Role      string             `json:"role"`
	Query     bool               `json:"query"`
	Off       bool               `json:"off"`
	FilledBy  []doctorMetricJSON `json:"filled_by"`
	LookedFor []doctorMetricJSON `json:"looked_for"`
	Replaced  []string           `json:"replaced"`
}

type doctorMetricJSON struct {
	Profile string   `json:"profile"`
	Metrics []string `json:"metrics"`
	Absent  []string `json:"absent"`
}

func doctorJSONOf(path, current string, sections []doctorSection) doctorJSON {
	top := sections[0]
	for _, s := range sections {
		if s.name == current {
			top = s
		}
	}
	m := sectionJSON(top)
	out := doctorJSON{
		Config:   doctorConfigJSON{Path: optional(path)},
		Context:  optional(top.name),
		Sources:  m.Sources,
		Profiles: m.Profiles,
		Roles:    m.Roles,
		Problems: []string{},
		Contexts: []doctorSectionJSON{},
	}
	for _, s := range sections {
		out.Problems = append(out.Problems, s.problems()...)
		if s.name != "" {
			out.Contexts = append(out.Contexts, sectionJSON(s))
		}
	}
	return out
}

func sectionJSON(s doctorSection) doctorSectionJSON {
	d := s.d
	out := doctorSectionJSON{
		Context: s.name,
		Sources: []doctorSourceJSON{},
		Profiles: doctorProfilesJSON{Names: nonNilStrings(d.Profiles.Names), Explicit: d.Profiles.Explicit, Detected: d.Profiles.Detected,
			Problem: optional(d.Profiles.Problem)},
		Roles:    []doctorRoleJSON{},
		Problems: nonNilStrings(d.Problems),
	}
	for _, s := range d.Sources {
		out.Sources = append(out.Sources, doctorSourceJSON{Name: s.Name, URL: s.URL, OK: s.OK,
			Backend: optional(s.Backend), Detail: optional(s.Detail), Problem: optional(s.Problem)})
	}
	for _, r := range d.Roles {
		out.Roles = append(out.Roles, doctorRoleJSON{Role: r.Role, Query: r.Query, Off: r.Off,
			FilledBy: doctorMetrics(r.FilledBy), LookedFor: doctorMetrics(r.LookedFor), Replaced: nonNilStrings(r.Replaced)})
	}
	return out
}

func doctorMetrics(srcs []wiring.RoleSource) []doctorMetricJSON {
	out := make([]doctorMetricJSON, len(srcs))
	for i, s := range srcs {
		out[i] = doctorMetricJSON{Profile: s.Profile, Metrics: nonNilStrings(s.Metrics), Absent: nonNilStrings(s.Absent)}
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

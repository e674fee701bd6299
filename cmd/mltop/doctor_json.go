package main

import "github.com/mltop/mltop/internal/wiring"

// doctorJSON is mltop doctor --format json (docs/doctor.md).
type doctorJSON struct {
	Config   doctorConfigJSON   `json:"config"`
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
}

type doctorMetricJSON struct {
	Profile string   `json:"profile"`
	Metrics []string `json:"metrics"`
	Absent  []string `json:"absent"`
}

func doctorJSONOf(path string, d wiring.Diagnosis) doctorJSON {
	out := doctorJSON{
		Config:  doctorConfigJSON{Path: optional(path)},
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
			FilledBy: doctorMetrics(r.FilledBy), LookedFor: doctorMetrics(r.LookedFor)})
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

package comparescreen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
)

// The aliases MLflow's documentation uses for the serving version and the
// one being tried; the default pair looks for them first.
const (
	servingAlias   = "champion"
	candidateAlias = "challenger"
)

// pair is the two versions compared, and how they were chosen (shown in
// the header so the default is never a surprise).
type pair struct {
	a, b string
	why  string
}

// defaultPair picks what to compare when nothing was chosen: the versions
// holding the serving and candidate aliases, else the stable and canary
// (or shadow) tracks, else the two newest serving versions, else the two
// newest versions. ok is false with fewer than two versions.
func defaultPair(m *fleet.Model) (pair, bool) {
	has := func(v string) bool { return v != "" && m.Version(v) != nil }
	if a, b := m.Aliases[servingAlias], m.Aliases[candidateAlias]; has(a) && has(b) && a != b {
		return pair{a: a, b: b, why: servingAlias + " vs " + candidateAlias}, true
	}
	stable := trackVersion(m, fleet.TrackStable)
	for _, t := range []string{fleet.TrackCanary, fleet.TrackShadow} {
		if c := trackVersion(m, t); stable != "" && c != "" && c != stable {
			return pair{a: stable, b: c, why: fleet.TrackStable + " vs " + t}, true
		}
	}
	var serving, all []string
	for i := range m.Versions {
		v := &m.Versions[i]
		all = append(all, v.Version)
		if v.Serving {
			serving = append(serving, v.Version)
		}
	}
	if p, ok := newestTwo(serving); ok {
		p.why = "two newest serving versions"
		return p, true
	}
	if p, ok := newestTwo(all); ok {
		p.why = "two newest versions"
		return p, true
	}
	return pair{}, false
}

func trackVersion(m *fleet.Model, track string) string {
	for i := range m.Versions {
		if m.Versions[i].Track == track {
			return m.Versions[i].Version
		}
	}
	return ""
}

// newestTwo returns the older of the two newest versions as A and the
// newest as B, so Δ reads "what the newer one changed".
func newestTwo(vs []string) (pair, bool) {
	if len(vs) < 2 {
		return pair{}, false
	}
	s := append([]string(nil), vs...)
	sort.Slice(s, func(i, j int) bool { return fleet.CompareVersions(s[j], s[i]) < 0 })
	return pair{a: s[1], b: s[0]}, true
}

// cycle returns the version after (step 1) or before (step -1) cur in the
// model's order, skipping other (the version on the other side).
func cycle(m *fleet.Model, cur, other string, step int) string {
	n := len(m.Versions)
	if n == 0 {
		return cur
	}
	start := -1
	for i := range m.Versions {
		if m.Versions[i].Version == cur {
			start = i
		}
	}
	if start < 0 && step < 0 {
		start = 0
	}
	for k := 1; k <= n; k++ {
		v := m.Versions[((start+step*k)%n+n)%n].Version
		if v != other {
			return v
		}
	}
	return cur
}

// problem says in plain words why a pair cannot be compared, or "".
func problem(m *fleet.Model, p pair) string {
	name := termsafe.Clean(m.Name)
	for _, v := range []string{p.a, p.b} {
		if m.Version(v) == nil {
			return fmt.Sprintf("v%s is not a version of %s (it has %s): choose another with space", termsafe.Clean(v), name, versionList(m))
		}
	}
	if p.a == p.b {
		return fmt.Sprintf("v%s is on both sides: choose another version with space", termsafe.Clean(p.a))
	}
	return ""
}

// tooFew says why there is no default pair.
func tooFew(m *fleet.Model) string {
	name := termsafe.Clean(m.Name)
	if len(m.Versions) == 0 {
		return name + " has no versions: neither the metrics nor the registry list one"
	}
	return fmt.Sprintf("%s has one version (v%s): there is nothing to compare it with", name, termsafe.Clean(m.Versions[0].Version))
}

func versionList(m *fleet.Model) string {
	if len(m.Versions) == 0 {
		return "none"
	}
	out := make([]string, len(m.Versions))
	for i := range m.Versions {
		out[i] = "v" + termsafe.Clean(m.Versions[i].Version)
	}
	return strings.Join(out, ", ")
}

package actions

import (
	"fmt"
	"math"
	"strconv"

	"github.com/mltop/mltop/internal/fleet"
)

// traffic is who serves what share, as the snapshot's traffic weights say
// at planning time. The registry's pointer (alias or stage) may lag it: a
// canary promoted to 100 % by the rollout controller leaves the alias on
// the old version.
type traffic struct {
	known bool
	// stable is the version with the largest share outside canary and
	// shadow tracks, "" when none has traffic; stableShare its share.
	stable      string
	stableShare float64
	// canary is the heaviest canary with traffic, "" when none.
	canary      string
	canaryShare float64
}

// trafficOf reads the split from a snapshot model; known is false without
// weights.
func trafficOf(m *fleet.Model) traffic {
	var t traffic
	w := m.Traffic()
	if w == nil {
		return t
	}
	t.known = true
	for i := range m.Versions {
		v := &m.Versions[i]
		share, ok := w[v.Version]
		if !ok || !(share > 0) {
			continue
		}
		switch v.Track {
		case fleet.TrackShadow:
		case fleet.TrackCanary:
			if heavier(share, v.Version, t.canaryShare, t.canary) {
				t.canary, t.canaryShare = v.Version, share
			}
		default:
			if heavier(share, v.Version, t.stableShare, t.stable) {
				t.stable, t.stableShare = v.Version, share
			}
		}
	}
	return t
}

// heavier prefers more traffic, then the newer version, so the pick does
// not depend on the order of the versions.
func heavier(share float64, v string, curShare float64, cur string) bool {
	if cur == "" || share != curShare {
		return cur == "" || share > curShare
	}
	return compareVersions(v, cur) > 0
}

// share writes a traffic weight: "100 %", "33.3 %".
func share(w float64) string {
	return strconv.FormatFloat(math.Round(w*10)/10, 'f', -1, 64) + " %"
}

// trafficMeaning is what a registry rollback (the alias or the Production
// stage moves from d.From to d.To, and the deployment follows it) means
// for serving, told from the traffic the snapshot saw: the registry may
// name a version that no longer serves.
func trafficMeaning(d TemplateData) string {
	t := d.traffic
	if !t.known {
		s := fmt.Sprintf("traffic returns to v%s at once", d.To)
		if d.Canary != "" && d.Canary != d.To && d.Canary != d.From {
			s += fmt.Sprintf("; the canary v%s is untouched", d.Canary)
		}
		return s
	}
	var s string
	switch {
	case t.stable == "" && t.canary != "":
		return fmt.Sprintf("the canary v%s serves %s and keeps it: v%s becomes the stable version but gets no traffic until the rollout is aborted",
			t.canary, share(t.canaryShare), d.To)
	case t.stable == "":
		return fmt.Sprintf("no version has traffic now; v%s serves once traffic returns", d.To)
	case t.stable == d.To:
		s = fmt.Sprintf("v%s already serves %s: the registry catches up with it and traffic does not move", d.To, share(t.stableShare))
	case t.stable != d.From && d.From != "":
		s = fmt.Sprintf("v%s serves %s although the registry names v%s: v%s replaces v%s at once",
			t.stable, share(t.stableShare), d.From, d.To, t.stable)
	case t.canary != "":
		s = fmt.Sprintf("the stable share (%s) returns to v%s at once", share(t.stableShare), d.To)
	default:
		s = fmt.Sprintf("traffic returns to v%s at once", d.To)
	}
	if t.canary != "" {
		s += fmt.Sprintf("; the canary v%s keeps its %s", t.canary, share(t.canaryShare))
	}
	return s
}

// alreadyNamed is the refusal for a rollback to the version the registry
// already names; when the traffic has moved on from it, it says so.
func alreadyNamed(model, to string, t traffic) string {
	if t.known && t.stable != "" && t.stable != to {
		return fmt.Sprintf("the registry already names v%s for %s, but v%s serves %s: naming v%s again changes nothing",
			to, model, t.stable, share(t.stableShare), to)
	}
	return fmt.Sprintf("v%s already serves %s", to, model)
}

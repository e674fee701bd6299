package poll

import "github.com/mltop/mltop/internal/fleet"

// markStale sets StaleSince on the versions of m whose exporter is down
// (cfg.Stale, keyed by the model label, which is the serving name when the
// registry knows the model under another): their values are the last ones
// held, and fleet.AssessStale judges them unknown.
func (b *builder) markStale(m *fleet.Model) {
	if len(b.cfg.Stale) == 0 {
		return
	}
	for i := range m.Versions {
		v := &m.Versions[i]
		if at, ok := b.cfg.Stale[fleet.ModelVersion{Model: m.MetricsName(), Version: v.Version}]; ok {
			v.StaleSince = at
		}
	}
}

package contexts

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// Health is one context's line in the contexts list (:ctx): whether its
// poller runs and what its latest snapshot says.
type Health struct {
	Info common.ContextInfo
	// Current is the context shown when the list was asked for.
	Current bool
	// Started: its poller runs; Opening: it is being started; Err: the
	// last start failed, in plain words.
	Started, Opening bool
	Err              string
	// Snapshot is its latest live one (not the past a look back shows);
	// nil before the first poll.
	Snapshot *fleet.Snapshot
	// LookingBack: its screen shows a past time (:at); the counts are
	// still its present.
	LookingBack bool

	// tally and down are Snapshot's counts and failing sources, taken
	// once when the rows arrive (tallied), not at every frame.
	tally counts
	down  []string
}

// tallied counts each row's snapshot once, for the list to draw.
func tallied(rows []Health) []Health {
	for i := range rows {
		if s := rows[i].Snapshot; s != nil {
			rows[i].tally, rows[i].down = countHealth(s), failing(s)
		}
	}
	return rows
}

// counts are a snapshot's models by health.
type counts struct{ ok, warn, crit, unknown int }

func countHealth(s *fleet.Snapshot) counts {
	var c counts
	for i := range s.Models {
		switch s.Models[i].Health.Status {
		case fleet.StatusOK:
			c.ok++
		case fleet.StatusWarn:
			c.warn++
		case fleet.StatusCritical:
			c.crit++
		default:
			c.unknown++
		}
	}
	return c
}

// failing names a snapshot's sources that did not answer the latest poll.
func failing(s *fleet.Snapshot) []string {
	var out []string
	for _, src := range s.Sources {
		if !src.OK {
			out = append(out, termsafe.Clean(src.Name))
		}
	}
	return out
}

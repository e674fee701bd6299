package fleet

import (
	"fmt"
	"time"
)

// ScrapeTarget is one exporter the built-in engine scrapes, as of its
// latest scrape.
type ScrapeTarget struct {
	URL   string
	Up    bool
	Error string // plain words; "" when up
	// LastScrape is the latest attempt, LastSuccess the latest that
	// answered; zero when none.
	LastScrape  time.Time
	LastSuccess time.Time
	// Series are the (model, version) label pairs of the target's latest
	// successful scrape: whose data goes stale while it is down. Version
	// is "" for series with a model label only.
	Series []ModelVersion
}

// ModelVersion names a version by its labels in the metrics.
type ModelVersion struct {
	Model   string
	Version string
}

// TargetsDown counts the source's scrape targets that are down, and all of
// them; 0, 0 for a source that scrapes nothing itself.
func (s SourceStatus) TargetsDown() (down, total int) {
	for _, t := range s.Targets {
		if !t.Up {
			down++
		}
	}
	return down, len(s.Targets)
}

// FirstDown is the first target that is down, or nil.
func (s SourceStatus) FirstDown() *ScrapeTarget {
	for i := range s.Targets {
		if !s.Targets[i].Up {
			return &s.Targets[i]
		}
	}
	return nil
}

// TargetsSummary is "3/7 targets down: 127.0.0.1:9101 connection refused",
// or "" when every target is up.
func (s SourceStatus) TargetsSummary() string {
	down, total := s.TargetsDown()
	if down == 0 {
		return ""
	}
	msg := fmt.Sprintf("%d/%d targets down", down, total)
	if t := s.FirstDown(); t.Error != "" {
		msg += ": " + t.Error
	}
	return msg
}

package embedded

import (
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
)

// TargetHealth is the state of one target after its latest scrape.
type TargetHealth struct {
	URL        string
	Up         bool
	LastScrape time.Time // zero before the first scrape
	LastError  string
	Duration   time.Duration
	Samples    int // samples in the latest exposition
}

// cacheEntry is what one exposed series (keyed by its raw text) resolves to;
// it also identifies the series for staleness tracking.
type cacheEntry struct {
	lset     labels.Labels
	hash     uint64
	lastIter uint64
}

// target is one scrape target and its scrape loop state.
type target struct {
	url    string
	labels labels.Labels // job and instance, added to every series

	mu    sync.Mutex // serialises scrapes; guards the fields below
	cache map[string]*cacheEntry
	iter  uint64
	// Series written without explicit timestamps by the previous and the
	// current scrape; those in prev but not cur get staleness markers.
	prev, cur map[*cacheEntry]struct{}
	report    map[string]*cacheEntry // synthetic series by name

	healthMu sync.Mutex
	health   TargetHealth
	scrapes  atomic.Uint64
}

func newTarget(u *url.URL, job string) *target {
	return &target{
		url: u.String(),
		labels: labels.FromStrings(
			model.JobLabel, job,
			// Prometheus 3 keeps the address as written, adding no default port.
			model.InstanceLabel, u.Host,
		),
		cache:  map[string]*cacheEntry{},
		prev:   map[*cacheEntry]struct{}{},
		cur:    map[*cacheEntry]struct{}{},
		report: map[string]*cacheEntry{},
		health: TargetHealth{URL: u.String()},
	}
}

func (t *target) setHealth(h TargetHealth) {
	t.healthMu.Lock()
	t.health = h
	t.healthMu.Unlock()
}

func (t *target) getHealth() TargetHealth {
	t.healthMu.Lock()
	defer t.healthMu.Unlock()
	return t.health
}

// Targets reports each target's health, in the order of Options.Targets.
func (e *Engine) Targets() []TargetHealth {
	out := make([]TargetHealth, len(e.targets))
	for i, t := range e.targets {
		out[i] = t.getHealth()
	}
	return out
}

// Scrapes is the number of completed scrape rounds: how many times every
// target has been scraped (successfully or not). Callers wait for it to grow
// instead of sleeping.
func (e *Engine) Scrapes() uint64 {
	var n uint64
	for i, t := range e.targets {
		if c := t.scrapes.Load(); i == 0 || c < n {
			n = c
		}
	}
	return n
}

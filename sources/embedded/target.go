package embedded

import (
	"cmp"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"

	"github.com/mltop/mltop/internal/fleet"
)

// TargetHealth is the state of one target after its latest scrape.
type TargetHealth struct {
	URL         string
	Up          bool
	LastScrape  time.Time // zero before the first scrape
	LastSuccess time.Time // zero until a scrape succeeds
	LastError   string
	// Reason is LastError in plain words ("connection refused").
	Reason   string
	Duration time.Duration
	Samples  int // samples in the latest exposition
	// Series are the (model, version) label pairs the latest successful
	// scrape exposed, sorted; kept while the target is down.
	Series []fleet.ModelVersion
}

// cacheEntry is what one exposed series (keyed by its raw text) resolves to;
// it also identifies the series for staleness tracking.
type cacheEntry struct {
	lset     labels.Labels
	hash     uint64
	lastIter uint64
	mv       fleet.ModelVersion // its model and version labels
}

// The labels that say which model version a series belongs to.
const (
	modelLabel   = "model"
	versionLabel = "version"
)

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

// ScrapeTargets reports each target's state for the snapshot, in the order
// of Options.Targets.
func (e *Engine) ScrapeTargets() []fleet.ScrapeTarget {
	out := make([]fleet.ScrapeTarget, len(e.targets))
	for i, t := range e.targets {
		h := t.getHealth()
		out[i] = fleet.ScrapeTarget{URL: h.URL, Up: h.Up, Error: h.Reason, LastScrape: h.LastScrape,
			LastSuccess: h.LastSuccess, Series: h.Series}
	}
	return out
}

// seriesOf lists the distinct (model, version) pairs in the cache, sorted.
func (t *target) seriesOf() []fleet.ModelVersion {
	seen := map[fleet.ModelVersion]struct{}{}
	for _, ce := range t.cache {
		if ce.mv.Model != "" {
			seen[ce.mv] = struct{}{}
		}
	}
	out := make([]fleet.ModelVersion, 0, len(seen))
	for mv := range seen {
		out = append(out, mv)
	}
	slices.SortFunc(out, func(a, b fleet.ModelVersion) int {
		return cmp.Or(cmp.Compare(a.Model, b.Model), cmp.Compare(a.Version, b.Version))
	})
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

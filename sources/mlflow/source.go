package mlflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

// SourceOptions configure a Source. Zero values take the defaults noted.
type SourceOptions struct {
	Logger *slog.Logger
	// MaxAge bounds how long a model's versions are reused while its
	// last_updated_timestamp stands still: MLflow does not move that timestamp
	// when a version's tags or description change. Default 10m; negative: never.
	MaxAge time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Source reads the MLflow model registry into fleet.Registry. It satisfies
// poll.RegistrySource.
//
// Registry does only the work that changed: a model whose
// last_updated_timestamp has not moved since the last read reuses its cached
// versions and runs, so a steady registry costs one search per 1000 models.
// Runs are cached by id and read again only while not finished.
//
// When the model list is read but some models' versions or runs are not,
// Registry still returns the registry with nil error: those models keep their
// previously read data (or appear without versions), the failures are logged
// at warn, and LastPartial reports them. Registry fails only when the model
// list cannot be read, when no model's versions could be read at all, or when
// ctx ends first; work finished before that is cached for the next call.
type Source struct {
	c      *Client
	log    *slog.Logger
	maxAge time.Duration
	now    func() time.Time

	mu      sync.Mutex // one read at a time; guards everything below
	models  map[string]*modelEntry
	runs    map[string]*runSummary
	partial error
}

// NewSource returns a registry source reading through c.
func NewSource(c *Client, opts SourceOptions) *Source {
	s := &Source{
		c:      c,
		log:    opts.Logger,
		maxAge: opts.MaxAge,
		now:    opts.Now,
		models: map[string]*modelEntry{},
		runs:   map[string]*runSummary{},
	}
	if s.log == nil {
		s.log = c.log
	}
	if s.maxAge == 0 {
		s.maxAge = 10 * time.Minute
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Name identifies the source in status lines.
func (s *Source) Name() string { return "mlflow" }

// Kind is the backend kind.
func (s *Source) Kind() string { return "mlflow" }

// LastPartial returns nil when the last Registry call read everything, or an
// error wrapping ErrPartial that says what it could not read.
func (s *Source) LastPartial() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.partial
}

// failures collects what a read could not do, safely from many goroutines.
type failures struct {
	mu   sync.Mutex
	errs []error
}

func (f *failures) add(err error) {
	f.mu.Lock()
	f.errs = append(f.errs, err)
	f.mu.Unlock()
}

// Registry reads every registered model with its versions, lineage and
// baseline. The result shares memory with the source's cache and with earlier
// results: like every published fleet value, it must not be modified.
func (s *Source) Registry(ctx context.Context) (fleet.Registry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	listed, err := s.c.AllRegisteredModels(ctx, "")
	if err != nil {
		return fleet.Registry{}, fmt.Errorf("read registry: %w", err)
	}
	models := make([]RegisteredModel, 0, len(listed))
	seen := make(map[string]bool, len(listed))
	for _, m := range listed {
		if m.Name == "" || seen[m.Name] || isPrompt(m) {
			continue
		}
		seen[m.Name] = true
		models = append(models, m)
	}

	now := s.now()
	var stale []RegisteredModel
	for _, m := range models {
		if !s.models[m.Name].fresh(m.LastUpdatedTimestamp, now) {
			stale = append(stale, m)
		}
	}
	var fails failures
	versions := s.readVersions(ctx, stale, &fails)
	runFailed := s.readRuns(ctx, versions, &fails)
	for i, m := range stale {
		if versions[i] == nil {
			continue
		}
		s.models[m.Name] = s.entry(m, versions[i], runFailed, now)
	}
	s.prune(seen)

	if err := ctx.Err(); err != nil {
		return fleet.Registry{}, fmt.Errorf("read registry: %w", err)
	}
	reg := s.assemble(models)
	return reg, s.judge(len(models), &fails)
}

// readVersions lists the versions of each stale model; a nil slot failed.
func (s *Source) readVersions(ctx context.Context, stale []RegisteredModel, fails *failures) [][]ModelVersion {
	out := make([][]ModelVersion, len(stale))
	forEach(ctx, s.c.concurrency, len(stale), func(i int) {
		vs, err := s.c.AllModelVersions(ctx, stale[i].Name)
		if err != nil {
			fails.add(err)
			return
		}
		if vs == nil {
			vs = []ModelVersion{}
		}
		out[i] = vs
	})
	return out
}

// readRuns fetches the runs the new versions name that are not cached as
// settled, and returns the ids that could not be read.
func (s *Source) readRuns(ctx context.Context, versions [][]ModelVersion, fails *failures) map[string]bool {
	var ids []string
	want := map[string]bool{}
	for _, vs := range versions {
		for _, v := range vs {
			if v.RunID == "" || want[v.RunID] {
				continue
			}
			if r := s.runs[v.RunID]; r != nil && r.settled() {
				continue
			}
			want[v.RunID] = true
			ids = append(ids, v.RunID)
		}
	}
	got := make([]*runSummary, len(ids))
	forEach(ctx, s.c.concurrency, len(ids), func(i int) {
		run, err := s.c.GetRun(ctx, ids[i])
		switch {
		case err == nil:
			got[i] = summarize(run)
		case IsNotFound(err):
			// Deleted runs stay deleted: remember that instead of asking again.
			got[i] = &runSummary{gone: true}
		case isDenied(err):
			// Lasting, unlike an outage: report it, but do not re-read the
			// model every poll because of it.
			got[i] = &runSummary{denied: true}
			fails.add(err)
		default:
			fails.add(err)
		}
	})
	failed := map[string]bool{}
	for i, id := range ids {
		if got[i] == nil {
			failed[id] = true // an older copy, if any, stays in use
			continue
		}
		s.runs[id] = got[i]
	}
	return failed
}

// entry maps a model's freshly read versions with whatever runs are known.
func (s *Source) entry(m RegisteredModel, vs []ModelVersion, runFailed map[string]bool, now time.Time) *modelEntry {
	e := &modelEntry{
		updated:  m.LastUpdatedTimestamp,
		expires:  expiry(now, s.maxAge),
		complete: true,
		versions: make([]fleet.RegisteredVersion, 0, len(vs)),
	}
	for _, v := range vs {
		if v.RunID != "" && runFailed[v.RunID] {
			e.complete = false
		}
		e.versions = append(e.versions, mapVersion(v, s.runs[v.RunID]))
	}
	sortVersions(e.versions)
	return e
}

// prune forgets models no longer listed and runs no cached version names.
func (s *Source) prune(listed map[string]bool) {
	for name := range s.models {
		if !listed[name] {
			delete(s.models, name)
		}
	}
	used := make(map[string]bool, len(s.runs))
	for _, e := range s.models {
		for _, v := range e.versions {
			used[v.Lineage.RunID] = true
		}
	}
	for id := range s.runs {
		if !used[id] {
			delete(s.runs, id)
		}
	}
}

func (s *Source) assemble(models []RegisteredModel) fleet.Registry {
	reg := fleet.Registry{Models: make([]fleet.RegisteredModel, 0, len(models))}
	for _, m := range models {
		var aliases map[string]string
		var versions []fleet.RegisteredVersion
		if e := s.models[m.Name]; e != nil {
			key := aliasKey(m.Aliases)
			if e.published == nil || e.aliasKey != key {
				e.aliases, e.published = withAliases(m, e.versions)
				e.aliasKey = key
			}
			aliases, versions = e.aliases, e.published
		} else {
			aliases, versions = withAliases(m, nil)
		}
		reg.Models = append(reg.Models, fleet.RegisteredModel{
			Name:        m.Name,
			Description: m.Description,
			Tags:        tagMap(m.Tags),
			Aliases:     aliases,
			LastUpdated: m.LastUpdatedTimestamp.Time(),
			Versions:    versions,
		})
	}
	slices.SortFunc(reg.Models, func(a, b fleet.RegisteredModel) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return reg
}

// judge decides what the read's failures mean: nothing readable is an error,
// anything less is logged and kept for LastPartial.
func (s *Source) judge(total int, fails *failures) error {
	s.partial = nil
	if len(fails.errs) == 0 {
		return nil
	}
	usable := 0
	for _, e := range s.models {
		if e != nil {
			usable++
		}
	}
	joined := errors.Join(fails.errs[:min(3, len(fails.errs))]...)
	if usable == 0 && total > 0 {
		return fmt.Errorf("read registry: no model's versions could be read: %w", joined)
	}
	s.partial = fmt.Errorf("%w: %d request(s) failed: %w", ErrPartial, len(fails.errs), joined)
	s.log.Warn("mlflow registry read incomplete; keeping earlier data where there is some",
		"failed", len(fails.errs), "models", total, "first", fails.errs[0].Error())
	return nil
}

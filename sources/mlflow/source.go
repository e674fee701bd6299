package mlflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/neterr"
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

	batch int // models read together: versions, then their runs

	mu      sync.Mutex // one read at a time; guards everything below
	models  map[string]*modelEntry
	runs    map[string]*runSummary
	partial error
	// cycle is the read under way, kept across calls until it completes;
	// pending holds the versions it read whose runs are not all read yet.
	cycle   *readCycle
	pending map[string]*pendingModel

	progress atomic.Pointer[fleet.Progress] // nil unless a read is unfinished
}

// NewSource returns a registry source reading through c.
func NewSource(c *Client, opts SourceOptions) *Source {
	s := &Source{
		c:       c,
		log:     opts.Logger,
		maxAge:  opts.MaxAge,
		now:     opts.Now,
		models:  map[string]*modelEntry{},
		runs:    map[string]*runSummary{},
		pending: map[string]*pendingModel{},
		batch:   max(c.concurrency, 1) * 32,
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

// Progress says how far an unfinished read has come, or nil when the last
// call finished its read (or none was made). Safe to call during a read.
func (s *Source) Progress() *fleet.Progress { return s.progress.Load() }

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
//
// A read cut short by ctx is resumed by the next call: pages listed, versions
// and runs read are kept, so a registry too large to read within one poll
// (10,000 models) is read over several, and Progress says how far it is.
func (s *Source) Registry(ctx context.Context) (fleet.Registry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.cycle == nil {
		s.cycle = &readCycle{runsRead: map[string]bool{}, runFailed: map[string]bool{}}
	}
	cy := s.cycle
	cy.relist(s.now())
	if err := s.list(ctx, cy); err != nil {
		return fleet.Registry{}, s.stopped(ctx, err)
	}
	for len(cy.todo) > 0 {
		if err := ctx.Err(); err != nil {
			return fleet.Registry{}, s.stopped(ctx, err)
		}
		batch := cy.todo[:min(len(cy.todo), s.batch)]
		left := s.readBatch(ctx, cy, batch)
		cy.todo = append(left, cy.todo[len(batch):]...)
		s.showProgress(cy)
		if len(left) > 0 {
			return fleet.Registry{}, s.stopped(ctx, ctx.Err())
		}
	}

	s.cycle = nil
	s.progress.Store(nil)
	s.prune(cy.seen)
	clear(s.pending)
	reg := s.assemble(cy.models)
	return reg, s.judge(len(cy.models), &cy.fails)
}

// stopped ends a call that did not finish the read: the cycle is kept for
// the next call when time ran out (ctx's deadline, or a request's own,
// which may pass an instant before ctx's), dropped when the server ended
// it.
func (s *Source) stopped(ctx context.Context, err error) error {
	if ctx.Err() == nil && !neterr.Timeout(err) {
		s.cycle = nil
		s.progress.Store(nil)
		clear(s.pending)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = errors.New("stopped before the end")
	}
	return fmt.Errorf("read registry: %w", err)
}

// list reads the pages of the model list not read yet, and once it is
// complete decides which models need reading.
func (s *Source) list(ctx context.Context, cy *readCycle) error {
	if cy.pages.pages == 0 {
		cy.listStart = s.now()
	}
	for !cy.pages.done {
		page, err := s.c.SearchRegisteredModels(ctx, "", modelsPageSize, cy.pages.token)
		if err != nil {
			return err
		}
		cy.listed = append(cy.listed, page.RegisteredModels...)
		if err := cy.pages.page(len(page.RegisteredModels), page.NextPageToken); err != nil {
			return err
		}
		s.showProgress(cy)
	}
	if cy.seen != nil {
		return nil
	}
	cy.seen = make(map[string]bool, len(cy.listed))
	cy.models = make([]RegisteredModel, 0, len(cy.listed))
	for _, m := range cy.listed {
		if m.Name == "" || cy.seen[m.Name] || isPrompt(m) {
			continue
		}
		cy.seen[m.Name] = true
		cy.models = append(cy.models, m)
	}
	cy.listed = nil
	now := s.now()
	cy.listedAt = now
	for _, m := range cy.models {
		if !s.models[m.Name].fresh(m.LastUpdatedTimestamp, now) {
			cy.todo = append(cy.todo, m)
		}
	}
	return nil
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

// Package demorig is the demo fleet advanced by hand and scraped by the
// built-in engine on a clock the test moves: minutes of traffic in
// milliseconds, with no sleeps. For tests only.
package demorig

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/demo"
	"github.com/mltop/mltop/internal/poll"
	"github.com/mltop/mltop/sources/embedded"
	"github.com/mltop/mltop/sources/mlflow"
)

// Clock is the engine's and the pollers' time, moved by the test.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// StoryStart is when the demo's story begins on the rig's clock.
var StoryStart = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)

// ScrapeEvery is the engine time between scrapes: one Step.
const ScrapeEvery = 5 * time.Second

// Rig is the demo fleet, advanced by hand, scraped every ScrapeEvery of
// engine time by the built-in engine on a controlled clock.
type Rig struct {
	Fleet  *demo.Fleet
	Clock  *Clock
	Engine *embedded.Engine
	// Registry reads the demo's registry on the rig's clock.
	Registry poll.RegistrySource
}

// Start runs the demo fleet with seed; the test's cleanup stops it.
func Start(t *testing.T, seed int64) *Rig {
	t.Helper()
	f, err := demo.Start(context.Background(), demo.Options{Seed: seed, Manual: true, Now: func() time.Time { return StoryStart }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	clock := &Clock{now: StoryStart}
	eng, err := embedded.New(embedded.Options{Targets: f.Targets(), Interval: ScrapeEvery, Timeout: ScrapeEvery, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	c, err := mlflow.NewClient(mlflow.Options{TrackingURI: f.RegistryURL(), Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	return &Rig{Fleet: f, Clock: clock, Engine: eng, Registry: mlflow.NewSource(c, mlflow.SourceOptions{Now: clock.Now})}
}

// Step plays ScrapeEvery of traffic and scrapes it.
func (r *Rig) Step(t *testing.T) {
	t.Helper()
	r.Fleet.Advance(ScrapeEvery)
	r.Clock.Advance(ScrapeEvery)
	if err := r.Engine.ScrapeOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// NewClock is a clock that starts at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

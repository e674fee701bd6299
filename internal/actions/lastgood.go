package actions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/judge"
)

// ServedHistory says which versions served when (*servinghistory.Provider
// satisfies it).
type ServedHistory interface {
	Served(ctx context.Context, model string, from, to time.Time) (map[string][]fleet.ServedInterval, error)
}

// lastGoodRange is how far back a rollback looks for a last known good.
const lastGoodRange = 30 * 24 * time.Hour

// DefaultLastKnownGood is Plan.DefaultFrom when the default target is the
// newest earlier version with a good serving record.
const DefaultLastKnownGood = "last known good"

// lastKnownGood picks the newest candidate older than the serving version
// whose serving record judge.KnownGood accepts, and says so in a line
// ("v7 — served 9 days, err 0.3%, auc .88: last known good"). When there
// is no history or no such version, to is "" and why says what the
// default falls back on and why.
func (e *Executor) lastKnownGood(ctx context.Context, model string, m *fleet.Model, sit *situation) (to, why string) {
	if e.served == nil {
		return "", ""
	}
	now := e.now()
	byModel, err := e.served.Served(ctx, model, now.Add(-lastGoodRange), now)
	if err != nil && byModel[model] == nil {
		return "", "serving history unavailable (" + err.Error() + ")"
	}
	byVersion := map[string][]fleet.ServedInterval{}
	for _, iv := range byModel[model] {
		v := strings.TrimPrefix(iv.Version, "v") // metrics may say v7 for the registry's 7
		byVersion[v] = append(byVersion[v], iv)
	}
	// Candidates are newest first; first is the first reason an older
	// version fell short.
	var first string
	for _, c := range sit.candidates {
		if compareVersions(c.Version, sit.from) >= 0 {
			continue
		}
		ivs := byVersion[strings.TrimPrefix(c.Version, "v")]
		if len(ivs) == 0 {
			continue
		}
		r := judge.RecordOf(c.Version, ivs)
		baseline := e.baselineOf(model, m, c.Version)
		ok, short := judge.KnownGood(r, baseline, e.thresholds)
		if ok && err != nil && r.Quality == nil && len(baseline) > 0 {
			// The quality is unknown because its read failed, not because
			// it was never measured: nothing says it held its baseline.
			ok, short = false, fmt.Sprintf("v%s's quality is unknown (%s)", c.Version, err.Error())
		}
		if ok {
			return c.Version, r.Text() + ": " + DefaultLastKnownGood
		}
		if first == "" {
			first = short
		}
	}
	if first == "" {
		first = fmt.Sprintf("no version older than v%s served in the last %d days", sit.from, int(lastGoodRange/(24*time.Hour)))
	}
	if err != nil && !strings.Contains(first, err.Error()) {
		first += "; " + err.Error()
	}
	return "", "no last known good: " + first
}

// baselineOf is the version's offline baseline as the snapshot knows it,
// else as the latest registry read does.
func (e *Executor) baselineOf(model string, m *fleet.Model, version string) map[string]float64 {
	if m != nil {
		for i := range m.Versions {
			if m.Versions[i].Version == version && m.Versions[i].Baseline != nil {
				return m.Versions[i].Baseline
			}
		}
	}
	if e.baselines != nil {
		return e.baselines(model, version)
	}
	return nil
}

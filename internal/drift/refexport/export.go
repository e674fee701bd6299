// Package refexport reads a version's feature histograms over a time range
// and turns them into a reference profile, for `mltop reference export`.
package refexport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/drift/histdrift"
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/merge"
	"github.com/mltop/mltop/internal/narrow"
	"github.com/mltop/mltop/internal/poll"
)

// Export reads one version's feature histograms over [from, to] from src
// and returns them as a reference profile, ready to be stored as the
// version's histdrift.TagKey tag. It sends the configured feature_buckets
// and feature_categories queries with {{drift_window}} set to the range,
// narrowed to the model (its metrics label) and version, at to; with a
// feature_missing query it also records each feature's missing share. empty
// lists the features that had no observations in the range.
func Export(ctx context.Context, src poll.MetricsSource, cfg *config.Config, modelName, version string, from, to time.Time) (p *histdrift.Profile, empty []string, err error) {
	rng := to.Sub(from).Truncate(time.Millisecond)
	if rng <= 0 {
		return nil, nil, fmt.Errorf("reference export: %s is not after %s", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	c := *cfg
	c.Drift.Window = rng
	qs, err := c.Queries()
	if err != nil {
		return nil, nil, err
	}
	var tabs [3]*labelrows.Table
	sent := 0
	for _, q := range qs {
		i := -1
		switch fleet.Role(q.Role) {
		case fleet.RoleFeatureBuckets:
			i = 0
		case fleet.RoleFeatureCategories:
			i = 1
		case fleet.RoleFeatureMissing:
			i = 2
		default:
			continue
		}
		expr, err := narrow.Query(q.Expr, map[string]string{"model": modelName, "version": version})
		if err != nil {
			return nil, nil, fmt.Errorf("reference export: query %s: %w", q.Role, err)
		}
		t, _, err := poll.QueryTable(ctx, src, expr, to, merge.TableColumns(fleet.Role(q.Role)))
		if err != nil {
			return nil, nil, fmt.Errorf("reference export: query %s: %w", q.Role, err)
		}
		tabs[i] = t
		if i < 2 {
			sent++
		}
	}
	if sent == 0 {
		return nil, nil, errors.New("reference export: no feature_buckets or feature_categories query is configured")
	}
	p, empty, err = histdrift.ProfileFromTables(tabs[0], tabs[1], modelName, version, from, to)
	if err != nil {
		return nil, empty, err
	}
	p.AddMissing(tabs[2], modelName, version)
	return p, empty, nil
}

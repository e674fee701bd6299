package embedded

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/textparse"

	"github.com/mltop/mltop/internal/fleet"
)

// acceptHeader is what Prometheus 3 sends by default: OpenMetrics first,
// then the Prometheus text format.
const acceptHeader = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.7," +
	"application/openmetrics-text;version=0.0.1;q=0.6," +
	"text/plain;version=1.0.0;escaping=allow-utf-8;q=0.5," +
	"text/plain;version=0.0.4;q=0.4," +
	"*/*;q=0.3"

// fallbackContentType reads a blank or unknown Content-Type as the
// Prometheus text format, as servers that predate content negotiation expect.
const fallbackContentType = "text/plain"

// parseStats counts what one exposition held.
type parseStats struct {
	total       int // samples exposed
	seriesAdded int // series not in the previous scrape's cache
	duplicates  int // repeated series without timestamps, dropped
}

// parseInto parses an exposition with Prometheus's own parsers (the ones
// its scrape loop uses, for both formats) and adds its samples to b at
// default timestamp ts (ms) unless a sample carries its own. Series without
// an explicit timestamp are recorded in t.cur for staleness tracking. The
// caller holds t.mu.
func (t *target) parseInto(ctx context.Context, b *batch, body []byte, contentType string, ts int64, log *slog.Logger) (parseStats, error) {
	var st parseStats
	p, err := textparse.New(body, contentType, nil, textparse.ParserOptions{
		IgnoreNativeHistograms: true,
		FallbackContentType:    fallbackContentType,
	})
	if p == nil {
		return st, fmt.Errorf("content type %q: %w", contentType, err)
	}
	if err != nil {
		log.Debug("unexpected content type, parsing as text format", "target", t.url, "content_type", contentType, "err", err)
	}
	t.iter++
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			// Shutting down: a huge exposition is not worth finishing.
			return st, ctx.Err()
		}
		et, err := p.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, fmt.Errorf("parse exposition: %w", err)
		}
		switch et {
		case textparse.EntrySeries:
		case textparse.EntryHistogram:
			// Native histograms only come in protobuf, which is never
			// requested; count and skip them if a server sends one anyway.
			st.total++
			continue
		default:
			continue
		}
		st.total++
		met, explicitTS, v := p.Series()
		sampleTS := ts
		if explicitTS != nil {
			sampleTS = *explicitTS
		}
		ce, cached := t.cache[string(met)]
		if !cached {
			var lset labels.Labels
			p.Labels(&lset)
			lset = withTargetLabels(lset, t.labels)
			if !lset.Has(model.MetricNameLabel) {
				return st, errors.New("parse exposition: sample without a metric name")
			}
			if !lset.IsValid(model.UTF8Validation) {
				return st, fmt.Errorf("parse exposition: invalid metric name or label names: %s", lset.String())
			}
			ce = &cacheEntry{lset: lset, hash: lset.Hash(), mv: fleet.ModelVersion{
				Model: lset.Get(modelLabel), Version: lset.Get(versionLabel)}}
			t.cache[string(met)] = ce
			st.seriesAdded++
		} else if ce.lastIter == t.iter && explicitTS == nil {
			// The same series twice in one exposition: Prometheus keeps the first.
			st.duplicates++
			continue
		}
		ce.lastIter = t.iter
		b.add(ce.lset, ce.hash, sampleTS, v)
		// Samples with their own timestamps are not tracked for staleness,
		// as in Prometheus (track_timestamps_staleness: false).
		if explicitTS == nil {
			t.cur[ce] = struct{}{}
		}
	}
	return st, nil
}

// dropUnseen forgets cache entries the latest successful scrape did not
// see, and reports whether any were forgotten.
func (t *target) dropUnseen() bool {
	dropped := false
	for k, ce := range t.cache {
		if ce.lastIter != t.iter {
			delete(t.cache, k)
			dropped = true
		}
	}
	return dropped
}

// withTargetLabels sets the target's labels on a scraped series with
// Prometheus's honor_labels: false rule: the target's value wins, and an
// exposed value it replaces is kept as exported_<name> (exported_exported_<name>
// if that is taken, and so on). Empty values drop a label, as in Prometheus.
func withTargetLabels(lset, target labels.Labels) labels.Labels {
	lb := labels.NewBuilder(lset)
	var conflicts []labels.Label
	target.Range(func(l labels.Label) {
		if v := lset.Get(l.Name); v != "" {
			conflicts = append(conflicts, labels.Label{Name: l.Name, Value: v})
		}
		lb.Set(l.Name, l.Value)
	})
	slices.SortStableFunc(conflicts, func(a, b labels.Label) int { return len(a.Name) - len(b.Name) })
	for _, l := range conflicts {
		name := l.Name
		for {
			name = model.ExportedLabelPrefix + name
			if lb.Get(name) == "" {
				lb.Set(name, l.Value)
				break
			}
		}
	}
	return lb.Labels()
}

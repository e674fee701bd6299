package embedded

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// appendSeries commits n samples of one series, t = base + i*stepMs, v = f(i).
func appendSeries(s *store, lset labels.Labels, base, stepMs int64, n int, f func(int) float64) {
	for i := range n {
		var b batch
		t := base + int64(i)*stepMs
		b.add(lset, lset.Hash(), t, f(i))
		s.commit(&b, t)
	}
}

func selectAll(t *testing.T, s *store, mint, maxt int64, ms ...*labels.Matcher) []storage.Series {
	t.Helper()
	q, err := s.Querier(mint, maxt)
	if err != nil {
		t.Fatal(err)
	}
	ss := q.Select(context.Background(), true, nil, ms...)
	var out []storage.Series
	for ss.Next() {
		out = append(out, ss.At())
	}
	if err := ss.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIteratorAcrossSealedChunks(t *testing.T) {
	s := newStore(time.Hour * 1000)
	lset := labels.FromStrings("__name__", "x")
	const n = 3*chunkSamples + 37 // three sealed chunks and a partial head
	appendSeries(s, lset, 1000, 10, n, func(i int) float64 { return float64(i) * 1.5 })

	ts := func(i int) int64 { return 1000 + int64(i)*10 }
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		lo, hi := rng.IntN(n), rng.IntN(n)
		if lo > hi {
			lo, hi = hi, lo
		}
		series := selectAll(t, s, ts(lo), ts(hi))
		if len(series) != 1 {
			t.Fatalf("[%d,%d]: want 1 series, got %d", lo, hi, len(series))
		}
		// Full scan returns exactly the samples in range.
		it := series[0].Iterator(nil)
		want := lo
		for it.Next() == chunkenc.ValFloat {
			gt, gv := it.At()
			if gt != ts(want) || gv != float64(want)*1.5 {
				t.Fatalf("[%d,%d]: sample %d = (%d, %g), want (%d, %g)", lo, hi, want-lo, gt, gv, ts(want), float64(want)*1.5)
			}
			want++
		}
		if want != hi+1 {
			t.Fatalf("[%d,%d]: iterated to %d, want %d", lo, hi, want, hi+1)
		}
		// Seeks forward land on the first sample at or after the target.
		it = series[0].Iterator(it)
		for target := ts(lo) - 5; target <= ts(hi)+5; target += int64(rng.IntN(400) + 1) {
			vt := it.Seek(target)
			idx := max(lo, int((target-1000+9)/10))
			if idx > hi {
				if vt != chunkenc.ValNone {
					t.Fatalf("[%d,%d]: Seek(%d) past the end returned a sample", lo, hi, target)
				}
				break
			}
			if gt, _ := it.At(); vt != chunkenc.ValFloat || gt != ts(idx) {
				t.Fatalf("[%d,%d]: Seek(%d) = %v at %d, want %d", lo, hi, target, vt, gt, ts(idx))
			}
		}
	}
}

func TestQuerierSeesOnlyEarlierCommits(t *testing.T) {
	s := newStore(time.Hour)
	old := labels.FromStrings("__name__", "x", "a", "1")
	appendSeries(s, old, 0, 1000, 3, func(i int) float64 { return float64(i) })
	q, _ := s.Querier(math.MinInt64, math.MaxInt64)

	var b batch
	b.add(old, old.Hash(), 3000, 3)
	fresh := labels.FromStrings("__name__", "x", "a", "2")
	b.add(fresh, fresh.Hash(), 3000, 30)
	s.commit(&b, 3000)

	count := func(q storage.Querier) (series, samples int) {
		ss := q.Select(context.Background(), false, nil, labels.MustNewMatcher(labels.MatchEqual, "__name__", "x"))
		for ss.Next() {
			series++
			it := ss.At().Iterator(nil)
			for it.Next() != chunkenc.ValNone {
				samples++
			}
		}
		return series, samples
	}
	if se, sa := count(q); se != 1 || sa != 3 {
		t.Errorf("querier from before the commit sees %d series / %d samples, want 1 / 3", se, sa)
	}
	q2, _ := s.Querier(math.MinInt64, math.MaxInt64)
	if se, sa := count(q2); se != 2 || sa != 5 {
		t.Errorf("querier from after the commit sees %d series / %d samples, want 2 / 5", se, sa)
	}
}

func TestHashCollisionsKeepSeriesApart(t *testing.T) {
	s := newStore(time.Hour)
	a := labels.FromStrings("__name__", "x", "k", "a")
	b := labels.FromStrings("__name__", "x", "k", "b")
	var bt batch
	bt.add(a, 42, 1000, 1) // same forced hash for both
	bt.add(b, 42, 1000, 2)
	s.commit(&bt, 1000)
	got := selectAll(t, s, 0, 2000)
	if len(got) != 2 {
		t.Fatalf("want 2 series, got %d", len(got))
	}
	for i, want := range []float64{1, 2} {
		it := got[i].Iterator(nil)
		it.Next()
		if _, v := it.At(); v != want {
			t.Errorf("series %s = %g, want %g", got[i].Labels(), v, want)
		}
	}
}

func TestMatchersAndLabelQueries(t *testing.T) {
	s := newStore(time.Hour)
	for _, l := range []labels.Labels{
		labels.FromStrings("__name__", "req", "model", "fraud", "version", "1"),
		labels.FromStrings("__name__", "req", "model", "fraud", "version", "2"),
		labels.FromStrings("__name__", "req", "model", "churn", "version", "1", "canary", "yes"),
		labels.FromStrings("__name__", "lat", "model", "fraud"),
	} {
		appendSeries(s, l, 0, 1000, 2, func(int) float64 { return 1 })
	}
	m := labels.MustNewMatcher
	for _, tc := range []struct {
		ms   []*labels.Matcher
		want int
	}{
		{[]*labels.Matcher{m(labels.MatchEqual, "__name__", "req")}, 3},
		{[]*labels.Matcher{m(labels.MatchEqual, "__name__", "req"), m(labels.MatchNotEqual, "model", "fraud")}, 1},
		{[]*labels.Matcher{m(labels.MatchRegexp, "model", "fr.*")}, 3},
		{[]*labels.Matcher{m(labels.MatchRegexp, "__name__", ".+"), m(labels.MatchNotRegexp, "version", "1|2")}, 1},
		{[]*labels.Matcher{m(labels.MatchEqual, "canary", "")}, 3}, // absent label matches ""
		{[]*labels.Matcher{m(labels.MatchEqual, "__name__", "nope")}, 0},
	} {
		if got := len(selectAll(t, s, 0, 5000, tc.ms...)); got != tc.want {
			t.Errorf("%v: %d series, want %d", tc.ms, got, tc.want)
		}
	}
	// A range with no samples selects nothing.
	if got := len(selectAll(t, s, 10_000, 20_000)); got != 0 {
		t.Errorf("empty range: %d series", got)
	}

	q, _ := s.Querier(0, 5000)
	vals, _, err := q.LabelValues(context.Background(), "model", nil, m(labels.MatchEqual, "__name__", "req"))
	if err != nil || !slices.Equal(vals, []string{"churn", "fraud"}) {
		t.Errorf("LabelValues(model | req) = %v, %v", vals, err)
	}
	vals, _, _ = q.LabelValues(context.Background(), "version", &storage.LabelHints{Limit: 1})
	if !slices.Equal(vals, []string{"1"}) {
		t.Errorf("LabelValues(version, limit 1) = %v", vals)
	}
	names, _, err := q.LabelNames(context.Background(), nil, m(labels.MatchEqual, "model", "churn"))
	if err != nil || !slices.Equal(names, []string{"__name__", "canary", "model", "version"}) {
		t.Errorf("LabelNames(model=churn) = %v, %v", names, err)
	}
	q2, _ := s.Querier(10_000, 20_000)
	if names, _, _ := q2.LabelNames(context.Background(), nil); len(names) != 0 {
		t.Errorf("LabelNames outside the data = %v", names)
	}
}

func TestAppendOrdering(t *testing.T) {
	ms := newMemSeries(labels.FromStrings("__name__", "x"), 0, 1)
	if ok, err := ms.append(100, 1, 1); !ok || err != nil {
		t.Fatalf("first append: %v %v", ok, err)
	}
	if ok, err := ms.append(100, 1, 2); ok || err != nil {
		t.Errorf("identical sample: want a silent no-op, got %v %v", ok, err)
	}
	if _, err := ms.append(100, 2, 2); err != errDuplicate {
		t.Errorf("same timestamp, new value: got %v", err)
	}
	if _, err := ms.append(99, 2, 2); err != errOutOfOrder {
		t.Errorf("older timestamp: got %v", err)
	}
}

func TestRetentionDropsOldSamples(t *testing.T) {
	// Store level, across sealed chunks: 1000 samples 1 s apart, 200 s kept.
	s := newStore(200 * time.Second)
	lset := labels.FromStrings("__name__", "x")
	appendSeries(s, lset, 0, 1000, 1000, func(i int) float64 { return float64(i) })
	st := s.stats()
	// Sealed chunks go whole, so between 200 and 200+chunkSamples samples stay.
	if st.Series != 1 || st.Samples < 200 || st.Samples > 200+chunkSamples {
		t.Errorf("stats after retention = %+v", st)
	}
	got := selectAll(t, s, 0, 1_000_000)
	it := got[0].Iterator(nil)
	it.Next()
	if first, _ := it.At(); first < (999-200-chunkSamples)*1000 {
		t.Errorf("oldest kept sample at %d ms, too old", first)
	}

	// Engine level: a 2m retention at a 15 s interval keeps 9 samples per
	// series (t-120 s .. t), and series nobody scrapes any more go entirely.
	c := newClock()
	x := newExporter(t, lines("keep 1", "drop 1"))
	e := newTestEngine(t, c, Options{Interval: step, Retention: 2 * time.Minute}, x.URL())
	for i := range 20 {
		if err := scrapeAt(t, e, c, time.Duration(i)*step); err != nil {
			t.Fatal(err)
		}
	}
	if st := e.Stats(); st.Series != 7 || st.Samples != 7*9 {
		t.Errorf("stats = %+v, want 7 series with 9 samples each", st)
	}
	x.Set(lines("keep 1"))
	for i := 20; i < 40; i++ {
		if err := scrapeAt(t, e, c, time.Duration(i)*step); err != nil {
			t.Fatal(err)
		}
	}
	if st := e.Stats(); st.Series != 6 || st.Samples != 6*9 {
		t.Errorf("stats after drop expired = %+v, want 6 series with 9 samples each", st)
	}
	assertClose(t, "count_over_time", queryOne(t, e, "count_over_time(keep[10m])", 39*step), 9)
	assertClose(t, "keep", queryOne(t, e, "keep", 39*step), 1)
}

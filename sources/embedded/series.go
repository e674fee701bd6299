package embedded

import (
	"errors"
	"math"
	"sort"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

const (
	// chunkSamples is how many samples a sealed chunk holds, as in
	// Prometheus's head: 10 minutes at a 5 s interval.
	chunkSamples = 120
	// firstHeadCap keeps short-lived series small; a series that fills its
	// first head gets full-size heads from then on.
	firstHeadCap = 8
)

// Append outcomes Prometheus's storage also distinguishes; the scrape loop
// counts them instead of failing the scrape.
var (
	errOutOfOrder = errors.New("out of order sample")
	errDuplicate  = errors.New("duplicate sample for timestamp")
)

// sealedChunk is an immutable, XOR-compressed run of samples; readers decode
// it without locks.
type sealedChunk struct {
	minT, maxT int64
	n          int
	chunk      *chunkenc.XORChunk
}

// memSeries is one series. All fields are guarded by the store's lock.
//
// Readers get slice headers, never copies: the head arrays are only ever
// written past the length any reader has seen (appends) or replaced wholesale
// (growth, sealing), and trimming only re-slices, so a snapshot taken under
// the read lock stays valid after the lock is released.
type memSeries struct {
	lset   labels.Labels
	hash   uint64
	sealed []sealedChunk // oldest first
	headT  []int64       // newest samples, not yet compressed; never empty
	headV  []float64

	// Commit sequence numbers of the first and newest sample: a query that
	// started before a commit does not see what that commit added. (A scrape
	// adds at most one sample per series, so hiding the newest is enough
	// unless a query outlasts two scrapes of the same target.)
	firstCommit, lastCommit uint64
}

func newMemSeries(lset labels.Labels, hash uint64, commit uint64) *memSeries {
	return &memSeries{
		lset:        lset,
		hash:        hash,
		headT:       make([]int64, 0, firstHeadCap),
		headV:       make([]float64, 0, firstHeadCap),
		firstCommit: commit,
	}
}

// append adds a sample. A sample at the newest timestamp with identical bits
// is accepted as a no-op, as the TSDB does; it returns whether anything was stored.
func (s *memSeries) append(t int64, v float64, commit uint64) (bool, error) {
	if n := len(s.headT); n > 0 {
		lt := s.headT[n-1]
		switch {
		case t < lt:
			return false, errOutOfOrder
		case t == lt:
			if math.Float64bits(v) == math.Float64bits(s.headV[n-1]) {
				return false, nil
			}
			return false, errDuplicate
		}
	}
	// Seal lazily, before appending, so the newest sample always sits in the
	// head, where a query started earlier can hide it.
	if len(s.headT) == chunkSamples {
		s.seal()
	}
	if len(s.headT) == cap(s.headT) {
		s.grow()
	}
	s.headT = append(s.headT, t)
	s.headV = append(s.headV, v)
	s.lastCommit = commit
	return true, nil
}

func (s *memSeries) grow() {
	c := min(2*cap(s.headT), chunkSamples)
	t := make([]int64, len(s.headT), c)
	v := make([]float64, len(s.headV), c)
	copy(t, s.headT)
	copy(v, s.headV)
	s.headT, s.headV = t, v
}

// seal compresses the full head into a chunk and starts a new head; the old
// head arrays stay untouched for readers still holding them.
func (s *memSeries) seal() {
	c := chunkenc.NewXORChunk()
	app, err := c.Appender()
	if err != nil {
		// A fresh XOR chunk always yields an appender; keep the raw head
		// (growing it) rather than lose samples if that ever changes.
		return
	}
	for i, t := range s.headT {
		app.Append(0, t, s.headV[i])
	}
	c.Compact()
	s.sealed = append(s.sealed, sealedChunk{minT: s.headT[0], maxT: s.headT[len(s.headT)-1], n: len(s.headT), chunk: c})
	s.headT = make([]int64, 0, chunkSamples)
	s.headV = make([]float64, 0, chunkSamples)
}

func (s *memSeries) minTime() int64 {
	if len(s.sealed) > 0 {
		return s.sealed[0].minT
	}
	return s.headT[0]
}

func (s *memSeries) maxTime() int64 { return s.headT[len(s.headT)-1] }

// trim drops samples older than cutoff: whole sealed chunks, and head samples
// one by one. It returns how many samples went and whether the series is now empty.
func (s *memSeries) trim(cutoff int64) (dropped int, empty bool) {
	k := 0
	for k < len(s.sealed) && s.sealed[k].maxT < cutoff {
		dropped += s.sealed[k].n
		k++
	}
	s.sealed = s.sealed[k:]
	if len(s.sealed) > 0 {
		return dropped, false
	}
	j := sort.Search(len(s.headT), func(i int) bool { return s.headT[i] >= cutoff })
	dropped += j
	if j == len(s.headT) {
		return dropped, true
	}
	s.headT, s.headV = s.headT[j:], s.headV[j:]
	return dropped, false
}

// view snapshots the samples in [mint, maxt] visible to a query that started
// after commit seq. It returns nil when there are none.
func (s *memSeries) view(mint, maxt int64, seq uint64) *seriesView {
	if s.firstCommit > seq {
		return nil
	}
	headT, headV := s.headT, s.headV
	if s.lastCommit > seq {
		headT, headV = headT[:len(headT)-1], headV[:len(headV)-1]
	}
	lo := sort.Search(len(headT), func(i int) bool { return headT[i] >= mint })
	hi := sort.Search(len(headT), func(i int) bool { return headT[i] > maxt })
	if lo > hi {
		lo = hi
	}
	first := sort.Search(len(s.sealed), func(i int) bool { return s.sealed[i].maxT >= mint })
	last := sort.Search(len(s.sealed), func(i int) bool { return s.sealed[i].minT > maxt })
	if first > last {
		first = last
	}
	if first == last && lo == hi {
		return nil
	}
	return &seriesView{
		lset:   s.lset,
		mint:   mint,
		maxt:   maxt,
		sealed: s.sealed[first:last:last],
		headT:  headT[lo:hi:hi],
		headV:  headV[lo:hi:hi],
	}
}

// overlaps reports whether the series has samples in [mint, maxt], ignoring
// isolation; good enough for label lookups.
func (s *memSeries) overlaps(mint, maxt int64) bool {
	return s.minTime() <= maxt && s.maxTime() >= mint
}

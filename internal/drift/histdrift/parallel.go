package histdrift

import (
	"runtime"
	"sync"

	"github.com/mltop/mltop/internal/labelrows"
)

// part is one worker's share of a refresh's numeric features: those of the
// models that fall to it (partOf). Its buffers are reused from one
// refresh to the next.
type part struct {
	side numSide
	les  leCache
	accs map[VersionKey]*versionResult
	out  outAlloc
}

// minRowsPerWorker is the fewest bucket rows worth a goroutine of their
// own (about a thousand features): below it, starting one costs more than
// it saves.
const minRowsPerWorker = 20_000

// numericParts groups and scores the current window's buckets, on every
// core when they are many: grouping, the references and the statistics
// are most of a large fleet's refresh, and models are independent. Each
// part's accs hold its versions; no version is in two parts.
func (c *Calculator) numericParts(t *labelrows.Table, profiles map[VersionKey]parsedProfile) []part {
	workers := max(1, min(runtime.GOMAXPROCS(0), t.Len()/minRowsPerWorker))
	if cap(c.parts) < workers {
		c.parts = append(c.parts[:cap(c.parts)], make([]part, workers-cap(c.parts))...)
	}
	parts := c.parts[:workers]
	if workers == 1 {
		c.scoreNumeric(&parts[0], t, 0, 1, c.refNum.order(0, 1), profiles)
		return parts
	}
	var wg sync.WaitGroup
	for w := range parts {
		order := c.refNum.order(w, workers)
		wg.Go(func() { c.scoreNumeric(&parts[w], t, w, workers, order, profiles) })
	}
	wg.Wait()
	return parts
}

// scoreNumeric scores the features of the models of part w; order is the
// reference's features of that part.
func (c *Calculator) scoreNumeric(p *part, t *labelrows.Table, w, workers int, order []refEntry, profiles map[VersionKey]parsedProfile) {
	p.accs = make(map[VersionKey]*versionResult)
	p.out = outAlloc{}
	p.side.fillPart(t, &p.les, w, workers)
	var (
		lastVK VersionKey
		a      *versionResult
	)
	for i := range p.side.groups {
		g := &p.side.groups[i]
		if vk := g.key.versionKey(); a == nil || vk != lastVK {
			// A version's features usually come together.
			lastVK, a = vk, accFor(p.accs, vk, profiles)
		}
		cur, err := g.binnedInPlace()
		if err != nil {
			a.skip(g.key.feature)
			continue
		}
		ref, source, ok := c.numericReference(a, order, i, g.key, cur)
		if !ok {
			a.skip(g.key.feature)
			continue
		}
		res, err := c.scoreBinned(ref, cur)
		a.record(g.key.feature, source, res, err, &p.out)
	}
}

// accFor is vk's accumulator in accs, added (with its registry profile)
// when new.
func accFor(accs map[VersionKey]*versionResult, vk VersionKey, profiles map[VersionKey]parsedProfile) *versionResult {
	a := accs[vk]
	if a == nil {
		a = &versionResult{}
		if p, ok := profiles[vk]; ok {
			a.profile, a.profileErr = p.ref, p.err
		}
		accs[vk] = a
	}
	return a
}

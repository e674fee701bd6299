package page

import (
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

// Key is what a page is drawn from, in comparable form: Common's state,
// the screen's size, its range and the serial of its data (a screen with
// more state of its own adds that). When the key changes, a drawn page is
// stale.
type Key struct {
	now, taken   int64
	snap         *fleet.Snapshot
	theme        *themes.Theme
	glyphs       string
	thresholds   fleet.Thresholds
	history      bool
	driftHistory bool
	w, h         int
	rng          time.Duration
	serial       int
}

// NewKey is the key of a page drawn now from c, at w×h, over rng, from
// data at serial.
func NewKey(c *common.Common, w, h int, rng time.Duration, serial int) Key {
	k := Key{now: c.Now.UnixNano(), snap: c.Snapshot, theme: c.Theme,
		glyphs:     c.Glyphs.OK + c.Glyphs.Stale + c.Glyphs.BarFull,
		thresholds: c.Thresholds, history: c.History != nil, driftHistory: c.DriftHistory != nil,
		w: w, h: h, rng: rng, serial: serial}
	if c.Snapshot != nil {
		k.taken = c.Snapshot.TakenAt.UnixNano()
	}
	return k
}

package root

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// FPS is the most frames per second the dashboard draws, passed to
// tea.WithFPS so the terminal is written at most this often. Bubble Tea
// still calls View after every message, so the root also coalesces: data
// (snapshots, clock ticks) only marks the frame stale, and the next frame
// tick redraws it once, however many snapshots arrived in between. Keys
// redraw at once; people type slower than FPS.
const FPS = 10

// FrameInterval is the time between two data-driven redraws.
const FrameInterval = time.Second / FPS

// frames caches the rendered frame and decides when to redraw it.
type frames struct {
	content string
	valid   bool // content reflects the current state
	pending bool // data changed since content was drawn
	armed   bool // a frame tick is scheduled
	renders int  // frames drawn, for tests and the start-up benchmark
}

// invalidate makes the next View redraw: something the user did changed the screen.
func (f *frames) invalidate() { f.valid = false }

// dataChanged defers the redraw to the next frame tick, scheduling one if
// none is pending. Many changes within one interval cost one redraw.
func (f *frames) dataChanged() tea.Cmd {
	f.pending = true
	if f.armed {
		return nil
	}
	f.armed = true
	return tea.Tick(FrameInterval, func(time.Time) tea.Msg { return frameMsg{} })
}

// tick is the frame tick: draw the data that arrived during the interval.
func (f *frames) tick() {
	f.armed = false
	if f.pending {
		f.valid = false
	}
}

// render returns the cached frame, drawing it with draw when stale.
func (f *frames) render(draw func() string) string {
	if !f.valid {
		f.content = draw()
		f.valid, f.pending = true, false
		f.renders++
	}
	return f.content
}

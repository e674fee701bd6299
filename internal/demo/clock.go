package demo

import "time"

// clock keeps the two time scales of the simulation. Traffic runs in real
// time so request rates read as real req/s; the story (drift, label delays,
// canary steps, training) runs Speed times faster so that a day of label lag
// plays out in minutes.
type clock struct {
	start time.Time     // wall clock at the story's start
	speed float64       // story seconds per real second
	real  time.Duration // simulated real time elapsed since start
}

// wall is the simulated wall clock: start plus the real time simulated so far.
func (c *clock) wall() time.Time { return c.start.Add(c.real) }

// elapsed is the story time since the start.
func (c *clock) elapsed() time.Duration {
	return time.Duration(float64(c.real) * c.speed)
}

// story is the story's current instant.
func (c *clock) story() time.Time { return c.start.Add(c.elapsed()) }

// project maps a story instant (an offset from the start) onto the wall
// clock so that its distance to "now" is the story distance. Exported
// timestamps use it: a reader computing time() - ts gets the story's age,
// which would shrink instead of grow if story instants were exported as is.
func (c *clock) project(at time.Duration) time.Time {
	return c.wall().Add(at - c.elapsed())
}

// wallMillis is the simulated wall clock in ms since the epoch, as MLflow
// records timestamps.
func (c *clock) wallMillis() int64 { return c.wall().UnixMilli() }

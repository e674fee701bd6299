package common

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

type eventsFunc func(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error)

func (f eventsFunc) Events(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
	return f(ctx, model, from, to)
}

// TestFetchEvents: the command asks for the range ending at the screen's
// clock, with a deadline; a partial answer keeps its events beside the
// error, and an answer for another range is dropped.
func TestFetchEvents(t *testing.T) {
	if FetchEvents(nil, "m", time.Hour, time.Now()) != nil {
		t.Fatal("a command without a provider")
	}
	now := time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)
	ev := fleet.Event{Time: now.Add(-time.Minute), Kind: fleet.EventAlert, Text: "x firing"}
	p := eventsFunc(func(ctx context.Context, model string, from, to time.Time) ([]fleet.Event, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("no deadline on the fetch")
		}
		if model != "m" || !to.Equal(now) || to.Sub(from) != time.Hour {
			t.Errorf("asked %s %s–%s", model, from, to)
		}
		return []fleet.Event{ev}, errors.New("events: alerts: connection refused")
	})
	msg, ok := FetchEvents(p, "m", time.Hour, now)().(EventsMsg)
	if !ok || msg.Model != "m" || msg.Window.Range != time.Hour || len(msg.Window.Events) != 1 || msg.Err == nil {
		t.Fatalf("answer %#v", msg)
	}
	c := &Common{Now: now, Refresh: time.Second}
	h := NewRangeHistory[EventWindow](time.Hour)
	h.Follow(msg, c, "m")
	if !h.Have || len(h.Data.Events) != 1 || h.Err != "events: alerts: connection refused" {
		t.Fatalf("partial answer taken as %+v", h)
	}
	h.Follow(EventsMsg{Model: "m", Window: EventWindow{Range: 6 * time.Hour}}, c, "m")
	if len(h.Data.Events) != 1 {
		t.Fatal("an answer for another range replaced the events")
	}
}

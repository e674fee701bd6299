package demo

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestCloseLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t)
	f, err := Start(context.Background(), Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The background ticker moves the world in real time: poll for traffic.
	deadline := time.Now().Add(10 * time.Second)
	for {
		all := scrapeAll(t, f)
		if n := series(all, "model_predictions_total", nil); len(n) > 0 && n[0].GetCounter().GetValue() > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no traffic after 10s with the ticker running")
		}
		<-time.After(TickInterval / 4) // poll interval
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}

func TestCancelledContextStopsFleet(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithCancel(context.Background())
	f, err := Start(ctx, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := f.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := client.Get(f.Targets()[0]); err == nil {
		t.Error("exporter still answers after its context was cancelled")
	}
	if _, err := Start(ctx, Options{}); err == nil {
		t.Error("start with a cancelled context succeeded")
	}
	if _, err := Start(context.Background(), Options{Speed: -1}); err == nil {
		t.Error("negative speed accepted")
	}
}

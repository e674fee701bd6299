// Package demo serves a simulated fleet of models on loopback: one
// Prometheus exporter per model, an MLflow-compatible registry and a
// retrain webhook receiver. Its stories (an incident, drift, a canary with
// late labels, a shadow, a model without histograms, ...) react to actions:
// moving the champion alias moves traffic, a retrain request produces a new
// version that starts a canary.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const (
	// DefaultSpeed plays a day of label lag in 24 minutes.
	DefaultSpeed = 60
	// TickInterval is how often the background ticker advances the world.
	TickInterval = 200 * time.Millisecond
	// maxTick caps the real time one tick may simulate (after a suspended
	// laptop wakes up, say), so the world never stalls catching up.
	maxTick       = 5 * time.Second
	shutdownGrace = 2 * time.Second
)

// Options configure a simulated fleet.
type Options struct {
	Seed   int64            // same seed and same Advance calls give the same exposition
	Speed  float64          // story time per real time; default DefaultSpeed
	Manual bool             // no background ticker: the caller calls Advance
	Logger *slog.Logger     // default: discard
	Now    func() time.Time // wall clock; the story starts at Now(); default time.Now
}

// Fleet is a running simulated fleet.
type Fleet struct {
	opts Options
	log  *slog.Logger

	mu sync.Mutex // guards w
	w  *world

	targets     []string
	registryURL string
	webhookURL  string
	servers     []*http.Server

	wg       sync.WaitGroup
	stop     chan struct{}
	stopOnce sync.Once
	errMu    sync.Mutex
	errs     []error
}

// Start builds the world and starts its exporters, registry and webhook
// receiver on free loopback ports. Cancelling ctx stops them as Close does
// (Close must still be called to wait for them).
func Start(ctx context.Context, opts Options) (*Fleet, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("start demo fleet: %w", err)
	}
	if opts.Speed == 0 {
		opts.Speed = DefaultSpeed
	}
	if opts.Speed < 0 || math.IsNaN(opts.Speed) || math.IsInf(opts.Speed, 0) {
		return nil, fmt.Errorf("start demo fleet: speed %v must be a positive number", opts.Speed)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &Fleet{opts: opts, log: log, stop: make(chan struct{})}
	start := opts.Now().Truncate(time.Millisecond)
	f.w = newWorld(opts.Seed, start, opts.Speed, log)

	var lis []net.Listener
	closeAll := func() {
		for _, l := range lis {
			_ = l.Close()
		}
	}
	listen := func(what string) (net.Listener, error) {
		var lc net.ListenConfig
		l, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("start demo fleet: listen for %s: %w", what, err)
		}
		lis = append(lis, l)
		return l, nil
	}
	var handlers []http.Handler
	for _, m := range f.w.models {
		l, err := listen("exporter " + m.spec.name)
		if err != nil {
			return nil, err
		}
		f.targets = append(f.targets, "http://"+l.Addr().String()+"/metrics")
		handlers = append(handlers, f.exporterHandler(m.spec.name))
	}
	l, err := listen("registry")
	if err != nil {
		return nil, err
	}
	f.registryURL = "http://" + l.Addr().String()
	handlers = append(handlers, f.registryHandler())
	l, err = listen("webhook")
	if err != nil {
		return nil, err
	}
	f.webhookURL = "http://" + l.Addr().String() + "/retrain"
	handlers = append(handlers, f.webhookHandler("http://"+l.Addr().String()))

	errLog := slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	for i, l := range lis {
		srv := &http.Server{
			Handler:           handlers[i],
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      10 * time.Second,
			IdleTimeout:       time.Minute,
			ErrorLog:          errLog,
		}
		f.servers = append(f.servers, srv)
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				f.fail(fmt.Errorf("serve %s: %w", l.Addr(), err))
			}
		}()
	}
	if !opts.Manual {
		f.wg.Add(1)
		go f.tick()
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		select {
		case <-ctx.Done():
			f.shutdown()
		case <-f.stop:
		}
	}()
	log.Info("demo fleet started", "targets", len(f.targets), "registry", f.registryURL, "webhook", f.webhookURL, "speed", opts.Speed)
	return f, nil
}

func (f *Fleet) exporterHandler(model string) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collector{f: f, model: model}) // a fresh registry: cannot collide
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		EnableOpenMetrics: true,
		ErrorLog:          slog.NewLogLogger(f.log.Handler(), slog.LevelWarn),
		ErrorHandling:     promhttp.ContinueOnError,
	}))
	return mux
}

// tick advances the world in real time until the fleet stops.
func (f *Fleet) tick() {
	defer f.wg.Done()
	t := time.NewTicker(TickInterval)
	defer t.Stop()
	last := f.opts.Now()
	for {
		select {
		case <-f.stop:
			return
		case <-t.C:
			now := f.opts.Now()
			d := min(max(now.Sub(last), 0), maxTick)
			last = now
			f.mu.Lock()
			f.w.advance(d)
			f.mu.Unlock()
		}
	}
}

// Targets are the exporters' /metrics URLs, one per model.
func (f *Fleet) Targets() []string { return append([]string(nil), f.targets...) }

// RegistryURL is the MLflow-compatible tracking server's base URL.
func (f *Fleet) RegistryURL() string { return f.registryURL }

// WebhookURL is the retrain receiver's URL.
func (f *Fleet) WebhookURL() string { return f.webhookURL }

// Advance simulates real of traffic; the story moves real*Speed.
func (f *Fleet) Advance(real time.Duration) {
	if real <= 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.w.advance(real)
}

// StoryTime is the story's current instant.
func (f *Fleet) StoryTime() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.w.clock.story()
}

// WallTime is the simulated wall clock: the start plus the real time
// simulated so far. Exported timestamps (label times, registry changes)
// are relative to it.
func (f *Fleet) WallTime() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.w.clock.wall()
}

// Received lists the retrain requests received so far, oldest first.
func (f *Fleet) Received() []WebhookRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]WebhookRequest, len(f.w.trainer.received))
	for i, r := range f.w.trainer.received {
		out[i] = WebhookRequest{Method: r.Method, Path: r.Path, Header: r.Header.Clone(), Body: append([]byte(nil), r.Body...)}
	}
	return out
}

// Close stops the ticker and all servers and waits for their goroutines.
func (f *Fleet) Close() error {
	f.shutdown()
	f.wg.Wait()
	f.errMu.Lock()
	defer f.errMu.Unlock()
	return errors.Join(f.errs...)
}

func (f *Fleet) shutdown() {
	f.stopOnce.Do(func() {
		close(f.stop)
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		for _, srv := range f.servers {
			if err := srv.Shutdown(ctx); err != nil {
				_ = srv.Close()
				f.fail(fmt.Errorf("shut down demo server: %w", err))
			}
		}
		f.log.Info("demo fleet stopped")
	})
}

func (f *Fleet) fail(err error) {
	f.errMu.Lock()
	defer f.errMu.Unlock()
	f.errs = append(f.errs, err)
}

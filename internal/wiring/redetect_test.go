package wiring

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/labelrows"
	"github.com/mltop/mltop/internal/poll"
)

// askedSource records the expressions it is asked.
type askedSource struct {
	mu    sync.Mutex
	asked []string
}

func (s *askedSource) ask(expr string) {
	s.mu.Lock()
	s.asked = append(s.asked, expr)
	s.mu.Unlock()
}

func (*askedSource) Name() string    { return "prometheus" }
func (*askedSource) Kind() string    { return "prometheus" }
func (*askedSource) Backend() string { return "prometheus" }
func (s *askedSource) Query(_ context.Context, expr string, _ time.Time) (model.Vector, []string, error) {
	s.ask(expr)
	return model.Vector{}, nil, nil
}
func (s *askedSource) QueryTable(_ context.Context, expr string, _ time.Time, labels []string) (*labelrows.Table, []string, error) {
	s.ask(expr)
	return labelrows.FromVector(nil, labels), nil, nil
}
func (s *askedSource) QueryRange(_ context.Context, expr string, _, _ time.Time, _ time.Duration) (model.Matrix, []string, error) {
	s.ask(expr)
	return model.Matrix{}, nil, nil
}

// Detection that could not choose at start asks again a minute later, not
// before; until it succeeds the union of every exporter profile is read
// and the status says why; after, the detected profiles' queries are, a
// role they do not fill is not sent, and the status says they were
// detected.
func TestRedetectAfterAFailedStart(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	base := detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n")
	n := &namer{err: errors.New("connection refused by 127.0.0.1:9: is the server running, and is the URL right?")}
	cfg := detectWith(context.Background(), base, n, time.Now(), log)
	n.matches = nil
	src := &askedSource{}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	r := withRedetect(cfg, src, n, log).(*redetectSource)
	r.now = func() time.Time { return now }
	r.retryAt = now.Add(profileRetry)

	qs, err := cfg.Queries()
	if err != nil {
		t.Fatal(err)
	}
	expr := map[string]string{}
	for _, q := range qs {
		expr[q.Role] = q.Expr
	}
	ctx := context.Background()
	r.PreparePoll(ctx)
	if n.matches != nil {
		t.Fatal("asked again before a minute passed")
	}
	if p := r.Profiles(); p.Detected || !strings.Contains(p.Problem, "connection refused") || len(p.Names) != len(config.ExporterProfiles()) {
		t.Errorf("status before: %+v", p)
	}

	// A minute later the server answers; still nothing there.
	n.err, n.names = nil, []string{"up"}
	now = now.Add(profileRetry)
	r.PreparePoll(ctx)
	if p := r.Profiles(); p.Detected || !strings.HasPrefix(p.Problem, "no exporter profile's metrics") {
		t.Errorf("status with nothing there: %+v", p)
	}

	// Another minute: MLServer's metrics are there.
	n.names = []string{"model_infer_request_duration_count"}
	now = now.Add(profileRetry)
	src.asked = nil
	n.matches = nil
	_, _, _ = r.Query(ctx, expr["request_rate"], now)
	if n.matches != nil {
		t.Fatal("a query asked for the profiles: only a refresh's preparation may")
	}
	r.PreparePoll(ctx)
	_, _, _ = r.Query(ctx, expr["request_rate"], now)
	_, _, _ = r.QueryRange(ctx, expr["error_ratio"], now.Add(-time.Hour), now, time.Minute)
	_, _, errTable := r.QueryTable(ctx, expr["latency_buckets"], now, []string{"model", "version", "le"}) // mlserver has no histogram
	_, _, errProfile := r.Query(ctx, expr["profile"], now)                                                // one profile: no profile role
	if m, _, err := r.QueryRange(ctx, expr["profile"], now.Add(-time.Hour), now, time.Minute); err != nil || len(m) != 0 {
		t.Errorf("a graph of a role mlserver does not fill: %v, %v; want empty", m, err)
	}
	for _, notFilled := range []error{errTable, errProfile} {
		if !errors.Is(notFilled, poll.ErrNotAsked) {
			t.Errorf("a role mlserver does not fill answered %v, want not asked", notFilled)
		}
	}
	_, _, _ = r.Query(ctx, "up", now) // an expression it does not know
	det, err := base.WithDetectedProfiles([]string{"mlserver"}, config.ProfileDetection{Detected: true}).Queries()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, q := range det {
		want[q.Role] = q.Expr
	}
	if w := []string{expr["request_rate"], want["request_rate"], want["error_ratio"], "up"}; !slices.Equal(src.asked, w) {
		t.Errorf("asked\n%q\nwant\n%q", src.asked, w)
	}
	if p := r.Profiles(); !p.Detected || p.Problem != "" || !slices.Equal(p.Names, []string{"mlserver"}) {
		t.Errorf("status after: %+v", p)
	}
}

// A detection that chose, or no detection, is not wrapped.
func TestRedetectOnlyAfterFailure(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cfg := detectConfig(t, "prometheus:\n  url: http://127.0.0.1:9\n")
	src := &askedSource{}
	if got := withRedetect(cfg, src, &namer{}, log); got != remoteSource(src) {
		t.Error("wrapped without detection")
	}
	det := detectWith(context.Background(), cfg, &namer{names: []string{"model_predictions_total"}}, time.Now(), log)
	if got := withRedetect(det, src, &namer{}, log); got != remoteSource(src) {
		t.Error("wrapped after a detection that chose")
	}
}

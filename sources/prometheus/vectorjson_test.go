package prometheus

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// clientGolangQuery is an instant query read by client_golang's API, the
// reference Query and QueryTable are held to.
func clientGolangQuery(s *Source, ctx context.Context, expr string, at time.Time) (model.Vector, []string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ctx, p := withProbe(ctx)
	val, warnings, _, err := s.api.Query(ctx, expr, at, v1.WithTimeout(s.timeout))
	warnings = plainWarnings(warnings)
	if err != nil {
		return nil, warnings, explain(err, p, s.url, s.timeout)
	}
	switch v := val.(type) {
	case model.Vector:
		return slices.DeleteFunc(v, func(s *model.Sample) bool { return s == nil || s.Histogram != nil }), warnings, nil
	case *model.Scalar:
		return model.Vector{{Metric: model.Metric{}, Value: v.Value, Timestamp: v.Timestamp}}, warnings, nil
	case nil:
		return nil, warnings, errors.New("the answer holds no result")
	default:
		return nil, warnings, fmt.Errorf("unexpected %s result", val.Type())
	}
}

// answerServer serves one answer and records the requests it gets.
func answerServer(t *testing.T, ctype string, code int, body string) (*Source, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var requests []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" {
			http.NotFound(w, r)
			return
		}
		_ = r.ParseForm()
		mu.Lock()
		requests = append(requests, r.Method+" "+r.Form.Encode())
		mu.Unlock()
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	s, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return s, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(requests)
	}
}

// sameVector compares samples, metrics (nil apart from empty), values
// (NaN equal to NaN) and times.
func sameVector(a, b model.Vector) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if (x.Metric == nil) != (y.Metric == nil) || !x.Metric.Equal(y.Metric) || x.Timestamp != y.Timestamp ||
			!(x.Value.Equal(y.Value)) || x.Histogram != nil || y.Histogram != nil {
			return false
		}
	}
	return true
}

// TestQueryAgreesWithClientGolang: for every answer, Query sends the
// request client_golang sends and gives the same samples (labels, values,
// times), warnings and error.
func TestQueryAgreesWithClientGolang(t *testing.T) {
	for _, tc := range answerCases {
		t.Run(tc.name, func(t *testing.T) {
			s, requests := answerServer(t, tc.ctype, tc.code, tc.body)
			at := time.Unix(1700000000, 250_000_000)
			want, wantWarn, wantErr := clientGolangQuery(s, context.Background(), "q", at)
			vec, warn, err := s.Query(context.Background(), "q", at)
			switch {
			case ownWords[tc.name] && (err == nil || wantErr == nil):
				t.Fatalf("error %v, client_golang says %v", err, wantErr)
			case ownWords[tc.name]:
				t.Logf("error %v, client_golang says %v", err, wantErr)
			case fmt.Sprint(err) != fmt.Sprint(wantErr):
				t.Fatalf("error %v, client_golang says %v", err, wantErr)
			}
			if !slices.Equal(warn, wantWarn) {
				t.Errorf("warnings %q, client_golang says %q", warn, wantWarn)
			}
			if wantErr == nil && !sameVector(vec, want) {
				t.Errorf("vector %v, client_golang reads %v", vec, want)
			}
			if r := requests(); len(r) != 2 || r[0] != r[1] {
				t.Errorf("requests %q: Query's differs from client_golang's", r)
			}
		})
	}
}

// TestQuerySharesLabelMaps: answers holding the same series share one
// label map per series, whatever the labels' order in the body.
func TestQuerySharesLabelMaps(t *testing.T) {
	s, _ := answerServer(t, "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[`+
		`{"metric":{"model":"a","version":"1"},"value":[1,"1"]},`+
		`{"metric":{"version":"1","model":"a"},"value":[1,"2"]},`+
		`{"metric":{"model":"a","version":"2"},"value":[1,"3"]}]}}`)
	first, _, err := s.Query(context.Background(), "q", time.Unix(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := s.Query(context.Background(), "q", time.Unix(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b model.Metric) bool { return fmt.Sprintf("%p", a) == fmt.Sprintf("%p", b) }
	if !same(first[0].Metric, first[1].Metric) || !same(first[0].Metric, again[1].Metric) {
		t.Error("one series' samples have their own label maps")
	}
	if same(first[0].Metric, first[2].Metric) || first[2].Metric["version"] != "2" {
		t.Errorf("two series share a label map: %v", first[2].Metric)
	}
}

// BenchmarkQueryDecode1000 reads an answer of 1,000 series, as a refresh
// of a 1,000-model fleet gets for each of its queries.
func BenchmarkQueryDecode1000(b *testing.B) {
	body := []byte(`{"status":"success","data":{"resultType":"vector","result":[`)
	for i := range 1000 {
		if i > 0 {
			body = append(body, ',')
		}
		body = fmt.Appendf(body, `{"metric":{"model":"model-%04d","version":"v%d"},"value":[1700000000.123,"%d.5"]}`, i, i%7+1, i)
	}
	body = append(body, "]}}"...)
	var cache metricCache
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := decodeVector(body, &cache); err != nil {
			b.Fatal(err)
		}
	}
}

// A label set no answer held for two generations is forgotten; one held
// in the previous generation is still shared.
func TestMetricCacheForgetsSeriesThatWentAway(t *testing.T) {
	var c metricCache
	set := func(model string) model.Metric {
		s := &vectorSink{names: [][]byte{[]byte("model")}, vals: [][]byte{[]byte(model)}}
		return c.get(s)
	}
	same := func(a, b model.Metric) bool { return fmt.Sprintf("%p", a) == fmt.Sprintf("%p", b) }
	a := set("a")
	c.turned = c.turned.Add(-metricGeneration)
	set("b") // turns: a is in the previous generation
	if !same(a, set("a")) {
		t.Fatal("a label set of the previous generation was not reused")
	}
	c.turned = c.turned.Add(-metricGeneration)
	set("c") // a new set turns the generation: a, seen in the last one, stays
	c.turned = c.turned.Add(-metricGeneration)
	set("d") // turns again: a was not seen for a whole generation
	if again := set("a"); same(a, again) || again["model"] != "a" {
		t.Errorf("a label set unseen for two generations is still held: %v", again)
	}
}

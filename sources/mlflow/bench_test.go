package mlflow

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// bigRegistry serves models × versions without locks: every answer is
// generated from the request, so the server is not what is measured.
type bigRegistry struct {
	models, versions int
	// delay is the server's own time for each version search and run, as
	// a real tracking server spends it on its database.
	delay    time.Duration
	requests atomic.Int64
}

func (g *bigRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.requests.Add(1)
	if g.delay > 0 && r.URL.Path != pathModelsSearch {
		time.Sleep(g.delay)
	}
	q := r.URL.Query()
	w.Header().Set("Content-Type", "application/json")
	var b strings.Builder
	switch r.URL.Path {
	case pathModelsSearch:
		off, _ := strconv.Atoi(q.Get("page_token"))
		n, _ := strconv.Atoi(q.Get("max_results"))
		end := min(off+n, g.models)
		b.WriteString(`{"registered_models":[`)
		for i := off; i < end; i++ {
			if i > off {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"name":"model-%04d","creation_timestamp":1717430400123,"last_updated_timestamp":1731672005881,`+
				`"description":"model %d","tags":[{"key":"team","value":"t%d"}],"aliases":[{"alias":"champion","version":"%d"}]}`,
				i, i, i%7, g.versions)
		}
		b.WriteString("]")
		if end < g.models {
			fmt.Fprintf(&b, `,"next_page_token":"%d"`, end)
		}
		b.WriteString("}")
	case pathVersionsSearch:
		name := strings.Trim(strings.TrimPrefix(q.Get("filter"), "name="), "'")
		b.WriteString(`{"model_versions":[`)
		for v := 1; v <= g.versions; v++ {
			if v > 1 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"name":"%s","version":"%d","creation_timestamp":1731600000000,"last_updated_timestamp":1731672005881,`+
				`"user_id":"ci@example.com","current_stage":"None","source":"models:/m-%s-%d","run_id":"%s-%d","status":"READY",`+
				`"tags":[{"key":"validation_status","value":"passed"}]}`, name, v, name, v, name, v)
		}
		b.WriteString("]}")
	case pathRunsGet:
		id := q.Get("run_id")
		fmt.Fprintf(&b, `{"run":{"info":{"run_id":"%s","run_name":"train-%s","status":"FINISHED","start_time":1728990000000},`+
			`"data":{"metrics":[{"key":"val_auc","value":0.94,"timestamp":1728993500000,"step":49},{"key":"val_logloss","value":0.18,"timestamp":1728993500000,"step":49}],`+
			`"tags":[{"key":"mlflow.source.git.commit","value":"a1b2c3d"}]},`+
			`"inputs":{"dataset_inputs":[{"tags":[{"key":"mlflow.data.context","value":"training"}],"dataset":{"name":"train","digest":"d1","source":"s3://d"}}]}}}`, id, id)
	default:
		w.WriteHeader(http.StatusNotFound)
		return
	}
	_, _ = w.Write([]byte(b.String()))
}

func newBigSource(b *testing.B) (*Source, *bigRegistry) {
	b.Helper()
	g := &bigRegistry{models: 2000, versions: 50}
	srv := httptest.NewServer(g)
	b.Cleanup(srv.Close)
	c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv, Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	return NewSource(c, SourceOptions{}), g
}

// BenchmarkRegistryFirstRead reads 2,000 models × 50 versions from cold:
// 2 search pages, 2,000 version searches and 100,000 runs.
// Run with -benchtime=1x.
func BenchmarkRegistryFirstRead(b *testing.B) {
	var requests int64
	for b.Loop() {
		b.StopTimer()
		src, g := newBigSource(b)
		b.StartTimer()
		reg, err := src.Registry(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(reg.Models) != 2000 || len(reg.Models[1999].Versions) != 50 {
			b.Fatalf("read %d models", len(reg.Models))
		}
		requests += g.requests.Load()
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
}

// BenchmarkRegistryUnchanged reads the same registry again with nothing
// changed: only the registered-model search pages are requested.
func BenchmarkRegistryUnchanged(b *testing.B) {
	src, g := newBigSource(b)
	if _, err := src.Registry(context.Background()); err != nil {
		b.Fatal(err)
	}
	g.requests.Store(0)
	b.ReportAllocs()
	for b.Loop() {
		reg, err := src.Registry(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(reg.Models) != 2000 {
			b.Fatalf("read %d models", len(reg.Models))
		}
	}
	b.ReportMetric(float64(g.requests.Load())/float64(b.N), "requests/op")
}

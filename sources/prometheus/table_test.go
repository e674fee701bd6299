package prometheus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/labelrows"
)

var tableCols = []string{"model", "version", "feature", "le"}

// answerCases are answers a server may give, from the usual to the odd.
var answerCases = []struct {
	name, ctype string
	code        int
	body        string
}{
	{"vector", "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"feature":"tenure","le":"0.5","model":"churn","version":"3"},"value":[1700000000.5,"12"]},` +
		`{"metric":{"feature":"tenure","le":"+Inf","model":"churn","version":"3","job":"x"},"value":[1700000000.5,"+Inf"]},` +
		`{"metric":{"model":"churn"},"value":[1700000000.5,"NaN"]},` +
		`{"metric":{},"value":[1700000000.5,"-1e-3"]}]}}`},
	{"escapes and unicode", "application/json", 200, `{"status":"success","data":{"result":[` +
		`{"value":[1,"1"],"metric":{"model":"a\"b\\c\u00e9\n","feature":"größe","le":"1"}}],"resultType":"vector"}}`},
	{"white space", "application/json", 200, "{ \"status\" : \"success\" ,\n\t\"data\" : { \"resultType\" : \"vector\" , \"result\" : [ { \"metric\" : { \"model\" : \"a\" } , \"value\" : [ 1 , \"2\" ] } ] } }\n"},
	{"warnings and infos", "application/json", 200, `{"status":"success","warnings":["store s1 unavailable","PromQL warning: x"],"infos":["PromQL info: y"],"data":{"resultType":"vector","result":[]}}`},
	{"native histogram skipped", "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"model":"a"},"histogram":[1,{"count":"2","sum":"3","buckets":[[0,"0","1","2"]]}]},{"metric":{"model":"b"},"value":[1,"4"]}]}}`},
	{"scalar", "application/json", 200, `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"4.5"]}}`},
	{"string", "application/json", 200, `{"status":"success","data":{"resultType":"string","result":[1700000000,"text"]}}`},
	{"matrix", "application/json", 200, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"model":"a"},"values":[[1,"2"]]}]}}`},
	{"bad query", "application/json", 400, `{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}`},
	{"victoria limit", "application/json", 422, `{"status":"error","errorType":"422","error":"error when executing query=\"x\" on the time range (start=1, end=2, step=3): cannot execute query: the number of matching timeseries exceeds 300000; either narrow down the search or increase -search.maxUniqueTimeseries=300000"}`},
	{"error in a 200", "application/json", 200, `{"status":"error","errorType":"execution","error":"query timed out in expression evaluation"}`},
	{"unauthorised", "text/plain", 401, "no org id\n"},
	{"not found", "text/plain", 404, "404 page not found\n"},
	{"server error", "text/plain", 503, "overloaded, try later\n"},
	{"html login", "text/html", 200, "<html><body>Sign in</body></html>"},
	{"truncated", "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"a"},"value":[1,"2"]}`},
	{"bad value", "application/json", 200, `{"status":"success","warnings":["w"],"data":{"resultType":"vector","result":[{"metric":{"model":"a"},"value":[1,"many"]}]}}`},
	{"error in a 200 with null data", "application/json", 200, `{"status":"error","errorType":"execution","error":"boom","data":null}`},
	{"nulls", "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":null,"value":[1,"2"]},{"metric":{"model":null,"feature":"x"},"value":null},null]}}`},
	{"series without a value", "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"a"}},{"metric":{"model":"b"},"values":[[1,"2"]]}]}}`},
	{"value with more elements", "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"a"},"value":[1.123456,"2",3]}]}}`},
	{"invalid UTF-8", "application/json", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"model\":\"a\xff\xfe\"},\"value\":[1,\"2\"]}]}}"},
	{"server error with warnings", "application/json", 503, `{"status":"error","warnings":["w"],"errorType":"unavailable","error":"x"}`},
	{"bad timestamp", "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"a"},"value":["abc","2"]}]}}`},
	{"no result type", "application/json", 200, `{"status":"success","data":{"result":[]}}`},
	{"unknown result type", "application/json", 200, `{"status":"success","data":{"resultType":"foo","result":[]}}`},
	{"vector holding a pair", "application/json", 200, `{"status":"success","data":{"resultType":"vector","result":[1,"2"]}}`},
	{"no data", "application/json", 200, `{"status":"success"}`},
	{"nested too deep", "application/json", 200, `{"status":"success","data":{"x":` + strings.Repeat("[", 20000) + `}}`},
}

// ownWords are the answers QueryTable refuses in its own words: as Query
// does, but with another message.
var ownWords = map[string]bool{
	"string": true, "truncated": true, "bad value": true, "bad timestamp": true, "no result type": true,
	"unknown result type": true, "vector holding a pair": true, "no data": true, "nested too deep": true,
}

// TestQueryTableAgreesWithQuery: for every answer, QueryTable sends the
// same request as Query, and gives the same rows, warnings and error.
func TestQueryTableAgreesWithQuery(t *testing.T) {
	for _, tc := range answerCases {
		t.Run(tc.name, func(t *testing.T) {
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
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.code)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			s, err := New(Options{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			at := time.Unix(1700000000, 250_000_000)
			vec, wantWarn, wantErr := clientGolangQuery(s, context.Background(), "q", at)
			tab, warn, err := s.QueryTable(context.Background(), "q", at, tableCols)
			switch {
			case ownWords[tc.name] && (err == nil || wantErr == nil):
				t.Fatalf("error %v, Query says %v", err, wantErr)
			case ownWords[tc.name]:
				t.Logf("error %v, Query says %v", err, wantErr)
			case fmt.Sprint(err) != fmt.Sprint(wantErr):
				t.Fatalf("error %v, Query says %v", err, wantErr)
			}
			if !slices.Equal(warn, wantWarn) {
				t.Errorf("warnings %q, Query says %q", warn, wantWarn)
			}
			if want := labelrows.FromVector(vec, tableCols); wantErr == nil && !labelrows.Equal(tab, want) {
				t.Errorf("table of %d rows, Query gives %d", tab.Len(), want.Len())
				for r := range tab.Len() {
					t.Logf("row %d: %s", r, tab.String(r))
				}
			}
			if len(requests) != 2 || requests[0] != requests[1] {
				t.Errorf("requests %q: QueryTable's differs from Query's", requests)
			}
		})
	}
}

// TestQueryTableFallsBackToGET: a server that refuses POST is asked again
// with GET, as Query does.
func TestQueryTableFallsBackToGET(t *testing.T) {
	var methods []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" {
			http.NotFound(w, r)
			return
		}
		methods = append(methods, r.Method)
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"a"},"value":[1,"2"]}]}}`))
	}))
	defer srv.Close()
	s, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	tab, _, err := s.QueryTable(context.Background(), "q", time.Now(), tableCols)
	if err != nil || tab.Len() != 1 || tab.Text(0, 0) != "a" {
		t.Fatalf("table %v, %v", tab, err)
	}
	if !slices.Equal(methods, []string{"POST", "GET"}) {
		t.Errorf("methods %v", methods)
	}
}

// referenceDecode reads a vector answer with encoding/json's generic
// types, following client_golang's rules (null is absent, a series without
// a value is 0, one with a histogram is left out, a pair is [time, "value",
// ...]): slow and plain, the meaning decodeAnswer must match. vector is
// false for answers that are not a successful vector.
func referenceDecode(body []byte, cols []string) (tab *labelrows.Table, vector bool, err error) {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, false, err
	}
	str := func(raw json.RawMessage) (string, error) {
		var s *string
		err := json.Unmarshal(raw, &s)
		if s == nil {
			return "", err
		}
		return *s, err
	}
	var status, rt string
	for _, k := range []string{"status", "errorType", "error"} {
		if raw, ok := env[k]; ok {
			v, err := str(raw)
			if err != nil {
				return nil, false, err
			}
			if k == "status" {
				status = v
			}
		}
	}
	if raw, ok := env["warnings"]; ok {
		var w []*string
		if err := json.Unmarshal(raw, &w); err != nil {
			return nil, false, err
		}
	}
	var data map[string]json.RawMessage
	if raw, ok := env["data"]; ok {
		if err := json.Unmarshal(raw, &data); err != nil {
			return nil, false, err
		}
	}
	if raw, ok := data["resultType"]; ok {
		if rt, err = str(raw); err != nil {
			return nil, false, err
		}
	}
	raw, hasResult := data["result"]
	if status == "error" || rt != "vector" || !hasResult {
		return nil, false, nil
	}
	b := labelrows.NewBuilder(cols, 0)
	var series []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &series); err != nil {
		return nil, true, err
	}
	row := make([]uint32, len(cols))
	for _, s := range series {
		if s == nil {
			continue
		}
		var metric map[string]*string
		if err := json.Unmarshal(s["metric"], &metric); s["metric"] != nil && err != nil {
			return nil, true, err
		}
		for k, v := range s {
			if k != "metric" && k != "value" && !json.Valid(v) {
				return nil, true, fmt.Errorf("bad %s", k)
			}
		}
		if h, ok := s["histogram"]; ok {
			if string(h) == "null" {
				return nil, true, errors.New("null histogram")
			}
			continue
		}
		f := 0.0
		if v, ok := s["value"]; ok && string(v) != "null" {
			var pair []json.RawMessage
			if err := json.Unmarshal(v, &pair); err != nil || len(pair) < 2 {
				return nil, true, fmt.Errorf("bad pair %s", v)
			}
			if !validTime(pair[0]) {
				return nil, true, fmt.Errorf("bad time %s", pair[0])
			}
			var text string
			if err := json.Unmarshal(pair[1], &text); err != nil {
				return nil, true, err
			}
			if f, err = strconv.ParseFloat(text, 64); err != nil {
				return nil, true, err
			}
		}
		for c, col := range cols {
			row[c] = labelrows.Absent
			if v := metric[col]; v != nil {
				row[c] = b.Intern(*v)
			}
		}
		b.Add(row, f)
	}
	return b.Table(), true, nil
}

// FuzzDecodeAnswer: no input makes decodeAnswer panic, and a successful
// vector answer is read exactly when encoding/json can read it, to the
// same rows.
func FuzzDecodeAnswer(f *testing.F) {
	for _, tc := range answerCases {
		f.Add([]byte(tc.body))
	}
	f.Add([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"a","model":"b"},"value":[1,"2"],"value":[1,"3"]}],"result":[]}}`))
	f.Add([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"model":"\ud800x"},"value":[1.5,"0x1p-2",7]},null,{"metric":null,"value":null}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := decodeAnswer(body, tableCols)
		want, vector, refErr := referenceDecode(body, tableCols)
		mine := err == nil && got.status != "error" && got.resultType == "vector"
		if !vector && !mine {
			return // not a vector answer: compared in TestQueryTableAgreesWithQuery
		}
		if (err == nil) != (refErr == nil) {
			t.Fatalf("decodeAnswer: %v; encoding/json: %v\n%s", err, refErr, body)
		}
		if err != nil {
			return
		}
		if mine != vector {
			t.Fatalf("decodeAnswer reads a vector: %v; encoding/json: %v\n%s", mine, vector, body)
		}
		if !labelrows.Equal(got.tab, want) {
			t.Fatalf("%d rows, encoding/json reads %d\n%s", got.tab.Len(), want.Len(), body)
		}
	})
}

// TestDecodeAnswerCountsNativeHistograms: the series left out for holding
// a native histogram are counted, so that quantiles of buckets that hold
// some are left to the server.
func TestDecodeAnswerCountsNativeHistograms(t *testing.T) {
	body := []byte(`{"status":"success","data":{"resultType":"vector","result":[` +
		`{"metric":{"model":"a"},"histogram":[1,{"count":"2","sum":"3","buckets":[[0,"0","1","2"]]}]},{"metric":{"model":"b"},"value":[1,"4"]}]}}`)
	a, err := decodeAnswer(body, []string{"model"})
	if err != nil {
		t.Fatal(err)
	}
	if a.histograms != 1 || a.tab.Len() != 1 {
		t.Errorf("%d histograms, %d rows; want 1 and 1", a.histograms, a.tab.Len())
	}
}

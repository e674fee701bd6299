package mlflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// endless pages registered models forever, each page naming a new token.
type endless struct {
	perPage  int
	requests atomic.Int64
}

func (e *endless) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := e.requests.Add(1)
	w.Header().Set("Content-Type", "application/json")
	var b strings.Builder
	b.WriteString(`{"registered_models":[`)
	for i := range e.perPage {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"m-%d-%d"}`, n, i)
	}
	fmt.Fprintf(&b, `],"next_page_token":"t%d"}`, n)
	_, _ = w.Write([]byte(b.String()))
}

func TestEndlessPaginationIsBoundedAndSaysSo(t *testing.T) {
	for _, tc := range []struct {
		perPage   int
		wantPages int64
		want      string
	}{
		{2, maxPages, "the server keeps returning next_page_token: stopped after 200 pages (400 items)"},
		{0, maxEmptyPages, "the server keeps returning next_page_token with empty pages (3 in a row)"},
	} {
		e := &endless{perPage: tc.perPage}
		srv := httptest.NewServer(e)
		c, err := NewClient(Options{TrackingURI: srv.URL, Getenv: noEnv})
		if err != nil {
			t.Fatal(err)
		}
		_, err = NewSource(c, SourceOptions{}).Registry(context.Background())
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d per page: err = %v\nwant it to say %q", tc.perPage, err, tc.want)
		}
		if got := e.requests.Load(); got != tc.wantPages {
			t.Errorf("%d per page: %d requests, want %d", tc.perPage, got, tc.wantPages)
		}
	}
}

func TestBusyServerSaysSoRatherThanTimingOut(t *testing.T) {
	busy := cannedResponse{503, map[string]string{"Retry-After": "120", "Content-Type": "text/html"},
		"<html><head><title>503 Service Temporarily Unavailable</title></head></html>"}
	c, s, waits := newScripted(t, nil, busy, busy)
	c.wait = sleepCtx
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.AllRegisteredModels(ctx, "")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s: waited for a retry that could not fit in the deadline", took)
	}
	want := "mlflow: server busy (HTTP 503 Service Unavailable): 503 Service Temporarily Unavailable; the server asks to retry after 2m0s"
	if err == nil || !strings.HasSuffix(err.Error(), want) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v\nwant it to end %q", err, want)
	}
	if s.requests() != 1 || len(*waits) != 0 {
		t.Errorf("%d requests, waits %v", s.requests(), *waits)
	}
}

func TestAnswersThatAreNotMLflowsJSONGetOnePlainLine(t *testing.T) {
	cases := []struct {
		name string
		resp cannedResponse
		want string
	}{
		{"html sign-in page", cannedResponse{200, map[string]string{"Content-Type": "text/html"},
			"<!DOCTYPE html>\n<html><head><title>Sign in\n - Corp SSO</title></head><body>" + strings.Repeat("x", 5000) + "</body></html>"},
			"mlflow: the server answered with an HTML page (\"Sign in - Corp SSO\"), not MLflow's JSON: is the tracking URI right?"},
		{"html labelled json", cannedResponse{200, map[string]string{"Content-Type": "application/json"},
			"<html><body>\n<h1>It works!</h1></body></html>"},
			"mlflow: the server answered with an HTML page, not MLflow's JSON: is the tracking URI right?"},
		{"garbage", cannedResponse{200, map[string]string{"Content-Type": "application/json"},
			"\x00\x1b[31m\xff\xfe garbage\r\nmore"},
			"mlflow: the answer is not JSON (invalid character '\\x00' looking for beginning of value)"},
		{"truncated", cannedResponse{200, map[string]string{"Content-Type": "application/json"}, `{"registered_models":[{"name":"a"`},
			"mlflow: the answer is not JSON (it ends early)"},
		{"wrong shape", cannedResponse{200, map[string]string{"Content-Type": "application/json"}, `{"registered_models":"` + strings.Repeat("y", 3000) + `"}`},
			"mlflow: the answer is not what MLflow sends (registered_models is a string, not a list)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := newScripted(t, nil, tc.resp)
			_, err := c.AllRegisteredModels(context.Background(), "")
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasSuffix(msg, tc.want) {
				t.Errorf("err = %q\nwant it to end %q", msg, tc.want)
			}
			if strings.ContainsAny(msg, "\n\r\x00\x1b") || len(msg) > 200 {
				t.Errorf("not one short plain line (%d bytes): %q", len(msg), msg)
			}
		})
	}
}

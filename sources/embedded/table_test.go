package embedded

import (
	"context"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/labelrows"
)

// TestQueryTableMatchesQuery: a table holds what Query's samples say,
// label for label, with absent labels empty, for every result shape.
func TestQueryTableMatchesQuery(t *testing.T) {
	e := gaugeEngine(t)
	ctx := context.Background()
	at := t0.Add(time.Minute)
	cols := []string{"m", "missing", "__name__"}
	for _, expr := range []string{"g", "sum by (m) (g)", `g{m="a"} * NaN`, "scalar(sum(g))", `"2.5"`, `g{m="nobody"}`} {
		vec, _, err := e.Query(ctx, expr, at)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		tab, _, err := e.QueryTable(ctx, expr, at, cols)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if want := labelrows.FromVector(vec, cols); !labelrows.Equal(tab, want) {
			t.Errorf("%s: table of %d rows, want %d as Query says", expr, tab.Len(), want.Len())
		}
		if expr == "g" && (tab.Len() != 2 || tab.Text(0, 2) != "g" || tab.Text(0, 1) != "") {
			t.Errorf("g: %d rows, first %s", tab.Len(), tab.String(0))
		}
	}
	if _, _, err := e.QueryTable(ctx, "g[1m]", at, cols); err == nil {
		t.Error("range vector: want an error")
	}
}

package fleet

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestProgressText(t *testing.T) {
	cases := map[Progress]string{
		{Done: 3400, Total: 10000, Unit: "models"}:      "reading 3,400/10,000 models",
		{Done: 0, Total: 7, Unit: "models"}:             "reading 0/7 models",
		{Done: 3000, Unit: "models"}:                    "reading: 3,000 models listed",
		{Done: 1234567, Total: 2000000, Unit: "models"}: "reading 1,234,567/2,000,000 models",
	}
	for p, want := range cases {
		if got := p.String(); got != want {
			t.Errorf("%+v: %q, want %q", p, got, want)
		}
	}
}

func TestProgressInSnapshotJSON(t *testing.T) {
	s := Snapshot{Sources: []SourceStatus{
		{Name: "mlflow", Kind: "mlflow", Progress: &Progress{Done: 3400, Total: 10000, Unit: "models"}},
		{Name: "other", Kind: "mlflow", Progress: &Progress{Done: 3000, Unit: "models"}},
		{Name: "done", Kind: "mlflow", OK: true},
	}}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"progress":{"done":3400,"total":10000,"unit":"models"}`,
		`"progress":{"done":3000,"total":null,"unit":"models"}`,
		`"progress":null`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
}

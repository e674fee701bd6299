package fleet

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestLookBackJSON(t *testing.T) {
	s := Snapshot{TakenAt: time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC),
		LookBack: &LookBack{MadeAt: time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC), Notes: []string{"aliases and stages are today's"}}}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `"live":false,"look_back":{"at":"2026-03-04T03:00:00Z","made_at":"2026-03-04T05:00:00Z","notes":["aliases and stages are today's"]}`
	if !strings.Contains(string(b), want) {
		t.Errorf("JSON %s\nlacks %s", b, want)
	}
}

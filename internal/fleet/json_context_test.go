package fleet

import (
	"encoding/json"
	"testing"
)

func TestSnapshotJSONContext(t *testing.T) {
	for _, tc := range []struct {
		context string
		want    any
	}{{"", nil}, {"prod-eu", "prod-eu"}} {
		s := sampleSnapshot()
		s.Context = tc.context
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		if got, ok := doc["context"]; !ok || got != tc.want {
			t.Errorf("context %q: JSON context = %v (present %v), want %v", tc.context, got, ok, tc.want)
		}
	}
}

package wiring

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/registryhistory"
)

// The history saw fraud's champion at 6 three hours ago; the champion
// moved to 7 while mltop was down, and `snapshot --at` reads the registry
// now without recording it. An hour ago the champion was, as far as
// anyone knows, 6: the look back shows 6 and its notes say the registry
// now differs. Before the history began, the notes say so.
func TestSnapshotAtRegistryFromTheHistorysLastRead(t *testing.T) {
	h, err := registryhistory.Open(filepath.Join(t.TempDir(), registryhistory.FileName))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	seen := fleet.Registry{Models: []fleet.RegisteredModel{{Name: "fraud", Aliases: map[string]string{"champion": "6"},
		Versions: []fleet.RegisteredVersion{{Version: "6"}, {Version: "7"}}}}}
	if err := h.Observe(seen, now.Add(-3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	a := lookBackApp(t, &atMetrics{}, nil) // the registry says champion 7
	a.PastRegistry = h
	snap, err := a.SnapshotAt(context.Background(), now.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Models) != 1 || snap.Models[0].Aliases["champion"] != "6" {
		t.Fatalf("models %+v: want fraud's champion 6, as last recorded", snap.Models)
	}
	notes := strings.Join(snap.LookBack.Notes, "; ")
	if !strings.Contains(notes, "the registry now differs from what mltop last recorded for fraud (champion 6 → 7)") {
		t.Errorf("notes %q do not say the registry now differs from the history", notes)
	}
	if strings.Contains(notes, "began at") {
		t.Errorf("notes %q: an hour ago is after the history began", notes)
	}

	snap, err = a.SnapshotAt(context.Background(), now.Add(-4*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(snap.LookBack.Notes, "; "); !strings.Contains(notes, "registry history for fraud began at ") ||
		!strings.Contains(notes, "aliases then are as recording began") {
		t.Errorf("before the history began: notes %q", notes)
	}
}

package registryhistory

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mltop/mltop/internal/fleet"
)

func version(v, stage string, created time.Time, aliases ...string) fleet.RegisteredVersion {
	return fleet.RegisteredVersion{Version: v, Aliases: aliases, Lineage: fleet.Lineage{Stage: stage, CreatedAt: created}}
}

func TestRegistryAtRewinds(t *testing.T) {
	l := open(t, filepath.Join(t.TempDir(), FileName))
	// 03:00 v1 champion, Production. 03:10 v2 registered. 03:20 v2 becomes
	// champion and Production, v1 challenger and Archived. 03:40 v3
	// registered and made challenger.
	observe(t, l, fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn",
		Aliases:  map[string]string{"champion": "1"},
		Versions: []fleet.RegisteredVersion{version("1", "Production", at(-60), "champion")}}}}, at(0))
	observe(t, l, fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn",
		Aliases:  map[string]string{"champion": "1"},
		Versions: []fleet.RegisteredVersion{version("1", "Production", at(-60), "champion"), version("2", "None", at(9))}}}}, at(10))
	observe(t, l, fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn",
		Aliases: map[string]string{"champion": "2", "challenger": "1"},
		Versions: []fleet.RegisteredVersion{version("1", "Archived", at(-60), "challenger"),
			version("2", "Production", at(9), "champion")}}}}, at(20))
	current := fleet.Registry{Models: []fleet.RegisteredModel{
		{Name: "churn",
			Aliases: map[string]string{"champion": "2", "challenger": "3"},
			Versions: []fleet.RegisteredVersion{version("1", "Archived", at(-60)),
				version("2", "Production", at(9), "champion"), version("3", "None", at(39), "challenger")}},
		{Name: "fraud", Aliases: map[string]string{"champion": "5"},
			Versions: []fleet.RegisteredVersion{version("5", "None", at(30), "champion")}},
	}}
	observe(t, l, current, at(40))

	cases := []struct {
		at       time.Time
		aliases  map[string]string
		stages   map[string]string
		versions []string // with their aliases
		fraud    bool
	}{
		{at(45), map[string]string{"champion": "2", "challenger": "3"}, map[string]string{"1": "Archived", "2": "Production", "3": "None"}, []string{"1:", "2:champion", "3:challenger"}, true},
		{at(39).Add(30 * time.Second), map[string]string{"champion": "2", "challenger": "1"}, map[string]string{"1": "Archived", "2": "Production", "3": "None"}, []string{"1:challenger", "2:champion", "3:"}, true},
		{at(20), map[string]string{"champion": "2", "challenger": "1"}, map[string]string{"1": "Archived", "2": "Production"}, []string{"1:challenger", "2:champion"}, false},
		{at(15), map[string]string{"champion": "1"}, map[string]string{"1": "Production", "2": "None"}, []string{"1:champion", "2:"}, false},
		{at(5), map[string]string{"champion": "1"}, map[string]string{"1": "Production"}, []string{"1:champion"}, false},
	}
	for _, c := range cases {
		got, notes, err := l.RegistryAt(current, c.at)
		if err != nil {
			t.Fatal(err)
		}
		// fraud, registered at 03:30, was first seen at 03:40.
		var want []string
		if c.fraud && c.at.Before(at(40)) {
			want = []string{"registry history for fraud began at 2026-03-04T03:40:00Z: aliases then are as recording began"}
		}
		if !slices.Equal(notes, want) {
			t.Errorf("at %s: notes %q, want %q", c.at.Format("15:04:05"), notes, want)
		}
		if (len(got.Models) == 2) != c.fraud {
			t.Errorf("at %s: %d models; fraud (created 03:30) present should be %v", c.at.Format("15:04:05"), len(got.Models), c.fraud)
		}
		m := got.Models[0]
		stages := map[string]string{}
		var versions []string
		for _, v := range m.Versions {
			stages[v.Version] = v.Lineage.Stage
			s := v.Version + ":"
			for i, a := range v.Aliases {
				if i > 0 {
					s += ","
				}
				s += a
			}
			versions = append(versions, s)
		}
		if !reflect.DeepEqual(m.Aliases, c.aliases) || !reflect.DeepEqual(stages, c.stages) || !reflect.DeepEqual(versions, c.versions) {
			t.Errorf("at %s:\n got aliases %v stages %v versions %v\nwant aliases %v stages %v versions %v",
				c.at.Format("15:04:05"), m.Aliases, stages, versions, c.aliases, c.stages, c.versions)
		}
	}
	// The registry passed in is not changed.
	if current.Models[0].Aliases["challenger"] != "3" || current.Models[0].Versions[0].Lineage.Stage != "Archived" {
		t.Error("RegistryAt changed the current registry")
	}
}

// The history saw champion 1 at 03:00; the champion moved to 2 while
// mltop was down, so the registry read now (not recorded) says 2. At
// 04:00 the champion was, as far as anyone knows, 1: the history's last
// known state, not today's, is what is rewound, and a note says the two
// differ. Before the history began, a note says the aliases are as
// recording began.
func TestRegistryAtStartsFromTheHistorysLastKnownState(t *testing.T) {
	l := open(t, filepath.Join(t.TempDir(), FileName))
	observe(t, l, fleet.Registry{Models: []fleet.RegisteredModel{{Name: "churn",
		Aliases:  map[string]string{"champion": "1"},
		Versions: []fleet.RegisteredVersion{version("1", "Production", at(-60), "champion"), version("2", "Staging", at(-30))}}}}, at(0))
	current := fleet.Registry{Models: []fleet.RegisteredModel{
		{Name: "churn", Aliases: map[string]string{"champion": "2"},
			Versions: []fleet.RegisteredVersion{version("1", "Archived", at(-60)), version("2", "Production", at(-30), "champion")}},
		{Name: "fraud", Aliases: map[string]string{"champion": "5"}, Versions: []fleet.RegisteredVersion{version("5", "None", at(-90), "champion")}},
	}}
	got, notes, err := l.RegistryAt(current, at(60))
	if err != nil {
		t.Fatal(err)
	}
	m := got.Models[0]
	if m.Aliases["champion"] != "1" || m.Versions[0].Lineage.Stage != "Production" || m.Versions[1].Lineage.Stage != "Staging" ||
		!reflect.DeepEqual(m.Versions[0].Aliases, []string{"champion"}) {
		t.Errorf("churn at 04:00: aliases %v, versions %+v; want champion 1, v1 Production, v2 Staging as last recorded", m.Aliases, m.Versions)
	}
	if f := got.Models[1]; f.Aliases["champion"] != "5" {
		t.Errorf("fraud (never recorded) at 04:00: %v, want today's", f.Aliases)
	}
	joined := strings.Join(notes, "\n")
	for _, want := range []string{
		"the registry now differs from what mltop last recorded for churn (champion 1 → 2, v1 Production → Archived, v2 Staging → Production)",
		"registry history has no record of fraud: aliases and stages are today's",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if strings.Contains(joined, "began at") {
		t.Errorf("notes %q: 04:00 is after the history began", notes)
	}

	_, notes, err = l.RegistryAt(current, at(-10))
	if err != nil {
		t.Fatal(err)
	}
	if want := "registry history for churn began at 2026-03-04T03:00:00Z: aliases then are as recording began"; !slices.Contains(notes, want) {
		t.Errorf("before the history began: notes %q, want %q", notes, want)
	}
}

// Models whose history began together make one note, naming a few.
func TestRegistryAtNotesNameAFewModels(t *testing.T) {
	l := open(t, filepath.Join(t.TempDir(), FileName))
	reg := fleetRegistry(8, 0)
	observe(t, l, reg, at(0))
	_, notes, err := l.RegistryAt(reg, at(-1))
	if err != nil {
		t.Fatal(err)
	}
	want := "registry history for model-0000, model-0001, model-0002, model-0003, model-0004 and 3 more began at 2026-03-04T03:00:00Z: aliases then are as recording began"
	if len(notes) != 1 || notes[0] != want {
		t.Errorf("notes %q, want [%q]", notes, want)
	}
}

package registryhistory

import (
	"path/filepath"
	"reflect"
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
		got, err := l.RegistryAt(current, c.at)
		if err != nil {
			t.Fatal(err)
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

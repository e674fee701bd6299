package registryhistory

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/mltop/mltop/internal/fleet"
)

// fleetRegistry is n models with two aliases and ten versions each.
func fleetRegistry(n, round int) fleet.Registry {
	reg := fleet.Registry{Models: make([]fleet.RegisteredModel, n)}
	for i := range reg.Models {
		m := fleet.RegisteredModel{Name: fmt.Sprintf("model-%04d", i),
			Aliases: map[string]string{"champion": fmt.Sprint(round % 10), "challenger": fmt.Sprint((round + 1) % 10)}}
		for v := range 10 {
			stage := "Archived"
			if v == round%10 {
				stage = "Production"
			}
			m.Versions = append(m.Versions, fleet.RegisteredVersion{Version: fmt.Sprint(v), Lineage: fleet.Lineage{Stage: stage}})
		}
		reg.Models[i] = m
	}
	return reg
}

// BenchmarkObserveUnchanged is the cost added to each registry read of a
// 1,000-model registry when nothing changed: the usual case.
func BenchmarkObserveUnchanged(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), FileName))
	if err != nil {
		b.Fatal(err)
	}
	reg := fleetRegistry(1000, 0)
	if err := l.Observe(reg, t0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := l.Observe(reg, at(i+1)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen replays a history of a 1,000-model registry through 50
// rounds of moves (100,000 changes): what a start costs.
func BenchmarkOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), FileName)
	l, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	for round := range 51 {
		if err := l.Observe(fleetRegistry(1000, round), at(round)); err != nil {
			b.Fatal(err)
		}
	}
	n, _ := l.Changes("", t0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(n)), "changes")
}

// BenchmarkObserveFirstRead is the first read of a 1,000-model registry:
// 1,000 base records, written (and synced) at once.
func BenchmarkObserveFirstRead(b *testing.B) {
	reg := fleetRegistry(1000, 0)
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		l, err := Open(filepath.Join(dir, fmt.Sprint(i), FileName))
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Observe(reg, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRegistryAt rewinds a 1,000-model registry through 50 rounds of
// moves to before the first: a look back at a time
// before every change.
func BenchmarkRegistryAt(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), FileName))
	if err != nil {
		b.Fatal(err)
	}
	var current fleet.Registry
	for round := range 51 {
		current = fleetRegistry(1000, round)
		if err := l.Observe(current, at(round)); err != nil {
			b.Fatal(err)
		}
	}
	n, _ := l.Changes("", t0)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := l.RegistryAt(current, t0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(n)), "changes")
}

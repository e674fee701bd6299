// Package lastmodels keeps the names of the models and versions of the
// last snapshot on disk, for shell completion: completing a model name
// must not poll a server.
package lastmodels

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/mltop/mltop/internal/fleet"
)

// Model is one model's name and its versions, sorted.
type Model struct {
	Name     string   `json:"name"`
	Versions []string `json:"versions,omitempty"`
}

// file is what a context's file holds.
type file struct {
	Models []Model `json:"models"`
}

// Dir is the folder of the files under a state directory.
func Dir(stateDir string) string { return filepath.Join(stateDir, "completion") }

// FileName is the file of a context: "default" for a config without
// contexts, "demo" for the built-in demo fleet.
func FileName(context string) string {
	if context == "" {
		context = "default"
	}
	// A context name is the user's own, but it names a file: keep it one.
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 || unicode.IsControl(r) {
			return '_'
		}
		return r
	}, context) + ".json"
}

// FromSnapshot lists the snapshot's models and versions whose names can
// be completed: a name with a space, tab or invisible character would
// break or forge a completion line, so it is left out.
func FromSnapshot(s fleet.Snapshot) []Model {
	var out []Model
	for _, m := range s.Models {
		if !completable(m.Name) {
			continue
		}
		e := Model{Name: m.Name}
		for _, v := range m.Versions {
			if completable(v.Version) && !slices.Contains(e.Versions, v.Version) {
				e.Versions = append(e.Versions, v.Version)
			}
		}
		slices.Sort(e.Versions)
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Model) int { return strings.Compare(a.Name, b.Name) })
	return slices.CompactFunc(out, func(a, b Model) bool { return a.Name == b.Name })
}

func completable(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Save writes models to path unless it already holds them; the write
// replaces the file whole, so a reader never sees half of it.
func Save(path string, models []Model) error {
	b, err := json.Marshal(file{Models: models})
	if err != nil {
		return fmt.Errorf("encode model names: %w", err)
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save model names: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".models-*")
	if err != nil {
		return fmt.Errorf("save model names: %w", err)
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("save model names to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("save model names to %s: %w", path, err)
	}
	return nil
}

// Load reads the models saved in the files of dir named by files (every
// file there when files is empty), merged by name. A missing or unreadable
// file adds nothing: completion offers what it can.
func Load(dir string, files ...string) []Model {
	if len(files) == 0 {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if n := e.Name(); strings.HasSuffix(n, ".json") && n != FileName("demo") {
				files = append(files, n)
			}
		}
	}
	byName := map[string]*Model{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || len(b) > 16<<20 {
			continue
		}
		var doc file
		if json.Unmarshal(b, &doc) != nil {
			continue
		}
		for _, m := range doc.Models {
			if !completable(m.Name) {
				continue
			}
			e := byName[m.Name]
			if e == nil {
				e = &Model{Name: m.Name}
				byName[m.Name] = e
			}
			for _, v := range m.Versions {
				if completable(v) && !slices.Contains(e.Versions, v) {
					e.Versions = append(e.Versions, v)
				}
			}
		}
	}
	out := make([]Model, 0, len(byName))
	for _, m := range byName {
		slices.Sort(m.Versions)
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b Model) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Path is the file of a context under a state directory.
func Path(stateDir, context string) string {
	return filepath.Join(Dir(stateDir), FileName(context))
}

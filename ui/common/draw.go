package common

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/human"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
)

// ASCII reports whether the glyphs are the ASCII set, so box drawing and
// graphs fall back to ASCII too.
func (c *Common) ASCII() bool { return c.Glyphs.BarFull == themes.ASCII.BarFull }

// FindModel is the model of that name in the latest snapshot, or nil.
func (c *Common) FindModel(name string) *fleet.Model {
	if c.Snapshot == nil {
		return nil
	}
	for i := range c.Snapshot.Models {
		if c.Snapshot.Models[i].Name == name {
			return &c.Snapshot.Models[i]
		}
	}
	return nil
}

// StaleSourceText says why a source's values are old: its name, their age,
// and its error, e.g. "⏲ prom values 2m old: connection refused".
func (c *Common) StaleSourceText(src fleet.SourceStatus) string {
	age := "never answered"
	if !src.LastSuccess.IsZero() {
		age = human.Duration(c.Now.Sub(src.LastSuccess)) + " old"
	}
	line := c.Glyphs.Stale + " " + termsafe.Clean(src.Name) + " values " + age
	if src.Error != "" {
		line += ": " + termsafe.Clean(src.Error)
	}
	return line
}

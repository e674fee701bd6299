package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// contextColors are the colour names a context's color may take, with
// the RGB a terminal draws each as.
var contextColors = map[string]string{
	"red":     "#e05252",
	"orange":  "#f0883e",
	"yellow":  "#e5c07b",
	"green":   "#56b35a",
	"cyan":    "#4fb6c4",
	"blue":    "#5a8fe0",
	"magenta": "#c678dd",
	"purple":  "#9a6fd6",
	"pink":    "#f08cb4",
	"white":   "#e6e6e6",
	"gray":    "#8c8c8c",
}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// ContextColorNames are the colour names a context's color key accepts,
// sorted (besides #rrggbb).
func ContextColorNames() []string { return slices.Sorted(maps.Keys(contextColors)) }

// ContextColorRGB is color ("red", "#aabbcc") as #rrggbb; "" for "" (the
// theme's own colour).
func ContextColorRGB(color string) string {
	if rgb, ok := contextColors[color]; ok {
		return rgb
	}
	return color
}

// checkColor reads a context's color: a colour name (any case; grey is
// gray) or #rrggbb, in lower case.
func checkColor(n *yaml.Node) (string, string) {
	if n.Kind != yaml.ScalarNode {
		return "", fmt.Sprintf("expected a colour name or #rrggbb, got %s", describe(n))
	}
	c := strings.ToLower(strings.TrimSpace(n.Value))
	if c == "grey" {
		c = "gray"
	}
	if _, ok := contextColors[c]; ok || hexColor.MatchString(c) {
		return c, ""
	}
	return "", unknownMsg("colour", n.Value, append(ContextColorNames(), "#rrggbb"), true)
}

// productionWords are the parts of a context's name that say production.
var productionWords = map[string]bool{"prod": true, "production": true, "prd": true}

// ConventionalColor is the colour of a context without a color key: red
// when a part of its name says production (prod-eu, eu.production), else
// "" (the theme's own).
func ConventionalColor(name string) string {
	for part := range strings.FieldsFuncSeq(strings.ToLower(name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		if productionWords[part] {
			return "red"
		}
	}
	return ""
}

// contextName is a context's name: a short DNS-like word.
var contextName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]{0,62})$`)

// AllContexts is the name `:ctx all` takes: no context may have it.
const AllContexts = "all"

// checkContextName says what is wrong with a context's name, or "".
func checkContextName(name string) string {
	switch {
	case strings.EqualFold(name, AllContexts):
		return fmt.Sprintf("%q is reserved (:ctx all shows every context): name the context otherwise", name)
	case !contextName.MatchString(name):
		return fmt.Sprintf("%q is not a context name: letters, digits, '-', '_' and '.', starting with a letter or digit, at most 63", name)
	}
	return ""
}

package drift

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
)

var update = flag.Bool("update", false, "rewrite golden files")

var goldenSizes = [][2]int{{80, 24}, {120, 40}, {200, 50}}

func TestGolden(t *testing.T) {
	for _, model := range []string{"churn-predictor", "search-ranker"} {
		for _, theme := range []string{"dark", "light"} {
			for _, sz := range goldenSizes {
				name := fmt.Sprintf("%s-%s-%dx%d", model, theme, sz[0], sz[1])
				t.Run(name, func(t *testing.T) {
					m, c, _ := open(t, theme, model, sz[0], sz[1])
					withHistory(m, c)
					golden(t, name, m.View(), sz[0], sz[1])
				})
			}
		}
	}
}

// TestGoldenWithoutProvider is the screen where nothing can compute drift
// over time: the latest scores, and why there is no heatmap.
func TestGoldenWithoutProvider(t *testing.T) {
	m, c, _ := open(t, "dark", "churn-predictor", 80, 24)
	c.DriftHistory = nil
	m.Update(common.ThemeChangedMsg{})
	golden(t, "churn-predictor-noprovider-dark-80x24", m.View(), 80, 24)
}

func golden(t *testing.T, name, view string, w, h int) {
	t.Helper()
	checkSize(t, view, w, h)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(view), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if view != string(want) {
		t.Errorf("view differs from %s (run with -update after checking)\ngot:\n%s", path, strings.TrimRight(stripped(view), " \n"))
	}
}

// TestSizes draws every fixture at many sizes, with and without history,
// Unicode and ASCII, scrolled to the top and the bottom: always exactly
// the size asked for.
func TestSizes(t *testing.T) {
	sizes := [][2]int{{0, 0}, {1, 1}, {5, 2}, {20, 5}, {40, 10}, {60, 15}, {80, 24}, {100, 30}, {120, 40}, {160, 45}, {200, 50}, {260, 70}}
	for _, model := range []string{"churn-predictor", "search-ranker", "image-tagger", "credit-risk", "no-such-model"} {
		for _, ascii := range []bool{false, true} {
			for _, hist := range []bool{false, true} {
				for _, sz := range sizes {
					m, c, _ := open(t, "dark", model, sz[0], sz[1])
					if ascii {
						c.Glyphs = themes.ASCII
					}
					if hist {
						withHistory(m, c)
					}
					checkSize(t, m.View(), sz[0], sz[1])
					m.Update(press("end"))
					checkSize(t, m.View(), sz[0], sz[1])
				}
			}
		}
	}
}

package driftscreen

import (
	"fmt"
	"testing"

	"github.com/mltop/mltop/themes"
	"github.com/mltop/mltop/ui/common"
	"github.com/mltop/mltop/ui/uitest"
)

func TestGolden(t *testing.T) {
	for _, model := range []string{"churn-predictor", "search-ranker"} {
		for _, theme := range []string{"dark", "light"} {
			for _, sz := range uitest.Sizes {
				name := fmt.Sprintf("%s-%s-%dx%d", model, theme, sz[0], sz[1])
				t.Run(name, func(t *testing.T) {
					m, c, _ := open(t, theme, model, sz[0], sz[1])
					withHistory(m, c)
					checkGolden(t, name, m.View(), sz[0], sz[1])
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
	checkGolden(t, "churn-predictor-noprovider-dark-80x24", m.View(), 80, 24)
}

func checkGolden(t *testing.T, name, view string, w, h int) {
	t.Helper()
	uitest.CheckSize(t, view, w, h)
	uitest.Golden(t, name, view)
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
					uitest.CheckSize(t, m.View(), sz[0], sz[1])
					m.Update(uitest.Press("end"))
					uitest.CheckSize(t, m.View(), sz[0], sz[1])
				}
			}
		}
	}
}

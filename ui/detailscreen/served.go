package detailscreen

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/ui/common"
)

// servedEvery is how often the serving history is asked for again while
// the screen is open: it moves in hour-long steps.
const servedEvery = 5 * time.Minute

// servedEmptyEvery is how soon an empty history is asked for again: a
// server that began scraping moments ago has traffic to show within a
// minute.
const servedEmptyEvery = 30 * time.Second

// served is the model's serving history over the last 30 days, as last
// fetched.
type served struct {
	have     bool
	from, to time.Time
	ivs      []fleet.ServedInterval
	err      string // the last fetch's failure in plain words; "" after a full answer
	// stale is set when the last fetch failed and brought nothing: the
	// strip shown is an older read's.
	stale  bool
	serial int
	asked  time.Time // c.Now at the last ask; zero before the first
	at     time.Time // c.At at the last ask: a look back moved since when it differs
	end    time.Time // where the last ask's range ends: an answer for another end is dropped
}

// fetchServed asks for the serving history when a provider exists and a
// fetch is due (or forced: the screen opened).
func (m *Model) fetchServed(force bool) tea.Cmd {
	if m.c.Served == nil {
		return nil
	}
	every := servedEvery
	if m.srv.have && len(m.srv.ivs) == 0 {
		every = servedEmptyEvery
	}
	if !force && !m.srv.asked.IsZero() && m.c.Now.Sub(m.srv.asked) < every {
		return nil
	}
	m.srv.asked, m.srv.at, m.srv.end = m.c.Now, m.c.At, m.c.GraphEnd()
	return common.FetchServed(m.c.Served, m.model, m.srv.end)
}

// takeServed keeps an answer for this model ending where the last ask's
// range ends (a slow live read landing after a look back's answer is not
// kept); a failed fetch keeps the intervals it brought (the error ratio or
// quality was what failed), or the last ones, and says why beside them.
func (m *Model) takeServed(msg common.ServedMsg) {
	if msg.Model != m.model || !msg.To.Equal(m.srv.end) {
		return
	}
	m.srv.serial++
	m.srv.err, m.srv.stale = "", false
	if msg.Err != nil {
		m.srv.err = termsafe.Clean(msg.Err.Error())
		if msg.Intervals == nil {
			m.srv.stale = m.srv.have
			return
		}
	}
	m.srv.have, m.srv.from, m.srv.to, m.srv.ivs = true, msg.From, msg.To, msg.Intervals
}

// servedLines are the strip of which version served when over the last
// 30 days, "Nov 07 v6 ███ v7 █████ v8 ██ Dec 07", or what stands in for
// it, in words. No provider (no range queries): no section.
func (m *Model) servedLines(width int) []string {
	if m.c.Served == nil {
		return nil
	}
	th := m.c.Theme
	label := common.Fit(m.sectionLabel("Served"), sectionLabelWidth)
	say := func(s string) []string {
		return []string{common.Fit(label+s, width)}
	}
	switch {
	case !m.srv.have && m.srv.err != "":
		return say(th.Warn.Render("serving history unavailable: " + m.srv.err))
	case !m.srv.have:
		return say(th.Muted.Render("loading which versions served in the last 30 days…"))
	case len(m.srv.ivs) == 0:
		// As of the read: a model that began serving since (a fresh
		// server) shows at the next read.
		return append(say(th.Muted.Render("no version took traffic in the 30 days to "+m.srv.to.UTC().Format("Jan 02 15:04")+" UTC")),
			m.servedWarning(width)...)
	}
	from, to := m.srv.from.UTC().Format("Jan 02"), m.srv.to.UTC().Format("Jan 02")
	cells := width - sectionLabelWidth - len(from) - len(to) - 2
	if cells < 10 {
		return say(th.Muted.Render(from + "–" + to + ": too narrow for the strip"))
	}
	line := label + th.Muted.Render(from) + " " + m.strip(servedCells(m.srv.ivs, m.srv.from, m.srv.to, cells)) + " " + th.Muted.Render(to)
	return append([]string{common.Fit(line, width)}, m.servedWarning(width)...)
}

// servedWarning is the last fetch's failure under a strip it did not
// replace ("⚠ as of Dec 07 12:00 UTC: ...": the strip is that read's) or
// only completed in part ("⚠ ...": the error ratio or quality is missing).
func (m *Model) servedWarning(width int) []string {
	if m.srv.err == "" {
		return nil
	}
	text := m.c.Glyphs.Warn + " " + m.srv.err
	if m.srv.stale {
		text = m.c.Glyphs.Warn + " as of " + m.srv.to.UTC().Format("Jan 02 15:04") + " UTC: " + m.srv.err
	}
	return []string{common.Fit(strings.Repeat(" ", sectionLabelWidth)+m.c.Theme.Warn.Render(text), width)}
}

// strip draws the cells: each run of one version as its name then
// blocks, when the run has room for both, else blocks only (the name
// takes the run's own cells, so the time axis stays true); adjacent runs
// alternate styles so that unnamed ones stay apart. Cells where nothing
// served are the empty bar.
func (m *Model) strip(cells []string) string {
	th, g := m.c.Theme, m.c.Glyphs
	var b strings.Builder
	alt := false
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j] == cells[i] {
			j++
		}
		n := j - i
		if cells[i] == "" {
			b.WriteString(th.Subtle.Render(strings.Repeat(g.BarEmpty, n)))
			i = j
			continue
		}
		st := th.Graph1
		if alt {
			st = th.Graph2
		}
		alt = !alt
		name := "v" + termsafe.Clean(strings.TrimPrefix(cells[i], "v")) + " "
		if i > 0 && cells[i-1] != "" {
			name = " " + name // apart from the blocks before it
		}
		if w := ansi.StringWidth(name); n >= w+2 {
			b.WriteString(th.Bold.Render(name))
			n -= w
		}
		b.WriteString(st.Render(strings.Repeat(g.BarFull, n)))
		i = j
	}
	return b.String()
}

// servedCells splits from..to into n cells and gives each the version
// that took the largest share of traffic in it ("" when none took any);
// a tie goes to the newer version.
func servedCells(ivs []fleet.ServedInterval, from, to time.Time, n int) []string {
	out := make([]string, n)
	if n <= 0 || !to.After(from) {
		return out
	}
	span := to.Sub(from)
	share := make([]float64, n)
	for _, iv := range ivs {
		// The cells the interval touches, its ends included.
		first := int(iv.From.Sub(from) * time.Duration(n) / span)
		last := int(iv.To.Sub(from) * time.Duration(n) / span)
		for c := max(first, 0); c <= min(last, n-1); c++ {
			better := iv.Share > share[c] || iv.Share == share[c] && fleet.CompareVersions(iv.Version, out[c]) > 0
			if out[c] == "" || better {
				out[c], share[c] = iv.Version, iv.Share
			}
		}
	}
	return out
}

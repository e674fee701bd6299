package dialog

import (
	"charm.land/lipgloss/v2"

	"github.com/mltop/mltop/internal/actions"
	"github.com/mltop/mltop/internal/termsafe"
	"github.com/mltop/mltop/themes"
)

// outcomeWords are an outcome's icon and word: never colour alone.
func outcomeWords(g themes.Glyphs, o actions.Outcome) (icon, word string) {
	switch o {
	case actions.Succeeded:
		return g.OK, "done"
	case actions.Failed:
		return g.Bad, "failed"
	case actions.Unknown:
		return "?", "unknown"
	case actions.Refused:
		return g.Bad, "refused"
	case actions.Awaiting:
		return "…", "waiting"
	}
	return g.Unknown, termsafe.Clean(string(o))
}

// outcomeStyle is the theme's style for an outcome.
func outcomeStyle(th *themes.Theme, o actions.Outcome) lipgloss.Style {
	switch o {
	case actions.Succeeded:
		return th.OK
	case actions.Failed, actions.Refused:
		return th.Bad
	case actions.Unknown, actions.Awaiting:
		return th.Warn
	}
	return th.Unknown
}

// ResultText is an outcome in one line, for the status line when the
// dialog was hidden before it came: "rollback of payments-fraud: ✔ done —
// alias champion now points at v7". isErr is true unless it succeeded.
func ResultText(g themes.Glyphs, r actions.Result) (text string, isErr bool) {
	icon, word := outcomeWords(g, r.Outcome)
	text = termsafe.Clean(r.Action) + " of " + termsafe.Clean(r.Model) + ": " + icon + " " + word
	if r.Message != "" {
		text += " — " + termsafe.Clean(r.Message)
	}
	return text, r.Outcome != actions.Succeeded && r.Outcome != actions.Awaiting
}

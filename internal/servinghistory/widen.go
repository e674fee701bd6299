package servinghistory

import (
	"time"

	"github.com/prometheus/prometheus/promql/parser"
)

// Experimental functions are accepted, as the config accepts them.
var promqlParser = parser.NewParser(parser.Options{EnableExperimentalFunctions: true})

// widen makes every range selector of expr span at least step. The
// configured queries take rates over a minute or two; at an hour's step
// that would read one minute an hour and miss the rest, where a window of
// the step reads all of it (rate over the step is the step's mean rate).
// A query without range selectors (a recorded series) is left as it is.
func widen(expr string, step time.Duration) (string, error) {
	e, err := promqlParser.ParseExpr(expr)
	if err != nil {
		return "", err
	}
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if ms, ok := n.(*parser.MatrixSelector); ok && ms.Range < step {
			ms.Range = step
		}
		return nil
	})
	return e.String(), nil
}

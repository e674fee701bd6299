package report

import (
	"io"
	"strings"

	"github.com/mltop/mltop/internal/termsafe"
)

// WriteCheck prints the verdict as text (one line per failure, warning,
// other reason to doubt it, and breach, then a summary) or as JSON.
func WriteCheck(w io.Writer, r CheckResult, format string) error {
	if format == "json" {
		enc := termsafe.NewJSONEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	for _, f := range r.Failures {
		what := f.Source
		if f.Query != "" {
			what += " query " + f.Query
		}
		termsafe.Fprintf(&b, "FAILED    %s: %s\n", what, f.Error)
	}
	for _, wn := range r.Warnings {
		termsafe.Fprintf(&b, "WARNING   %s: %s\n", wn.Source, wn.Warning)
	}
	for _, why := range r.Reasons {
		// Failures have their own lines above.
		if why.Kind != ReasonSourceFailed {
			termsafe.Fprintf(&b, "UNKNOWN   %s\n", why.Message)
		}
	}
	for _, br := range r.Breaches {
		who := br.Model
		if br.Version != "" {
			who += " v" + br.Version
		}
		termsafe.Fprintf(&b, "%-9s %s: %s\n", strings.ToUpper(br.Status), who, br.Message)
	}
	termsafe.Fprintf(&b, "%s: %d models, %d breaches, %d failures", r.Status, r.Models, len(r.Breaches), len(r.Failures))
	if n := len(r.Warnings); n > 0 {
		termsafe.Fprintf(&b, ", %s", plural(n, "warning"))
	}
	if r.Code == CheckUnknown {
		b.WriteString(" — cannot tell")
	}
	b.WriteString("\n")
	return termsafe.WriteText(w, b.String())
}

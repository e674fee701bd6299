package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mltop/mltop/internal/termsafe"
)

// WriteCheck prints the verdict as text (one line per failure, warning,
// other reason to doubt it, and breach, then a summary) or as JSON.
func WriteCheck(w io.Writer, r CheckResult, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var b strings.Builder
	for _, f := range r.Failures {
		what := f.Source
		if f.Query != "" {
			what += " query " + f.Query
		}
		fmt.Fprintf(&b, "FAILED    %s: %s\n", termsafe.Clean(what), termsafe.Clean(f.Error))
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(&b, "WARNING   %s: %s\n", termsafe.Clean(wn.Source), termsafe.Clean(wn.Warning))
	}
	for _, why := range r.Reasons {
		// Failures have their own lines above.
		if why.Kind != ReasonSourceFailed {
			fmt.Fprintf(&b, "UNKNOWN   %s\n", termsafe.Clean(why.Message))
		}
	}
	for _, br := range r.Breaches {
		who := termsafe.Clean(br.Model)
		if br.Version != "" {
			who += " v" + termsafe.Clean(br.Version)
		}
		fmt.Fprintf(&b, "%-9s %s: %s\n", strings.ToUpper(br.Status), who, termsafe.Clean(br.Message))
	}
	fmt.Fprintf(&b, "%s: %d models, %d breaches, %d failures", r.Status, r.Models, len(r.Breaches), len(r.Failures))
	if n := len(r.Warnings); n > 0 {
		fmt.Fprintf(&b, ", %s", plural(n, "warning"))
	}
	if r.Code == CheckUnknown {
		b.WriteString(" — cannot tell")
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

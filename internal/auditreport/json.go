package auditreport

import (
	"io"

	"github.com/mltop/mltop/internal/termsafe"
)

// WriteJSON writes the report as one JSON document (schema in docs/report.md).
func WriteJSON(w io.Writer, r *Report) error {
	enc := termsafe.NewJSONEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

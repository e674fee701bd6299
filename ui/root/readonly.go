package root

import "github.com/mltop/mltop/internal/termsafe"

// readOnlyText says actions are off, naming the context they are off in
// when the executor acts in one.
func (m *Model) readOnlyText() string {
	if c, ok := m.c.Actions.(interface{ Context() string }); ok && c.Context() != "" {
		return "read-only in context " + termsafe.Clean(c.Context()) + ": actions are disabled"
	}
	return "read-only: actions are disabled"
}

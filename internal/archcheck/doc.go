// Package archcheck holds the tests that keep docs/architecture.md true:
// every package is in its table, no two packages share a name, and the
// imports the architecture forbids do not happen. It has no code of its own.
package archcheck

// Package profilecheck runs every exporter profile's PromQL (the profiles
// live in internal/config) against real and source-derived exporter output,
// scraped by the built-in engine. It holds tests only.
package profilecheck

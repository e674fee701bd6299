// Package chaos is mltop's fault suite: fake servers, in the test process
// on loopback, that answer the way broken or hostile ones do — a
// Prometheus API, an MLflow REST API and scrape targets, each with one
// fault per mode — and the tests that run the poller and the action
// executor against every mode. The commands (snapshot, check) run against
// the same fakes in cmd/mltop's chaos_test.go.
//
// Every case asserts what a user on call relies on: no panic, no hang past
// the configured limits, bounded memory (measured and logged), the
// documented exit code, a one-line plain error and no control byte in the
// text mltop prints.
package chaos

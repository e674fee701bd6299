// Package poll queries the metrics source and the registry on a schedule,
// keeps each query's last good answer with its age when a source fails
// (retrying with backoff), hands the answers to internal/merge, has
// internal/judge judge the result (with the sources' status, so stale
// figures are never called healthy) and publishes the snapshots on a Hub.
package poll

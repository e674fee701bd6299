// Package poll queries the metrics source and the registry on a schedule,
// keeps each query's last good answer with its age when a source fails
// (retrying with backoff), hands the answers to internal/merge and
// publishes the resulting snapshots on a Hub. It does no judging of its
// own: what the answers mean is the merge's and the judge's business.
package poll

package mlflow

import (
	"context"
	"fmt"
	"net/http"
)

// TransitionStage moves version of model name to a legacy registry stage
// (None, Staging, Production, Archived). With archiveExisting, the versions
// already in that stage are archived. Like every write it is sent once.
func (c *Client) TransitionStage(ctx context.Context, name, version, stage string, archiveExisting bool) error {
	err := c.do(ctx, request{
		method: http.MethodPost,
		path:   "/model-versions/transition-stage",
		body: map[string]any{
			"name": name, "version": version, "stage": stage,
			"archive_existing_versions": archiveExisting,
		},
		resource: fmt.Sprintf("version %s of model %q", version, name),
	}, nil)
	if err != nil {
		return fmt.Errorf("transition version %s of model %q to %s: %w", version, name, stage, err)
	}
	return nil
}

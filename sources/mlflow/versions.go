package mlflow

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SearchModelVersions returns one page of model versions matching filter
// (e.g. name='fraud-detector'). maxResults <= 0 leaves the server's default.
func (c *Client) SearchModelVersions(ctx context.Context, filter string, maxResults int, pageToken string) (ModelVersionsPage, error) {
	var page ModelVersionsPage
	err := c.do(ctx, request{
		method: http.MethodGet,
		path:   "/model-versions/search",
		query:  searchQuery(filter, maxResults, pageToken),
	}, &page)
	if err != nil {
		return ModelVersionsPage{}, fmt.Errorf("search model versions: %w", err)
	}
	return page, nil
}

// AllModelVersions reads every version of the model called name.
func (c *Client) AllModelVersions(ctx context.Context, name string) ([]ModelVersion, error) {
	filter, err := NameFilter(name)
	if err != nil {
		return nil, err
	}
	var all []ModelVersion
	err = paginate(func(token string) (int, string, error) {
		page, err := c.SearchModelVersions(ctx, filter, versionsPageSize, token)
		all = append(all, page.ModelVersions...)
		return len(page.ModelVersions), page.NextPageToken, err
	})
	if err != nil {
		return nil, fmt.Errorf("versions of model %q: %w", name, err)
	}
	return all, nil
}

// GetModelVersion reads one version of model name.
func (c *Client) GetModelVersion(ctx context.Context, name, version string) (ModelVersion, error) {
	var resp struct {
		ModelVersion ModelVersion `json:"model_version"`
	}
	err := c.do(ctx, request{
		method:   http.MethodGet,
		path:     "/model-versions/get",
		query:    url.Values{"name": {name}, "version": {version}},
		resource: fmt.Sprintf("version %s of model %q", version, name),
	}, &resp)
	if err != nil {
		return ModelVersion{}, fmt.Errorf("get version %s of model %q: %w", version, name, err)
	}
	return resp.ModelVersion, nil
}

// NameFilter returns the search filter matching exactly the model called name.
// MLflow's filter parser strips the surrounding quotes without unescaping, so
// a name holding a single quote is written in double quotes instead; a name
// holding both kinds cannot be matched exactly.
func NameFilter(name string) (string, error) {
	switch {
	case !strings.Contains(name, "'"):
		return "name='" + name + "'", nil
	case !strings.Contains(name, `"`):
		return `name="` + name + `"`, nil
	}
	return "", fmt.Errorf("mlflow: model name %q holds both quote characters and cannot be searched by name", name)
}

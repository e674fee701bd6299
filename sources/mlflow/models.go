package mlflow

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/mltop/mltop/internal/human"
)

// Page sizes for full listings: the most MLflow's server accepts for
// registered models (SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD) and a
// safe size for model versions.
const (
	modelsPageSize   = 1000
	versionsPageSize = 1000
	// A server that never stops paging is stopped after maxPages pages
	// (200,000 models, or versions of one model) or maxEmptyPages empty
	// pages in a row.
	maxPages      = 200
	maxEmptyPages = 3
)

// SearchRegisteredModels returns one page of registered models matching filter
// ("" for all). maxResults <= 0 leaves the server's default.
func (c *Client) SearchRegisteredModels(ctx context.Context, filter string, maxResults int, pageToken string) (RegisteredModelsPage, error) {
	var page RegisteredModelsPage
	err := c.do(ctx, request{
		method: http.MethodGet,
		path:   "/registered-models/search",
		query:  searchQuery(filter, maxResults, pageToken),
	}, &page)
	if err != nil {
		return RegisteredModelsPage{}, fmt.Errorf("search registered models: %w", err)
	}
	return page, nil
}

// AllRegisteredModels follows next_page_token until every matching model is read.
func (c *Client) AllRegisteredModels(ctx context.Context, filter string) ([]RegisteredModel, error) {
	var all []RegisteredModel
	err := paginate(func(token string) (int, string, error) {
		page, err := c.SearchRegisteredModels(ctx, filter, modelsPageSize, token)
		all = append(all, page.RegisteredModels...)
		return len(page.RegisteredModels), page.NextPageToken, err
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// GetRegisteredModel reads one registered model by name.
func (c *Client) GetRegisteredModel(ctx context.Context, name string) (RegisteredModel, error) {
	var resp struct {
		RegisteredModel RegisteredModel `json:"registered_model"`
	}
	err := c.do(ctx, request{
		method:   http.MethodGet,
		path:     "/registered-models/get",
		query:    url.Values{"name": {name}},
		resource: fmt.Sprintf("model %q", name),
	}, &resp)
	if err != nil {
		return RegisteredModel{}, fmt.Errorf("get registered model %q: %w", name, err)
	}
	return resp.RegisteredModel, nil
}

// GetModelVersionByAlias resolves alias of model name to its version.
func (c *Client) GetModelVersionByAlias(ctx context.Context, name, alias string) (ModelVersion, error) {
	var resp struct {
		ModelVersion ModelVersion `json:"model_version"`
	}
	err := c.do(ctx, request{
		method:   http.MethodGet,
		path:     "/registered-models/alias",
		query:    url.Values{"name": {name}, "alias": {alias}},
		resource: fmt.Sprintf("alias %q of model %q", alias, name),
	}, &resp)
	if err != nil {
		return ModelVersion{}, fmt.Errorf("get alias %q of model %q: %w", alias, name, err)
	}
	return resp.ModelVersion, nil
}

// SetAlias points alias of model name at version (creating or moving it).
func (c *Client) SetAlias(ctx context.Context, name, alias, version string) error {
	err := c.do(ctx, request{
		method:   http.MethodPost,
		path:     "/registered-models/alias",
		body:     map[string]string{"name": name, "alias": alias, "version": version},
		resource: fmt.Sprintf("version %s of model %q", version, name),
	}, nil)
	if err != nil {
		return fmt.Errorf("set alias %q of model %q to version %s: %w", alias, name, version, err)
	}
	return nil
}

// DeleteAlias removes alias from model name. Like MLflow's client it sends
// the parameters as a JSON body, not in the query string.
func (c *Client) DeleteAlias(ctx context.Context, name, alias string) error {
	err := c.do(ctx, request{
		method:   http.MethodDelete,
		path:     "/registered-models/alias",
		body:     map[string]string{"name": name, "alias": alias},
		resource: fmt.Sprintf("alias %q of model %q", alias, name),
	}, nil)
	if err != nil {
		return fmt.Errorf("delete alias %q of model %q: %w", alias, name, err)
	}
	return nil
}

func searchQuery(filter string, maxResults int, pageToken string) url.Values {
	q := url.Values{}
	if filter != "" {
		q.Set("filter", filter)
	}
	if maxResults > 0 {
		q.Set("max_results", strconv.Itoa(maxResults))
	}
	if pageToken != "" {
		q.Set("page_token", pageToken)
	}
	return q
}

// pager follows next_page_token one page at a time, and stops a server that
// never stops paging: a token seen twice, maxPages pages, or maxEmptyPages
// empty pages in a row that still name a next one.
type pager struct {
	token string // the token to ask for next; "" before the first page
	done  bool   // the last page said there is none after it
	pages int
	items int
	empty int // empty pages in a row
	seen  map[string]bool
}

// page records a page of n items that named next as the next token.
func (p *pager) page(n int, next string) error {
	p.pages++
	p.items += n
	if n == 0 {
		p.empty++
	} else {
		p.empty = 0
	}
	if next == "" {
		p.done = true
		return nil
	}
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	switch {
	case p.seen[next]:
		return fmt.Errorf("mlflow: the server repeated page token %q after %d pages: its pagination never ends; stopped", human.Clip(next, 40), p.pages)
	case p.empty >= maxEmptyPages:
		return fmt.Errorf("mlflow: the server keeps returning next_page_token with empty pages (%d in a row); stopped", p.empty)
	case p.pages >= maxPages:
		return fmt.Errorf("mlflow: the server keeps returning next_page_token: stopped after %d pages (%d items)", p.pages, p.items)
	}
	p.seen[next] = true
	p.token = next
	return nil
}

// paginate calls next with each page token until the server returns none;
// next returns the page's item count and its next_page_token.
func paginate(next func(token string) (int, string, error)) error {
	var p pager
	for !p.done {
		n, nt, err := next(p.token)
		if err != nil {
			return err
		}
		if err := p.page(n, nt); err != nil {
			return err
		}
	}
	return nil
}

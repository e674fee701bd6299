package demo

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// registry is the in-memory store behind the MLflow-compatible server.
type registry struct {
	models map[string]*regModel
	runs   map[string]*regRun
}

type tag struct{ key, value string }

type regModel struct {
	name, description string
	created, updated  int64
	tags              []tag
	aliases           map[string]int
	versions          []*regVersion // ascending by number
}

type regVersion struct {
	number                   int
	created, updated         int64
	user, stage, description string
	source, runID, status    string
	tags                     []tag
}

type regRun struct {
	id, name, experimentID, user string
	status, artifactURI          string
	start, end                   int64
	metrics                      []metric // latest value of each
	history                      map[string][]metric
	params, tags                 []tag
	inputs                       []datasetInput
}

type metric struct {
	key       string
	value     float64
	timestamp int64
	step      int64
}

type datasetInput struct {
	name, digest, sourceType, source, context string
}

func newRegistry() *registry {
	return &registry{models: map[string]*regModel{}, runs: map[string]*regRun{}}
}

// apiError is an MLflow error response.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func notFound(format string, args ...any) *apiError {
	return &apiError{http.StatusNotFound, "RESOURCE_DOES_NOT_EXIST", fmt.Sprintf(format, args...)}
}

func invalidParam(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "INVALID_PARAMETER_VALUE", fmt.Sprintf(format, args...)}
}

func (r *registry) model(name string) (*regModel, error) {
	if name == "" {
		return nil, invalidParam("Missing value for required parameter 'name'.")
	}
	m, ok := r.models[name]
	if !ok {
		return nil, notFound("Registered Model with name=%s not found", name)
	}
	return m, nil
}

// version looks a version up by its decimal string, as the API passes it.
func (r *registry) version(name, version string) (*regModel, *regVersion, error) {
	m, err := r.model(name)
	if err != nil {
		return nil, nil, err
	}
	n, err := strconv.Atoi(version)
	if err != nil || n < 1 {
		return nil, nil, invalidParam("Parameter 'version' must be an integer, got '%s'.", version)
	}
	if v := m.find(n); v != nil {
		return m, v, nil
	}
	return nil, nil, notFound("Model Version (name=%s, version=%d) not found", name, n)
}

func (m *regModel) find(n int) *regVersion {
	for _, v := range m.versions {
		if v.number == n {
			return v
		}
	}
	return nil
}

func (m *regModel) latest() int {
	if len(m.versions) == 0 {
		return 0
	}
	return m.versions[len(m.versions)-1].number
}

// aliasesOf lists the aliases pointing at version n, sorted.
func (m *regModel) aliasesOf(n int) []string {
	var out []string
	for a, v := range m.aliases {
		if v == n {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// touch moves the model's last_updated_timestamp forward, strictly, so a
// client comparing it sees every change.
func (m *regModel) touch(now int64) int64 {
	m.updated = max(m.updated+1, now)
	return m.updated
}

func tagValue(tags []tag, key string) (string, bool) {
	for _, t := range tags {
		if t.key == key {
			return t.value, true
		}
	}
	return "", false
}

func setTag(tags []tag, key, value string) []tag {
	for i := range tags {
		if tags[i].key == key {
			tags[i].value = value
			return tags
		}
	}
	return append(tags, tag{key, value})
}

var (
	aliasName       = regexp.MustCompile(`^[\w\-]{1,255}$`)
	reservedVersion = regexp.MustCompile(`^(v|version)\d+$`)
)

func validAlias(alias string) error {
	a := strings.ToLower(alias)
	switch {
	case alias == "":
		return invalidParam("Missing value for required parameter 'alias'.")
	case !aliasName.MatchString(alias):
		return invalidParam("Invalid alias name: '%s'. Names may only contain alphanumerics, underscores (_), dashes (-).", alias)
	case a == "latest", reservedVersion.MatchString(a):
		return invalidParam("'%s' alias name (case insensitive) is reserved.", alias)
	}
	return nil
}

// stageName canonicalises a stage the way MLflow accepts it (any case).
func stageName(s string) (string, bool) {
	for _, st := range []string{"None", "Staging", "Production", "Archived"} {
		if strings.EqualFold(s, st) {
			return st, true
		}
	}
	return "", false
}

package demo

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Attribute keys MLflow accepts in search filters.
var (
	modelFilterKeys   = []string{"name"}
	versionFilterKeys = []string{"name", "version_number", "run_id", "source_path"}
)

// page is a search's paging request.
type page struct {
	offset, size int
}

// pageToken is MLflow's opaque token: base64 of {"offset": N}.
func pageToken(offset int) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, `{"offset": %d}`, offset))
}

func parsePage(q url.Values, def, limit int) (page, error) {
	p := page{size: def}
	if s := q.Get("max_results"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil || n < 1:
			return p, invalidParam("Invalid value %s for parameter 'max_results' supplied. It must be a positive integer", s)
		case n > limit:
			return p, invalidParam("Invalid value for request parameter max_results. It must be at most %d, but got value %d", limit, n)
		}
		p.size = n
	}
	if tok := q.Get("page_token"); tok != "" {
		raw, err := base64.StdEncoding.DecodeString(tok)
		var body struct {
			Offset *int `json:"offset"`
		}
		if err != nil || json.Unmarshal(raw, &body) != nil || body.Offset == nil || *body.Offset < 0 {
			return p, invalidParam("Invalid page token, could not base64-decode")
		}
		p.offset = *body.Offset
	}
	return p, nil
}

// slice applies the page to n results: the index range and the next token.
func (p page) slice(n int) (from, to int, next string) {
	from = min(p.offset, n)
	to = min(from+p.size, n)
	if to < n {
		next = pageToken(to)
	}
	return from, to, next
}

// orderKey is one order_by clause.
type orderKey struct {
	key  string
	desc bool
}

func parseOrder(q url.Values, valid []string) ([]orderKey, error) {
	var out []orderKey
	for _, clause := range q["order_by"] {
		fields := strings.Fields(strings.ReplaceAll(clause, "`", ""))
		if len(fields) == 0 || len(fields) > 2 {
			return nil, invalidParam("Invalid order_by clause '%s'.", clause)
		}
		k := orderKey{key: strings.ToLower(fields[0])}
		if k.key == "timestamp" {
			k.key = "last_updated_timestamp"
		}
		if !slices.Contains(valid, k.key) {
			return nil, invalidParam("Invalid order by key '%s' specified. Valid keys are '{%s}'", fields[0], quoteList(valid))
		}
		if len(fields) == 2 {
			switch strings.ToUpper(fields[1]) {
			case "ASC":
			case "DESC":
				k.desc = true
			default:
				return nil, invalidParam("Invalid order_by clause '%s'.", clause)
			}
		}
		out = append(out, k)
	}
	return out, nil
}

func compareBy(keys []orderKey, field func(key string, i int) (string, int64), a, b int) int {
	for _, k := range keys {
		sa, na := field(k.key, a)
		sb, nb := field(k.key, b)
		c := cmp.Compare(na, nb)
		if c == 0 {
			c = strings.Compare(sa, sb)
		}
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// searchModels answers registered-models/search. Results are ordered by
// the requested keys, then by name.
func (r *registry) searchModels(q url.Values) ([]wireRegisteredModel, string, error) {
	conds, err := parseFilter(q.Get("filter"), modelFilterKeys)
	if err != nil {
		return nil, "", err
	}
	order, err := parseOrder(q, []string{"name", "last_updated_timestamp", "creation_timestamp"})
	if err != nil {
		return nil, "", err
	}
	pg, err := parsePage(q, 100, 1000)
	if err != nil {
		return nil, "", err
	}
	var hits []*regModel
	for _, m := range r.models {
		if matchAll(conds, func(key string) (string, bool) {
			if key == "name" {
				return m.name, true
			}
			return tagValue(m.tags, strings.TrimPrefix(key, "tags."))
		}) {
			hits = append(hits, m)
		}
	}
	order = append(order, orderKey{key: "name"})
	field := func(key string, i int) (string, int64) {
		switch key {
		case "last_updated_timestamp":
			return "", hits[i].updated
		case "creation_timestamp":
			return "", hits[i].created
		}
		return hits[i].name, 0
	}
	idx := sortedIndex(len(hits), func(a, b int) int { return compareBy(order, field, a, b) })
	from, to, next := pg.slice(len(idx))
	out := make([]wireRegisteredModel, 0, to-from)
	for _, i := range idx[from:to] {
		out = append(out, hits[i].wire())
	}
	return out, next, nil
}

// searchVersions answers model-versions/search. The default order is by
// name, then newest version first.
func (r *registry) searchVersions(q url.Values) ([]wireModelVersion, string, error) {
	conds, err := parseFilter(q.Get("filter"), versionFilterKeys)
	if err != nil {
		return nil, "", err
	}
	order, err := parseOrder(q, []string{"name", "version_number", "creation_timestamp", "last_updated_timestamp", "run_id"})
	if err != nil {
		return nil, "", err
	}
	pg, err := parsePage(q, 10000, 200000)
	if err != nil {
		return nil, "", err
	}
	type hit struct {
		m *regModel
		v *regVersion
	}
	var hits []hit
	for _, m := range r.models {
		for _, v := range m.versions {
			if matchAll(conds, func(key string) (string, bool) {
				switch key {
				case "name":
					return m.name, true
				case "version_number":
					return strconv.Itoa(v.number), true
				case "run_id":
					return v.runID, true
				case "source_path":
					return v.source, true
				}
				return tagValue(v.tags, strings.TrimPrefix(key, "tags."))
			}) {
				hits = append(hits, hit{m, v})
			}
		}
	}
	order = append(order, orderKey{key: "name"}, orderKey{key: "version_number", desc: true})
	field := func(key string, i int) (string, int64) {
		h := hits[i]
		switch key {
		case "version_number":
			return "", int64(h.v.number)
		case "creation_timestamp":
			return "", h.v.created
		case "last_updated_timestamp":
			return "", h.v.updated
		case "run_id":
			return h.v.runID, 0
		}
		return h.m.name, 0
	}
	idx := sortedIndex(len(hits), func(a, b int) int { return compareBy(order, field, a, b) })
	from, to, next := pg.slice(len(idx))
	out := make([]wireModelVersion, 0, to-from)
	for _, i := range idx[from:to] {
		out = append(out, hits[i].m.wireVersion(hits[i].v))
	}
	return out, next, nil
}

func matchAll(conds []cond, value func(key string) (string, bool)) bool {
	for _, c := range conds {
		if !c.match(value(c.key)) {
			return false
		}
	}
	return true
}

func sortedIndex(n int, cmp func(a, b int) int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, cmp)
	return idx
}

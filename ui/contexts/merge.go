package contexts

import (
	"github.com/mltop/mltop/internal/fleet"
	"github.com/mltop/mltop/ui/common"
)

// mergeSnapshots is every context's fleet in one snapshot (:ctx all):
// each model named by its context and its name, so two contexts' models
// of one name stay apart, with Model.Context set; each source named by
// its context. A context not polled yet is a source without data, so the
// view never passes for the whole fleet before it is. It is taken when
// the oldest of them was: the age shown is never younger than the data.
func mergeSnapshots(children []*child) fleet.Snapshot {
	var out fleet.Snapshot
	for _, ch := range children {
		s := ch.snapshot()
		if s == nil {
			state := "not started"
			if ch.root != nil || ch.opening {
				state = "starting: no poll yet"
			}
			if ch.err != "" {
				state = ch.err
			}
			out.Sources = append(out.Sources, fleet.SourceStatus{Name: ch.info.Name, Kind: "context", Error: state})
			continue
		}
		if out.TakenAt.IsZero() || s.TakenAt.Before(out.TakenAt) {
			out.TakenAt = s.TakenAt
		}
		for _, src := range s.Sources {
			src.Name = ch.info.Name + " " + src.Name
			out.Sources = append(out.Sources, src)
		}
		for _, q := range s.Queries {
			q.Source = ch.info.Name + " " + q.Source
			out.Queries = append(out.Queries, q)
		}
		for _, md := range s.Models {
			md.Context = ch.info.Name
			md.Name = common.MergedModelName(ch.info.Name, md.Name)
			out.Models = append(out.Models, md)
		}
	}
	out.Context = common.AllContexts
	return out
}

package fleet

import "time"

type lookBackJSON struct {
	At     string   `json:"at"`
	MadeAt string   `json:"made_at"`
	Notes  []string `json:"notes"`
}

// encodeLookBack is a past snapshot's look_back (at is its taken_at, as
// encoded); nil for a live one.
func encodeLookBack(lb *LookBack, at string) *lookBackJSON {
	if lb == nil {
		return nil
	}
	return &lookBackJSON{At: at, MadeAt: lb.MadeAt.UTC().Format(time.RFC3339), Notes: nonNil(lb.Notes)}
}

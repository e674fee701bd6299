package actions

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mltop/mltop/internal/audit"
	"github.com/mltop/mltop/sources/mlflow"
)

// Execute carries out req under every rule, and sends at most one request:
//
//   - refused, with nothing sent, when mltop is read-only, the actor's role
//     is too low, the model is in a state the action is not allowed in, a
//     reason or the typed model name is missing, another action on the
//     model is in flight, or req.ID was already sent;
//   - otherwise the `requested` record is written and synced to the audit
//     log, then the one request is sent with the action's time limit and
//     Idempotency-Key: req.ID; it is never retried;
//   - an answer decides succeeded or failed; no answer after the request
//     may have left (time-out, connection reset) is unknown, and
//     Result.Check says what to verify by hand.
//
// Every outcome, refusals included, is recorded.
func (e *Executor) Execute(ctx context.Context, req Request) Result {
	start := e.now()
	fresh := req.ID == ""
	if fresh {
		req.ID = NewID()
	}
	if req.Actor.Host == "" {
		req.Actor.Host = e.host
	}
	req.Model = strings.TrimSpace(req.Model)
	s, ok := e.Spec(req.Action)
	if !ok {
		return e.refuse(req, Spec{Action: req.Action, Title: req.Action}, nil, notConfigured(req.Action).Error())
	}
	why := e.otherContext(req)
	if why == "" && !fresh {
		why = e.notPlannedHere(req.ID)
	}
	if why != "" {
		req.ID = NewID() // an id planned elsewhere stays that executor's
		return e.refuse(req, s, nil, why)
	}
	if e.isSent(req.ID) {
		first := req.ID
		req.ID = NewID()
		return e.refuse(req, s, nil, fmt.Sprintf("request %s was already sent: one confirmation sends one request", first))
	}
	if why := e.gate(s, req); why != "" {
		return e.refuse(req, s, nil, why)
	}
	if s.Action == Unsilence && req.Model == "" {
		m, err := e.silenceModel(ctx, s, req)
		if err != nil {
			return e.refuse(req, s, nil, "nothing was sent: "+err.Error())
		}
		req.Model = m
	}
	if req.Model == "" {
		return e.refuse(req, s, nil, "no model named")
	}
	if e.requireReason && strings.TrimSpace(req.Reason) == "" {
		return e.refuse(req, s, nil, "a reason is required")
	}
	if !e.lock(req.Model, req.ID) {
		return e.refuse(req, s, nil, fmt.Sprintf("another action on %s is in progress (request %s)", req.Model, e.InFlight(req.Model)))
	}
	defer e.unlock(req.Model)

	limit := timeout(s.cfg)
	// The action's limit, not the registry client's default per request,
	// bounds each registry call it makes.
	ctx = mlflow.WithRequestTimeout(ctx, limit)
	pctx, cancel := context.WithTimeout(ctx, limit)
	pr, err := e.prepare(pctx, s, req)
	cancel()
	if seen := e.takeSeen(req.ID); seen != "" && err == nil && pr.data.rollout != nil {
		// Sent against what the operator saw: if the target moved since,
		// the server refuses (409) rather than act on a state not shown.
		pr.data.rollout.version = seen
	}
	if err != nil {
		return e.finish(req, s, nil, start, Failed, audit.Response{Message: "nothing was sent: " + err.Error()}, "")
	}
	if pr.refusal != "" {
		return e.refuse(req, s, &pr, pr.refusal)
	}
	if pr.typed && strings.TrimSpace(req.Confirm) != req.Model {
		return e.refuse(req, s, &pr, fmt.Sprintf("type the model name %q to confirm", req.Model))
	}
	if pr.second {
		if why := e.checkApproval(&req, s, &pr); why != "" {
			return e.refuse(req, s, &pr, why)
		}
	}
	if !e.claim(req.ID) {
		first := req.ID
		req.ID = NewID()
		return e.refuse(req, s, &pr, fmt.Sprintf("request %s was already sent: one confirmation sends one request", first))
	}
	rec := e.record(req, s, &pr, audit.Requested)
	rec.Time = start
	if err := e.audit.Append(rec); err != nil {
		r := e.result(req, &pr, start, Failed, audit.Response{}, "")
		r.Message = "nothing was sent: the audit log could not be written: " + err.Error()
		return r
	}
	e.log.Info("action requested", "id", req.ID, "action", s.Action, "model", req.Model, "adapter", s.Kind, "user", req.Actor.User)

	var connected atomic.Bool
	sctx, cancel := context.WithTimeout(ctx, limit)
	sctx = httptrace.WithClientTrace(sctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	})
	resp, err := pr.adapter.send(sctx, pr.data)
	expired := errors.Is(sctx.Err(), context.DeadlineExceeded)
	cancel()
	outcome, resp := outcomeOf(resp, err, connected.Load(), expired, limit)
	resp.Message = audit.Redact(resp.Message, append(secrets(s.cfg), adapterSecrets(pr.adapter)...)...)
	check := ""
	if outcome == Unknown {
		check = pr.adapter.check(pr.data)
	}
	return e.finish(req, s, &pr, start, outcome, resp, check)
}

// outcomeOf turns what an adapter returned into an outcome. An error with an
// HTTP status was answered: failed, except a gateway's 502 or 504, which
// says nothing of whether the target acted. An error before a connection
// existed sent nothing: failed. Anything else may have been received.
// expired says the action's own limit ran out; only then does the message
// name it.
func outcomeOf(resp audit.Response, err error, connected, expired bool, limit time.Duration) (Outcome, audit.Response) {
	if err == nil {
		return Succeeded, resp
	}
	status := 0
	if se, ok := errors.AsType[*statusError](err); ok {
		status = se.status
	} else if ae, ok := errors.AsType[*mlflow.APIError](err); ok {
		status = ae.HTTPStatus
	}
	resp.Status = status
	switch _, unsent := errors.AsType[*notSent](err); {
	case status == 502 || status == 504:
		resp.Message = "a gateway answered " + err.Error() + "; the target may or may not have acted"
		return Unknown, resp
	case status != 0:
		resp.Message = err.Error()
		return Failed, resp
	case isNotAlertmanager(err):
		resp.Message = "an answer that is not Alertmanager's came back (" + err.Error() + "); it may or may not have acted"
		return Unknown, resp
	case isAnswerError(err):
		resp.Message = "an answer that is not the registry's came back (" + err.Error() + "); the target may or may not have acted"
		return Unknown, resp
	case unsent || !connected:
		resp.Message = "nothing was sent: " + err.Error()
		return Failed, resp
	case errors.Is(err, context.DeadlineExceeded) && expired:
		resp.Message = fmt.Sprintf("no answer within %s; the request was sent and not retried", limit)
	case errors.Is(err, context.DeadlineExceeded):
		resp.Message = "no answer (" + err.Error() + "); the request was sent and not retried"
	case errors.Is(err, context.Canceled):
		resp.Message = "cancelled after the request was sent; it was not retried"
	default:
		resp.Message = "the connection failed after the request was sent (" + err.Error() + "); it was not retried"
	}
	return Unknown, resp
}

func isNotAlertmanager(err error) bool {
	_, ok := errors.AsType[*notAlertmanager](err)
	return ok
}

func isAnswerError(err error) bool {
	_, ok := errors.AsType[*mlflow.AnswerError](err)
	return ok
}

func (e *Executor) refuse(req Request, s Spec, pr *prepared, why string) Result {
	e.log.Info("action refused", "id", req.ID, "action", req.Action, "model", req.Model, "why", why)
	return e.finish(req, s, pr, e.now(), Refused, audit.Response{Message: why}, "")
}

// finish records the outcome and builds the result.
func (e *Executor) finish(req Request, s Spec, pr *prepared, start time.Time, o Outcome, resp audit.Response, check string) Result {
	r := e.result(req, pr, start, o, resp, check)
	rec := e.record(req, s, pr, audit.State(o))
	rec.Response = &resp
	if o != Refused {
		rec.Duration = r.Duration.Seconds()
	}
	r.Recorded = true
	if err := e.audit.Append(rec); err != nil {
		r.Recorded = false
		r.Message += " (not recorded: " + err.Error() + ")"
		e.log.Error("audit log", "err", err)
	}
	if o != Refused {
		e.log.Info("action finished", "id", req.ID, "outcome", o, "status", resp.Status, "took", r.Duration)
	}
	return r
}

func (e *Executor) result(req Request, pr *prepared, start time.Time, o Outcome, resp audit.Response, check string) Result {
	r := Result{
		ID: req.ID, Action: req.Action, Model: req.Model, Outcome: o, Check: check,
		Status: resp.Status, RunID: resp.RunID, RunURL: resp.URL, Duration: e.now().Sub(start),
	}
	if pr != nil {
		r.Before, r.After = pr.adapter.change(pr.data)
	}
	r.Message = resp.Message
	if o == Unknown && check != "" {
		r.Message += "; " + check
	}
	return r
}

func (e *Executor) record(req Request, s Spec, pr *prepared, st audit.State) audit.Record {
	rec := audit.Record{
		Time: e.now(), ID: req.ID, State: st, Actor: req.Actor, Action: s.Action, Model: req.Model,
		Reason: strings.TrimSpace(req.Reason), Adapter: s.Kind,
		Approval: req.Approval, ApprovedBy: req.approvedBy, Context: e.context,
	}
	if s.Action != Rollback && s.Action != Retrain {
		rec.Title = s.Title
	}
	if a, ok := e.adapters[s.Action]; ok {
		rec.Target = a.target()
	}
	if pr != nil {
		rec.Before, rec.After = pr.adapter.change(pr.data)
	}
	return rec
}

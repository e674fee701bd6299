package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mltop/mltop/internal/config"
	"github.com/mltop/mltop/internal/secretfile"
)

// The files and variables a pod has for talking to its own cluster.
const (
	inClusterTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token"
	inClusterCAFile    = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
)

// KubernetesParams say how to reach a Kubernetes API server; server empty
// means the pod's own cluster (its service-account files).
type KubernetesParams struct {
	Server    string `yaml:"server"`
	TokenFile string `yaml:"token_file" cfg:"path"`
	CAFile    string `yaml:"ca_file" cfg:"path"`
}

// kubeAPI talks to one API server: a bearer token read at each request
// (a rotated token needs no restart), the server's CA, no connection
// reuse and no redirects (as onceClient), and time limits from the context.
type kubeAPI struct {
	p      KubernetesParams
	getenv func(string) string
}

// endpoint resolves the server, token and CA file: configured, or the
// pod's own.
func (k kubeAPI) endpoint() (server, tokenFile, caFile string, err error) {
	server, tokenFile, caFile = k.p.Server, k.p.TokenFile, k.p.CAFile
	if server == "" {
		host, port := k.getenv("KUBERNETES_SERVICE_HOST"), k.getenv("KUBERNETES_SERVICE_PORT")
		if host == "" || port == "" {
			return "", "", "", errors.New("kubernetes.server is not set and mltop does not run in a pod " +
				"(KUBERNETES_SERVICE_HOST/PORT unset): set kubernetes.server, token_file and ca_file")
		}
		server = "https://" + net.JoinHostPort(host, port)
		tokenFile, caFile = or(tokenFile, inClusterTokenFile), or(caFile, inClusterCAFile)
	}
	return strings.TrimRight(server, "/"), tokenFile, caFile, nil
}

// host is the server for messages; "the pod's cluster" when in-cluster.
func (k kubeAPI) host() string {
	if k.p.Server == "" {
		return "the pod's own cluster"
	}
	if u, err := url.Parse(k.p.Server); err == nil && u.Host != "" {
		return u.Host
	}
	return k.p.Server
}

// token is the bearer token, "" when none is configured.
func (k kubeAPI) token() string {
	_, tf, _, err := k.endpoint()
	if err != nil || tf == "" {
		return ""
	}
	tok, _ := secretfile.Read(tf)
	return tok
}

func (k kubeAPI) client(caFile string) (*http.Client, error) {
	tlsCfg, err := tlsFiles(config.TLS{CAFile: caFile})
	if err != nil {
		return nil, err
	}
	c := onceClientTLS(tlsCfg)
	c.Transport.(*http.Transport).ResponseHeaderTimeout = 30 * time.Second
	return c, nil
}

// do makes one request to path (below the server) and returns the body of
// a 2xx answer. A non-2xx answer is a *statusError with the API's
// message; an error before anything was sent is *notSent.
func (k kubeAPI) do(ctx context.Context, method, path, contentType string, body any) ([]byte, error) {
	server, tokenFile, caFile, err := k.endpoint()
	if err != nil {
		return nil, &notSent{err}
	}
	c, err := k.client(caFile)
	if err != nil {
		return nil, &notSent{err}
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, &notSent{fmt.Errorf("encode patch: %w", err)}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, server+path, rd)
	if err != nil {
		return nil, &notSent{fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "mltop")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tokenFile != "" {
		tok, err := secretfile.Read(tokenFile)
		if err != nil {
			return nil, &notSent{fmt.Errorf("token_file: %w", err)}
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok && ue.Err != nil {
			err = ue.Err
		}
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("read answer (HTTP %d): %w", resp.StatusCode, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &statusError{status: resp.StatusCode, message: errorMessage(b)}
	}
	return b, nil
}

// rolloutPath is the Rollout's path; sub is "" or "status".
func rolloutPath(namespace, name, sub string) string {
	p := "/apis/argoproj.io/v1alpha1/namespaces/" + url.PathEscape(namespace) + "/rollouts/" + url.PathEscape(name)
	if sub != "" {
		p += "/" + sub
	}
	return p
}

// plainKubeError says what an API refusal means for the operator: the
// RBAC rule missing, the object missing, or a change since it was read.
// what is the resource acted on ("rollouts/status"), verb the RBAC verb.
func plainKubeError(err error, verb, what, namespace, name string) error {
	se, ok := errors.AsType[*statusError](err)
	if !ok {
		return err
	}
	msg := ""
	switch se.status {
	case http.StatusUnauthorized:
		msg = "the API server did not accept the token (401): check kubernetes.token_file"
	case http.StatusForbidden:
		msg = fmt.Sprintf("the token may not %s %s in %s (RBAC)", verb, what, namespace)
	case http.StatusNotFound:
		msg = fmt.Sprintf("rollout %s/%s not found", namespace, name)
	case http.StatusConflict:
		msg = fmt.Sprintf("rollout %s/%s changed since you looked; look again (plan the action again)", namespace, name)
	case http.StatusUnsupportedMediaType:
		msg = "the API server refused the patch type (415)"
	default:
		return err
	}
	if se.message != "" {
		msg += ": " + se.message
	}
	return &statusError{status: se.status, message: msg}
}

package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	valerrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// v1 is where the JSON API's endpoints live.
const v1 = "/api/v1"

// openAPIPath is the API's description, in the repository.
const openAPIPath = "../adapter/httpx/api/openapi.json"

// apiSpec is openapi.json loaded once for the whole suite: the validator
// of every exchange, and the Error schema for answers to paths the
// document has no operation for (404, 405).
var apiSpec struct {
	once      sync.Once
	err       error
	raw       []byte
	validator validator.Validator
	errSchema *base.Schema
	// mu serializes validation: the suite checks exchanges from several
	// goroutines (the flood tests), and the validator's caches are not
	// documented as safe for that.
	mu sync.Mutex
}

func loadAPISpec(t testing.TB) {
	t.Helper()
	apiSpec.once.Do(func() {
		apiSpec.raw, apiSpec.err = os.ReadFile(openAPIPath)
		if apiSpec.err != nil {
			return
		}
		doc, err := libopenapi.NewDocument(apiSpec.raw)
		if err != nil {
			apiSpec.err = fmt.Errorf("libopenapi.NewDocument: %w", err)
			return
		}
		v, errs := validator.NewValidator(doc, config.WithFormatAssertions())
		if len(errs) > 0 {
			apiSpec.err = fmt.Errorf("validator.NewValidator: %v", errs)
			return
		}
		model, err := doc.BuildV3Model()
		if err != nil {
			apiSpec.err = fmt.Errorf("BuildV3Model: %w", err)
			return
		}
		apiSpec.validator = v
		apiSpec.errSchema = model.Model.Components.Schemas.GetOrZero("Error").Schema()
	})
	if apiSpec.err != nil {
		t.Fatalf("load %s: %v", openAPIPath, apiSpec.err)
	}
}

// apiClient talks to the JSON API the way a mobile app does: no cookie
// jar, an optional bearer token, no redirects. It checks every exchange
// against openapi.json with libopenapi-validator, and fails the test on a
// request or response the document does not describe. A test that sends
// a request outside the document on purpose says so (apiRequest.offSpec);
// then the validator must refuse it as well, so the document and the
// server agree on what is wrong. Every answer must also be JSON with the
// API's security headers, never a page of the site.
type apiClient struct {
	t      testing.TB
	srv    *testServer
	client *http.Client
	// token is sent as "Authorization: Bearer <token>" when not empty.
	token string
	// header is sent with every request (User-Agent, X-Forwarded-For).
	header http.Header
}

func (s *testServer) newAPIClient() *apiClient {
	loadAPISpec(s.t)
	client := &http.Client{
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	s.mu.Lock()
	s.clients = append(s.clients, client)
	s.mu.Unlock()
	return &apiClient{t: s.t, srv: s, client: client, header: http.Header{}}
}

// withToken returns a copy of c that sends token.
func (c *apiClient) withToken(token string) *apiClient {
	d := *c
	d.token = token
	d.header = c.header.Clone()
	return &d
}

// apiRequest is one request to the API.
type apiRequest struct {
	method string
	path   string // from the server's root: v1 + "/me"
	body   []byte // sent as is; nil sends none
	// contentType defaults to application/json when there is a body;
	// "none" sends no Content-Type.
	contentType string
	header      map[string]string
	// offSpec marks a request that breaks openapi.json on purpose.
	offSpec bool
}

// apiResponse is a finished exchange.
type apiResponse struct {
	*http.Response
	Body []byte
}

// call sends a request the document allows; body, when not nil, is sent
// as its JSON encoding.
func (c *apiClient) call(method, path string, body any) apiResponse {
	c.t.Helper()
	r := apiRequest{method: method, path: path}
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			c.t.Fatalf("encode %s %s body: %v", method, path, err)
		}
		r.body = raw
	}
	return c.do(r)
}

// do sends r, checks both halves of the exchange, and returns the
// response.
func (c *apiClient) do(r apiRequest) apiResponse {
	c.t.Helper()
	req := c.build(r)
	inSpec := c.checkRequest(r)
	res, err := c.client.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	out := apiResponse{Response: res, Body: body}
	c.checkResponse(r, out, inSpec)
	return out
}

// build makes the HTTP request for r; called again, it makes a fresh
// copy, so the validator and the transport each read their own body.
func (c *apiClient) build(r apiRequest) *http.Request {
	c.t.Helper()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, c.srv.base+r.path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, vs := range c.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	switch {
	case r.contentType == "none":
	case r.contentType != "":
		req.Header.Set("Content-Type", r.contentType)
	case r.body != nil:
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	return req
}

// checkRequest validates a copy of r's request against the document and reports
// whether the document has an operation for it.
func (c *apiClient) checkRequest(r apiRequest) (inSpec bool) {
	c.t.Helper()
	apiSpec.mu.Lock()
	ok, errs := apiSpec.validator.ValidateHttpRequestSync(c.build(r))
	apiSpec.mu.Unlock()
	inSpec = true
	for _, e := range errs {
		if e.IsPathMissingError() || e.IsOperationMissingError() {
			inSpec = false
		}
	}
	switch {
	case !ok && !r.offSpec:
		c.t.Errorf("%s %s: the request breaks openapi.json:\n%s", r.method, r.path, describeViolations(errs))
	case ok && r.offSpec:
		c.t.Errorf("%s %s: the request is meant to break openapi.json, but the document allows it", r.method, r.path)
	}
	return inSpec
}

// checkResponse validates res against the document: against the
// operation's responses when there is one, else against the Error schema
// (a 404 or 405 for a path or method the document does not have).
func (c *apiClient) checkResponse(r apiRequest, res apiResponse, inSpec bool) {
	c.t.Helper()
	what := fmt.Sprintf("%s %s = %d", r.method, r.path, res.StatusCode)
	checkAPIHeaders(c.t, what, res)
	if inSpec {
		validationReq := c.build(r)
		validationRes := *res.Response
		validationRes.Body = io.NopCloser(bytes.NewReader(res.Body))
		apiSpec.mu.Lock()
		ok, errs := apiSpec.validator.ValidateHttpResponse(validationReq, &validationRes)
		apiSpec.mu.Unlock()
		if !ok {
			c.t.Errorf("%s: the response breaks openapi.json:\n%s\nbody: %s", what, describeViolations(errs), res.Body)
		}
		return
	}
	if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusRequestEntityTooLarge {
		c.t.Errorf("%s: a request the document has no operation for, want 404, 405 or 413", what)
	}
	validator := schema_validation.NewSchemaValidator(config.WithFormatAssertions())
	apiSpec.mu.Lock()
	ok, errs := validator.ValidateSchemaBytes(apiSpec.errSchema, res.Body)
	apiSpec.mu.Unlock()
	if !ok {
		c.t.Errorf("%s: the body is not the document's Error:\n%s\nbody: %s", what, describeViolations(errs), res.Body)
	}
}

// checkAPIHeaders fails unless res is what every API answer must be:
// JSON when it has a body, never HTML, with the API's security headers.
func checkAPIHeaders(t testing.TB, what string, res apiResponse) {
	t.Helper()
	if len(res.Body) > 0 {
		mt, _, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			t.Errorf("%s: Content-Type %q, want application/json; body: %.200s", what, res.Header.Get("Content-Type"), res.Body)
		}
	}
	if bytes.Contains(bytes.ToLower(res.Body), []byte("<html")) || bytes.Contains(bytes.ToLower(res.Body), []byte("<!doctype")) {
		t.Errorf("%s: answered with HTML: %.200s", what, res.Body)
	}
	want := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
	}
	for name, value := range want {
		if got := res.Header.Get(name); got != value {
			t.Errorf("%s: %s = %q, want %q", what, name, got, value)
		}
	}
	if sc := res.Header.Get("Set-Cookie"); sc != "" {
		t.Errorf("%s: Set-Cookie %q, want no cookie from the API", what, sc)
	}
}

func describeViolations(errs []*valerrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  - %s\n", e.Error())
	}
	return b.String()
}

// apiErrorBody is the API's one error shape.
type apiErrorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// apiError decodes res as an error body.
func (r apiResponse) apiError(t testing.TB) apiErrorBody {
	t.Helper()
	var e apiErrorBody
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("decode error body %q: %v", r.Body, err)
	}
	return e
}

// decode decodes res's body into v.
func (r apiResponse) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode body %q: %v", r.Body, err)
	}
}

// wantError fails unless res is an error with status and code.
func (r apiResponse) wantError(t testing.TB, what string, status int, code string) apiErrorBody {
	t.Helper()
	e := r.apiError(t)
	if r.StatusCode != status || e.Error.Code != code {
		t.Errorf("%s = %d %q, want %d %q; body: %s", what, r.StatusCode, e.Error.Code, status, code, r.Body)
	}
	return e
}

// apiSession is the body of a successful POST /sessions.
type apiSession struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      struct {
		ID        int64     `json:"id"`
		Username  string    `json:"username"`
		CreatedAt time.Time `json:"created_at"`
	} `json:"user"`
	DeviceToken string `json:"device_token"`
}

// signup creates an account through the API and fails the test unless it
// succeeds.
func (c *apiClient) signup(username, password string) {
	c.t.Helper()
	res := c.call(http.MethodPost, v1+"/users", map[string]string{"username": username, "password": password})
	if res.StatusCode != http.StatusCreated {
		c.t.Fatalf("POST /users %q = %d, want 201; body: %s", username, res.StatusCode, res.Body)
	}
}

// login logs in through the API, fails the test unless it succeeds, and
// returns a client that sends the new token.
func (c *apiClient) login(username, password string, remember bool) (*apiClient, apiSession) {
	c.t.Helper()
	res := c.call(http.MethodPost, v1+"/sessions", map[string]any{"username": username, "password": password, "remember": remember})
	if res.StatusCode != http.StatusCreated {
		c.t.Fatalf("POST /sessions %q = %d, want 201; body: %s", username, res.StatusCode, res.Body)
	}
	var s apiSession
	res.decode(c.t, &s)
	return c.withToken(s.Token), s
}

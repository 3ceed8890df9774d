package test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// TestAPIServesItsDescription fetches /api/v1/openapi.json: the very
// bytes of adapter/httpx/api/openapi.json, and a valid OpenAPI 3.1 document by
// the specification's own schema.
func TestAPIServesItsDescription(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	res := srv.newAPIClient().call(http.MethodGet, v1+"/openapi.json", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /openapi.json = %d, want 200", res.StatusCode)
	}
	if !bytes.Equal(res.Body, apiSpec.raw) {
		t.Errorf("GET /openapi.json (%d bytes) differs from %s (%d bytes)", len(res.Body), openAPIPath, len(apiSpec.raw))
	}
	doc, err := libopenapi.NewDocument(res.Body)
	if err != nil {
		t.Fatalf("libopenapi.NewDocument(served) error = %v", err)
	}
	if v := doc.GetVersion(); !strings.HasPrefix(v, "3.1") {
		t.Errorf("served document is OpenAPI %q, want 3.1", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator.NewValidator(served) errors = %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		t.Errorf("the served document breaks the OpenAPI 3.1 schema:\n%s", describeViolations(verrs))
	}
}

// TestAPIValidatorCatchesViolations proves the suite's check can fail:
// exchanges that break the document in the ways the server could are
// refused by the validator every API test goes through.
func TestAPIValidatorCatchesViolations(t *testing.T) {
	t.Parallel()
	loadAPISpec(t)
	response := func(status int, header map[string]string, body string) *http.Response {
		res := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
		if body != "" {
			res.Header.Set("Content-Type", "application/json")
		}
		for k, v := range header {
			res.Header.Set(k, v)
		}
		return res
	}
	const errorBody = `{"error":{"code":"%s","message":"m","fields":{}}}`
	meBody := `{"id":1,"username":"alice","role":"user","created_at":"2026-11-26T09:00:00Z","must_change_password":false,"last_login":null}`
	tests := []struct {
		name         string
		method, path string
		res          *http.Response
	}{
		{"a field missing from /me", http.MethodGet, "/me", response(200, nil, strings.Replace(meBody, `"role":"user",`, "", 1))},
		{"an extra field in /me", http.MethodGet, "/me", response(200, nil, strings.Replace(meBody, `{`, `{"password_hash":"x",`, 1))},
		{"a time that is not RFC 3339", http.MethodGet, "/me", response(200, nil, strings.Replace(meBody, "2026-11-26T09:00:00Z", "yesterday", 1))},
		{"an undocumented status", http.MethodGet, "/me", response(http.StatusTeapot, nil, strings.Replace(errorBody, "%s", "internal", 1))},
		{"a 401 without WWW-Authenticate", http.MethodGet, "/me", response(401, nil, strings.Replace(errorBody, "%s", "unauthorized", 1))},
		{"a 401 with the wrong code", http.MethodGet, "/me", response(401, map[string]string{"WWW-Authenticate": `Bearer realm="gatehouse"`}, strings.Replace(errorBody, "%s", "not_found", 1))},
		{"a 429 without Retry-After", http.MethodPost, "/sessions", response(429, nil, strings.Replace(errorBody, "%s", "throttled", 1))},
		{"a 503 without Retry-After", http.MethodPost, "/users", response(503, nil, strings.Replace(errorBody, "%s", "unavailable", 1))},
		{"an error without fields", http.MethodPost, "/users", response(409, nil, `{"error":{"code":"username_taken","message":"m"}}`)},
		{"an HTML error", http.MethodPost, "/users", response(409, map[string]string{"Content-Type": "text/html"}, "<p>taken</p>")},
		{"a password change without the new token", http.MethodPut, "/me/password", response(204, nil, "")},
		{"a token of the wrong shape", http.MethodPost, "/sessions", response(201, nil, `{"token":"short","expires_at":"2026-11-26T09:00:00Z","user":{"id":1,"username":"alice","created_at":"2026-11-26T09:00:00Z"}}`)},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, "http://gatehouse.test"+v1+tt.path, nil)
		apiSpec.mu.Lock()
		ok, _ := apiSpec.validator.ValidateHttpResponse(req, tt.res)
		apiSpec.mu.Unlock()
		if ok {
			t.Errorf("%s: the validator accepts %s %s = %d", tt.name, tt.method, tt.path, tt.res.StatusCode)
		}
	}
}

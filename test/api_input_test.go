package test

import (
	"net/http"
	"strings"
	"testing"
)

// bodyEndpoint is an endpoint that reads a JSON body, with a client that
// may call it and a body it accepts.
type bodyEndpoint struct {
	method, path string
	client       *apiClient
	fields       []string // its fields, in the order of valid
	valid        string
}

// bodyEndpoints returns the three endpoints that take a body, ready to be
// called: alice exists and is logged in.
func bodyEndpoints(t *testing.T, srv *testServer) []bodyEndpoint {
	t.Helper()
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	alice, _ := c.login("alice", alicePassword, false)
	return []bodyEndpoint{
		{http.MethodPost, v1 + "/users", c, []string{"username", "password"}, `{"username":"bob","password":"purple monkey dishwasher"}`},
		{http.MethodPost, v1 + "/sessions", c, []string{"username", "password"}, `{"username":"alice","password":"correct horse battery staple"}`},
		{http.MethodPut, v1 + "/me/password", alice, []string{"current_password", "new_password"}, `{"current_password":"correct horse battery staple","new_password":"a brand new passphrase of hers"}`},
	}
}

// TestAPIStrictJSON sends each body endpoint bodies that are not exactly
// one object of its fields: each is a 422 invalid_input, naming the field
// when there is one, and changes nothing.
func TestAPIStrictJSON(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	for _, ep := range bodyEndpoints(t, srv) {
		f0, f1 := ep.fields[0], ep.fields[1]
		tests := []struct {
			name      string
			body      string
			wantField string
			// offSpec is false for what the document's schemas cannot
			// express (repeated keys, control characters, encoding).
			offSpec bool
		}{
			{"unknown field", strings.Replace(ep.valid, "{", `{"admin":true,`, 1), "admin", true},
			{"field in another case", strings.Replace(ep.valid, `"`+f0+`"`, `"`+strings.ToUpper(f0)+`"`, 1), strings.ToUpper(f0), true},
			{"trailing object", ep.valid + `{}`, "", true},
			{"trailing garbage", ep.valid + ` x`, "", true},
			{"array for a string", `{"` + f0 + `":["bob"],"` + f1 + `":"x"}`, f0, true},
			{"number for a string", `{"` + f0 + `":12345678901234,"` + f1 + `":"x"}`, f0, true},
			{"null body", `null`, "", true},
			{"array body", `[` + ep.valid + `]`, "", true},
			{"empty body", ``, "", true},
			{"cut short", ep.valid[:len(ep.valid)-1], "", true},
			{"repeated field", strings.Replace(ep.valid, "{", `{"`+f0+`":"first",`, 1), f0, false},
			{"NUL in a field", `{"` + f0 + `":"a\u0000b","` + f1 + `":"long enough to pass"}`, f0, false},
			{"newline in a field", `{"` + f0 + `":"ab","` + f1 + `":"long\nenough to pass"}`, f1, false},
			{"invalid UTF-8", `{"` + f0 + `":"a` + "\xff" + `b","` + f1 + `":"long enough to pass"}`, "", false},
		}
		for _, tt := range tests {
			what := ep.method + " " + ep.path + " with " + tt.name
			res := ep.client.do(apiRequest{method: ep.method, path: ep.path, body: []byte(tt.body), contentType: "application/json", offSpec: tt.offSpec})
			e := res.wantError(t, what, http.StatusUnprocessableEntity, "invalid_input")
			if tt.wantField != "" && e.Error.Fields[tt.wantField] == "" {
				t.Errorf("%s: fields = %v, want a message for %q", what, e.Error.Fields, tt.wantField)
			}
			if tt.wantField == "" && len(e.Error.Fields) != 0 {
				t.Errorf("%s: fields = %v, want none (the body as a whole is wrong)", what, e.Error.Fields)
			}
		}
		// The valid body still works: nothing above changed the account.
		res := ep.client.do(apiRequest{method: ep.method, path: ep.path, body: []byte(ep.valid)})
		if res.StatusCode >= 300 {
			t.Errorf("%s with a valid body after the refusals = %d, want success; body: %s", ep.path, res.StatusCode, res.Body)
		}
	}
}

// TestAPIUnsupportedMediaType sends a body that is not declared as JSON:
// 415, before anything is read or done. A form with a CSRF-looking field
// gets the API's 415, never the site's CSRF or form checks.
func TestAPIUnsupportedMediaType(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	for _, ep := range bodyEndpoints(t, srv) {
		tests := []struct {
			contentType string
			// offSpec is false for a charset other than UTF-8, which
			// the document's media type cannot refuse: JSON has no
			// other (RFC 8259).
			offSpec bool
		}{
			{"none", true},
			{"text/plain", true},
			{"application/x-www-form-urlencoded", true},
			{"multipart/form-data; boundary=x", true},
			{"application/jsonx", true},
			{"application/json; charset=latin1", false},
		}
		for _, tt := range tests {
			body := ep.valid
			if tt.contentType == "application/x-www-form-urlencoded" {
				body = ep.fields[0] + "=alice&csrf_token=x"
			}
			res := ep.client.do(apiRequest{method: ep.method, path: ep.path, body: []byte(body), contentType: tt.contentType,
				header: map[string]string{"Origin": "https://evil.example"}, offSpec: tt.offSpec})
			res.wantError(t, ep.method+" "+ep.path+" as "+tt.contentType, http.StatusUnsupportedMediaType, "unsupported_media_type")
		}
		res := ep.client.do(apiRequest{method: ep.method, path: ep.path, body: []byte(ep.valid), contentType: "application/json; charset=utf-8"})
		if res.StatusCode >= 300 {
			t.Errorf("%s as application/json; charset=utf-8 = %d, want success; body: %s", ep.path, res.StatusCode, res.Body)
		}
	}
}

// TestAPIPayloadTooLarge sends 17 KiB: the server refuses it before any
// route runs, and the answer is still the API's JSON, under any /api
// path.
func TestAPIPayloadTooLarge(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	big := `{"username":"alice","password":"` + strings.Repeat("x", 17<<10) + `"}`
	c := srv.newAPIClient()
	tests := []apiRequest{
		{method: http.MethodPost, path: v1 + "/users", body: []byte(big)},
		{method: http.MethodPost, path: v1 + "/sessions", body: []byte(big)},
		{method: http.MethodPut, path: v1 + "/me/password", body: []byte(big), offSpec: true}, // no token
		{method: http.MethodPost, path: "/api/nowhere", body: []byte(big), offSpec: true},
	}
	for _, r := range tests {
		res := c.do(r)
		res.wantError(t, r.method+" "+r.path+" with 17 KiB", http.StatusRequestEntityTooLarge, "payload_too_large")
	}
	// 16 KiB is still read (and refused for its content, not its size).
	fits := `{"username":"alice","password":"` + strings.Repeat("x", 16<<10-40) + `"}`
	res := c.do(apiRequest{method: http.MethodPost, path: v1 + "/users", body: []byte(fits)})
	res.wantError(t, "POST /users with just under 16 KiB", http.StatusUnprocessableEntity, "invalid_input")
}

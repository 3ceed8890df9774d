package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// named is p with the display name name.
func named(p usecase.Principal, name string) usecase.Principal {
	p.User.DisplayName = domain.RestoreDisplayName(name)
	return p
}

// TestMeShowsDisplayName: GET /me carries the display name as a string
// (markup as it is: JSON is not HTML), null without one.
func TestMeShowsDisplayName(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	token := domain.NewToken([domain.TokenBytes]byte{7})
	api.sessions.Principals[token] = named(alice, `<b>Alice</b> & "co"`)
	const what = "GET /api/v1/me (with a display name)"
	res := api.do(t, call{method: http.MethodGet, path: mePath, token: token})
	res.wantStatus(t, what, http.StatusOK)
	body := res.wantJSON(t, what, `{"id": 7, "username": "Alice", "display_name": "<b>Alice</b> & \"co\"", "role": "user",
		"created_at": "2026-11-26T09:00:00Z", "must_change_password": false, "last_login": null, "email": null, "email_verified": false}`)
	wantDocumented(t, what, body, "Me")
}

// TestUpdateMe: PATCH /me hands the display_name as sent (null as "") to
// the use case with the caller and the client, and answers 200 with the
// account the use case returns, as GET /me shows it; a body without the
// field changes nothing and shows the account as it is.
func TestUpdateMe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		stored   string // what the use case makes of it
		wantCall bool
		wantRaw  string
		wantName string // display_name in the answer, as JSON
	}{
		{"set", `{"display_name": "  Alice   Liddell "}`, "Alice Liddell", true, "  Alice   Liddell ", `"Alice Liddell"`},
		{"non-ASCII", `{"display_name": "山田 \u2764\ufe0f"}`, "山田 \u2764\ufe0f", true, "山田 \u2764\ufe0f", `"山田 \u2764\ufe0f"`},
		{"null clears", `{"display_name": null}`, "", true, "", `null`},
		{"empty clears", `{"display_name": ""}`, "", true, "", `null`},
		{"left out", `{}`, "", false, "", `"Old Name"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			token := domain.NewToken([domain.TokenBytes]byte{7})
			p := named(alice, "Old Name")
			api.sessions.Principals[token] = p
			api.account.SetDisplayNameFunc = func(p usecase.Principal, raw string) (domain.User, error) {
				u := p.User
				u.DisplayName = domain.RestoreDisplayName(tt.stored)
				return u, nil
			}
			what := fmt.Sprintf("PATCH /api/v1/me (%s)", tt.name)
			res := api.do(t, call{method: http.MethodPatch, path: mePath, token: token, body: tt.body})
			res.wantStatus(t, what, http.StatusOK)
			body := res.wantJSON(t, what, `{"id": 7, "username": "Alice", "display_name": `+tt.wantName+`, "role": "user",
				"created_at": "2026-11-26T09:00:00Z", "must_change_password": false, "last_login": null, "email": null, "email_verified": false}`)
			wantDocumented(t, what, body, "Me")
			if tt.wantCall {
				wantArgs(t, what, onlyCall(t, what, &api.account.Calls, "SetDisplayName"), p, tt.wantRaw, testClient)
			} else {
				wantNoCall(t, what, &api.account.Calls, "SetDisplayName")
			}
		})
	}
}

// TestUpdateMeRefused: the use case's refusal comes back as a 422 on
// display_name; a body the API cannot read (a number, an object, an
// unknown or repeated field, a control character, not JSON) never
// reaches it; a failing store is a 503; no token is a 401.
func TestUpdateMeRefused(t *testing.T) {
	t.Parallel()
	const refusal = "Display name must be at most 64 characters long."
	tests := []struct {
		name        string
		body        string
		contentType string
		err         error // what SetDisplayName answers
		wantStatus  int
		wantCode    string
		wantMessage string
		wantFields  map[string]string
	}{
		{name: "invalid name", body: `{"display_name": "x"}`,
			err:        &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputDisplayName: refusal}},
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgInvalidFields,
			wantFields: map[string]string{"display_name": refusal}},
		{name: "a number", body: `{"display_name": 5}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"display_name": "Must be a string."}},
		{name: "an object", body: `{"display_name": {"first": "Alice"}}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"display_name": "Must be a string."}},
		{name: "true", body: `{"display_name": true}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"display_name": "Must be a string."}},
		{name: "unknown field", body: `{"displayName": "Alice"}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"displayName": "Unknown field."}},
		{name: "repeated field", body: `{"display_name": "Alice", "display_name": null}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"display_name": "Appears more than once."}},
		{name: "control character", body: `{"display_name": "Ali\u0007ce"}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"display_name": "Must not contain control characters."}},
		{name: "not JSON", body: `display_name=Alice`, contentType: "application/x-www-form-urlencoded",
			wantStatus: http.StatusUnsupportedMediaType, wantCode: "unsupported_media_type", wantMessage: msgNotJSON, wantFields: map[string]string{}},
		{name: "store unavailable", body: `{"display_name": "Alice"}`, err: fmt.Errorf("set display name of user 7: %w", domain.ErrUnavailable),
			wantStatus: http.StatusServiceUnavailable, wantCode: "unavailable", wantMessage: msgUnavailable, wantFields: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			api.account.SetDisplayNameFunc = func(usecase.Principal, string) (domain.User, error) {
				if tt.err == nil {
					t.Errorf("SetDisplayName called for a body the API must refuse first")
				}
				return domain.User{}, tt.err
			}
			c := call{method: http.MethodPatch, path: mePath, token: aliceToken, body: tt.body}
			if tt.contentType != "" {
				c.header = map[string]string{"Content-Type": tt.contentType}
			}
			what := fmt.Sprintf("PATCH /api/v1/me (%s)", tt.name)
			res := api.do(t, c)
			res.wantError(t, what, tt.wantStatus, tt.wantCode, tt.wantMessage, tt.wantFields)
			wantCalls := map[bool]int{true: 1, false: 0}[tt.err != nil]
			if n := api.account.Count("SetDisplayName"); n != wantCalls {
				t.Errorf("%s: SetDisplayName called %d times, want %d", what, n, wantCalls)
			}
		})
	}

	api := newAPITest(t, Config{})
	const what = "PATCH /api/v1/me (no token)"
	res := api.do(t, call{method: http.MethodPatch, path: mePath, body: `{"display_name": "Mallory"}`})
	res.wantError(t, what, http.StatusUnauthorized, "unauthorized", msgNoBearer, map[string]string{})
	wantNoCall(t, what, &api.account.Calls, "SetDisplayName")
}

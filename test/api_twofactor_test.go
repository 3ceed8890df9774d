package test

import (
	"net/http"
	"testing"
	"time"
)

// TestAPILoginWithSecondFactor: with TOTP on, POST /sessions answers the
// right password with 401 second_factor_required and a challenge, and no
// token; POST /sessions/second-factor with a wrong code is 422 and keeps
// the challenge, with the right code 201 and a working token (remember
// kept), and the used challenge is 401 afterwards. Every answer is checked
// against openapi.json by the client.
func TestAPILoginWithSecondFactor(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	secret := enrollOverHTTP(t, b)

	c := srv.newAPIClient()
	res := c.call(http.MethodPost, v1+"/sessions", map[string]any{"username": "alice", "password": alicePassword, "remember": true})
	res.wantError(t, "POST /sessions (2FA on)", http.StatusUnauthorized, "second_factor_required")
	var body struct {
		SecondFactor struct {
			Challenge string    `json:"challenge"`
			Methods   []string  `json:"methods"`
			ExpiresAt time.Time `json:"expires_at"`
		} `json:"second_factor"`
	}
	res.decode(t, &body)
	ch := body.SecondFactor
	if ch.Challenge == "" || len(ch.Methods) != 2 || ch.Methods[0] != "totp" || ch.Methods[1] != "recovery_code" || time.Until(ch.ExpiresAt) > 5*time.Minute || time.Until(ch.ExpiresAt) < 4*time.Minute {
		t.Fatalf("second_factor = %+v, want a challenge for totp and recovery_code expiring in five minutes", ch)
	}
	wrong := c.call(http.MethodPost, v1+"/sessions/second-factor", map[string]string{"challenge": ch.Challenge, "code": "000000"})
	if e := wrong.wantError(t, "POST /sessions/second-factor (wrong code)", http.StatusUnprocessableEntity, "invalid_input"); e.Error.Fields["code"] == "" {
		t.Errorf("wrong code: fields = %v, want a message on code", e.Error.Fields)
	}
	missing := c.do(apiRequest{method: http.MethodPost, path: v1 + "/sessions/second-factor", body: []byte(`{"challenge":"` + ch.Challenge + `"}`), offSpec: true})
	missing.wantError(t, "POST /sessions/second-factor (no code)", http.StatusUnprocessableEntity, "invalid_input")

	code := codeAt(t, secret, time.Now().Add(30*time.Second))
	ok := c.call(http.MethodPost, v1+"/sessions/second-factor", map[string]string{"challenge": ch.Challenge, "code": code})
	if ok.StatusCode != http.StatusCreated {
		t.Fatalf("POST /sessions/second-factor (right code) = %d, want 201; body: %s", ok.StatusCode, ok.Body)
	}
	var s apiSession
	ok.decode(t, &s)
	if life := time.Until(s.ExpiresAt); life < 24*time.Hour {
		t.Errorf("session expires in %v, want the remember-me lifetime: remember survives the second step", life)
	}
	if me := c.withToken(s.Token).call(http.MethodGet, v1+"/me", nil); me.StatusCode != http.StatusOK {
		t.Errorf("GET /me with the new token = %d, want 200", me.StatusCode)
	}
	again := c.call(http.MethodPost, v1+"/sessions/second-factor", map[string]string{"challenge": ch.Challenge, "code": codeAt(t, secret, time.Now().Add(30*time.Second))})
	again.wantError(t, "POST /sessions/second-factor (used challenge)", http.StatusUnauthorized, "unauthorized")
}

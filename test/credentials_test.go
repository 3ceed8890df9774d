package test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// racingCredentials is the login's account store with a hook: the first
// ByUsername after the hook is set runs it once the account is read, so
// the hook happens between the login's read of the password hash and its
// check and session.
type racingCredentials struct {
	usecase.CredentialStore
	mu   sync.Mutex
	hook func()
}

func (r *racingCredentials) set(hook func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hook = hook
}

func (r *racingCredentials) ByUsername(ctx context.Context, name domain.Username) (domain.User, error) {
	u, err := r.CredentialStore.ByUsername(ctx, name)
	r.mu.Lock()
	hook := r.hook
	r.hook = nil
	r.mu.Unlock()
	if hook != nil {
		hook()
	}
	return u, err
}

// TestAPILoginRacingAPasswordChangeGetsNoSession is the race a reviewer
// won three times in three over loopback: a client logs in with the old
// password (remember me) while the owner changes it from her phone. The
// login read the account before the change; it must not come out with a
// session: it answers as a wrong password does, and the phone's new
// session is alice's only one.
func TestAPILoginRacingAPasswordChangeGetsNoSession(t *testing.T) {
	t.Parallel()
	race := &racingCredentials{}
	srv := startServer(t, withFx(fx.Decorate(func(next usecase.CredentialStore) usecase.CredentialStore {
		race.CredentialStore = next
		return race
	})))
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	phone, _ := c.login("alice", alicePassword, true)

	renewedCh := make(chan string, 1)
	race.set(func() {
		// Sent from the server's goroutine: no t.Fatal here.
		body, _ := json.Marshal(map[string]string{"current_password": alicePassword, "new_password": newPassword})
		req, err := http.NewRequest(http.MethodPut, srv.base+v1+"/me/password", bytes.NewReader(body))
		if err != nil {
			t.Errorf("PUT /me/password during the login: %v", err)
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+phone.token)
		plain := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		res, err := plain.Do(req)
		if err != nil {
			t.Errorf("PUT /me/password during the login: %v", err)
			return
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			t.Errorf("PUT /me/password during the login = %d, want 204", res.StatusCode)
		}
		renewedCh <- res.Header.Get("Gatehouse-Token")
	})

	res := c.call(http.MethodPost, v1+"/sessions", map[string]any{"username": "alice", "password": alicePassword, "remember": true})
	if res.StatusCode == http.StatusCreated {
		var s apiSession
		res.decode(t, &s)
		got := c.withToken(s.Token).call(http.MethodGet, v1+"/me", nil).StatusCode
		t.Fatalf("POST /sessions with the old password, racing the change = 201, and GET /me with its token = %d; want 401 and no session", got)
	}
	res.wantError(t, "login with the old password racing the change", http.StatusUnauthorized, "invalid_credentials")
	var renewed string
	select {
	case renewed = <-renewedCh:
	default:
		t.Fatal("the password change did not run during the login")
	}
	if list := phone.withToken(renewed).sessions().Sessions; len(list) != 1 || !list[0].Current {
		t.Errorf("alice's sessions after the race = %+v, want only the phone's new one", list)
	}
}

// Package idptest runs identity providers on loopback for the tests: a
// real OpenID provider (zitadel/oidc's op package with its example
// storage, inside the test binary) and a stand-in for GitHub that serves
// GitHub's documented OAuth endpoints and API. Neither reaches the
// internet.
package idptest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"
)

// User is an account at the OpenID provider.
type User struct {
	ID, Username, Password string
	Email                  string
	EmailVerified          bool
	First, Last            string
}

// users is the example storage's UserStore over a fixed set of users.
type users struct {
	mu   sync.RWMutex
	byID map[string]*storage.User
}

func (u *users) GetUserByID(id string) *storage.User {
	u.mu.RLock()
	defer u.mu.RUnlock()
	return u.byID[id]
}

func (u *users) GetUserByUsername(name string) *storage.User {
	u.mu.RLock()
	defer u.mu.RUnlock()
	for _, x := range u.byID {
		if x.Username == name {
			return x
		}
	}
	return nil
}

func (u *users) ExampleClientID() string { return storage.ServiceUserID }

// OP is a running OpenID provider. Its issuer is its URL, exactly
// (http://127.0.0.1:PORT), as its discovery document says.
type OP struct {
	URL     string
	clients map[string]*storage.Client
	users   *users
	down    atomic.Bool
}

// SetDown makes the provider answer every request 503 (down) or serve
// again.
func (o *OP) SetDown(down bool) { o.down.Store(down) }

// StartOP starts an OpenID provider on loopback with users, stopped when
// t ends. Register clients with AddClient before their first login.
func StartOP(t testing.TB, accounts ...User) *OP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("idptest: listen: %v", err)
	}
	issuer := "http://" + ln.Addr().String()
	u := &users{byID: map[string]*storage.User{}}
	for _, a := range accounts {
		u.byID[a.ID] = &storage.User{
			ID: a.ID, Username: a.Username, Password: a.Password, FirstName: a.First, LastName: a.Last,
			Email: a.Email, EmailVerified: a.EmailVerified, PreferredLanguage: language.English,
		}
	}
	op := &OP{URL: issuer, clients: map[string]*storage.Client{}, users: u}
	store := storage.NewStorageWithClients(u, op.clients)
	router := exampleop.SetupServer(issuer, store, nil, false)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" { // what a browser asks every site for
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if op.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		router.ServeHTTP(w, r)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return op
}

// AddClient registers a confidential web client.
func (o *OP) AddClient(id, secret string, redirectURIs ...string) {
	o.clients[id] = storage.WebClient(id, secret, redirectURIs...)
}

// SignIn is a browser at the provider: it follows authURL to the
// provider's login page, logs in as username with password, and follows
// the redirects until they leave the provider, returning that address
// (the client's callback, with code and state). client must not follow
// redirects itself and should keep cookies.
func (o *OP) SignIn(t testing.TB, client *http.Client, authURL, username, password string) string {
	t.Helper()
	next := authURL
	for range 10 {
		if !strings.HasPrefix(next, o.URL) {
			return next
		}
		if strings.HasPrefix(next, o.URL+"/login/username") {
			id := queryValue(t, next, "authRequestID")
			resp, err := client.PostForm(o.URL+"/login/username", map[string][]string{
				"id": {id}, "username": {username}, "password": {password},
			})
			if err != nil {
				t.Fatalf("idptest: log in at the provider: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("idptest: log in at the provider as %s: status %d, want 302", username, resp.StatusCode)
			}
			next = absolute(o.URL, resp.Header.Get("Location"))
			continue
		}
		resp, err := client.Get(next)
		if err != nil {
			t.Fatalf("idptest: GET %s: %v", next, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("idptest: GET %s: status %d, want a redirect", next, resp.StatusCode)
		}
		next = absolute(o.URL, resp.Header.Get("Location"))
	}
	t.Fatalf("idptest: too many redirects at the provider")
	return ""
}

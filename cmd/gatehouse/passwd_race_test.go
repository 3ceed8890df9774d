package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/app"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/usecase"
)

// hookedHasher runs during once, inside the first Verify, before the
// password is checked against the hash already read: what happens
// between a login's read of the account and its session.
type hookedHasher struct {
	usecase.PasswordHasher
	once   sync.Once
	during func()
}

func (h *hookedHasher) Verify(ctx context.Context, p domain.Password, encoded string) (bool, bool, error) {
	h.once.Do(h.during)
	return h.PasswordHasher.Verify(ctx, p, encoded)
}

// TestUserPasswdEndsALoginThatRacedIt: the server checks alice's old
// password while the operator runs `gatehouse user passwd alice` from
// another process; the login must not come out with a session.
func TestUserPasswdEndsALoginThatRacedIt(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	must(t, env, "wonderland-2024\n", "user", "create", "alice", "--password-stdin")
	cfg, err := config.Load(lookupIn(env))
	if err != nil {
		t.Fatal(err)
	}
	hook := func() {
		if r := gatehouse(t, env, "looking-glass-1871\n", "user", "passwd", "alice", "--password-stdin"); r.code != exitOK {
			t.Errorf("gatehouse user passwd alice during the login = %d, stderr %q; want 0", r.code, r.stderr)
		}
	}
	var (
		auth     *usecase.Authenticator
		sessions *usecase.SessionManager
		adm      *usecase.Admin
	)
	a := fx.New(append(app.Core(cfg),
		fx.NopLogger,
		fx.Decorate(func(*slog.Logger) *slog.Logger { return slog.New(slog.DiscardHandler) }),
		fx.Decorate(func(h usecase.PasswordHasher) usecase.PasswordHasher {
			return &hookedHasher{PasswordHasher: h, during: hook}
		}),
		fx.Populate(&auth, &sessions, &adm),
	)...)
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("start the core: %v", err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })

	ctx := context.Background()
	res, err := auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "wonderland-2024", Remember: true})
	if !errors.Is(err, domain.ErrInvalidCredentials) || res.Token != "" {
		t.Errorf("Login(alice, old password) racing user passwd = token %v, error %v; want no token, %v", res.Token != "", err, domain.ErrInvalidCredentials)
	}
	alice, err := adm.ByName(ctx, usecase.Operator, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if list, err := sessions.List(ctx, alice.ID); err != nil || len(list) != 0 {
		t.Errorf("alice's sessions after the racing login = %d, %v; want none", len(list), err)
	}
	if _, err := auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "looking-glass-1871"}); err != nil {
		t.Errorf("Login(alice, new password) error = %v, want nil", err)
	}
}

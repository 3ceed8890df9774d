package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/totp"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/webauthntest"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestUser2FAReset: the operator removes a lost authenticator app: the
// account's sessions end, its recovery codes go, its next login asks for
// the password alone, and the history says so; an account without one
// changes nothing. The user list shows whether 2FA is on.
func TestUser2FAReset(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	must(t, env, "wonderland-2024\n", "user", "create", "alice", "--password-stdin")
	var (
		auth    *usecase.Authenticator
		tf      *usecase.TwoFactor
		history usecase.EventLog
		sm      *usecase.SessionManager
		codes   usecase.RecoveryCodeStore
	)
	startCore(t, env, &auth, &tf, &history, &sm, &codes)
	ctx := context.Background()
	login := usecase.LoginInput{Username: "alice", Password: "wonderland-2024"}
	res, err := auth.Login(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	p := usecase.Principal{User: res.User, Session: res.Session}
	state, err := tf.Setup(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.Code(state.Secret, time.Now())
	issued, err := tf.Confirm(ctx, p, code, usecase.Client{})
	if err != nil {
		t.Fatalf("Confirm() error = %v", err)
	}
	token := issued.Token
	if row := listRow(must(t, env, "", "user", "list"), "alice"); len(row) < 3 || row[len(row)-3] != "on" {
		t.Errorf("user list: alice's row %q, want 2FA on", row)
	}
	var required *usecase.SecondFactorRequiredError
	if _, err := auth.Login(ctx, login); !errors.As(err, &required) {
		t.Fatalf("Login(2FA on) error = %v, want a second factor required", err)
	}

	runSteps(t, env, []step{
		{[]string{"user", "2fa-reset", "alice"}, "", exitOK, "removed the second factor of alice and ended its sessions", ""},
		{[]string{"user", "2fa-reset", "alice"}, "", exitOK, "alice has no second factor; nothing changed", ""},
		{[]string{"user", "2fa-reset", "nobody"}, "", exitFailed, "", `no user named "nobody"`},
		{[]string{"user", "2fa-reset"}, "", exitUsage, "", "missing argument: NAME"},
	})
	if _, err := sm.Resolve(ctx, token); !errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("Resolve(alice's session) after 2fa-reset error = %v, want %v: the sessions end", err, domain.ErrUnauthenticated)
	}
	if on, err := tf.Enabled(ctx, p.User.ID); err != nil || on {
		t.Errorf("Enabled(alice) after 2fa-reset = %v, %v, want false", on, err)
	}
	if _, err := auth.Login(ctx, login); err != nil {
		t.Errorf("Login(alice) after 2fa-reset error = %v, want the password alone to do", err)
	}
	if row := listRow(must(t, env, "", "user", "list"), "alice"); len(row) < 3 || row[len(row)-3] != "off" {
		t.Errorf("user list after 2fa-reset: alice's row %q, want 2FA off", row)
	}
	if n, err := codes.Count(ctx, p.User.ID); err != nil || n != 0 {
		t.Errorf("recovery codes after 2fa-reset = %d, %v, want 0 (%d were issued)", n, err, len(issued.RecoveryCodes))
	}
	events, err := history.ListByUser(ctx, p.User.ID, []domain.EventKind{domain.EventAdmin2FAReset}, 10)
	if err != nil || len(events) != 1 {
		t.Errorf("admin_2fa_reset events = %d (%v), want 1", len(events), err)
	}
}

// TestUser2FAResetRemovesPasskeys: an account with only a passkey has a
// second factor to reset; the reset removes the passkey, which then signs
// nobody in.
func TestUser2FAResetRemovesPasskeys(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["PUBLIC_URL"] = "https://login.example.org"
	must(t, env, "wonderland-2024\n", "user", "create", "alice", "--password-stdin")
	var (
		auth *usecase.Authenticator
		keys *usecase.Passkeys
	)
	startCore(t, env, &auth, &keys)
	ctx := context.Background()
	res, err := auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "wonderland-2024"})
	if err != nil {
		t.Fatal(err)
	}
	p := usecase.Principal{User: res.User, Session: res.Session}
	authenticator := webauthntest.New("https://login.example.org")
	options, err := keys.BeginRegistration(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := authenticator.Create(options)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := keys.FinishRegistration(ctx, p, "Laptop", cred, usecase.Client{}); err != nil {
		t.Fatalf("FinishRegistration() error = %v", err)
	}

	if row := listRow(must(t, env, "", "user", "list"), "alice"); len(row) < 2 || row[len(row)-2] != "1" {
		t.Errorf("user list: alice's row %q, want 1 passkey", row)
	}
	runSteps(t, env, []step{
		{[]string{"user", "2fa-reset", "alice"}, "", exitOK, "removed the second factor of alice and ended its sessions", ""},
	})
	if row := listRow(must(t, env, "", "user", "list"), "alice"); len(row) < 2 || row[len(row)-2] != "0" {
		t.Errorf("user list after 2fa-reset: alice's row %q, want 0 passkeys", row)
	}
	if list, err := keys.List(ctx, p); err != nil || len(list) != 0 {
		t.Errorf("passkeys after 2fa-reset = %+v, %v, want none", list, err)
	}
	options, err = keys.BeginLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := authenticator.Get(options)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Login(ctx, usecase.PasskeyLoginInput{Response: answer}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("passkey Login after 2fa-reset error = %v, want %v", err, domain.ErrInvalidCredentials)
	}
}

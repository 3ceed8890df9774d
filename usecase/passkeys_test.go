package usecase_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// The passkey use case runs on the real stores; the WebAuthn ceremony is
// a fake whose answers say plainly what a real authenticator's would
// (the adapter's own tests check real ones), so each edge is one field.

// fakeAnswer is the fake ceremony's WebAuthn JSON.
type fakeAnswer struct {
	Challenge  string `json:"challenge"`
	Credential []byte `json:"credential"`
	Handle     []byte `json:"handle"`
	UV         bool   `json:"uv"`
	Count      uint32 `json:"count"`
	Forged     bool   `json:"forged"`
}

type fakeCeremony struct{ n int }

func (c *fakeCeremony) options(a *usecase.PasskeyAccount) (usecase.PasskeyOptions, error) {
	c.n++
	challenge := fmt.Sprintf("challenge-%d", c.n)
	var handle []byte
	if a != nil {
		handle = a.Handle
	}
	body, _ := json.Marshal(map[string]any{"publicKey": map[string]any{"challenge": challenge, "handle": handle}})
	state, _ := json.Marshal(map[string]any{"handle": handle})
	return usecase.PasskeyOptions{JSON: body, Challenge: challenge, State: state}, nil
}

func (c *fakeCeremony) BeginRegistration(a usecase.PasskeyAccount) (usecase.PasskeyOptions, error) {
	return c.options(&a)
}

func (c *fakeCeremony) RegistrationChallenge(response []byte) (string, error) {
	var ans fakeAnswer
	if err := json.Unmarshal(response, &ans); err != nil {
		return "", fmt.Errorf("%w: %w", usecase.ErrPasskeyRefused, err)
	}
	return ans.Challenge, nil
}

func (c *fakeCeremony) FinishRegistration(a usecase.PasskeyAccount, state []byte, challenge string, response []byte) (domain.Passkey, error) {
	var ans fakeAnswer
	if err := json.Unmarshal(response, &ans); err != nil || ans.Forged || ans.Challenge != challenge {
		return domain.Passkey{}, usecase.ErrPasskeyRefused
	}
	if !ans.UV {
		return domain.Passkey{}, usecase.ErrPasskeyNoUserVerification
	}
	return domain.Passkey{CredentialID: ans.Credential, PublicKey: []byte("public key"), SignCount: ans.Count, UserVerified: true}, nil
}

func (c *fakeCeremony) BeginLogin(a *usecase.PasskeyAccount) (usecase.PasskeyOptions, error) {
	return c.options(a)
}

func (c *fakeCeremony) ReadAssertion(response []byte) (usecase.PasskeyAssertion, error) {
	var ans fakeAnswer
	if err := json.Unmarshal(response, &ans); err != nil {
		return usecase.PasskeyAssertion{}, usecase.ErrPasskeyRefused
	}
	return usecase.PasskeyAssertion{Challenge: ans.Challenge, CredentialID: ans.Credential, UserHandle: ans.Handle}, nil
}

func (c *fakeCeremony) FinishLogin(a usecase.PasskeyAccount, state []byte, challenge string, response []byte) (usecase.PasskeyUse, error) {
	var ans fakeAnswer
	if err := json.Unmarshal(response, &ans); err != nil || ans.Forged || ans.Challenge != challenge {
		return usecase.PasskeyUse{}, usecase.ErrPasskeyRefused
	}
	if !ans.UV {
		return usecase.PasskeyUse{}, usecase.ErrPasskeyNoUserVerification
	}
	for _, p := range a.Passkeys {
		if bytes.Equal(p.CredentialID, ans.Credential) {
			clone := (p.SignCount != 0 || ans.Count != 0) && ans.Count <= p.SignCount
			return usecase.PasskeyUse{CredentialID: p.CredentialID, SignCount: ans.Count, UserVerified: true, CloneWarning: clone}, nil
		}
	}
	return usecase.PasskeyUse{}, usecase.ErrPasskeyRefused
}

type passkeyFixture struct {
	*twoFactorFixture
	keys *usecase.Passkeys
}

func newPasskeyFixture(t *testing.T) *passkeyFixture {
	t.Helper()
	f := newTwoFactorFixture(t)
	keys := usecase.NewPasskeys(f.passkeys, f.pkChallenges, &fakeCeremony{}, f.users, f.account, f.manager, f.throttle,
		testDevices, f.challenges, &seqTokens{n: 240}, usecase.CodeKey("test key"), f.events, f.clock, discard)
	return &passkeyFixture{twoFactorFixture: f, keys: keys}
}

// challengeOf reads the challenge of options.
func challengeOf(t *testing.T, options []byte) (string, []byte) {
	t.Helper()
	var o struct {
		PublicKey struct {
			Challenge string `json:"challenge"`
			Handle    []byte `json:"handle"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal(options, &o); err != nil || o.PublicKey.Challenge == "" {
		t.Fatalf("options %s: %v, want a challenge", options, err)
	}
	return o.PublicKey.Challenge, o.PublicKey.Handle
}

func answer(t *testing.T, a fakeAnswer) []byte {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// add registers credential cred for p as "Laptop" and returns the new
// principal and alice's user handle.
func (f *passkeyFixture) add(t *testing.T, p usecase.Principal, cred string, count uint32) (usecase.Principal, []byte) {
	t.Helper()
	ctx := context.Background()
	options, err := f.keys.BeginRegistration(ctx, p)
	if err != nil {
		t.Fatalf("BeginRegistration() error = %v", err)
	}
	challenge, handle := challengeOf(t, options)
	token, s, err := f.keys.FinishRegistration(ctx, p, " Laptop ", answer(t, fakeAnswer{Challenge: challenge, Credential: []byte(cred), UV: true, Count: count}), home)
	if err != nil {
		t.Fatalf("FinishRegistration() error = %v", err)
	}
	if s.TokenHash != token.Hash() {
		t.Fatalf("FinishRegistration returned session %d not for its token", s.ID)
	}
	p.Session, p.User.CredentialVersion = s, s.CredentialVersion
	return p, handle
}

// beginLogin starts a discoverable login and returns its challenge.
func (f *passkeyFixture) beginLogin(t *testing.T) string {
	t.Helper()
	options, err := f.keys.BeginLogin(context.Background())
	if err != nil {
		t.Fatalf("BeginLogin() error = %v", err)
	}
	c, handle := challengeOf(t, options)
	if handle != nil {
		t.Fatalf("discoverable login options name user handle %x, want none", handle)
	}
	return c
}

func (f *passkeyFixture) failures(t *testing.T, user domain.UserID) []string {
	t.Helper()
	var out []string
	for _, e := range f.events.history(t, user) {
		if e.Kind == domain.EventPasskeyFailure {
			out = append(out, e.Detail)
		}
	}
	return out
}

// TestPasskeyRegistration: adding a passkey stores it under its name,
// moves the credential version on (the other sessions end, this browser
// gets a new one) and records it; bad names, answers without user
// verification, reused challenges and another account's challenge are
// refused without storing anything.
func TestPasskeyRegistration(t *testing.T) {
	f := newPasskeyFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)
	other := f.loginAlice(t)

	if _, _, err := f.keys.FinishRegistration(ctx, p, "   ", []byte(`{}`), home); !isInvalid(err, usecase.InputPasskeyName) {
		t.Errorf("FinishRegistration(blank name) error = %v, want an invalid %s", err, usecase.InputPasskeyName)
	}
	options, err := f.keys.BeginRegistration(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	challenge, handle := challengeOf(t, options)
	if len(handle) != 32 || bytes.Contains(handle, []byte(fmt.Sprint(p.User.ID))) && len(handle) < 8 {
		t.Errorf("user handle %x, want 32 random bytes", handle)
	}
	if _, _, err := f.keys.FinishRegistration(ctx, p, "Laptop", answer(t, fakeAnswer{Challenge: challenge, Credential: []byte("c1")}), home); !isInvalid(err, usecase.InputPasskey) {
		t.Errorf("FinishRegistration(no user verification) error = %v, want an invalid %s", err, usecase.InputPasskey)
	}
	// The refused answer used the challenge up.
	if _, _, err := f.keys.FinishRegistration(ctx, p, "Laptop", answer(t, fakeAnswer{Challenge: challenge, Credential: []byte("c1"), UV: true}), home); !isInvalid(err, usecase.InputPasskey) {
		t.Errorf("FinishRegistration(challenge used) error = %v, want an invalid %s", err, usecase.InputPasskey)
	}
	if list, _ := f.keys.List(ctx, p); len(list) != 0 {
		t.Fatalf("passkeys after refusals = %+v, want none", list)
	}

	p, handle2 := f.add(t, p, "c1", 0)
	if !bytes.Equal(handle, handle2) {
		t.Errorf("user handle changed from %x to %x, want one per account", handle, handle2)
	}
	list, err := f.keys.List(ctx, p)
	if err != nil || len(list) != 1 || list[0].Name.String() != "Laptop" || !list[0].CreatedAt.Equal(f.clock.Now()) || !list[0].LastUsedAt.IsZero() {
		t.Fatalf("List() = %+v, %v, want Laptop, created now, never used", list, err)
	}
	if list, err := f.manager.List(ctx, p.User.ID); err != nil || len(list) != 1 || list[0].ID != p.Session.ID || list[0].ID == other.Session.ID {
		t.Errorf("sessions after adding a passkey = %+v, %v, want only the new one of this browser", list, err)
	}
	if !contains(f.events.kinds(t, p.User.ID), domain.EventPasskeyAdded) {
		t.Errorf("no %s event", domain.EventPasskeyAdded)
	}

	// A challenge begun for bob is no use to alice.
	bob := f.createUser(t, "bob")
	bobOptions, err := f.keys.BeginRegistration(ctx, usecase.Principal{User: bob})
	if err != nil {
		t.Fatal(err)
	}
	bobChallenge, _ := challengeOf(t, bobOptions)
	if _, _, err := f.keys.FinishRegistration(ctx, p, "Stolen", answer(t, fakeAnswer{Challenge: bobChallenge, Credential: []byte("c2"), UV: true}), home); !isInvalid(err, usecase.InputPasskey) {
		t.Errorf("FinishRegistration(bob's challenge) error = %v, want an invalid %s", err, usecase.InputPasskey)
	}
	// The same credential again is refused.
	options, _ = f.keys.BeginRegistration(ctx, p)
	challenge, _ = challengeOf(t, options)
	if _, _, err := f.keys.FinishRegistration(ctx, p, "Again", answer(t, fakeAnswer{Challenge: challenge, Credential: []byte("c1"), UV: true}), home); !isInvalid(err, usecase.InputPasskey) {
		t.Errorf("FinishRegistration(credential registered) error = %v, want an invalid %s", err, usecase.InputPasskey)
	}
	// An expired challenge is refused.
	options, _ = f.keys.BeginRegistration(ctx, p)
	challenge, _ = challengeOf(t, options)
	f.clock.Advance(usecase.PasskeyChallengeLifetime)
	if _, _, err := f.keys.FinishRegistration(ctx, p, "Late", answer(t, fakeAnswer{Challenge: challenge, Credential: []byte("c3"), UV: true}), home); !isInvalid(err, usecase.InputPasskey) {
		t.Errorf("FinishRegistration(expired challenge) error = %v, want an invalid %s", err, usecase.InputPasskey)
	}
	if n, err := f.keys.Purge(ctx); err != nil || n != 1 {
		t.Errorf("Purge() = %d, %v, want the 1 expired challenge left (the others were used)", n, err)
	}
}

// TestPasskeyLogin: a passkey signs in with no username and no second
// step even with TOTP on; the edges are refused with one answer and each
// is recorded with its reason: a wrong challenge, an expired one, a used
// one, no user verification, a counter that went backwards (a possible
// clone), an unknown credential. A disabled account is refused, and the
// login throttle counts passkey failures as it does passwords'.
func TestPasskeyLogin(t *testing.T) {
	f := newPasskeyFixture(t)
	ctx := context.Background()
	p, _ := f.enroll(t)
	p, handle := f.add(t, p, "c1", 10)

	login := func(a fakeAnswer) (usecase.LoginResult, error) {
		return f.keys.Login(ctx, usecase.PasskeyLoginInput{Response: answer(t, a), Client: home})
	}
	res, err := login(fakeAnswer{Challenge: f.beginLogin(t), Credential: []byte("c1"), Handle: handle, UV: true, Count: 11})
	if err != nil || res.User.ID != p.User.ID || res.Token == "" || res.Device == "" {
		t.Fatalf("Login(passkey, TOTP on) = %+v, %v, want a session for alice without a second step", res, err)
	}
	if !res.Session.TwoFactor() {
		t.Errorf("Login(passkey) session %+v is not marked two-factor: a passkey with user verification is two factors", res.Session)
	}
	if h := f.events.history(t, p.User.ID); h[len(h)-1].Kind != domain.EventLoginSuccess || h[len(h)-1].Detail != usecase.MethodPasskey {
		t.Errorf("latest event %+v, want %s with detail %s", h[len(h)-1], domain.EventLoginSuccess, usecase.MethodPasskey)
	}
	if list, _ := f.keys.List(ctx, p); list[0].SignCount != 11 || !list[0].LastUsedAt.Equal(f.clock.Now()) {
		t.Errorf("passkey after login = %+v, want counter 11, used now", list[0])
	}

	used := f.beginLogin(t)
	if _, err := login(fakeAnswer{Challenge: used, Credential: []byte("c1"), Handle: handle, UV: true, Count: 12}); err != nil {
		t.Fatal(err)
	}
	expired := f.beginLogin(t)
	f.clock.Advance(usecase.PasskeyChallengeLifetime + time.Second)
	tests := []struct {
		name   string
		answer fakeAnswer
		reason string
	}{
		{"wrong challenge", fakeAnswer{Challenge: "challenge-never-issued", Credential: []byte("c1"), Handle: handle, UV: true, Count: 20}, domain.FailureBadAssertion},
		{"expired challenge", fakeAnswer{Challenge: expired, Credential: []byte("c1"), Handle: handle, UV: true, Count: 20}, domain.FailureBadAssertion},
		{"used challenge", fakeAnswer{Challenge: used, Credential: []byte("c1"), Handle: handle, UV: true, Count: 20}, domain.FailureBadAssertion},
		{"no user verification", fakeAnswer{Credential: []byte("c1"), Handle: handle, Count: 20}, domain.FailureNoUserVerification},
		{"counter went backwards", fakeAnswer{Credential: []byte("c1"), Handle: handle, UV: true, Count: 5}, domain.FailurePossibleClone},
		{"forged signature", fakeAnswer{Credential: []byte("c1"), Handle: handle, UV: true, Count: 30, Forged: true}, domain.FailureBadAssertion},
		{"unknown credential", fakeAnswer{Credential: []byte("c9"), Handle: handle, UV: true, Count: 30}, domain.FailureUnknownPasskey},
	}
	for _, tt := range tests {
		a := tt.answer
		if a.Challenge == "" {
			a.Challenge = f.beginLogin(t)
		}
		before := len(f.failures(t, p.User.ID))
		if _, err := login(a); !errors.Is(err, usecase.ErrPasskeyLoginFailed) || !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Errorf("Login(%s) error = %v, want %v", tt.name, err, usecase.ErrPasskeyLoginFailed)
			continue
		}
		got := f.failures(t, p.User.ID)
		if tt.reason == domain.FailureBadAssertion && tt.answer.Challenge != "" {
			continue // a challenge not found names no account yet: recorded about none
		}
		if len(got) != before+1 || got[len(got)-1] != tt.reason {
			t.Errorf("Login(%s) recorded %v, want a %s failure with %s", tt.name, got, domain.EventPasskeyFailure, tt.reason)
		}
	}
	if list, _ := f.keys.List(ctx, p); list[0].SignCount != 12 {
		t.Errorf("counter after refusals = %d, want 12 (unchanged)", list[0].SignCount)
	}
	if _, err := login(fakeAnswer{Challenge: f.beginLogin(t), Credential: []byte("c1"), Handle: []byte("no such handle"), UV: true, Count: 40}); !errors.Is(err, usecase.ErrPasskeyLoginFailed) {
		t.Errorf("Login(unknown handle) error = %v, want %v", err, usecase.ErrPasskeyLoginFailed)
	}

	// Four failures so far count for the throttle (5 allowed): one more
	// and the next attempt waits, even with a right answer.
	if _, err := login(fakeAnswer{Challenge: f.beginLogin(t), Credential: []byte("c1"), Handle: handle, Count: 50}); !errors.Is(err, usecase.ErrPasskeyLoginFailed) {
		t.Fatalf("Login(5th failure) error = %v", err)
	}
	var throttled *domain.ThrottledError
	if _, err := login(fakeAnswer{Challenge: f.beginLogin(t), Credential: []byte("c1"), Handle: handle, UV: true, Count: 51}); !errors.As(err, &throttled) {
		t.Errorf("Login(after 5 failures) error = %v, want a *ThrottledError", err)
	}
	f.clock.Advance(time.Hour)

	if err := f.users.SetDisabled(ctx, p.User.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := login(fakeAnswer{Challenge: f.beginLogin(t), Credential: []byte("c1"), Handle: handle, UV: true, Count: 60}); !errors.Is(err, domain.ErrAccountDisabled) {
		t.Errorf("Login(disabled account) error = %v, want %v", err, domain.ErrAccountDisabled)
	}
}

// TestPasskeySecondStep: with TOTP on and a passkey, the password step's
// challenge offers the passkey; a passkey answer to the login's own ceremony completes it,
// once; a ceremony of the first-factor login is not accepted here.
func TestPasskeySecondStep(t *testing.T) {
	f := newPasskeyFixture(t)
	ctx := context.Background()
	p, _ := f.enroll(t)
	_, handle := f.add(t, p, "c1", 0)

	_, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Remember: true, Client: home})
	var required *usecase.SecondFactorRequiredError
	if !errors.As(err, &required) {
		t.Fatalf("Login(password, TOTP and a passkey) error = %v, want a challenge", err)
	}
	challenge := required.Challenge.Reveal()
	if !f.keys.OffersPasskey(ctx, challenge) {
		t.Errorf("OffersPasskey(challenge of an account with a passkey) = false, want true")
	}
	if f.keys.OffersPasskey(ctx, "not a challenge") {
		t.Errorf("OffersPasskey(bad token) = true, want false")
	}

	if _, err := f.keys.BeginSecondStep(ctx, "not a challenge"); !errors.Is(err, usecase.ErrChallengeGone) {
		t.Errorf("BeginSecondStep(bad token) error = %v, want %v", err, usecase.ErrChallengeGone)
	}
	wrong := f.beginLogin(t) // a first-factor ceremony
	if _, err := f.keys.CompleteLogin(ctx, usecase.PasskeySecondStepInput{Challenge: challenge, Response: answer(t, fakeAnswer{Challenge: wrong, Credential: []byte("c1"), Handle: handle, UV: true}), Client: home}); !errors.Is(err, usecase.ErrPasskeyLoginFailed) {
		t.Errorf("CompleteLogin(a login ceremony's answer) error = %v, want %v", err, usecase.ErrPasskeyLoginFailed)
	}
	options, err := f.keys.BeginSecondStep(ctx, challenge)
	if err != nil {
		t.Fatalf("BeginSecondStep() error = %v", err)
	}
	c, named := challengeOf(t, options)
	if !bytes.Equal(named, handle) {
		t.Errorf("second-step options name handle %x, want alice's %x", named, handle)
	}
	res, err := f.keys.CompleteLogin(ctx, usecase.PasskeySecondStepInput{Challenge: challenge, Response: answer(t, fakeAnswer{Challenge: c, Credential: []byte("c1"), Handle: handle, UV: true}), Client: home})
	if err != nil || res.User.ID != p.User.ID || !res.Session.Persistent {
		t.Fatalf("CompleteLogin(passkey) = %+v, %v, want alice's remembered session", res, err)
	}
	if !res.Session.TwoFactor() {
		t.Errorf("CompleteLogin(passkey) session %+v is not marked two-factor", res.Session)
	}
	options, _ = f.keys.BeginSecondStep(ctx, challenge)
	if options != nil {
		t.Errorf("BeginSecondStep(challenge used) = %s, want nothing", options)
	}
}

// TestPasskeyRenameRemove: renaming checks the name and the owner;
// removing needs the current password and moves the credential version
// on; 2fa-reset removes every passkey.
func TestPasskeyRenameRemove(t *testing.T) {
	f := newPasskeyFixture(t)
	ctx := context.Background()
	p, _ := f.add(t, f.loginAlice(t), "c1", 0)
	list, _ := f.keys.List(ctx, p)
	id := list[0].ID

	if err := f.keys.Rename(ctx, p, id, "\x00bad", home); !isInvalid(err, usecase.InputPasskeyName) {
		t.Errorf("Rename(control character) error = %v, want an invalid %s", err, usecase.InputPasskeyName)
	}
	bob := f.createUser(t, "bob")
	if err := f.keys.Rename(ctx, usecase.Principal{User: bob}, id, "Mine", home); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("Rename(bob, alice's passkey) error = %v, want %v", err, domain.ErrNotFound)
	}
	if err := f.keys.Rename(ctx, p, id, "Phone", home); err != nil {
		t.Fatalf("Rename() error = %v", err)
	}
	if list, _ := f.keys.List(ctx, p); list[0].Name.String() != "Phone" {
		t.Errorf("name after Rename = %q, want Phone", list[0].Name)
	}

	if _, _, err := f.keys.Remove(ctx, p, id, "wrong password", home); !isInvalid(err, usecase.InputCurrentPassword) {
		t.Errorf("Remove(wrong password) error = %v, want an invalid %s", err, usecase.InputCurrentPassword)
	}
	if _, _, err := f.keys.Remove(ctx, usecase.Principal{User: bob}, id, "correct horse battery", home); err == nil {
		t.Errorf("Remove(bob, alice's passkey) error = nil, want a refusal")
	}
	token, s, err := f.keys.Remove(ctx, p, id, "correct horse battery", home)
	if err != nil || s.TokenHash != token.Hash() || s.CredentialVersion != p.User.CredentialVersion+1 {
		t.Fatalf("Remove() = %+v, %v, want a new session under version %d", s, err, p.User.CredentialVersion+1)
	}
	if list, _ := f.keys.List(ctx, p); len(list) != 0 {
		t.Errorf("passkeys after Remove = %+v, want none", list)
	}
	if !contains(f.events.kinds(t, p.User.ID), domain.EventPasskeyRemoved) {
		t.Errorf("no %s event", domain.EventPasskeyRemoved)
	}

	p.Session, p.User.CredentialVersion = s, s.CredentialVersion
	f.add(t, p, "c2", 0)
	if ok, err := f.tf.Reset(ctx, usecase.Operator, p.User.ID, home); err != nil || !ok {
		t.Fatalf("Reset(passkey only) = %v, %v, want true", ok, err)
	}
	if list, _ := f.keys.List(ctx, p); len(list) != 0 {
		t.Errorf("passkeys after Reset = %+v, want none", list)
	}
}

func isInvalid(err error, in usecase.Input) bool {
	var invalid *usecase.InvalidInputError
	return errors.As(err, &invalid) && invalid.Fields[in] != ""
}

func (f *passkeyFixture) createUser(t *testing.T, name string) domain.User {
	t.Helper()
	u, err := f.users.Create(context.Background(), domain.User{Username: domain.RestoreUsername(name), PasswordHash: "v1:correct horse battery", Role: domain.RoleUser})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

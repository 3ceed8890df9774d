package webauthn_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/webauthn"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/webauthntest"
	"github.com/gatehouse/gatehouse/usecase"
)

const origin = "https://login.example.org"

func newCeremony(t *testing.T) *webauthn.Ceremony {
	t.Helper()
	c, err := webauthn.New(webauthn.Settings{RPID: "login.example.org", Origins: []string{origin}, DisplayName: "gatehouse", Timeout: 5 * time.Minute})
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return c
}

var alice = usecase.PasskeyAccount{Handle: []byte("0123456789abcdef0123456789abcdef"), Name: "alice", DisplayName: "Alice"}

// register adds auth's new credential to a copy of alice and returns it.
func register(t *testing.T, c *webauthn.Ceremony, auth *webauthntest.Authenticator) (usecase.PasskeyAccount, domain.Passkey) {
	t.Helper()
	o, err := c.BeginRegistration(alice)
	if err != nil {
		t.Fatalf("BeginRegistration() error = %v", err)
	}
	resp, err := auth.Create(o.JSON)
	if err != nil {
		t.Fatal(err)
	}
	challenge, err := c.RegistrationChallenge(resp)
	if err != nil || challenge != o.Challenge {
		t.Fatalf("RegistrationChallenge() = %q, %v, want %q", challenge, err, o.Challenge)
	}
	pk, err := c.FinishRegistration(alice, o.State, challenge, resp)
	if err != nil {
		t.Fatalf("FinishRegistration() error = %v", err)
	}
	a := alice
	a.Passkeys = []domain.Passkey{pk}
	return a, pk
}

// TestRegistration: the options require a resident key and user
// verification and the state keeps no challenge; an attestation is
// accepted only for its own challenge and origin, and only with user
// verification.
func TestRegistration(t *testing.T) {
	c := newCeremony(t)
	o, err := c.BeginRegistration(alice)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"residentKey":"required"`, `"userVerification":"required"`, `"requireResidentKey":true`} {
		if !contains(string(o.JSON), want) {
			t.Errorf("creation options %s lack %s", o.JSON, want)
		}
	}
	if contains(string(o.State), o.Challenge) {
		t.Errorf("state %s holds the challenge: it must be kept only as a hash", o.State)
	}
	auth := webauthntest.New(origin)
	a, pk := register(t, c, auth)
	if len(pk.CredentialID) != 16 || len(pk.PublicKey) == 0 || !pk.UserVerified || pk.AttestationFormat != "none" || len(pk.Transports) != 1 {
		t.Errorf("FinishRegistration() = %+v, want the credential with its key, UV, none attestation, transports", pk)
	}

	// Another challenge than the state's, another origin, no UV.
	o2, _ := c.BeginRegistration(a)
	resp, _ := webauthntest.New(origin).Create(o2.JSON)
	if _, err := c.FinishRegistration(a, o2.State, o.Challenge, resp); !errors.Is(err, usecase.ErrPasskeyRefused) {
		t.Errorf("FinishRegistration(wrong challenge) error = %v, want %v", err, usecase.ErrPasskeyRefused)
	}
	evil := webauthntest.New("https://evil.example.net")
	resp, _ = evil.Create(o2.JSON)
	if _, err := c.FinishRegistration(a, o2.State, o2.Challenge, resp); !errors.Is(err, usecase.ErrPasskeyRefused) {
		t.Errorf("FinishRegistration(other origin) error = %v, want %v", err, usecase.ErrPasskeyRefused)
	}
	noUV := webauthntest.New(origin)
	noUV.UserVerified = false
	resp, _ = noUV.Create(o2.JSON)
	if _, err := c.FinishRegistration(a, o2.State, o2.Challenge, resp); !errors.Is(err, usecase.ErrPasskeyNoUserVerification) {
		t.Errorf("FinishRegistration(no UV) error = %v, want %v", err, usecase.ErrPasskeyNoUserVerification)
	}
	if _, err := c.RegistrationChallenge([]byte(`{"id":1}`)); !errors.Is(err, usecase.ErrPasskeyRefused) {
		t.Errorf("RegistrationChallenge(garbage) error = %v, want %v", err, usecase.ErrPasskeyRefused)
	}
}

// TestLogin: a discoverable login and a login for a named account verify
// the signature, report the counter and a counter that went backwards,
// and refuse answers without user verification or for another challenge.
func TestLogin(t *testing.T) {
	c := newCeremony(t)
	auth := webauthntest.New(origin)
	auth.Counter = 5
	a, pk := register(t, c, auth)
	a.Passkeys[0].SignCount = 5

	for _, named := range []bool{false, true} {
		var subject *usecase.PasskeyAccount
		if named {
			subject = &a
		}
		o, err := c.BeginLogin(subject)
		if err != nil {
			t.Fatal(err)
		}
		if !contains(string(o.JSON), `"userVerification":"required"`) {
			t.Errorf("request options %s do not require user verification", o.JSON)
		}
		resp, err := auth.Get(o.JSON)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.ReadAssertion(resp)
		if err != nil || got.Challenge != o.Challenge || string(got.CredentialID) != string(pk.CredentialID) || string(got.UserHandle) != string(alice.Handle) {
			t.Fatalf("ReadAssertion() = %+v, %v, want the challenge, credential and handle", got, err)
		}
		use, err := c.FinishLogin(a, o.State, o.Challenge, resp)
		if err != nil || use.SignCount != auth.Counter || !use.UserVerified || use.CloneWarning {
			t.Fatalf("FinishLogin(named %v) = %+v, %v, want counter %d, UV, no clone warning", named, use, err, auth.Counter)
		}
		a.Passkeys[0].SignCount = use.SignCount
	}

	o, _ := c.BeginLogin(nil)
	resp, _ := auth.Get(o.JSON)
	a.Passkeys[0].SignCount = auth.Counter + 10 // the stored counter is ahead: a clone answered
	if use, err := c.FinishLogin(a, o.State, o.Challenge, resp); err != nil || !use.CloneWarning {
		t.Errorf("FinishLogin(counter went backwards) = %+v, %v, want a clone warning", use, err)
	}
	a.Passkeys[0].SignCount = 0

	o, _ = c.BeginLogin(nil)
	other, _ := c.BeginLogin(nil)
	resp, _ = auth.Get(o.JSON)
	_, err := c.FinishLogin(a, other.State, other.Challenge, resp)
	if !errors.Is(err, usecase.ErrPasskeyRefused) {
		t.Errorf("FinishLogin(another challenge) error = %v, want %v", err, usecase.ErrPasskeyRefused)
	}
	if err != nil && (contains(err.Error(), o.Challenge) || contains(err.Error(), other.Challenge)) {
		t.Errorf("FinishLogin(another challenge) error %q quotes a challenge: errors are logged", err)
	}
	auth.UserVerified = false
	resp, _ = auth.Get(o.JSON)
	if _, err := c.FinishLogin(a, o.State, o.Challenge, resp); !errors.Is(err, usecase.ErrPasskeyNoUserVerification) {
		t.Errorf("FinishLogin(no UV) error = %v, want %v", err, usecase.ErrPasskeyNoUserVerification)
	}
	auth.UserVerified = true
	stranger := a
	stranger.Handle = []byte("another handle")
	resp, _ = auth.Get(o.JSON)
	if _, err := c.FinishLogin(stranger, o.State, o.Challenge, resp); !errors.Is(err, usecase.ErrPasskeyRefused) {
		t.Errorf("FinishLogin(account of another handle) error = %v, want %v", err, usecase.ErrPasskeyRefused)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

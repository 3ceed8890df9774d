package webauthn

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	lib "github.com/go-webauthn/webauthn/webauthn"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.PasskeyCeremony = (*Ceremony)(nil)

// Settings name the relying party.
type Settings struct {
	// RPID is the relying party's ID: the site's host name or a parent
	// domain of it, never an IP address.
	RPID string
	// Origins are the origins answers may come from, such as
	// https://login.example.com.
	Origins []string
	// DisplayName is the name authenticators show.
	DisplayName string
	// Timeout is what the options ask the client to wait at most.
	Timeout time.Duration
}

// Ceremony is the relying party of Settings.
type Ceremony struct {
	w *lib.WebAuthn
}

// New returns the Ceremony of s, or an error for settings the library
// refuses.
func New(s Settings) (*Ceremony, error) {
	t := lib.TimeoutConfig{Enforce: true, Timeout: s.Timeout, TimeoutUVD: s.Timeout}
	w, err := lib.New(&lib.Config{
		RPID: s.RPID, RPDisplayName: s.DisplayName, RPOrigins: s.Origins,
		AttestationPreference: protocol.PreferNoAttestation,
		Timeouts:              lib.TimeoutsConfig{Login: t, Registration: t},
	})
	if err != nil {
		return nil, fmt.Errorf("webauthn: relying party %q: %w", s.RPID, err)
	}
	return &Ceremony{w: w}, nil
}

// account adapts a usecase.PasskeyAccount to the library's User.
type account struct{ a usecase.PasskeyAccount }

func (u account) WebAuthnID() []byte          { return u.a.Handle }
func (u account) WebAuthnName() string        { return u.a.Name }
func (u account) WebAuthnDisplayName() string { return u.a.DisplayName }
func (u account) WebAuthnCredentials() []lib.Credential {
	list := make([]lib.Credential, len(u.a.Passkeys))
	for i, p := range u.a.Passkeys {
		list[i] = credential(p)
	}
	return list
}

func credential(p domain.Passkey) lib.Credential {
	transports := make([]protocol.AuthenticatorTransport, len(p.Transports))
	for i, t := range p.Transports {
		transports[i] = protocol.AuthenticatorTransport(t)
	}
	return lib.Credential{
		ID: p.CredentialID, PublicKey: p.PublicKey,
		AttestationType: p.AttestationType, AttestationFormat: p.AttestationFormat,
		Transport: transports,
		Flags: lib.CredentialFlags{
			UserPresent: true, UserVerified: p.UserVerified,
			BackupEligible: p.BackupEligible, BackupState: p.BackupState,
		},
		Authenticator: lib.Authenticator{AAGUID: p.AAGUID, SignCount: p.SignCount},
	}
}

// options returns the client's options and the state without its
// challenge, which the store keeps only as a keyed hash.
func options(v any, session *lib.SessionData) (usecase.PasskeyOptions, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return usecase.PasskeyOptions{}, fmt.Errorf("webauthn: encode options: %w", err)
	}
	challenge := session.Challenge
	s := *session
	s.Challenge = ""
	state, err := json.Marshal(s)
	if err != nil {
		return usecase.PasskeyOptions{}, fmt.Errorf("webauthn: encode state: %w", err)
	}
	return usecase.PasskeyOptions{JSON: body, Challenge: challenge, State: state}, nil
}

// session restores a state with its challenge.
func session(state []byte, challenge string) (lib.SessionData, error) {
	var s lib.SessionData
	if err := json.Unmarshal(state, &s); err != nil {
		return lib.SessionData{}, fmt.Errorf("webauthn: decode state: %w", err)
	}
	s.Challenge = challenge
	return s, nil
}

// refused wraps a library refusal. Only the library's summary
// (protocol.Error's Details) is kept: its DevInfo may quote the
// challenge, which must never reach a log line.
func refused(err error) error {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: %s", usecase.ErrPasskeyRefused, pe.Details)
	}
	return fmt.Errorf("%w: %w", usecase.ErrPasskeyRefused, err)
}

// BeginRegistration starts adding a passkey to a.
func (c *Ceremony) BeginRegistration(a usecase.PasskeyAccount) (usecase.PasskeyOptions, error) {
	u := account{a}
	required := true
	exclude := make([]protocol.CredentialDescriptor, 0, len(a.Passkeys))
	for _, cred := range u.WebAuthnCredentials() {
		exclude = append(exclude, cred.Descriptor())
	}
	creation, s, err := c.w.BeginRegistration(u,
		lib.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			RequireResidentKey: &required,
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			UserVerification:   protocol.VerificationRequired,
		}),
		lib.WithConveyancePreference(protocol.PreferNoAttestation),
		lib.WithExclusions(exclude),
	)
	if err != nil {
		return usecase.PasskeyOptions{}, fmt.Errorf("webauthn: begin registration: %w", err)
	}
	return options(creation, s)
}

// RegistrationChallenge reads the challenge of an attestation.
func (c *Ceremony) RegistrationChallenge(response []byte) (string, error) {
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return "", refused(err)
	}
	return parsed.Response.CollectedClientData.Challenge, nil
}

// FinishRegistration checks an attestation and returns its passkey.
func (c *Ceremony) FinishRegistration(a usecase.PasskeyAccount, state []byte, challenge string, response []byte) (domain.Passkey, error) {
	s, err := session(state, challenge)
	if err != nil {
		return domain.Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return domain.Passkey{}, refused(err)
	}
	if !parsed.Response.AttestationObject.AuthData.Flags.HasUserVerified() {
		return domain.Passkey{}, usecase.ErrPasskeyNoUserVerification
	}
	cred, err := c.w.CreateCredential(account{a}, s, parsed)
	if err != nil {
		return domain.Passkey{}, refused(err)
	}
	transports := make([]string, len(cred.Transport))
	for i, t := range cred.Transport {
		transports[i] = string(t)
	}
	return domain.Passkey{
		CredentialID: cred.ID, PublicKey: cred.PublicKey, SignCount: cred.Authenticator.SignCount,
		Transports: transports, AAGUID: cred.Authenticator.AAGUID,
		AttestationType: cred.AttestationType, AttestationFormat: cred.AttestationFormat,
		UserVerified: cred.Flags.UserVerified, BackupEligible: cred.Flags.BackupEligible, BackupState: cred.Flags.BackupState,
	}, nil
}

// BeginLogin starts a login, for a's passkeys or, with a nil, for any
// discoverable credential.
func (c *Ceremony) BeginLogin(a *usecase.PasskeyAccount) (usecase.PasskeyOptions, error) {
	uv := lib.WithUserVerification(protocol.VerificationRequired)
	var (
		assertion *protocol.CredentialAssertion
		s         *lib.SessionData
		err       error
	)
	if a == nil {
		assertion, s, err = c.w.BeginDiscoverableLogin(uv)
	} else {
		assertion, s, err = c.w.BeginLogin(account{*a}, uv)
	}
	if err != nil {
		return usecase.PasskeyOptions{}, fmt.Errorf("webauthn: begin login: %w", err)
	}
	return options(assertion, s)
}

// ReadAssertion reads what an assertion names, unchecked.
func (c *Ceremony) ReadAssertion(response []byte) (usecase.PasskeyAssertion, error) {
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return usecase.PasskeyAssertion{}, refused(err)
	}
	return usecase.PasskeyAssertion{
		Challenge: parsed.Response.CollectedClientData.Challenge, CredentialID: parsed.RawID,
		UserHandle: parsed.Response.UserHandle,
	}, nil
}

// FinishLogin checks an assertion by one of a's passkeys.
func (c *Ceremony) FinishLogin(a usecase.PasskeyAccount, state []byte, challenge string, response []byte) (usecase.PasskeyUse, error) {
	s, err := session(state, challenge)
	if err != nil {
		return usecase.PasskeyUse{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return usecase.PasskeyUse{}, refused(err)
	}
	flags := parsed.Response.AuthenticatorData.Flags
	if !flags.HasUserVerified() {
		return usecase.PasskeyUse{}, usecase.ErrPasskeyNoUserVerification
	}
	u := account{a}
	var cred *lib.Credential
	if len(s.UserID) == 0 {
		handler := func(_, handle []byte) (lib.User, error) {
			if string(handle) != string(a.Handle) {
				return nil, errors.New("user handle of another account")
			}
			return u, nil
		}
		_, cred, err = c.w.ValidatePasskeyLogin(handler, s, parsed)
	} else {
		cred, err = c.w.ValidateLogin(u, s, parsed)
	}
	if err != nil {
		return usecase.PasskeyUse{}, refused(err)
	}
	return usecase.PasskeyUse{
		CredentialID: cred.ID, SignCount: parsed.Response.AuthenticatorData.Counter,
		UserVerified: flags.HasUserVerified(), BackupState: flags.HasBackupState(),
		CloneWarning: cred.Authenticator.CloneWarning,
	}, nil
}

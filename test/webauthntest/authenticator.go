// Package webauthntest is a software WebAuthn authenticator for tests:
// it answers the options gatehouse sends as a platform authenticator
// would (an ECDSA P-256 key, "none" attestation), with switches for what
// a test needs to break: user verification, the signature counter, the
// origin.
package webauthntest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

var b64 = base64.RawURLEncoding

// Authenticator holds one credential, made by Create.
type Authenticator struct {
	// Origin is the origin the client data names.
	Origin string
	// UserVerified is the UV flag of the next answers.
	UserVerified bool
	// Counter is the signature counter of the next assertion; Get
	// increments it first unless it is zero.
	Counter uint32

	key          *ecdsa.PrivateKey
	CredentialID []byte
	UserHandle   []byte
	rpID         string
}

// New returns an authenticator answering for origin, verifying the user.
func New(origin string) *Authenticator {
	return &Authenticator{Origin: origin, UserVerified: true}
}

type creationOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	} `json:"publicKey"`
}

type requestOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"`
	} `json:"publicKey"`
}

func (a *Authenticator) flags(attested bool) byte {
	f := byte(0x01) // user present
	if a.UserVerified {
		f |= 0x04
	}
	if attested {
		f |= 0x40
	}
	return f
}

func (a *Authenticator) clientData(kind, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": kind, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return b
}

// Create makes a new credential for the creation options (the JSON the
// server sent) and returns the attestation as WebAuthn JSON.
func (a *Authenticator) Create(options []byte) ([]byte, error) {
	var o creationOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, fmt.Errorf("webauthntest: creation options: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	a.key, a.rpID = key, o.PublicKey.RP.ID
	a.CredentialID = make([]byte, 16)
	if _, err := rand.Read(a.CredentialID); err != nil {
		return nil, err
	}
	if a.UserHandle, err = b64.DecodeString(o.PublicKey.User.ID); err != nil {
		return nil, fmt.Errorf("webauthntest: user id: %w", err)
	}
	pub, err := key.PublicKey.ECDH()
	if err != nil {
		return nil, err
	}
	raw := pub.Bytes() // 0x04 || X || Y
	cose, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: raw[1:33], -3: raw[33:65]})
	if err != nil {
		return nil, err
	}
	auth := a.authData(true, a.Counter)
	auth = append(auth, make([]byte, 16)...) // AAGUID
	auth = binary.BigEndian.AppendUint16(auth, uint16(len(a.CredentialID)))
	auth = append(auth, a.CredentialID...)
	auth = append(auth, cose...)
	att, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": auth})
	if err != nil {
		return nil, err
	}
	id := b64.EncodeToString(a.CredentialID)
	return json.Marshal(map[string]any{
		"id": id, "rawId": id, "type": "public-key", "authenticatorAttachment": "platform",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(a.clientData("webauthn.create", o.PublicKey.Challenge)),
			"attestationObject": b64.EncodeToString(att),
			"transports":        []string{"internal"},
		},
	})
}

func (a *Authenticator) authData(attested bool, counter uint32) []byte {
	h := sha256.Sum256([]byte(a.rpID))
	d := append(h[:], a.flags(attested))
	return binary.BigEndian.AppendUint32(d, counter)
}

// Get answers the request options (the JSON the server sent) with the
// credential Create made, as WebAuthn JSON with the user handle.
func (a *Authenticator) Get(options []byte) ([]byte, error) {
	var o requestOptions
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, fmt.Errorf("webauthntest: request options: %w", err)
	}
	if a.key == nil {
		return nil, fmt.Errorf("webauthntest: no credential")
	}
	if o.PublicKey.RPID != "" {
		a.rpID = o.PublicKey.RPID
	}
	if a.Counter != 0 {
		a.Counter++
	}
	cd := a.clientData("webauthn.get", o.PublicKey.Challenge)
	auth := a.authData(false, a.Counter)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, auth...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	if err != nil {
		return nil, err
	}
	id := b64.EncodeToString(a.CredentialID)
	return json.Marshal(map[string]any{
		"id": id, "rawId": id, "type": "public-key", "authenticatorAttachment": "platform",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(cd),
			"authenticatorData": b64.EncodeToString(auth),
			"signature":         b64.EncodeToString(sig),
			"userHandle":        b64.EncodeToString(a.UserHandle),
		},
	})
}

// Package totp makes and checks RFC 6238 one-time codes with
// github.com/pquerna/otp, the library's types staying inside: the use
// cases see usecase.TOTPAlgorithm.
package totp

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.TOTPAlgorithm = Algorithm{}

const (
	// period is the length of a time step in seconds.
	period = 30
	// secretSize is 160 bits, RFC 4226's recommendation for HMAC-SHA-1.
	secretSize = 20
	// qrSize is the side of the QR code image in pixels.
	qrSize = 240
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

var opts = totp.ValidateOpts{Period: period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Algorithm is the usecase.TOTPAlgorithm of authenticator apps: SHA-1, six
// digits, 30-second steps, one step of skew either way.
type Algorithm struct{}

// New returns an Algorithm.
func New() Algorithm { return Algorithm{} }

// NewSecret returns a new 160-bit secret from crypto/rand, base32
// without padding (what the library and the apps use).
func (Algorithm) NewSecret() (string, error) {
	raw := make([]byte, secretSize)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("totp: new secret: %w", err)
	}
	return b32.EncodeToString(raw), nil
}

// URI returns the otpauth:// URI of secret, made by the library.
func (Algorithm) URI(issuer, account, secret string) (string, error) {
	raw, err := b32.DecodeString(secret)
	if err != nil || len(raw) != secretSize {
		return "", fmt.Errorf("totp: uri: malformed secret")
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: issuer, AccountName: account, Period: period, Secret: raw,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", fmt.Errorf("totp: uri: %w", err)
	}
	return key.URL(), nil
}

// Match compares code with the codes of the steps at-30s, at and at+30s,
// each in constant time, and reports the step that matched.
func (Algorithm) Match(secret, code string, at time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	step := at.Unix() / period
	for _, s := range []int64{step - 1, step, step + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*period, 0), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// QRCode renders uri as a PNG QR code.
func (Algorithm) QRCode(uri string) ([]byte, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, fmt.Errorf("totp: qr code: %w", err)
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return nil, fmt.Errorf("totp: qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("totp: qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// Code returns the code of secret at t; tests use it to act as the
// authenticator app.
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, opts)
}

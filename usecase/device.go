package usecase

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/domain"
)

// DeviceKey is the secret that signs device proofs: the server's
// SECRET_KEY, the same on every instance.
type DeviceKey []byte

// DeviceProofs issues and checks device proofs (OWASP's "device cookies"):
// a proof that a browser or app logged in to an account before. A login
// presenting one is judged by the failures of that device alone, so that
// an attacker who spends the account's budget for unknown devices does
// not lock the owner out.
//
// A proof is "<account id>.<nonce>.<mac>": a random 128-bit nonce and an
// HMAC-SHA-256 of the account id and the nonce under a key derived from
// DeviceKey. Signed rather than stored: checking one reads nothing and
// issuing one writes nothing, so a login stays one commit; it holds
// across instances that share SECRET_KEY; and it needs no revocation, as
// it grants no access, only a counter of its own. It names the account by
// id, not name, so a name freed and taken again does not inherit it.
type DeviceProofs struct {
	key []byte
}

// deviceProofLabel separates the key of device proofs from the other uses
// of SECRET_KEY.
const deviceProofLabel = "gatehouse device proof v1"

// maxDeviceProof bounds what Verify looks at: a proof is about 80 bytes.
const maxDeviceProof = 200

// NewDeviceProofs returns DeviceProofs signing with a key derived from key.
func NewDeviceProofs(key DeviceKey) *DeviceProofs {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(deviceProofLabel))
	return &DeviceProofs{key: m.Sum(nil)}
}

// Issue returns a new proof, with a new nonce, that a device logged in to
// the account id.
func (d *DeviceProofs) Issue(id domain.UserID) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	nonce := base64.RawURLEncoding.EncodeToString(b[:])
	head := strconv.FormatInt(int64(id), 10) + "." + nonce
	return head + "." + d.mac(head)
}

// Verify returns the nonce of proof when it is a proof that Issue made for
// the account id; for anything else (malformed, forged, another account's,
// signed with another key) it returns "" and false.
func (d *DeviceProofs) Verify(proof string, id domain.UserID) (string, bool) {
	if id == 0 || proof == "" || len(proof) > maxDeviceProof {
		return "", false
	}
	i := strings.LastIndexByte(proof, '.')
	if i < 0 {
		return "", false
	}
	head, mac := proof[:i], proof[i+1:]
	if !hmac.Equal([]byte(mac), []byte(d.mac(head))) {
		return "", false
	}
	owner, nonce, ok := strings.Cut(head, ".")
	if !ok || owner != strconv.FormatInt(int64(id), 10) || nonce == "" {
		return "", false
	}
	return nonce, true
}

func (d *DeviceProofs) mac(head string) string {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte(head))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

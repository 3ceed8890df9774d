package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// lastVisitCodec signs and checks the last_visit cookie. The value is
// "<user id>.<unix seconds>.<HMAC-SHA256>", so a cookie belongs to the
// account that set it and an edited one fails the check.
type lastVisitCodec struct {
	key []byte
}

// newLastVisitCodec derives the cookie's own key from the secret, so the
// secret is never used directly for more than one purpose.
func newLastVisitCodec(secret []byte) lastVisitCodec {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("gatehouse/last_visit/v1"))
	return lastVisitCodec{key: m.Sum(nil)}
}

func (l lastVisitCodec) encode(user domain.UserID, at time.Time) string {
	payload := strconv.FormatInt(int64(user), 10) + "." + strconv.FormatInt(at.Unix(), 10)
	return payload + "." + l.mac(payload)
}

// decode returns the time in value when value is well formed, carries a
// valid signature and names user; otherwise ok is false.
func (l lastVisitCodec) decode(value string, user domain.UserID) (at time.Time, ok bool) {
	i := strings.LastIndexByte(value, '.')
	if i < 0 {
		return time.Time{}, false
	}
	payload, sig := value[:i], value[i+1:]
	if !hmac.Equal([]byte(sig), []byte(l.mac(payload))) {
		return time.Time{}, false
	}
	idText, secText, found := strings.Cut(payload, ".")
	if !found {
		return time.Time{}, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || domain.UserID(id) != user {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(secText, 10, 64)
	if err != nil || sec <= 0 {
		return time.Time{}, false
	}
	return time.Unix(sec, 0).UTC(), true
}

func (l lastVisitCodec) mac(payload string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

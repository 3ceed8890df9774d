package api

import (
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// The response bodies, named as in openapi.json. Times are UTC, in RFC
// 3339; domain entities never reach the encoder.

// userView is an account as POST /users and POST /sessions show it.
type userView struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	CreatedAt time.Time `json:"created_at"`
}

func newUserView(u domain.User) userView {
	return userView{ID: int64(u.ID), Username: u.Username.String(), CreatedAt: u.CreatedAt.UTC()}
}

// newSessionView is a login: the bearer token, when it ends, and whose it
// is.
type newSessionView struct {
	Token       string    `json:"token"`
	ExpiresAt   time.Time `json:"expires_at"`
	User        userView  `json:"user"`
	DeviceToken string    `json:"device_token"`
}

// meView is the caller's account, for GET /me.
type meView struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	// DisplayName is null when the account has none.
	DisplayName        *string    `json:"display_name"`
	Role               string     `json:"role"`
	CreatedAt          time.Time  `json:"created_at"`
	MustChangePassword bool       `json:"must_change_password"`
	LastLogin          *loginView `json:"last_login"`
	// Email is the verified address, or else the one waiting for
	// verification, or null.
	Email         *string `json:"email"`
	EmailVerified bool    `json:"email_verified"`
}

// loginView is when, and from which address, a login happened.
type loginView struct {
	At time.Time `json:"at"`
	IP string    `json:"ip"`
}

// sessionView is one of the caller's sessions, for GET /sessions.
type sessionView struct {
	ID         int64     `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	Current    bool      `json:"current"`
	// TwoFactor reports whether the session's login passed a second
	// factor (a code or a recovery code after the password).
	TwoFactor bool `json:"two_factor"`
}

// sessionListView wraps the list, so the body stays an object that can
// grow.
type sessionListView struct {
	Sessions []sessionView `json:"sessions"`
}

// acceptedView says what happens next, the same whatever the request
// names, so that it reveals nothing about it.
type acceptedView struct {
	Message string `json:"message"`
}

// secondFactorRequiredView is the 401 of a right password when a second
// factor is on: the error, and the challenge to answer.
type secondFactorRequiredView struct {
	Error        errorView     `json:"error"`
	SecondFactor challengeView `json:"second_factor"`
}

// errorView is the error part of a JSON error body (httpx.WriteJSON).
type errorView struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

type challengeView struct {
	Challenge string    `json:"challenge"`
	Methods   []string  `json:"methods"`
	ExpiresAt time.Time `json:"expires_at"`
}

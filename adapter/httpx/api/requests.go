package api

import "encoding/json"

// The request bodies, named as in openapi.json. Their string fields reach
// the use cases as typed; the use cases validate them.

// newUserRequest is the body of POST /users.
type newUserRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Email    string `json:"email"`
}

func (r *newUserRequest) texts() map[string]string {
	return map[string]string{fieldUsername: r.Username, fieldPassword: r.Password, fieldEmail: r.Email}
}

// credentialsRequest is the body of POST /sessions. DeviceToken is the
// device_token an earlier login of the account returned, if any.
type credentialsRequest struct {
	Username    string `json:"username"`
	Password    string `json:"password"`
	Remember    bool   `json:"remember"`
	DeviceToken string `json:"device_token"`
}

func (r *credentialsRequest) texts() map[string]string {
	return map[string]string{fieldUsername: r.Username, fieldPassword: r.Password, fieldDeviceToken: r.DeviceToken}
}

// passwordChangeRequest is the body of PUT /me/password.
type passwordChangeRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (r *passwordChangeRequest) texts() map[string]string {
	return map[string]string{fieldCurrentPassword: r.CurrentPassword, fieldNewPassword: r.NewPassword}
}

// emailChangeRequest is the body of PUT /me/email.
type emailChangeRequest struct {
	Email           string `json:"email"`
	CurrentPassword string `json:"current_password"`
}

func (r *emailChangeRequest) texts() map[string]string {
	return map[string]string{fieldEmail: r.Email, fieldCurrentPassword: r.CurrentPassword}
}

// emailVerifyRequest is the body of POST /me/email/verify.
type emailVerifyRequest struct {
	Code string `json:"code"`
}

func (r *emailVerifyRequest) texts() map[string]string {
	return map[string]string{fieldCode: r.Code}
}

// emailRemoveRequest is the body of DELETE /me/email.
type emailRemoveRequest struct {
	CurrentPassword string `json:"current_password"`
}

func (r *emailRemoveRequest) texts() map[string]string {
	return map[string]string{fieldCurrentPassword: r.CurrentPassword}
}

// secondFactorRequest answers a login's challenge.
type secondFactorRequest struct {
	Challenge string `json:"challenge"`
	Code      string `json:"code"`
}

func (r *secondFactorRequest) texts() map[string]string {
	return map[string]string{fieldChallenge: r.Challenge, fieldCode: r.Code}
}

// recoveryRequest is the body of POST /recovery.
type recoveryRequest struct {
	Email string `json:"email"`
}

func (r *recoveryRequest) texts() map[string]string {
	return map[string]string{fieldEmail: r.Email}
}

// resetRequest is the body of POST /recovery/reset.
type resetRequest struct {
	Email       string `json:"email"`
	Code        string `json:"code"`
	NewPassword string `json:"new_password"`
}

func (r *resetRequest) texts() map[string]string {
	return map[string]string{fieldEmail: r.Email, fieldCode: r.Code, fieldNewPassword: r.NewPassword}
}

// passkeyLoginRequest is a passkey login: the authenticator's answer to
// POST /passkeys/login/options as WebAuthn JSON (what
// PublicKeyCredential.toJSON gives), kept as sent for the use case.
type passkeyLoginRequest struct {
	Credential  json.RawMessage `json:"credential"`
	Remember    bool            `json:"remember"`
	DeviceToken string          `json:"device_token"`
}

func (r *passkeyLoginRequest) texts() map[string]string {
	return map[string]string{fieldDeviceToken: r.DeviceToken}
}

// emptyRequest is a body with no fields: {}.
type emptyRequest struct{}

func (r *emptyRequest) texts() map[string]string { return nil }

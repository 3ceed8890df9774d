package api

// The request bodies, named as in openapi.json. Their string fields reach
// the use cases as typed; the use cases validate them.

// newUserRequest is the body of POST /users.
type newUserRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (r *newUserRequest) texts() map[string]string {
	return map[string]string{fieldUsername: r.Username, fieldPassword: r.Password}
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

// secondFactorRequest answers a login's challenge.
type secondFactorRequest struct {
	Challenge string `json:"challenge"`
	Code      string `json:"code"`
}

func (r *secondFactorRequest) texts() map[string]string {
	return map[string]string{fieldChallenge: r.Challenge, fieldCode: r.Code}
}

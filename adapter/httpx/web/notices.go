package web

// Notice keys: a redirect names the confirmation the next page shows by
// key, so no text from the URL is ever displayed.
const (
	noticeCreated              = "created"
	noticeLoggedOut            = "logged-out"
	noticeAccountDeleted       = "account-deleted"
	noticeMustChangePassword   = "must-change-password"
	noticePasswordChanged      = "password-changed"
	noticeSessionRevoked       = "session-revoked"
	noticeOtherSessionsRevoked = "other-sessions-revoked"
	noticeUserDisabled         = "user-disabled"
	noticeUserEnabled          = "user-enabled"
	noticeThrottleCleared      = "throttle-cleared"
	noticeUserSessionsRevoked  = "user-sessions-revoked"
	noticeRoleAdmin            = "role-admin"
	noticeRoleUser             = "role-user"
	noticeDisplayNameSaved     = "display-name-saved"
	noticeDisplayNameCleared   = "display-name-cleared"
	noticeEmailCodeSent        = "email-code-sent"
	noticeEmailVerified        = "email-verified"
	noticeEmailRemoved         = "email-removed"
	noticeTOTPEnabled          = "totp-enabled"
	noticeTOTPDisabled         = "totp-disabled"
	noticeRecoveryCodesNew     = "recovery-codes-new"
	noticeChallengeGone        = "challenge-gone"
	noticeAdmin2FARequired     = "admin-2fa-required"

	noticePasswordReset        = "password-reset"
	noticePasskeyAdded         = "passkey-added"
	noticePasskeyRenamed       = "passkey-renamed"
	noticePasskeyRemoved       = "passkey-removed"
	noticeIdentityConnected    = "identity-connected"
	noticeIdentityDisconnected = "identity-disconnected"
)

// notices are the confirmations, by key.
var notices = map[string]string{
	noticeCreated:              "Account created, please log in.",
	noticeLoggedOut:            "You have been logged out.",
	noticeAccountDeleted:       "Your account has been deleted.",
	noticeMustChangePassword:   "Please choose a new password before you continue.",
	noticePasswordChanged:      "Your password has been changed. Every other session has been logged out.",
	noticeSessionRevoked:       "The session has been logged out.",
	noticeOtherSessionsRevoked: "All your other sessions have been logged out.",
	noticeUserDisabled:         "The account has been disabled and its sessions ended.",
	noticeUserEnabled:          "The account has been enabled.",
	noticeThrottleCleared:      "The account's failed logins have been cleared: it can log in at once.",
	noticeUserSessionsRevoked:  "Every session of the account has been ended.",
	noticeRoleAdmin:            "The account is now an admin.",
	noticeRoleUser:             "The account is now a regular user.",
	noticeDisplayNameSaved:     "Your display name has been saved.",
	noticeDisplayNameCleared:   "Your display name has been removed: you are greeted by your username.",
	noticeEmailCodeSent:        "A code is on its way to the address. Enter it below to verify the address.",
	noticeEmailVerified:        "Your email address has been verified.",
	noticeEmailRemoved:         "Your email address has been removed.",
	noticeTOTPEnabled:          "Two-factor authentication is on. Every other session has been logged out.",
	noticeTOTPDisabled:         "Two-factor authentication is off. Every other session has been logged out.",
	noticeRecoveryCodesNew:     "You have new recovery codes; the old ones no longer work. Every other session has been logged out.",
	noticeChallengeGone:        "Your login timed out or was already finished. Please log in again.",
	noticeAdmin2FARequired:     "Admins must use two-factor authentication: set it up to reach the admin pages.",

	noticePasswordReset:        "Your password has been changed. Please log in.",
	noticePasskeyAdded:         "The passkey has been added. Every other session has been logged out.",
	noticePasskeyRenamed:       "The passkey has been renamed.",
	noticePasskeyRemoved:       "The passkey has been removed. Every other session has been logged out.",
	noticeIdentityConnected:    "The sign-in method has been connected: you can now log in with it.",
	noticeIdentityDisconnected: "The sign-in method has been disconnected.",
}

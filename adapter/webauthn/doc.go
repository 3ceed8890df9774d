package webauthn

import _ "github.com/go-webauthn/webauthn/webauthn"

// Package idp signs people in with identity providers, behind
// usecase.IdentityProvider: any OpenID Connect issuer found by discovery
// (Google, Keycloak, Entra ID, ...), on github.com/coreos/go-oidc/v3, and
// GitHub, which is OAuth 2 only, on golang.org/x/oauth2 with its /user and
// /user/emails API. No JWT or JWKS code is written here: go-oidc verifies
// ID tokens (signature against the issuer's keys, issuer, audience,
// expiry) and this package adds the nonce and the audience list. Provider
// tokens never leave the package and are not stored.
package idp

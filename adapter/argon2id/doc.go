// Package argon2id hashes passwords with Argon2id (RFC 9106) and encodes
// the result as a PHC string, the format of the reference implementation:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// Salt and hash are unpadded standard base64. A Hasher verifies any hash
// whose parameters are within sane bounds and reports when a matching hash
// was made with parameters other than its own, so callers can rehash on
// login. A Pool runs a Hasher with a bounded number of hashes at once and a
// bounded queue, so a flood of logins cannot exhaust memory; the service
// should use the Pool, not the bare Hasher.
package argon2id

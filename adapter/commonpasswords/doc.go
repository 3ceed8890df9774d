// Package commonpasswords is the password blocklist: it knows about 49,000
// passwords too common to accept (NIST SP 800-63B 5.1.1.2, OWASP ASVS 2.1.7).
//
// The list is passwords.txt, embedded in the binary: one password a line,
// NFKC-normalized and case-folded, sorted bytewise, no duplicates. A List
// folds what the user typed the same way, so "Password", "PASSWORD" and
// "ｐａｓｓｗｏｒｄ" are all "password". Lookups are a binary search over
// slices of the embedded text, built on first use.
//
// # Source
//
// passwords.txt is generated from src/passwords.json of the npm package
// @zxcvbn-ts/language-common 4.1.3 (MIT, see NOTICE;
// https://github.com/zxcvbn-ts/zxcvbn), the password dictionary of zxcvbn-ts,
// itself taken from Dropbox's zxcvbn, which drew it from the xato.net corpus
// of ten million leaked passwords, most frequent first.
//
//	tarball:         https://registry.npmjs.org/@zxcvbn-ts/language-common/-/language-common-4.1.3.tgz
//	integrity:       sha512-g2bg4skmlJG9aJqC/nWziZzgYpSe/f3rKeGobrkdFiOrfZVFqqzUgC6BUQWuX54Sua9j0Jxxt+1bf4f/Mal1Kg==
//	passwords.json:  sha256 f422773d94d630f27e08b26d7017e847bb1feb2a84809340e9c0b0c47b33e3f1 (49,233 entries)
//	passwords.txt:   sha256 fa7af65ae53f72367c0fa6b6417884107b5c26550445a18f75b0039e693ba8e1 (49,233 entries)
//
// # Regenerating
//
// From the repository root, fetch the package and run the generator
// (internal/gen) through go generate; PASSWORDS_JSON names the input:
//
//	npm pack @zxcvbn-ts/language-common@4.1.3 --pack-destination /tmp
//	tar -xzf /tmp/zxcvbn-ts-language-common-4.1.3.tgz -C /tmp
//	PASSWORDS_JSON=/tmp/package/src/passwords.json go generate ./adapter/commonpasswords
//
// The same input must give the same passwords.txt byte for byte. When moving
// to a newer release, update the version, checksums and NOTICE above and
// run the tests: they check that the file is sorted, unique and already
// folded.
package commonpasswords

//go:generate go run ./internal/gen -o passwords.txt ${PASSWORDS_JSON}

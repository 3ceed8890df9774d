package usecase

import "context"

// hashingKey is the context key under which WithHashingKey keeps a key.
type hashingKey struct{}

// WithHashingKey returns ctx carrying key, the client a PasswordHasher
// counts the hashes asked for with ctx against (see PasswordHasher). The
// use cases that hash for a visitor (login, signup, re-authentication)
// set it to the visitor's ClientNetwork, so that one network cannot take
// every place in the line for hashing. An empty key is no key.
func WithHashingKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, hashingKey{}, key)
}

// HashingKeyOf returns the key WithHashingKey put in ctx, or "" when ctx
// carries none (the command line, the decoy hashed at start).
func HashingKeyOf(ctx context.Context) string {
	key, _ := ctx.Value(hashingKey{}).(string)
	return key
}

package domain

import (
	"fmt"
	"time"
)

// ThrottledError reports that an action was refused because of too many
// recent attempts; RetryAfter says when it may be tried again.
type ThrottledError struct {
	RetryAfter time.Duration
}

// Error describes the refusal.
func (e *ThrottledError) Error() string {
	return fmt.Sprintf("domain: too many attempts, retry after %s", e.RetryAfter)
}

// RetryAfterSeconds is RetryAfter rounded up to whole seconds, at least 1,
// as the Retry-After header wants it.
func (e *ThrottledError) RetryAfterSeconds() int {
	s := int((e.RetryAfter + time.Second - 1) / time.Second)
	if s < 1 {
		return 1
	}
	return s
}

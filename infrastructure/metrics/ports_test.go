package metrics

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

func TestLoginOutcome(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, "success"},
		{fmt.Errorf("login: %w", domain.ErrInvalidCredentials), "invalid_credentials"},
		{&domain.ThrottledError{RetryAfter: time.Minute}, "throttled"},
		{domain.ErrAccountDisabled, "disabled"},
		{fmt.Errorf("hash: %w", domain.ErrUnavailable), "unavailable"},
		{errors.New("boom"), "error"},
	}
	for _, tt := range tests {
		if got := LoginOutcome(tt.err); got != tt.want {
			t.Errorf("LoginOutcome(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

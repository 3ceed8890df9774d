package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// explained is an error in words for the operator, still wrapping the
// error it explains.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }

// explain turns the domain errors an action on the account name can meet
// into sentences ("cannot " + action + ...); other errors pass through.
func explain(err error, action, name string) error {
	var ve *usecase.InvalidInputError
	var msg string
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		msg = fmt.Sprintf("cannot %s %q:\n%s", action, name, fieldLines(ve))
	case errors.Is(err, domain.ErrNotFound):
		msg = fmt.Sprintf("no user named %q", name)
	case errors.Is(err, domain.ErrUsernameTaken):
		msg = fmt.Sprintf("cannot %s %q: the name is taken (names are compared without regard to case)", action, name)
	case errors.Is(err, domain.ErrLastAdmin):
		msg = fmt.Sprintf("cannot %s %q: it is the only enabled admin, and the last admin cannot be demoted, disabled or deleted (make another account an admin first)", action, name)
	default:
		return fmt.Errorf("%s %q: %w", action, name, err)
	}
	return &explained{msg: msg, err: err}
}

// fieldLines lists the messages of ve, one "  input: message" a line.
func fieldLines(ve *usecase.InvalidInputError) string {
	inputs := make([]string, 0, len(ve.Fields))
	for in := range ve.Fields {
		inputs = append(inputs, string(in))
	}
	sort.Strings(inputs)
	lines := make([]string, len(inputs))
	for i, in := range inputs {
		lines[i] = fmt.Sprintf("  %s: %s", in, ve.Fields[usecase.Input(in)])
	}
	return strings.Join(lines, "\n")
}

// plural returns "1 session", "2 sessions".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

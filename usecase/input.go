package usecase

import (
	"errors"
	"sort"
	"strings"

	"github.com/gatehouse/gatehouse/domain"
)

// Input names an input of a use case, so that a refusal can say which one
// was wrong. Each delivery maps these to its own field names; nothing here
// knows what a form or a JSON body calls them.
type Input string

// The inputs the use cases name in an InvalidInputError.
const (
	InputUsername        Input = "username"
	InputPassword        Input = "password"
	InputCurrentPassword Input = "current_password"
	InputNewPassword     Input = "new_password"
	InputCode            Input = "code"
)

// InvalidInputError reports inputs of a use case that break its rules,
// with a sentence per input for the person who gave it.
type InvalidInputError struct {
	Fields map[Input]string
}

// Error lists the offending inputs and their messages in a stable order.
func (e *InvalidInputError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for in := range e.Fields {
		names = append(names, string(in))
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + ": " + e.Fields[Input(name)]
	}
	return "usecase: invalid input: " + strings.Join(parts, "; ")
}

// invalidInput returns an InvalidInputError for one input.
func invalidInput(in Input, msg string) *InvalidInputError {
	return &InvalidInputError{Fields: map[Input]string{in: msg}}
}

// asInput names in as the input that held the value err refuses: a
// *domain.InvalidError becomes an *InvalidInputError for in; nil and other
// errors are returned as they are.
func asInput(in Input, err error) error {
	var invalid *domain.InvalidError
	if errors.As(err, &invalid) {
		return invalidInput(in, invalid.Message)
	}
	return err
}

// mergeInvalid combines the messages of every *InvalidInputError in errs
// into one, so that a form shows every wrong field at once. It returns nil
// when errs holds no error, and the first error unchanged when it is not
// an *InvalidInputError.
func mergeInvalid(errs ...error) error {
	var merged *InvalidInputError
	for _, err := range errs {
		if err == nil {
			continue
		}
		var ie *InvalidInputError
		if !errors.As(err, &ie) {
			return err
		}
		if merged == nil {
			merged = &InvalidInputError{Fields: make(map[Input]string)}
		}
		for k, v := range ie.Fields {
			if _, dup := merged.Fields[k]; !dup {
				merged.Fields[k] = v
			}
		}
	}
	if merged == nil {
		return nil
	}
	return merged
}

package usecase

import (
	"errors"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestAsInput(t *testing.T) {
	err := asInput(InputNewPassword, &domain.InvalidError{Message: "Too short."})
	var invalid *InvalidInputError
	if !errors.As(err, &invalid) || invalid.Fields[InputNewPassword] != "Too short." || len(invalid.Fields) != 1 {
		t.Errorf("asInput(new password, InvalidError) = %v, want its message on new_password alone", err)
	}
	if err := asInput(InputPassword, nil); err != nil {
		t.Errorf("asInput(password, nil) = %v, want nil", err)
	}
	if err := asInput(InputPassword, domain.ErrUnavailable); err != domain.ErrUnavailable {
		t.Errorf("asInput(password, ErrUnavailable) = %v, want it unchanged", err)
	}
}

func TestMergeInvalid(t *testing.T) {
	a := invalidInput(InputUsername, "u")
	b := invalidInput(InputPassword, "p")
	err := mergeInvalid(nil, a, b)
	var invalid *InvalidInputError
	if !errors.As(err, &invalid) || invalid.Fields[InputUsername] != "u" || invalid.Fields[InputPassword] != "p" {
		t.Errorf("mergeInvalid(a, b) = %v, want both inputs", err)
	}
	if err := mergeInvalid(nil, nil); err != nil {
		t.Errorf("mergeInvalid(nil, nil) = %v, want nil", err)
	}
	other := errors.New("boom")
	if err := mergeInvalid(a, other); err != other {
		t.Errorf("mergeInvalid(a, other) = %v, want the other error", err)
	}
	if got, want := a.Error(), "usecase: invalid input: username: u"; got != want {
		t.Errorf("InvalidInputError.Error() = %q, want %q", got, want)
	}
}

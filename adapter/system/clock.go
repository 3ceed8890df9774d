package system

import (
	"time"

	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.Clock = Clock{}

// Clock is the wall clock.
type Clock struct{}

// Now returns the current local time.
func (Clock) Now() time.Time { return time.Now() }

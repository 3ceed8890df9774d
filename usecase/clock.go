package usecase

import "time"

// Clock tells the current time; tests supply a fixed or stepping one.
type Clock interface {
	Now() time.Time
}

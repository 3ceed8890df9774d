package system

import (
	"testing"
	"time"
)

func TestClockNow(t *testing.T) {
	before := time.Now()
	got := Clock{}.Now()
	after := time.Now()
	if got.Before(before) || got.After(after) {
		t.Errorf("Clock.Now() = %v, want between %v and %v", got, before, after)
	}
}

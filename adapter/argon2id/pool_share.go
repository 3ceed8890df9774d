package argon2id

import (
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
)

// errShareFull is returned when the caller's hashing key already holds
// MaxPerKey places. Like errPoolFull it is one value, so refusing a flood
// from one client allocates nothing, and it wraps the same
// domain.ErrUnavailable: the client is told what a full pool tells it.
var errShareFull = fmt.Errorf("argon2id: hashing pool: share of one key full: %w", domain.ErrUnavailable)

// shareTaken reports whether key holds all the places one key may; no
// key ("") never does. The caller holds mu.
func (p *Pool) shareTaken(key string) bool {
	return key != "" && p.maxPerKey > 0 && p.held[key] >= p.maxPerKey
}

// hold counts a place, running or waiting, taken for key. The caller
// holds mu.
func (p *Pool) hold(key string) {
	if key != "" {
		p.held[key]++
	}
}

// unhold frees a place taken for key, forgetting a key that holds none,
// so the map is only as large as the keys holding places now. The caller
// holds mu.
func (p *Pool) unhold(key string) {
	if key == "" {
		return
	}
	if n := p.held[key] - 1; n > 0 {
		p.held[key] = n
	} else {
		delete(p.held, key)
	}
}

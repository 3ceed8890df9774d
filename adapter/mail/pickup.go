package mail

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.Mailer = (*Pickup)(nil)

// Pickup writes each message as an .eml file into a directory, for
// development: a mail client opens them, and nothing leaves the machine.
// The directory is created readable by its owner only (0700), and so is
// every file (0600): the messages hold one-time codes.
type Pickup struct {
	dir, from string
}

// NewPickup returns a Pickup into dir, which the first message creates
// (mode 0700) if need be: a command that sends nothing leaves no
// directory behind.
func NewPickup(dir, from string) *Pickup {
	return &Pickup{dir: dir, from: from}
}

// Send writes e to a new file, named after the time and its Message-ID,
// whole or not at all: it is written under a temporary name and renamed.
func (p *Pickup) Send(ctx context.Context, e domain.Email) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	msg, err := build(p.from, e)
	if err != nil {
		return fmt.Errorf("%w: %w", domain.ErrMailRejected, err)
	}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return fmt.Errorf("mail: pickup directory: %w", err)
	}
	f, err := os.CreateTemp(p.dir, ".tmp-*.eml") // mode 0600
	if err != nil {
		return fmt.Errorf("mail: pickup: %w", err)
	}
	tmp := f.Name()
	_, err = msg.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		name := fmt.Sprintf("%s-%s.eml", time.Now().UTC().Format("20060102T150405.000000000Z"), safeName(e.MessageID))
		err = os.Rename(tmp, filepath.Join(p.dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("mail: pickup: %w", err)
	}
	return nil
}

// safeName keeps the letters, digits and dots of id, for a file name.
func safeName(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '_'
	}, id)
}

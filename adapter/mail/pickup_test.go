package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/mail"
	"github.com/gatehouse/gatehouse/test/smtptest"
)

func TestPickupWritesPrivateFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "mail")
	p := mail.NewPickup(dir, "no-reply@gatehouse.test")
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("NewPickup() made the directory before any message (stat error %v)", err)
	}
	if err := p.Send(context.Background(), letter); err != nil {
		t.Fatalf("Send() error = %v", err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("pickup directory mode = %v, %v, want 0700: the messages hold codes", info.Mode().Perm(), err)
	}
	for range 1 {
		if err := p.Send(context.Background(), letter); err != nil {
			t.Fatalf("Send() error = %v", err)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) != 2 {
		t.Fatalf("pickup directory holds %q, %v, want two files", files, err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, ".eml") || strings.HasPrefix(filepath.Base(f), ".tmp") {
			t.Errorf("file %s, want a finished .eml file", f)
		}
		info, err := os.Stat(f)
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("file %s mode = %v, %v, want 0600", f, info.Mode().Perm(), err)
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := smtptest.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if msg.Subject != letter.Subject || !strings.Contains(msg.Text, "ABCD2345") || !strings.Contains(msg.HTML, "<b>ABCD2345</b>") {
			t.Errorf("file %s = %+v, want the message with both bodies", f, msg)
		}
	}
}

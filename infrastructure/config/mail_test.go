package config_test

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
)

func TestLoadMailDefaults(t *testing.T) {
	c, err := config.Load(env(map[string]string{"PORT": "7000"}))
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	if c.Mail != (config.Mail{Scheme: "file", Dir: "mail"}) || !c.MailURLDefaulted {
		t.Errorf("Load(no MAIL_URL) Mail = %+v, defaulted %v; want the pickup directory mail, with the warning", c.Mail, c.MailURLDefaulted)
	}
	if c.PublicURL != "http://localhost:7000" || c.MailFrom != "no-reply@localhost" {
		t.Errorf("Load(no PUBLIC_URL, MAIL_FROM) = %q, %q; want http://localhost:7000 and no-reply@localhost", c.PublicURL, c.MailFrom)
	}
	c, err = config.Load(env(map[string]string{"PUBLIC_URL": "https://login.example.org/"}))
	if err != nil || c.PublicURL != "https://login.example.org" || c.MailFrom != "no-reply@login.example.org" {
		t.Errorf("Load(PUBLIC_URL) = %q, %q, %v; want the URL without its slash and no-reply at its host", c.PublicURL, c.MailFrom, err)
	}
	c, err = config.Load(env(map[string]string{"PUBLIC_URL": "http://127.0.0.1:5000"}))
	if _, perr := mail.ParseAddress(c.MailFrom); err != nil || perr != nil {
		t.Errorf("Load(PUBLIC_URL at an IP) MailFrom = %q (%v), %v; want an address", c.MailFrom, perr, err)
	}
}

func TestLoadMailURL(t *testing.T) {
	tests := []struct {
		url  string
		want config.Mail
	}{
		{"smtp://bob:hunter2@mail.example.org", config.Mail{Scheme: "smtp", Host: "mail.example.org", Port: 587, Username: "bob", Password: "hunter2"}},
		{"smtp://bob:p%40ss@mail.example.org:2525", config.Mail{Scheme: "smtp", Host: "mail.example.org", Port: 2525, Username: "bob", Password: "p@ss"}},
		{"smtps://mail.example.org", config.Mail{Scheme: "smtps", Host: "mail.example.org", Port: 465}},
		{"smtp://127.0.0.1:1025?tls=none", config.Mail{Scheme: "smtp", Host: "127.0.0.1", Port: 1025, Plain: true}},
		{"smtp://[::1]:1025?tls=none", config.Mail{Scheme: "smtp", Host: "::1", Port: 1025, Plain: true}},
		{"smtp://localhost:1025?tls=none", config.Mail{Scheme: "smtp", Host: "localhost", Port: 1025, Plain: true}},
		{"file:/var/spool/gatehouse", config.Mail{Scheme: "file", Dir: "/var/spool/gatehouse"}},
	}
	for _, tt := range tests {
		c, err := config.Load(env(map[string]string{"MAIL_URL": tt.url}))
		if err != nil || c.Mail != tt.want || c.MailURLDefaulted {
			t.Errorf("Load(MAIL_URL=%s) = %+v, %v; want %+v", tt.url, c.Mail, err, tt.want)
		}
	}
}

func TestLoadRejectsMailSettings(t *testing.T) {
	tests := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"MAIL_URL": "smtp://u:hunter2@mail.example.org?tls=none"}, "MAIL_URL must be a loopback host"},
		{map[string]string{"MAIL_URL": "smtp://u:hunter2@10.0.0.1:25?tls=none"}, "MAIL_URL"},
		{map[string]string{"MAIL_URL": "smtps://u:hunter2@127.0.0.1?tls=none"}, "MAIL_URL"},
		{map[string]string{"MAIL_URL": "smtp://u:hunter2@mail.example.org?tls=opportunistic"}, "MAIL_URL"},
		{map[string]string{"MAIL_URL": "smtp://u:hunter2@mail.example.org:99999"}, "MAIL_URL"},
		{map[string]string{"MAIL_URL": "smtp://u:hunter2@:25"}, "MAIL_URL"},
		{map[string]string{"MAIL_URL": "smtp://u:hunter2@mail.example.org/path"}, "MAIL_URL"},
		{map[string]string{"MAIL_URL": "http://u:hunter2@mail.example.org"}, "MAIL_URL"},
		{map[string]string{"MAIL_URL": "file:"}, "MAIL_URL"},
		{map[string]string{"MAIL_URL": "mail.example.org:hunter2"}, "MAIL_URL"},
		{map[string]string{"MAIL_FROM": "not an address"}, "MAIL_FROM"},
		{map[string]string{"PUBLIC_URL": "login.example.org"}, "PUBLIC_URL"},
		{map[string]string{"PUBLIC_URL": "ftp://login.example.org"}, "PUBLIC_URL"},
		{map[string]string{"PUBLIC_URL": "https://login.example.org/?next=x"}, "PUBLIC_URL"},
		{map[string]string{"PUBLIC_URL": "https://user:hunter2@login.example.org"}, "PUBLIC_URL"},
	}
	for _, tt := range tests {
		_, err := config.Load(env(tt.vars))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%v) error = %v, want one naming %s", tt.vars, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Load(%v) error = %v echoes a password", tt.vars, err)
		}
	}
}

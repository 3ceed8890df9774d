package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/mail"
	"net/url"
	"strings"
	texttemplate "text/template"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/templates"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.MailComposer = (*Composer)(nil)

// links are the pages a message of each kind points to, under the public
// URL.
var links = map[domain.MailKind]string{
	domain.MailTest:               "/",
	domain.MailVerifyEmail:        "/account/email/verify",
	domain.MailEmailChangeNotice:  "/account",
	domain.MailEmailTakenNotice:   "/account",
	domain.MailEmailRemovedNotice: "/account",

	domain.MailRecoveryCode:        "/recover/reset",
	domain.MailRecoveryUnknown:     "/recover",
	domain.MailPasswordResetNotice: "/recover",
	domain.MailTwoFactorDisabled:   "/account/2fa",
	domain.MailRecoveryCodeUsed:    "/account/2fa",
}

// codeInLink are the kinds whose link carries their code in its query.
// Only a verification link does: it opens a form of a signed-in account.
// A recovery code is typed, never carried by a link, so that no URL (in
// a browser's history, a proxy's log, a mail scanner's fetch) holds what
// resets a password.
var codeInLink = map[domain.MailKind]bool{domain.MailVerifyEmail: true}

// kindTemplates are one kind's parsed templates.
type kindTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// Composer renders messages from the embedded templates.
type Composer struct {
	public string
	// idDomain is the right side of every Message-ID: the sender's
	// domain.
	idDomain string
	kinds    map[domain.MailKind]kindTemplates
}

// NewComposer parses every kind's templates from templates.FS, so that a
// broken template stops the start.
func NewComposer(s Settings) (*Composer, error) {
	return newComposer(templates.FS, s)
}

func newComposer(fsys fs.FS, s Settings) (*Composer, error) {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return nil, fmt.Errorf("mail: sender %q: %w", s.From, err)
	}
	if _, err := url.Parse(s.PublicURL); err != nil {
		return nil, fmt.Errorf("mail: public URL: %w", err)
	}
	c := &Composer{
		public:   strings.TrimRight(s.PublicURL, "/"),
		idDomain: from.Address[strings.LastIndexByte(from.Address, '@')+1:],
		kinds:    map[domain.MailKind]kindTemplates{},
	}
	for kind := range links {
		text, err := texttemplate.ParseFS(fsys, "mail/"+string(kind)+".txt")
		if err != nil {
			return nil, fmt.Errorf("mail: template %s: %w", kind, err)
		}
		html, err := htmltemplate.ParseFS(fsys, "mail/layout.html", "mail/"+string(kind)+".html")
		if err != nil {
			return nil, fmt.Errorf("mail: template %s: %w", kind, err)
		}
		c.kinds[kind] = kindTemplates{text: text, html: html}
	}
	return c, nil
}

// view is what a template sees.
type view struct {
	usecase.MailData
	// Link is the page the message points to, with its code; Service
	// the public URL.
	Link    string
	Service string
}

// Compose renders kind for to with data.
func (c *Composer) Compose(kind domain.MailKind, to string, data usecase.MailData) (domain.Email, error) {
	t, ok := c.kinds[kind]
	if !ok {
		return domain.Email{}, fmt.Errorf("mail: no template for %q", kind)
	}
	link := c.public + links[kind]
	if data.Code != "" && codeInLink[kind] {
		link += "?code=" + url.QueryEscape(data.Code)
	}
	v := view{MailData: data, Link: link, Service: c.public + "/"}
	var subject, text, html bytes.Buffer
	if err := t.text.ExecuteTemplate(&subject, "subject", v); err != nil {
		return domain.Email{}, fmt.Errorf("mail: render %s subject: %w", kind, err)
	}
	if err := t.text.ExecuteTemplate(&text, "body", v); err != nil {
		return domain.Email{}, fmt.Errorf("mail: render %s text: %w", kind, err)
	}
	if err := t.html.ExecuteTemplate(&html, "layout.html", v); err != nil {
		return domain.Email{}, fmt.Errorf("mail: render %s html: %w", kind, err)
	}
	id, err := c.messageID()
	if err != nil {
		return domain.Email{}, err
	}
	return domain.Email{
		To:        to,
		Subject:   strings.TrimSpace(subject.String()),
		Text:      strings.TrimLeft(text.String(), "\n"),
		HTML:      html.String(),
		MessageID: id,
	}, nil
}

// messageID is 128 random bits at the sender's domain.
func (c *Composer) messageID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("mail: message id: %w", err)
	}
	return hex.EncodeToString(b[:]) + "@" + c.idDomain, nil
}

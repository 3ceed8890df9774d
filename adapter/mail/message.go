package mail

import (
	"fmt"

	gomail "github.com/wneessen/go-mail"

	"github.com/gatehouse/gatehouse/domain"
)

// build turns e into a go-mail message from from: the plain text body
// with the HTML alternative, and e's Message-ID.
func build(from string, e domain.Email) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("mail: sender: %w", err)
	}
	if err := m.To(e.To); err != nil {
		return nil, fmt.Errorf("mail: recipient: %w", err)
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(e.MessageID)
	m.SetDate()
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	return m, nil
}

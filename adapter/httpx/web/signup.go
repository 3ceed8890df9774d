package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

func (h *Handler) signupForm(c *fiber.Ctx) error {
	if _, ok := httpx.PrincipalOf(c); ok {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return h.render(c, http.StatusOK, "signup", &signupView{layoutView: layoutView{Title: "Sign up"}, Providers: h.providers()})
}

// signup creates an account and sends the visitor to the login page. A
// taken name (409), invalid input (422) or too many signups from the
// network (429) re-render the form with a message next to each field; the
// username is kept, the password never.
func (h *Handler) signup(c *fiber.Ctx) error {
	username := formValue(c, fieldUsername)
	_, err := h.registrar.Register(c.UserContext(), usecase.RegisterInput{
		Username: username,
		Password: formValue(c, fieldPassword),
		Email:    formValue(c, fieldEmail),
		Client:   h.client(c),
	})
	if err == nil {
		return c.Redirect("/login?notice="+noticeCreated, fiber.StatusSeeOther)
	}
	p := describe(err)
	if p.Status >= 500 {
		return err
	}
	httpx.SetRetryAfter(c, p)
	view := &signupView{
		layoutView: layoutView{Title: "Sign up", Alert: p.Message},
		Providers:  h.providers(),
		Username:   username,
		Email:      formValue(c, fieldEmail),
		Errors:     map[string]string{},
	}
	switch {
	case p.Fields != nil:
		view.Errors = p.Fields
	case errors.Is(err, domain.ErrUsernameTaken):
		view.Errors[fieldUsername] = p.Message
	}
	return h.render(c, p.Status, "signup", view)
}

package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

func (h *Handler) signupForm(c *fiber.Ctx) error {
	if _, ok := principal(c); ok {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return render(c, http.StatusOK, "signup", signupView{layoutView: layoutView{Title: "Sign up"}})
}

// signup creates an account and sends the visitor to the login page. A
// taken name (409) or invalid input (422) re-renders the form with a
// message next to each field; the username is kept, the password never.
func (h *Handler) signup(c *fiber.Ctx) error {
	username := c.FormValue("username")
	_, err := h.registrar.Register(c.UserContext(), usecase.RegisterInput{
		Username: username,
		Password: c.FormValue("password"),
	})
	if err == nil {
		return c.Redirect("/login?notice=created", fiber.StatusSeeOther)
	}
	p := describe(err)
	if p.Status >= 500 {
		return err
	}
	view := signupView{
		layoutView: layoutView{Title: "Sign up", User: userName(c), Alert: p.Message},
		Username:   username,
		Errors:     map[string]string{},
	}
	var invalid *domain.ValidationError
	switch {
	case errors.As(err, &invalid):
		view.Errors = invalid.Fields
	case errors.Is(err, domain.ErrUsernameTaken):
		view.Errors[domain.FieldUsername] = p.Message
	}
	return render(c, p.Status, "signup", view)
}

package web

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// errBadForm answers a form whose fields are not clean text.
var errBadForm = fiber.NewError(fiber.StatusUnprocessableEntity, "form has invalid characters")

// errFormType answers a POST body that is not an urlencoded form.
var errFormType = fiber.NewError(fiber.StatusUnsupportedMediaType, "form must be urlencoded")

// checkForm lets a state-changing request through only when its body is
// empty or an application/x-www-form-urlencoded form whose every name and
// value is valid UTF-8 without control characters (NUL included). What the
// handlers read afterwards is therefore always clean text.
func checkForm(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodPost {
		return c.Next()
	}
	if len(c.Body()) == 0 {
		return c.Next()
	}
	ct := c.Request().Header.ContentType()
	if i := bytes.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if !bytes.EqualFold(bytes.TrimSpace(ct), []byte(fiber.MIMEApplicationForm)) {
		return errFormType
	}
	if !cleanForm(c.Request().PostArgs().VisitAll) {
		return errBadForm
	}
	return c.Next()
}

// cleanForm reports whether every key and value visit yields is clean.
func cleanForm(visit func(func(key, value []byte))) bool {
	ok := true
	visit(func(key, value []byte) {
		if ok && (!cleanText(key) || !cleanText(value)) {
			ok = false
		}
	})
	return ok
}

// cleanText reports whether b is valid UTF-8 without control characters.
func cleanText(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return false
		}
		if unicode.IsControl(r) {
			return false
		}
		b = b[size:]
	}
	return true
}

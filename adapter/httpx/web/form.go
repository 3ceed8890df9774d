package web

import (
	"bytes"
	"iter"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

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
		return httpx.ErrNotForm
	}
	if !cleanForm(c.Request().PostArgs().All()) {
		return httpx.ErrBadForm
	}
	return c.Next()
}

// formValue returns the field key of the request's urlencoded body, or
// "" when the body has none. The handlers and middleware of POSTs read
// their fields only through it: Fiber's c.FormValue prefers the URL's
// query string, which would let a link carry credentials or a CSRF token
// (into logs, history and Referer headers), let the query override the
// form, and skip checkForm, which checks only the body. string() copies:
// fasthttp reuses the request's buffers.
func formValue(c *fiber.Ctx, key string) string {
	return string(c.Request().PostArgs().Peek(key))
}

// cleanForm reports whether every key and value fields yields is clean.
func cleanForm(fields iter.Seq2[[]byte, []byte]) bool {
	for key, value := range fields {
		if !httpx.CleanText(utils.UnsafeString(key)) || !httpx.CleanText(utils.UnsafeString(value)) {
			return false
		}
	}
	return true
}

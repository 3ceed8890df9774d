package httpserver

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
)

// Header field names that frame a request's body, lower case.
var (
	fieldContentLength    = []byte("content-length")
	fieldTransferEncoding = []byte("transfer-encoding")
)

// refuseAmbiguousFraming answers 400, and closes the connection, for a
// request that carries both Content-Length and Transfer-Encoding. RFC
// 9112 section 6.3 calls such a request a likely smuggling attempt: a
// server may reject it or read the body by Transfer-Encoding, and must
// close the connection after answering. fasthttp does the second and
// the close; this makes it the first, so that no handler acts on a body
// that a proxy in front may have framed differently. Every other
// framing rule (Host, chunk syntax, repeated Transfer-Encoding or
// Content-Length) fasthttp enforces while it reads the request, before
// any handler runs.
func refuseAmbiguousFraming(c *fiber.Ctx) error {
	if hasBothFramings(c.Request().Header.RawHeaders()) {
		c.Context().SetConnectionClose()
		return fiber.ErrBadRequest
	}
	return c.Next()
}

// hasBothFramings reports whether the raw header lines of a request, as
// received, hold both a Content-Length and a Transfer-Encoding field.
// The parsed header cannot tell: fasthttp keeps only the framing it
// used.
func hasBothFramings(raw []byte) bool {
	var length, encoding bool
	for line := range bytes.SplitSeq(raw, []byte("\n")) {
		name, _, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		switch {
		case bytes.EqualFold(name, fieldContentLength):
			length = true
		case bytes.EqualFold(name, fieldTransferEncoding):
			encoding = true
		}
	}
	return length && encoding
}

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gofiber/fiber/v2"
)

// badBody is a request body the API cannot read as one JSON object: a
// 422 invalid_input, as the site's unreadable forms are.
func badBody(message string) *httpx.InputError {
	return &httpx.InputError{Message: message, Fields: map[string]string{}}
}

// badField is a body whose field name is unknown, repeated, mistyped or
// dirty.
func badField(name, message string) *httpx.InputError {
	return &httpx.InputError{Message: "Some fields are not valid; see fields.", Fields: map[string]string{name: message}}
}

// request is a JSON request body: a pointer to a struct whose fields have
// json tags, which lists its text fields so they can be checked.
type request interface {
	texts() map[string]string
}

// decodeJSON reads the request body into dst: the Content-Type must be
// application/json (else 415), and the body exactly one JSON object that
// decodeBody accepts (else 422).
func decodeJSON(c *fiber.Ctx, dst request) error {
	if !isJSON(string(c.Request().Header.ContentType())) {
		return httpx.ErrNotJSON
	}
	return decodeBody(c.Body(), dst)
}

// isJSON reports whether contentType is application/json, with no
// parameter but an optional charset=utf-8 (JSON has no other).
func isJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != fiber.MIMEApplicationJSON {
		return false
	}
	for name, value := range params {
		if name != "charset" || !strings.EqualFold(value, "utf-8") {
			return false
		}
	}
	return true
}

// decodeBody decodes body into dst strictly: valid UTF-8; one JSON object
// and nothing after it; only dst's fields, each once, spelled exactly,
// with the right type; text without control characters (the rule the
// site applies to its forms). Everything else is an *httpx.InputError.
func decodeBody(body []byte, dst request) error {
	if !utf8.Valid(body) {
		return badBody("The request body must be valid UTF-8.")
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return badBody("The request body is empty; send a JSON object.")
	}
	if trimmed[0] != '{' {
		return badBody("The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badBody("The request body must hold one JSON object and nothing after it.")
	}
	if err := checkKeys(body, jsonNames(dst)); err != nil {
		return err
	}
	for name, value := range dst.texts() {
		if !httpx.CleanText(value) {
			return badField(name, "Must not contain control characters.")
		}
	}
	return nil
}

// decodeError describes why encoding/json refused the body.
func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return badField(typeErr.Field, "Must be "+jsonKind(typeErr.Type)+".")
	}
	// encoding/json reports an unknown field only in its message.
	if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
		return badField(strings.TrimSuffix(name, `"`), "Unknown field.")
	}
	return badBody("The request body is not valid JSON.")
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	default:
		return "a " + t.Kind().String()
	}
}

// checkKeys walks the top-level keys of the object in body: each must be
// one of known, spelled exactly (encoding/json matches names without
// regard to case), and appear once (encoding/json keeps the last of
// several, where another parser might keep the first).
func checkKeys(body []byte, known map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil {
		return badBody("The request body is not valid JSON.")
	}
	seen := make(map[string]bool, len(known))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return badBody("The request body is not valid JSON.")
		}
		key, _ := tok.(string)
		switch {
		case !known[key]:
			return badField(key, "Unknown field.")
		case seen[key]:
			return badField(key, "Appears more than once.")
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return badBody("The request body is not valid JSON.")
		}
	}
	return nil
}

// jsonNames lists the JSON names of the fields of the struct dst points
// to.
func jsonNames(dst any) map[string]bool {
	t := reflect.TypeOf(dst).Elem()
	names := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names[name] = true
		}
	}
	return names
}

package api

import (
	"encoding/json"
	"reflect"

	"github.com/gofiber/fiber/v2"
)

// profileRequest is the body of PATCH /me. A field left out changes
// nothing.
type profileRequest struct {
	DisplayName optionalText `json:"display_name"`
}

func (r *profileRequest) texts() map[string]string {
	return map[string]string{fieldDisplayName: r.DisplayName.Value}
}

// optionalText is a JSON string field that may be left out or null:
// Present tells a field that was sent, as a string or null, from one that
// was left out; null reads as "".
type optionalText struct {
	Present bool
	Value   string
}

// UnmarshalJSON reads a string or null; anything else is the
// *json.UnmarshalTypeError of a string field, which decodeError reports
// as "Must be a string." on the field.
func (o *optionalText) UnmarshalJSON(data []byte) error {
	o.Present = true
	if string(data) == "null" {
		o.Value = ""
		return nil
	}
	if err := json.Unmarshal(data, &o.Value); err != nil {
		return &json.UnmarshalTypeError{Value: "non-string", Type: reflect.TypeFor[string]()}
	}
	return nil
}

// updateMe changes the caller's profile: a display_name that is a string
// sets the display name (a blank one, or null, clears it) and one left
// out changes nothing. It answers 200 with the account as GET /me shows
// it; an invalid name is a 422 on display_name, and changes nothing.
func (h *Handler) updateMe(c *fiber.Ctx) error {
	var in profileRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p := principal(c)
	if in.DisplayName.Present {
		u, err := h.account.SetDisplayName(c.UserContext(), p, in.DisplayName.Value, h.client(c))
		if err != nil {
			return err
		}
		p.User = u
	}
	return h.writeMe(c, p)
}

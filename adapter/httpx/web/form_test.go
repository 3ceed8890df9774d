package web

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/valyala/fasthttp"
)

// FuzzFormDecoding feeds arbitrary bodies through fasthttp's form parser
// and the check: it must never panic, and whatever it accepts must be
// clean text in every name and value.
func FuzzFormDecoding(f *testing.F) {
	for _, s := range []string{
		"username=alice&password=correct+horse",
		"username=%00&password=x",
		"username=%FF%FE",
		"a=1&a=2&&=&%zz=bad",
		"remember=on&next=%2F%2Fevil",
		"username=" + string([]byte{0xe2, 0x82}),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var args fasthttp.Args
		args.ParseBytes(body)
		if !cleanForm(args.VisitAll) {
			return
		}
		args.VisitAll(func(k, v []byte) {
			for _, b := range [][]byte{k, v} {
				if !utf8.Valid(b) {
					t.Fatalf("accepted invalid UTF-8 %q from body %q", b, body)
				}
				for _, r := range string(b) {
					if unicode.IsControl(r) {
						t.Fatalf("accepted control character %U from body %q", r, body)
					}
				}
			}
		})
	})
}

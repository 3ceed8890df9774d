package web

import (
	"testing"
	"testing/fstest"
)

func TestHashedName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"style.css", "style.0123abcd.css"},
		{"vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.min.0123abcd.css"},
		{"vendor/bootstrap/LICENSE", "vendor/bootstrap/LICENSE.0123abcd"},
	}
	for _, tt := range tests {
		if got := hashedName(tt.name, "0123abcd"); got != tt.want {
			t.Errorf("hashedName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestAssetURLs protects the template's link to each file: the hash is of
// the content (so an edit changes the name), and a name with no file is an
// error that stops the start rather than a link to a 404.
func TestAssetURLs(t *testing.T) {
	a, err := newAssets(fstest.MapFS{
		"style.css":       {Data: []byte("body{}")},
		"js/hint.js":      {Data: []byte("void 0")},
		"js/hint-copy.js": {Data: []byte("void 0")},
	})
	if err != nil {
		t.Fatalf("newAssets error = %v", err)
	}
	// sha256("body{}") starts with 7c98040a.
	if got, err := a.url("style.css"); err != nil || got != "/static/style.7c98040a.css" {
		t.Errorf(`url("style.css") = %q, %v; want /static/style.7c98040a.css`, got, err)
	}
	hint, _ := a.url("js/hint.js")
	copied, _ := a.url("js/hint-copy.js")
	if hint[len("/static/js/hint."):] != copied[len("/static/js/hint-copy."):] {
		t.Errorf("equal files got different hashes: %s, %s", hint, copied)
	}
	if f, ok := a.files["style.7c98040a.css"]; !ok || f.contentType != "text/css; charset=utf-8" {
		t.Errorf("files[style.7c98040a.css] = %+v, %v; want the stylesheet as text/css", f, ok)
	}
	if got, err := a.url("missing.css"); err == nil {
		t.Errorf(`url("missing.css") = %q, want an error`, got)
	}
}

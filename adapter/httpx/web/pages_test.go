package web

import (
	"maps"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gatehouse/gatehouse/templates"
)

// TestLoadPagesEmbedded protects the start: the site's own templates parse,
// escape and render with every page's view.
func TestLoadPagesEmbedded(t *testing.T) {
	_, p, err := loadSite(templates.FS)
	if err != nil {
		t.Fatalf("loadSite(templates.FS) error = %v", err)
	}
	for name := range pageViews {
		if p.byName[name] == nil {
			t.Errorf("loadPages(templates.FS) has no page %q", name)
		}
	}
}

// minimalSite is a template tree with every page loadPages expects.
func minimalSite() fstest.MapFS {
	fsys := fstest.MapFS{
		"layouts/base.html":     {Data: []byte(`<title>{{.Title}}</title><main>{{template "page" .Content}}</main>`)},
		"layouts/partials.html": {Data: []byte(`{{define "rules"}}<p>{{.}}</p>{{end}}`)},
	}
	for name := range pageViews {
		fsys[name+".html"] = &fstest.MapFile{Data: []byte(`<p>{{.CSRF}}</p>`)}
	}
	return fsys
}

// TestLoadPagesBroken protects "a broken template stops the start": each
// way a template can be wrong is an error from loadPages, which Register
// returns, naming the file.
func TestLoadPagesBroken(t *testing.T) {
	tests := []struct {
		name   string
		change fstest.MapFS // files replaced; a nil file is removed
		want   string       // in the error
	}{
		{"syntax", fstest.MapFS{"login.html": {Data: []byte(`{{if .Title}}`)}}, "template: login:1"},
		{"layout syntax", fstest.MapFS{"layouts/base.html": {Data: []byte(`{{.Title`)}}, "template: layouts/base:1"},
		{"unknown field", fstest.MapFS{"signup.html": {Data: []byte(`{{.NoSuchField}}`)}}, "signup"},
		{"ambiguous context", fstest.MapFS{"logout.html": {Data: []byte(`{{if .Wide}}<a href="{{else}}<b>{{end}}x`)}}, "logout"},
		{"unknown template", fstest.MapFS{"error.html": {Data: []byte(`{{template "nope" .}}`)}}, "error"},
		{"unknown static file", fstest.MapFS{"login.html": {Data: []byte(`<img src="{{static "nope.svg"}}">`)}}, "nope.svg"},
		{"static call spelled otherwise", fstest.MapFS{"login.html": {Data: []byte(`{{ static "nope.svg" }}`)}}, "template: login:1"},
		{"page without a view", fstest.MapFS{"extra.html": {Data: []byte(`x`)}}, "extra.html"},
		{"view without a page", fstest.MapFS{"dashboard.html": nil}, "dashboard.html"},
		{"no layout", fstest.MapFS{"layouts/base.html": nil}, "base.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := minimalSite()
			if _, err := loadPages(fsys, &assets{}); err != nil {
				t.Fatalf("loadPages(minimal site) error = %v, want nil", err)
			}
			maps.Copy(fsys, tt.change)
			for name, f := range tt.change {
				if f == nil {
					delete(fsys, name)
				}
			}
			_, err := loadPages(fsys, &assets{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadPages with %s = %v, want an error naming %q", tt.name, err, tt.want)
			}
		})
	}
}

// TestStaticLinks protects the links to static files, which are put into
// the templates' text at start: the hashed address, and an error for a
// name that would need escaping in a page.
func TestStaticLinks(t *testing.T) {
	a, err := newAssets(fstest.MapFS{
		"style.css":   {Data: []byte("body{}")},
		"a b.css":     {Data: []byte("p{}")},
		"x'y<z>.css":  {Data: []byte("q{}")},
		"hint & x.js": {Data: []byte("void 0")},
	})
	if err != nil {
		t.Fatalf("newAssets error = %v", err)
	}
	fsys := minimalSite()
	fsys["login.html"] = &fstest.MapFile{Data: []byte(`<link href="{{static "style.css"}}"><p>{{static "style.css"}}</p>`)}
	p, err := loadPages(fsys, a)
	if err != nil {
		t.Fatalf("loadPages error = %v", err)
	}
	var out strings.Builder
	if err := p.execute(&out, "login", &loginView{layoutView: layoutView{Title: "T"}}); err != nil {
		t.Fatalf("execute login error = %v", err)
	}
	// sha256("body{}") starts with 7c98040a.
	want := `<title>T</title><main><link href="/static/style.7c98040a.css"><p>/static/style.7c98040a.css</p></main>`
	if out.String() != want {
		t.Errorf("login = %s, want %s", out.String(), want)
	}
	for _, name := range []string{"a b.css", "hint & x.js", "x'y<z>.css"} {
		fsys["login.html"] = &fstest.MapFile{Data: []byte(`<a href="{{static "` + name + `"}}">x</a>`)}
		if _, err := loadPages(fsys, a); err == nil || !strings.Contains(err.Error(), "cannot link") {
			t.Errorf("loadPages linking %q = %v, want an error that it cannot be linked", name, err)
		}
	}
}

// TestRenderEscapes protects html/template's escaping on the render path:
// what a user typed reaches the page escaped for where it stands, in the
// layout and in the page, and the navigation marks the page it is on.
func TestRenderEscapes(t *testing.T) {
	a, p, err := loadSite(templates.FS)
	if err != nil {
		t.Fatalf("loadSite(templates.FS) error = %v", err)
	}
	const typed = `"><script>alert(1)</script>`
	var out strings.Builder
	view := &loginView{
		layoutView: layoutView{Title: "Log in", CSRF: "token", Path: "/login", Alert: typed},
		Username:   typed,
	}
	if err := p.execute(&out, "login", view); err != nil {
		t.Fatalf("execute login error = %v", err)
	}
	page := out.String()
	for _, want := range []string{
		`role="alert" id="page-alert">&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</div>`,
		`id="username" value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`,
		`href="/login" aria-current="page">Log in</a>`,
		`href="/signup">Sign up</a>`,
		`<link rel="stylesheet" href="` + a.urls["style.css"] + `">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Errorf("login page holds the typed text unescaped:\n%s", page)
	}

	out.Reset()
	account := &accountView{layoutView: layoutView{Title: "Your account", User: typed, ShownName: typed, CSRF: "token", Path: "/account"}, DisplayName: typed}
	if err := p.execute(&out, "account", account); err != nil {
		t.Fatalf("execute account error = %v", err)
	}
	page = out.String()
	for _, want := range []string{
		`Signed in as <strong dir="auto">&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</strong>`,
		`id="display_name" value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`,
		`data-username="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`,
		`href="/account" aria-current="page">Account</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("account page lacks %s", want)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Errorf("account page holds the typed text unescaped:\n%s", page)
	}

	// A display name with markup, where it is shown: the greeting and the
	// admin's list.
	out.Reset()
	dashboard := &dashboardView{layoutView: layoutView{Title: "Dashboard", User: "alice", ShownName: typed, CSRF: "token", Path: "/"}, Name: typed}
	if err := p.execute(&out, "dashboard", dashboard); err != nil {
		t.Fatalf("execute dashboard error = %v", err)
	}
	page = out.String()
	if want := `Welcome, &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>`; !strings.Contains(page, want) || strings.Contains(page, "<script>alert") {
		t.Errorf("dashboard lacks %s, or holds the display name unescaped:\n%s", want, page)
	}
	out.Reset()
	users := &adminUsersView{layoutView: layoutView{Title: "Users", User: "root", ShownName: "root", CSRF: "token", Path: "/admin/users"},
		Page: 1, Pages: 1, Total: 1, Users: []userRow{{ID: 3, Username: "mallory", DisplayName: typed}}}
	if err := p.execute(&out, "admin_users", users); err != nil {
		t.Fatalf("execute admin_users error = %v", err)
	}
	page = out.String()
	if want := `<span dir="auto">&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>`; !strings.Contains(page, want) || strings.Contains(page, "<script>alert") {
		t.Errorf("admin list lacks %s, or holds the display name unescaped:\n%s", want, page)
	}
}

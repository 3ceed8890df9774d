package web

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing/fstest"

	"github.com/gofiber/template/html/v2"
)

// The page templates are loaded by github.com/gofiber/template/html (its
// file-system loader, at start, as DESIGN.md asks) but never rendered
// through its Render: given a layout, that method takes the engine's
// write lock, so every render in the process waits for the one before,
// and binds a new {{embed}} function into the template's function map on
// each call. Neither can be turned off. Instead each page's parsed tree
// is put, once at start, into a template set of its own with the layout
// and the partials; a page then executes directly, the layout calls it
// by one fixed name, and html/template escapes each set once.
//
// What a render costs is mostly text/template's reflection: a field looked
// up by name on each use, each function (including the escapers
// html/template adds to every {{.Value}}) called through reflect. So what
// is the same on every render (the static files' addresses) is put into
// the template's text at start, the layout reads its own view rather than
// fields promoted from the page's, and the navigation tests bools rather
// than calling eq.

// Template files, below the root of the templates' file system.
const (
	layoutFile   = "layouts/base.html"
	partialsFile = "layouts/partials.html"
)

// pageTemplate is the name the layout calls its page by:
// {{template "page" .Content}}.
const pageTemplate = "page"

// pageViews lists every page with an empty view of the type it is
// rendered with. Each page is rendered with it once at start.
var pageViews = map[string]func() page{
	"login":       func() page { return &loginView{} },
	"signup":      func() page { return &signupView{} },
	"dashboard":   func() page { return &dashboardView{} },
	"logout":      func() page { return &logoutView{} },
	"account":     func() page { return &accountView{} },
	"admin_users": func() page { return &adminUsersView{} },
	"error":       func() page { return &errorView{} },
}

// pageTemplates are the site's pages, each ready to execute inside the
// layout.
type pageTemplates struct {
	byName map[string]*template.Template
}

// loadPages parses every page of fsys (the .html files at its root) with
// the layout and the partials, and renders each once with an empty view of
// its type, so that a template that does not parse, escape or execute, or
// a page with no view, stops the start.
func loadPages(fsys fs.FS, a *assets) (*pageTemplates, error) {
	files, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	// The engine reads the templates with every {{static "x"}} already
	// replaced by its address.
	site := fstest.MapFS{}
	for _, file := range append([]string{layoutFile, partialsFile}, files...) {
		text, err := readTemplate(fsys, file, a)
		if err != nil {
			return nil, err
		}
		site[file] = &fstest.MapFile{Data: []byte(text), Mode: 0o444}
	}
	engine := html.NewFileSystem(http.FS(site), ".html")
	if err := engine.Load(); err != nil {
		return nil, fmt.Errorf("web: parse templates: %w", err)
	}
	layout := engine.Templates.Lookup(layoutName)
	if layout == nil {
		return nil, fmt.Errorf("web: no template %s", layoutFile)
	}
	p := &pageTemplates{byName: make(map[string]*template.Template, len(files))}
	for _, file := range files {
		name := strings.TrimSuffix(file, ".html")
		newView, ok := pageViews[name]
		if !ok {
			return nil, fmt.Errorf("web: template %s has no view in pageViews", file)
		}
		parsed := engine.Templates.Lookup(name)
		if parsed == nil || parsed.Tree == nil {
			return nil, fmt.Errorf("web: template %s did not parse", file)
		}
		// Clone copies the layout's whole name space (partials
		// included) with trees of its own, which html/template's
		// escaping rewrites; the page's tree is copied for the same
		// reason.
		t, err := layout.Clone()
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", file, err)
		}
		if _, err := t.AddParseTree(pageTemplate, parsed.Tree.Copy()); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", file, err)
		}
		p.byName[name] = t
		if err := p.execute(io.Discard, name, newView()); err != nil {
			return nil, err
		}
	}
	for name := range pageViews {
		if _, ok := p.byName[name]; !ok {
			return nil, fmt.Errorf("web: no template %s.html", name)
		}
	}
	return p, nil
}

// staticCall is how a template links a static file: {{static "style.css"}}.
var staticCall = regexp.MustCompile(`{{static "([^"{}]*)"}}`)

// plainURL is an address in which html/template would escape nothing,
// in a URL attribute or in text, so it can stand in the template as text.
var plainURL = regexp.MustCompile(`^/[A-Za-z0-9_./-]+$`)

// readTemplate returns the text of the template file name, with each
// {{static "name"}} replaced by the hashed address of that static file.
// The addresses are fixed for the life of the process, so they are put in
// once here rather than looked up on every render; a name with no file,
// or with characters that would need escaping, is an error.
func readTemplate(fsys fs.FS, name string, a *assets) (string, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", fmt.Errorf("web: read template: %w", err)
	}
	var bad error
	text := staticCall.ReplaceAllStringFunc(string(b), func(call string) string {
		file := staticCall.FindStringSubmatch(call)[1]
		u, err := a.url(file)
		if err == nil && !plainURL.MatchString(u) {
			err = fmt.Errorf("web: static file %q has characters a page cannot link as is", file)
		}
		if err != nil && bad == nil {
			bad = fmt.Errorf("web: template %s: %w", name, err)
		}
		return u
	})
	return text, bad
}

// execute writes the page name, inside the layout, with view to w.
func (p *pageTemplates) execute(w io.Writer, name string, view page) error {
	t, ok := p.byName[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	l := view.layout()
	l.Content = view
	l.setCurrent()
	if err := t.Execute(w, l); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	return nil
}

package web

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"regexp"
	"strings"
)

// The page templates are parsed with html/template from the embedded file
// system at start: the layout and the partials once, then, for each page,
// a clone of them with the page added under one fixed name, so that each
// page is a template set of its own that html/template escapes once. A
// page then executes directly; nothing is looked up, locked or parsed per
// request. (gofiber/template/html's engine would do the parsing, but its
// Render takes the engine's write lock on every call with a layout, so
// every render in the process would wait for the one before.)
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
	"login":          func() page { return &loginView{} },
	"signup":         func() page { return &signupView{} },
	"dashboard":      func() page { return &dashboardView{} },
	"logout":         func() page { return &logoutView{} },
	"account":        func() page { return &accountView{} },
	"twofactor":      func() page { return &twoFactorView{} },
	"login_2fa":      func() page { return &secondStepView{} },
	"recovery_codes": func() page { return &recoveryCodesView{} },
	"passkeys":       func() page { return &passkeysView{} },
	"admin_users":    func() page { return &adminUsersView{} },
	"error":          func() page { return &errorView{} },

	"recover":       func() page { return &recoverView{} },
	"recover_reset": func() page { return &resetView{} },

	"social_continue": func() page { return &socialContinueView{} },
	"social_connect":  func() page { return &connectView{} },
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
	// Every file is read with each {{static "x"}} already replaced by its
	// address.
	layout := template.New(layoutName)
	for _, file := range []string{layoutFile, partialsFile} {
		text, err := readTemplate(fsys, file, a)
		if err != nil {
			return nil, err
		}
		t := layout // the layout is the set's root; the partials join it
		if file != layoutFile {
			t = layout.New(strings.TrimSuffix(file, ".html"))
		}
		if _, err := t.Parse(text); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", file, err)
		}
	}
	p := &pageTemplates{byName: make(map[string]*template.Template, len(files))}
	for _, file := range files {
		name := strings.TrimSuffix(file, ".html")
		newView, ok := pageViews[name]
		if !ok {
			return nil, fmt.Errorf("web: template %s has no view in pageViews", file)
		}
		text, err := readTemplate(fsys, file, a)
		if err != nil {
			return nil, err
		}
		// Clone copies the layout's whole name space (partials
		// included), so that each page's set is escaped on its own.
		t, err := layout.Clone()
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", file, err)
		}
		// Parsed under its own name, so that an error names the file;
		// the layout calls it by pageTemplate, a copy of its tree.
		parsed, err := t.New(name).Parse(text)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", file, err)
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

package test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/gatehouse/gatehouse"

// TestLayerRule enforces the dependency rule of docs/architecture.md on
// every package's direct imports: domain imports nothing of ours and no
// framework; usecase only domain; an adapter never another adapter, but
// for one edge: the deliveries beneath the HTTP kernel (adapter/httpx/web,
// adapter/httpx/api) import the kernel (adapter/httpx).
func TestLayerRule(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "./...")
	cmd.Dir = ".."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	// HTTP stays in the deliveries: no net/http, fasthttp or Fiber below them.
	frameworks := []string{"github.com/gofiber/", "github.com/valyala/", "net/http", "github.com/uptrace/", "go.uber.org/", "modernc.org/", "database/sql"}
	dec := json.NewDecoder(out)
	seen := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list: %v", err)
		}
		seen++
		layer := layerOf(p.ImportPath)
		for _, imp := range p.Imports {
			if reason := forbidden(layer, p.ImportPath, imp, frameworks); reason != "" {
				t.Errorf("%s imports %s: %s", p.ImportPath, imp, reason)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go list: %v", err)
	}
	if seen < 8 {
		t.Fatalf("go list found %d packages, want the whole module", seen)
	}
}

func layerOf(path string) string {
	rest := strings.TrimPrefix(path, module+"/")
	layer, _, _ := strings.Cut(rest, "/")
	return layer
}

// forbidden says why pkg (in layer) may not import imp, or "".
func forbidden(layer, pkg, imp string, frameworks []string) string {
	ours := strings.HasPrefix(imp, module+"/")
	framework := false
	for _, f := range frameworks {
		if strings.HasPrefix(imp, f) {
			framework = true
		}
	}
	switch layer {
	case "domain":
		if ours && layerOf(imp) != "domain" {
			return "domain imports nothing of ours"
		}
		if framework {
			return "domain imports no framework"
		}
	case "usecase":
		if ours && layerOf(imp) != "domain" && layerOf(imp) != "usecase" {
			return "usecase imports only domain"
		}
		if framework {
			return "usecase imports no framework"
		}
	case "adapter":
		if ours && layerOf(imp) == "adapter" && adapterOf(imp) != adapterOf(pkg) && !onKernel(pkg, imp) {
			return "an adapter never imports another adapter (a delivery imports only the HTTP kernel)"
		}
		if ours && (layerOf(imp) == "infrastructure" || layerOf(imp) == "cmd") {
			return "adapters do not import the composition layers"
		}
	}
	return ""
}

// kernel is the shared HTTP delivery kernel; deliveries are the packages
// beneath it.
const kernel = "httpx"

// adapterOf names the adapter path belongs to: its folder under adapter/,
// or for a delivery beneath the kernel, "httpx/NAME", so that the site
// and the API are two adapters and the kernel a third.
func adapterOf(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, module+"/"), "/")
	if len(parts) < 2 {
		return ""
	}
	if parts[1] == kernel && len(parts) > 2 {
		return kernel + "/" + parts[2]
	}
	return parts[1]
}

// onKernel reports whether pkg is a delivery beneath the kernel and imp
// the kernel itself: the one adapter-to-adapter edge the rule allows.
func onKernel(pkg, imp string) bool {
	return strings.HasPrefix(adapterOf(pkg), kernel+"/") && imp == module+"/adapter/"+kernel
}

func TestForbiddenCatchesViolations(t *testing.T) {
	t.Parallel()
	frameworks := []string{"github.com/gofiber/"}
	tests := []struct {
		pkg, imp string
		bad      bool
	}{
		{module + "/domain", module + "/usecase", true},
		{module + "/domain", "github.com/gofiber/fiber/v2", true},
		{module + "/domain", "strings", false},
		{module + "/usecase", module + "/adapter/httpx/web", true},
		{module + "/usecase", module + "/infrastructure/config", true},
		{module + "/usecase", module + "/domain", false},
		{module + "/adapter/httpx/web", module + "/adapter/sqlstore", true},
		{module + "/adapter/httpx/web", module + "/usecase", false},
		{module + "/adapter/httpx/web", module + "/infrastructure/config", true},
		{module + "/infrastructure/app", module + "/adapter/httpx/web", false},
		// The one allowed edge, and only that one.
		{module + "/adapter/httpx/web", module + "/adapter/httpx", false},
		{module + "/adapter/httpx/api", module + "/adapter/httpx", false},
		{module + "/adapter/httpx/web", module + "/adapter/httpx/api", true},
		{module + "/adapter/httpx/api", module + "/adapter/httpx/web", true},
		{module + "/adapter/httpx", module + "/adapter/httpx/web", true},
		{module + "/adapter/httpx", module + "/adapter/sqlstore", true},
		{module + "/adapter/sqlstore", module + "/adapter/httpx", true},
		{module + "/adapter/argon2id", module + "/adapter/httpx", true},
		{module + "/adapter/httpx/web/internal/x", module + "/adapter/httpx", false},
	}
	for _, tt := range tests {
		got := forbidden(layerOf(tt.pkg), tt.pkg, tt.imp, frameworks) != ""
		if got != tt.bad {
			t.Errorf("forbidden(%s -> %s) = %v, want %v", tt.pkg, tt.imp, got, tt.bad)
		}
	}
}

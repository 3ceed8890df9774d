package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/httpx"
)

// openAPIOutline is the part of openapi.json these tests compare with the
// code.
type openAPIOutline struct {
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas struct {
			ErrorCode struct {
				Enum []string `json:"enum"`
			} `json:"ErrorCode"`
		} `json:"schemas"`
	} `json:"components"`
}

func readOutline(t *testing.T) openAPIOutline {
	t.Helper()
	var doc openAPIOutline
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return doc
}

// TestDocumentMatchesRoutes checks that openapi.json describes exactly the
// routes the adapter registers: no endpoint undocumented, none documented
// that does not exist.
func TestDocumentMatchesRoutes(t *testing.T) {
	doc := readOutline(t)
	if len(doc.Servers) != 1 || doc.Servers[0].URL != httpx.APIPrefix+"/v1" {
		t.Fatalf("openapi.json servers = %+v, want one, %s/v1", doc.Servers, httpx.APIPrefix)
	}
	param := regexp.MustCompile(`:([a-z]+)`)
	var routes, documented []string
	for _, r := range (&Handler{}).routes() {
		path := param.ReplaceAllString(strings.TrimPrefix(r.path, "/v1"), "{$1}")
		routes = append(routes, r.method+" "+path)
	}
	for path, item := range doc.Paths {
		for method := range item {
			if method != "parameters" && method != "summary" && method != "description" {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	sort.Strings(routes)
	sort.Strings(documented)
	if !slices.Equal(routes, documented) {
		t.Errorf("routes %v\ndocumented %v\nwant the same", routes, documented)
	}
}

// TestDocumentListsEveryCode checks that the ErrorCode enum of
// openapi.json is exactly the set of codes the kernel's table can return
// (httpx.Codes, tested there against every row).
func TestDocumentListsEveryCode(t *testing.T) {
	got := httpx.Codes()
	want := readOutline(t).Components.Schemas.ErrorCode.Enum
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("codes the adapter answers %v\nErrorCode enum %v\nwant the same", got, want)
	}
	if p := describe(errMethodNotAllowed); p.Status != http.StatusMethodNotAllowed || !slices.Contains(want, p.Code) {
		t.Errorf("describe(errMethodNotAllowed) = %+v, want a documented 405", p)
	}
}

const openAPIPath = "/api/v1/openapi.json"

// TestServeOpenAPI serves openapi.json byte for byte, as JSON, to anyone:
// no token is asked for or looked up.
func TestServeOpenAPI(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	const what = "GET /api/v1/openapi.json"
	res := api.do(t, call{method: http.MethodGet, path: openAPIPath})
	res.wantStatus(t, what, http.StatusOK)
	res.wantHeader(t, what, "Content-Type", "application/json")
	if !bytes.Equal(res.body, openAPIDocument) {
		t.Errorf("%s body (%d bytes) differs from openapi.json (%d bytes)", what, len(res.body), len(openAPIDocument))
	}
	wantNoCall(t, what, &api.sessions.Calls, "Resolve")
}

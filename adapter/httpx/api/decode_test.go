package api

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/adapter/httpx"
)

func TestDecodeBody(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		want      credentialsRequest
		wantField string // the field an *httpx.InputError names, "" for none
		wantOK    bool
	}{
		{"all fields", `{"username":"alice","password":"pw","remember":true}`, credentialsRequest{"alice", "pw", true, ""}, "", true},
		{"remember left out", ` {"username":"alice","password":"pw"} `, credentialsRequest{"alice", "pw", false, ""}, "", true},
		{"trailing newline", "{\"username\":\"alice\",\"password\":\"pw\"}\n", credentialsRequest{"alice", "pw", false, ""}, "", true},
		{"unicode escapes", `{"username":"Zo\u00eb","password":"\u65e5\u672c"}`, credentialsRequest{"Zoë", "日本", false, ""}, "", true},
		{"empty", ``, credentialsRequest{}, "", false},
		{"only space", "  \n", credentialsRequest{}, "", false},
		{"null", `null`, credentialsRequest{}, "", false},
		{"array", `[{"username":"alice"}]`, credentialsRequest{}, "", false},
		{"string", `"alice"`, credentialsRequest{}, "", false},
		{"not JSON", `username=alice`, credentialsRequest{}, "", false},
		{"cut short", `{"username":"alice"`, credentialsRequest{}, "", false},
		{"trailing object", `{"username":"alice"}{"username":"bob"}`, credentialsRequest{}, "", false},
		{"trailing garbage", `{"username":"alice"} x`, credentialsRequest{}, "", false},
		{"trailing brace", `{"username":"alice"}}`, credentialsRequest{}, "", false},
		{"unknown field", `{"username":"alice","password":"pw","admin":true}`, credentialsRequest{}, "admin", false},
		{"field in another case", `{"Username":"alice","password":"pw"}`, credentialsRequest{}, "Username", false},
		{"repeated field", `{"username":"alice","password":"pw","username":"bob"}`, credentialsRequest{}, "username", false},
		{"number for string", `{"username":42,"password":"pw"}`, credentialsRequest{}, "username", false},
		{"object for string", `{"username":{"$ne":""},"password":"pw"}`, credentialsRequest{}, "username", false},
		{"string for bool", `{"username":"alice","password":"pw","remember":"yes"}`, credentialsRequest{}, "remember", false},
		{"NUL escape", `{"username":"ali\u0000ce","password":"pw"}`, credentialsRequest{}, "username", false},
		{"newline in password", `{"username":"alice","password":"p\nw"}`, credentialsRequest{}, "password", false},
		{"C1 control", "{\"username\":\"alice\u0085\",\"password\":\"pw\"}", credentialsRequest{}, "username", false},
		{"invalid UTF-8", "{\"username\":\"ali\xffce\",\"password\":\"pw\"}", credentialsRequest{}, "", false},
	}
	for _, tt := range tests {
		var got credentialsRequest
		err := decodeBody([]byte(tt.body), &got)
		if tt.wantOK {
			if err != nil || got != tt.want {
				t.Errorf("%s: decodeBody(%q) = %+v, %v; want %+v", tt.name, tt.body, got, err, tt.want)
			}
			continue
		}
		var input *httpx.InputError
		if !errors.As(err, &input) {
			t.Errorf("%s: decodeBody(%q) error = %v, want an *httpx.InputError", tt.name, tt.body, err)
			continue
		}
		if tt.wantField == "" && len(input.Fields) != 0 {
			t.Errorf("%s: decodeBody(%q) fields = %v, want none", tt.name, tt.body, input.Fields)
		}
		if tt.wantField != "" && input.Fields[tt.wantField] == "" {
			t.Errorf("%s: decodeBody(%q) fields = %v, want a message for %q", tt.name, tt.body, input.Fields, tt.wantField)
		}
	}
}

func TestIsJSON(t *testing.T) {
	tests := []struct {
		contentType string
		want        bool
	}{
		{"application/json", true},
		{"Application/JSON", true},
		{"application/json; charset=utf-8", true},
		{"application/json;charset=UTF-8", true},
		{"", false},
		{"text/plain", false},
		{"application/x-www-form-urlencoded", false},
		{"multipart/form-data; boundary=x", false},
		{"application/json; charset=latin1", false},
		{"application/json; foo=bar", false},
		{"application/jsonx", false},
		{"application/vnd.api+json", false},
		{"application/json;", true},
	}
	for _, tt := range tests {
		if got := isJSON(tt.contentType); got != tt.want {
			t.Errorf("isJSON(%q) = %v, want %v", tt.contentType, got, tt.want)
		}
	}
}

func TestJSONNames(t *testing.T) {
	got := jsonNames(&passwordChangeRequest{})
	want := map[string]bool{"current_password": true, "new_password": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("jsonNames(&passwordChangeRequest{}) = %v, want %v", got, want)
	}
}

// FuzzDecodeBody feeds arbitrary bodies to the decoder of every request
// type: it must never panic, must refuse only with an *httpx.InputError, and
// whatever it accepts must be clean text that survives a round trip
// through encoding/json unchanged.
func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{
		`{"username":"alice","password":"correct horse battery staple","remember":true}`,
		`{"current_password":"a","new_password":"b"}`,
		`{"username":"a","username":"b"}`,
		`{"USERNAME":"a"}`,
		`{"username":"\u0000"}`,
		`{"username":"\ud800"}`,
		`{} {}`,
		`[]`,
		`null`,
		"{\"username\":\"\xff\"}",
		`{"remember":1}`,
		`{"password":{"nested":[1,2,{"deep":null}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, dst := range []request{&newUserRequest{}, &credentialsRequest{}, &passwordChangeRequest{}} {
			err := decodeBody(body, dst)
			if err != nil {
				var input *httpx.InputError
				if !errors.As(err, &input) {
					t.Fatalf("decodeBody(%q) error = %v (%T), want an *httpx.InputError", body, err, err)
				}
				continue
			}
			if !utf8.Valid(body) {
				t.Fatalf("decodeBody(%q) accepted invalid UTF-8", body)
			}
			for name, value := range dst.texts() {
				for _, r := range value {
					if unicode.IsControl(r) {
						t.Fatalf("decodeBody(%q) accepted control character %U in %s", body, r, name)
					}
				}
			}
			again := reflect.New(reflect.TypeOf(dst).Elem()).Interface().(request)
			encoded, err := json.Marshal(dst)
			if err != nil {
				t.Fatalf("json.Marshal(%+v) error = %v", dst, err)
			}
			if err := decodeBody(encoded, again); err != nil || !reflect.DeepEqual(dst, again) {
				t.Fatalf("round trip of %q: decodeBody(%s) = %+v, %v; want %+v", body, encoded, again, err, dst)
			}
		}
	})
}

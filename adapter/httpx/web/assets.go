package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// staticPrefix is where the static files are served.
const staticPrefix = "/static/"

// immutableCache is the Cache-Control of a file whose name carries its
// content hash: a new version has a new name, so a browser may keep this
// one for a year without asking again.
const immutableCache = "public, max-age=31536000, immutable"

// assetHashLen is how many hex digits of a file's SHA-256 go into its
// name: 32 bits tell the versions of one file apart.
const assetHashLen = 8

// assets are the static files under names that carry a hash of their
// content ("style.css" is served as "/static/style.1a2b3c4d.css"), read
// and hashed once at start. Pages link the hashed names, so a browser
// caches each version for good and fetches a new one the moment a page
// links it.
type assets struct {
	fsys  fs.FS             // the files under their plain names
	urls  map[string]string // "vendor/bootstrap/bootstrap.min.css" -> "/static/vendor/bootstrap/bootstrap.min.1a2b3c4d.css"
	files map[string]asset  // "vendor/bootstrap/bootstrap.min.1a2b3c4d.css" -> the file
}

// asset is one hashed file, held in memory.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// newAssets reads and hashes every file of fsys.
func newAssets(fsys fs.FS) (*assets, error) {
	a := &assets{fsys: fsys, urls: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		digest := hex.EncodeToString(sum[:])
		hashed := hashedName(name, digest[:assetHashLen])
		contentType := mime.TypeByExtension(path.Ext(name))
		if contentType == "" {
			contentType = fiber.MIMETextPlainCharsetUTF8
		}
		a.urls[name] = staticPrefix + hashed
		a.files[hashed] = asset{body: body, contentType: contentType, etag: `"` + digest + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: hash static files: %w", err)
	}
	return a, nil
}

// hashedName puts hash before name's last extension: "a/b.min.css" becomes
// "a/b.min.<hash>.css", "LICENSE" becomes "LICENSE.<hash>".
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// url returns the hashed address of the static file name (a path below
// static/), or an error naming the file when there is none, so that a
// template that links a missing file stops the start instead of linking
// a 404.
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return u, nil
}

// serve answers a request for a hashed name with the file and a
// Cache-Control that lets it be kept for a year; any other path goes on
// to the next handler (the plain file names, served with a short cache).
func (a *assets) serve(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return c.Next()
	}
	f, ok := a.files[strings.TrimPrefix(c.Path(), staticPrefix)]
	if !ok {
		return c.Next()
	}
	c.Set(fiber.HeaderCacheControl, immutableCache)
	c.Set(fiber.HeaderETag, f.etag)
	c.Set(fiber.HeaderContentType, f.contentType)
	if c.Get(fiber.HeaderIfNoneMatch) == f.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(f.body)
}

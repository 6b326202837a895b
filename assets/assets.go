// Package assets embeds the stylesheet and images and names each under a URL that carries a hash
// of its content, so browsers may cache them for a year and still see every change.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

//go:embed *.css *.svg
var files embed.FS

// File is one embedded asset.
type File struct {
	Name string // e.g. style.css
	Body []byte
}

var (
	byHashed = map[string]File{}   // "style.1a2b3c4d5e.css" -> file
	hashed   = map[string]string{} // "style.css" -> "style.1a2b3c4d5e.css"
)

func init() {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		body, err := files.ReadFile(e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		h := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		hashed[e.Name()] = h
		byHashed[h] = File{Name: e.Name(), Body: body}
	}
}

// Path returns the URL path under which the asset name is served, e.g.
// Path("style.css") == "/assets/style.1a2b3c4d5e.css". It panics on a name that is not embedded,
// which a test of every page catches.
func Path(name string) string {
	h, ok := hashed[name]
	if !ok {
		panic("assets: no asset named " + name)
	}
	return "/assets/" + h
}

// Lookup returns the asset served under the hashed file name.
func Lookup(hashedName string) (File, bool) {
	f, ok := byHashed[hashedName]
	return f, ok
}

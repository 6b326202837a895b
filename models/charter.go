package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Charter is the text of the charter, rendered once at start-up.
type Charter struct {
	// HTML is charter.md rendered, headings with id anchors. It comes from our own file, never
	// from user input, which is why views may output it unescaped.
	HTML string
	// Version is a short SHA-256 of charter.md's bytes; every signature records the version signed.
	Version string
}

// NewCharter renders the Markdown source of the charter and computes its version.
func NewCharter(source []byte) (*Charter, error) {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	var buf bytes.Buffer
	if err := md.Convert(source, &buf); err != nil {
		return nil, fmt.Errorf("render charter: %w", err)
	}
	sum := sha256.Sum256(source)
	return &Charter{HTML: buf.String(), Version: hex.EncodeToString(sum[:])[:12]}, nil
}

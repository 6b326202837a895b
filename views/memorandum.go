package views

import (
	"context"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	qrcode "github.com/skip2/go-qrcode"

	"charter/models"
)

// MemorandumProps is the memorandum of accession of one signatory.
type MemorandumProps struct {
	Signatory models.PublicSignatory
	// PageURL is the absolute address of the signatory's public page in the memorandum's
	// language: the QR code leads there, where anyone can check that the organisation is listed.
	PageURL string
	// Versions are the published versions of the charter, to name the one it joined.
	Versions models.CharterVersions
	// LogEntry is the signatory's approval in the public log, and LogEntryURL where anyone can
	// read it; nil for a signatory the log does not hold (seeded demo data), and the memorandum
	// leaves the line out.
	LogEntry    *models.LogEntry
	LogEntryURL string
}

// CharterVersionName is how a page names the version of the charter a signatory joined: its
// label when it was published, else the start of its hash, as git names a commit.
func CharterVersionName(versions models.CharterVersions, version string) string {
	if v := versions.ByHash(version); v != nil {
		return v.Label
	}
	if len(version) > 8 {
		return version[:8]
	}
	return version
}

// memorandumPrinciples are the message keys of the five principles in short: a title and a line.
var memorandumPrinciples = [][2]string{
	{"memorandum.principle1", "memorandum.principle1_text"},
	{"memorandum.principle2", "memorandum.principle2_text"},
	{"memorandum.principle3", "memorandum.principle3_text"},
	{"memorandum.principle4", "memorandum.principle4_text"},
	{"memorandum.principle5", "memorandum.principle5_text"},
}

// memorandumFill are the message keys of the lines the head of the organisation fills in by hand.
var memorandumFill = []string{"memorandum.sign_name", "memorandum.sign_position", "memorandum.sign_signature", "memorandum.sign_date"}

// QRCode is a QR code of text drawn as an inline SVG image with an accessible name.
func QRCode(text, name string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		svg, err := qrCodeSVG(text, name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, svg)
		return err
	})
}

// qrCodeSVG draws the QR code of text: one square per dark module, joined along each row, on a
// white square with the quiet zone the standard asks for (four modules). It is sized by CSS;
// crispEdges keeps the modules sharp in print.
func qrCodeSVG(text, name string) (string, error) {
	qr, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	modules := qr.Bitmap() // with the quiet zone
	n := strconv.Itoa(len(modules))
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 ` + n + ` ` + n +
		`" shape-rendering="crispEdges" role="img" aria-label="` + html.EscapeString(name) + `">`)
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#fff"/>`)
	for y, row := range modules {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			b.WriteString(`<rect x="` + strconv.Itoa(start) + `" y="` + strconv.Itoa(y) + `" width="` +
				strconv.Itoa(x-start) + `" height="1"/>`)
		}
	}
	b.WriteString(`</svg>`)
	return b.String(), nil
}

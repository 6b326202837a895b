package views

import (
	"html"
	"io"
	"strconv"
	"strings"
	"time"
)

// The size of the badge in CSS pixels.
const (
	BadgeWidth  = 320
	BadgeHeight = 64
)

// BadgeProps is what a badge says: whether the signature stands, and since or until when.
type BadgeProps struct {
	Name   string
	Signed bool      // false once withdrawn or revoked: the badge then claims nothing
	Date   time.Time // the date signed, or the date the signature ended
}

// BadgeTitle is the badge's accessible name.
func BadgeTitle(p BadgeProps) string {
	if p.Signed {
		return p.Name + " signed the " + SiteName + " on " + FormatDate(p.Date)
	}
	return p.Name + " is no longer a signatory of the " + SiteName + " (since " + FormatDate(p.Date) + ")"
}

// WriteBadge writes the SVG badge an organisation embeds on its own site. It is an image with a
// title (role="img"), so screen readers announce what it claims; every text in it is escaped.
func WriteBadge(w io.Writer, p BadgeProps) error {
	line1, line2 := "Signed the Digital Ethics", "of Childhood Charter · "+FormatDate(p.Date)
	fill, mark := "#1e6b3a", "✓"
	if !p.Signed {
		line1, line2 = "No longer a signatory", "of the Charter since "+FormatDate(p.Date)
		fill, mark = "#4a525c", "–"
	}
	esc := html.EscapeString
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + strconv.Itoa(BadgeWidth) + `" height="` +
		strconv.Itoa(BadgeHeight) + `" viewBox="0 0 ` + strconv.Itoa(BadgeWidth) + ` ` + strconv.Itoa(BadgeHeight) +
		`" role="img" aria-labelledby="badge-title">` + "\n")
	b.WriteString(`<title id="badge-title">` + esc(BadgeTitle(p)) + "</title>\n")
	b.WriteString(`<rect width="100%" height="100%" rx="6" fill="#ffffff" stroke="` + fill + `" stroke-width="2"/>` + "\n")
	b.WriteString(`<rect x="1" y="1" width="62" height="62" rx="5" fill="` + fill + `"/>` + "\n")
	b.WriteString(`<text x="32" y="43" font-family="system-ui, sans-serif" font-size="32" fill="#ffffff" text-anchor="middle" aria-hidden="true">` + mark + "</text>\n")
	b.WriteString(`<text x="76" y="27" font-family="system-ui, sans-serif" font-size="15" font-weight="700" fill="#1b1f24">` + esc(line1) + "</text>\n")
	b.WriteString(`<text x="76" y="47" font-family="system-ui, sans-serif" font-size="13" fill="#1b1f24">` + esc(line2) + "</text>\n")
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

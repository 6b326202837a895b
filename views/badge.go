package views

import (
	"context"
	"html"
	"io"
	"strconv"
	"strings"
	"time"
)

// The size of the badge in CSS pixels: BadgeHeight high, BadgeWidth wide in English and wider in
// languages whose words run longer (BadgeWidthIn).
const (
	BadgeWidth  = 320
	BadgeHeight = 64
)

// badgeWidths are the widths that fit the longest line of the badge in each language other than
// English (Russian: "этики детства · с 29 сентября 2026 г." at 13px).
var badgeWidths = map[Lang]int{Russian: 360}

// BadgeWidthIn is the width of the badge in a language.
func BadgeWidthIn(l Lang) int {
	if w, ok := badgeWidths[l]; ok {
		return w
	}
	return BadgeWidth
}

// BadgeProps is what a badge says: whether the signature stands, and since or until when.
type BadgeProps struct {
	Name   string
	Signed bool      // false once withdrawn or revoked: the badge then claims nothing
	Date   time.Time // the date signed, or the date the signature ended
}

// BadgeTitle is the badge's accessible name in a language.
func BadgeTitle(l Lang, p BadgeProps) string {
	if p.Signed {
		return Tr(l, "badge.title_signed", "Name", p.Name, "Date", FormatDateIn(l, p.Date))
	}
	return Tr(l, "badge.title_ended", "Name", p.Name, "Date", FormatDateIn(l, p.Date))
}

// WriteBadge writes the SVG badge an organisation embeds on its own site, in the language of ctx.
// It is an image with a title (role="img") and a lang, so screen readers announce what it claims;
// every text in it is escaped.
func WriteBadge(ctx context.Context, w io.Writer, p BadgeProps) error {
	l := LangOf(ctx)
	date := FormatDateIn(l, p.Date)
	line1, line2 := Tr(l, "badge.line1_signed"), Tr(l, "badge.line2_signed", "Date", date)
	fill, mark := "#1e6b3a", "✓"
	if !p.Signed {
		line1, line2 = Tr(l, "badge.line1_ended"), Tr(l, "badge.line2_ended", "Date", date)
		fill, mark = "#4a525c", "–"
	}
	esc := html.EscapeString
	width := strconv.Itoa(BadgeWidthIn(l))
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" xml:lang="` + string(l) + `" width="` + width + `" height="` +
		strconv.Itoa(BadgeHeight) + `" viewBox="0 0 ` + width + ` ` + strconv.Itoa(BadgeHeight) +
		`" role="img" aria-labelledby="badge-title">` + "\n")
	b.WriteString(`<title id="badge-title">` + esc(BadgeTitle(l, p)) + "</title>\n")
	b.WriteString(`<rect width="100%" height="100%" rx="6" fill="#ffffff" stroke="` + fill + `" stroke-width="2"/>` + "\n")
	b.WriteString(`<rect x="1" y="1" width="62" height="62" rx="5" fill="` + fill + `"/>` + "\n")
	b.WriteString(`<text x="32" y="43" font-family="system-ui, sans-serif" font-size="32" fill="#ffffff" text-anchor="middle" aria-hidden="true">` + mark + "</text>\n")
	b.WriteString(`<text x="76" y="27" font-family="system-ui, sans-serif" font-size="15" font-weight="700" fill="#1b1f24">` + esc(line1) + "</text>\n")
	b.WriteString(`<text x="76" y="47" font-family="system-ui, sans-serif" font-size="13" fill="#1b1f24">` + esc(line2) + "</text>\n")
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

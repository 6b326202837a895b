package views

import (
	"html"
	"net/url"
	"strconv"

	"charter/models"
)

// ListURL is the address of one view of the public list: the parameters in a fixed order, the
// defaults left out, so that equal views have equal URLs (shareable, and one cache entry each).
func ListURL(q models.DirectoryQuery) string {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Category != "" {
		v.Set("category", string(q.Category))
	}
	if q.Country != "" {
		v.Set("country", q.Country)
	}
	if q.Sort != "" && q.Sort != models.SortNewest {
		v.Set("sort", q.Sort)
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if len(v) == 0 {
		return "/signatories"
	}
	return "/signatories?" + v.Encode()
}

// SignatoryURL is the path of a signatory's public page.
func SignatoryURL(slug string) string { return "/signatories/" + url.PathEscape(slug) }

// BadgeURL is the path of a signatory's badge.
func BadgeURL(slug string) string { return SignatoryURL(slug) + "/badge.svg" }

// BadgeURLIn is the path of a signatory's badge in a language: the badge has one address, and
// ?lang= chooses the language of its words (English by default).
func BadgeURLIn(l Lang, slug string) string {
	if l == English {
		return BadgeURL(slug)
	}
	return BadgeURL(slug) + "?lang=" + string(l)
}

// BadgeSnippetIn is the HTML an organisation pastes into its own site to show its badge, in a
// language.
func BadgeSnippetIn(l Lang, baseURL, slug string) string {
	return `<a href="` + baseURL + HrefIn(l, SignatoryURL(slug)) + `"><img src="` + baseURL + BadgeURLIn(l, slug) +
		`" alt="` + html.EscapeString(Tr(l, "badge.alt")) + `" width="` + strconv.Itoa(BadgeWidthIn(l)) + `" height="` +
		strconv.Itoa(BadgeHeight) + `"></a>`
}

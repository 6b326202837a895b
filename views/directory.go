package views

import (
	"net/url"
	"strconv"
	"time"

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

// FormatDate writes a date the way the public pages do: 2 March 2025.
func FormatDate(t time.Time) string { return t.UTC().Format("2 January 2006") }

// BadgeSnippet is the HTML an organisation pastes into its own site to show its badge.
func BadgeSnippet(baseURL, slug string) string {
	return `<a href="` + baseURL + SignatoryURL(slug) + `"><img src="` + baseURL + BadgeURL(slug) +
		`" alt="` + BadgeAlt + `" width="` + strconv.Itoa(BadgeWidth) + `" height="` + strconv.Itoa(BadgeHeight) + `"></a>`
}

// BadgeAlt is the text alternative of the embedded badge.
const BadgeAlt = "Signed the " + SiteName

// Messages for a list address whose parameters cannot be understood (answered 400).
const (
	BadCategoryMessage = "There is no such category. Choose one from the list."
	BadCountryMessage  = "There is no such country. Choose one from the list."
	BadSortMessage     = "The list can be ordered by newest or by name."
	BadPageMessage     = "The page number must be a whole number from 1."
)

// TooDeepMessage answers a page number past the last page the list shows.
func TooDeepMessage(maxPage int) string {
	return "Only the first " + strconv.Itoa(maxPage) + " pages of the list are shown. " +
		"Narrow the search, or download the whole list as CSV."
}

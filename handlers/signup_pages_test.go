package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"charter/models"
	"charter/models/dbtest"
)

// Every page of the journey: one h1 first, headings without skipped levels, a label for every
// visible input, and each form posting back with its CSRF token.
func TestSigningPagesAreAccessible(t *testing.T) {
	a := newApp(t, notifyAdmins)
	a.sendForm("/sign", "/sign", validSignup(a))
	confirmLink := pathOf(t, linkIn(outbox(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de")[0].Body, "/confirm/"))
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	a.sendForm("/manage", "/manage", url.Values{"email": {sig.ContactEmail}})
	manageLink := pathOf(t, linkIn(outbox(t, a.store, sig.ContactEmail)[0].Body, "/manage/"))

	invalid := validSignup(a)
	invalid.Del("name")
	invalid.Set("website", "javascript:alert(1)")
	pages := map[string]func() *goquery.Document{
		"/sign (with errors)": func() *goquery.Document { return doc(t, a.sendForm("/sign", "/sign", invalid)) },
		"/manage (with errors)": func() *goquery.Document {
			return doc(t, a.sendForm("/manage", "/manage", url.Values{"email": {"nope"}}))
		},
	}
	for _, p := range []string{"/sign", "/sign/sent", "/sign/resend", confirmLink, "/confirmed", "/manage",
		"/manage/sent", manageLink, "/withdrawn", "/confirm/" + strings.Repeat("x", 43)} {
		pages[p] = func() *goquery.Document { return doc(t, a.get(p)) }
	}
	for name, get := range pages {
		d := get()
		var levels []int
		d.Find("main h1, main h2, main h3").Each(func(_ int, s *goquery.Selection) {
			n, _ := strconv.Atoi(goquery.NodeName(s)[1:])
			levels = append(levels, n)
		})
		if len(levels) == 0 || levels[0] != 1 {
			t.Errorf("%s: headings %v do not start with h1", name, levels)
		}
		for i := 1; i < len(levels); i++ {
			if levels[i] > levels[i-1]+1 {
				t.Errorf("%s: headings %v skip a level", name, levels)
			}
		}
		d.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
			if typ, _ := s.Attr("type"); typ == "hidden" {
				return
			}
			id, _ := s.Attr("id")
			if id == "" || d.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: input %q has no label", name, id)
			}
		})
		d.Find("form").Each(func(_ int, f *goquery.Selection) {
			if m, _ := f.Attr("method"); m != "post" {
				t.Errorf("%s: a form with method %q", name, m)
			}
			if f.Find(`input[name="_csrf"]`).Length() != 0 {
				t.Errorf("%s: a public form with a CSRF token: it needs none", name)
			}
		})
	}

	// A POST another site's page makes the browser send is refused and changes nothing.
	req := httptestRequest(http.MethodPost, confirmLink, url.Values{}, a.cookies)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if rec := serve(a.router, req); rec.Code != http.StatusForbidden {
		t.Errorf("POST confirm from another site = %d, want 403", rec.Code)
	}
	if st := signatoryByEmail(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de").Status; st != models.StatusSubmitted {
		t.Errorf("confirmed from another site: %s", st)
	}
}

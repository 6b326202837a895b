package handlers_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// leakCandidates are, for a page in lang, the messages of the other languages that read
// differently in lang: seeing one of them on the page means a word was not translated. Messages
// with arguments or counts are left out (their text is not known in advance).
// They depend only on the message files, so each language's are worked out once per test run
// (PluralForms reads a whole file per key).
func leakCandidates(t *testing.T, lang views.Lang) map[string]string {
	t.Helper()
	if m, ok := leakCandidateCache.Load(lang); ok {
		return m.(map[string]string)
	}
	out := map[string]string{}
	for _, other := range views.Languages {
		if other == lang {
			continue
		}
		keys, err := views.MessageKeys(other)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if forms, _ := views.PluralForms(other, k); forms != nil {
				continue
			}
			v := views.Tr(other, k)
			if strings.Contains(v, "<no value>") || v == views.Tr(lang, k) {
				continue
			}
			out[strings.Join(strings.Fields(v), " ")] = k
		}
	}
	leakCandidateCache.Store(lang, out)
	return out
}

// leakCandidateCache holds leakCandidates by language.
var leakCandidateCache sync.Map

// assertNoLeaks fails the test when the HTML page body, written in lang, shows a text (a text
// node, or an alt, title, aria-label, placeholder or meta description) equal to a message of
// another language that reads differently in lang. Parts marked with another lang (the language
// switcher, a suggestion to read the page in another language) are left out. Call it on every
// page rendered in each language.
func assertNoLeaks(t *testing.T, lang views.Lang, body string) {
	t.Helper()
	candidates := leakCandidates(t, lang)
	root, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	check := func(s, where string) {
		s = strings.Join(strings.Fields(s), " ")
		if key, ok := candidates[s]; ok && s != "" {
			t.Errorf("a page in %s shows %q (%s), the message %s of another language", lang, s, where, key)
		}
	}
	var walk func(n *html.Node, inLang bool)
	walk = func(n *html.Node, inLang bool) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "lang" {
					inLang = a.Val == string(lang)
				}
			}
			if n.Data == "script" || n.Data == "style" {
				return
			}
			if inLang {
				for _, a := range n.Attr {
					switch a.Key {
					case "alt", "title", "aria-label", "placeholder":
						check(a.Val, n.Data+" "+a.Key)
					case "content":
						check(a.Val, "meta content")
					}
				}
			}
		}
		if n.Type == html.TextNode && inLang {
			check(n.Data, "text")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLang)
		}
	}
	walk(root, true)
}

// publicApp is an app with five approved signatories (one of them with a statement), one
// withdrawn, all approved on 29 November 2026.
func publicApp(t *testing.T) (*app, *models.Signatory, *models.Signatory) {
	t.Helper()
	a := newApp(t)
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	var first *models.Signatory
	for i := range 5 {
		s := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
			s.ApprovedAt, s.Country = &at, "DE"
			if i == 1 {
				s.Country = "FR"
			}
			if i == 0 {
				s.Statement = "Wir schützen Kinder."
			}
		})
		if first == nil {
			first = s
		}
	}
	gone := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.ApprovedAt = &at })
	a.store.DB.Exec("UPDATE signatories SET status = 'withdrawn', withdrawn_at = ? WHERE id = ?",
		time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), gone.ID)
	return a, first, gone
}

// Every public page, in English and in Russian: the html lang, the hreflang links to the page in
// each language (x-default the English one), the switcher to the other language, and no word of
// the other language.
func TestPublicPagesInBothLanguages(t *testing.T) {
	a, s, gone := publicApp(t)
	for _, path := range []string{"/", "/signatories", "/signatories?q=zzzz&sort=name", "/signatories/" + s.Slug,
		"/signatories/" + gone.Slug, "/signatories?page=3", "/no-such-page", "/signatories?sort=sideways",
		"/signatories/" + s.Slug + "/memorandum", "/signatories/" + gone.Slug + "/memorandum"} {
		for _, lang := range views.Languages {
			target := views.HrefIn(lang, path)
			rec := a.get(target)
			if rec.Code >= 500 {
				t.Fatalf("GET %s = %d", target, rec.Code)
			}
			d := doc(t, rec)
			if got, _ := d.Find("html").Attr("lang"); got != string(lang) {
				t.Errorf("GET %s: html lang %q, want %s", target, got, lang)
			}
			want := map[string]string{"en": path, "ru": views.HrefIn(views.Russian, path), "x-default": path}
			got := map[string]string{}
			d.Find(`link[rel="alternate"][hreflang]`).Each(func(_ int, l *goquery.Selection) {
				got[l.AttrOr("hreflang", "")] = l.AttrOr("href", "")
			})
			if len(got) != len(want) || got["en"] != want["en"] || got["ru"] != want["ru"] || got["x-default"] != want["x-default"] {
				t.Errorf("GET %s: hreflang links %v, want %v", target, got, want)
			}
			other := views.Russian
			if lang == views.Russian {
				other = views.English
			}
			sw := d.Find(".language-switcher a")
			if sw.Length() != 1 || sw.AttrOr("href", "") != views.HrefIn(other, path) || sw.AttrOr("lang", "") != string(other) ||
				sw.AttrOr("hreflang", "") != string(other) || text(sw) != map[views.Lang]string{"en": "English", "ru": "Русский"}[other] {
				t.Errorf("GET %s: switcher %q to %q lang %q", target, text(sw), sw.AttrOr("href", ""), sw.AttrOr("lang", ""))
			}
			body := rec.Body.String()
			t.Run(target, func(t *testing.T) { assertNoLeaks(t, lang, body) })
		}
	}
}

// Russian pages say numbers, plurals and dates the Russian way, and keep the visitor in Russian.
func TestRussianPublicPages(t *testing.T) {
	a, s, gone := publicApp(t)
	date := "29 ноября 2026 г."

	d := doc(t, a.get("/ru/"))
	if got := text(d.Find(".intro-cta p").First()); got != "5 организаций подписали хартию." {
		t.Errorf("/ru/ says %q", got)
	}
	if got := text(d.Find(".countries")); got != "Из 2 стран." {
		t.Errorf("/ru/ countries %q", got)
	}
	civil := d.Find(".figures li").Eq(2)
	if got := text(civil); got != "Гражданское общество 5" {
		t.Errorf("/ru/ categories %q", got)
	}
	if href := civil.Find("a").AttrOr("href", ""); href != "/ru/signatories?category=civil_society" {
		t.Errorf("/ru/ category link %q", href)
	}
	if got := d.Find(`.site-nav a[href="/ru/sign"]`).Text(); got != "Подписать хартию" {
		t.Errorf("/ru/ navigation %q", got)
	}

	d = doc(t, a.get("/ru/signatories"))
	if got := text(d.Find("h2.result-count")); got != "Хартию подписали 5 организаций" {
		t.Errorf("/ru/signatories count %q", got)
	}
	if action := d.Find("form.directory-search").AttrOr("action", ""); action != "/ru/signatories" {
		t.Errorf("search form action %q", action)
	}
	if got := text(d.Find("table.signatories tbody tr").First().Find("time")); got != date {
		t.Errorf("list date %q, want %q", got, date)
	}
	if href := d.Find("table.signatories tbody a").First().AttrOr("href", ""); !strings.HasPrefix(href, "/ru/signatories/") {
		t.Errorf("list links to %q", href)
	}
	if got := text(doc(t, a.get("/ru/signatories?q="+s.Slug[:4]+"&country=DE")).Find("h2.result-count")); !regexp.MustCompile(`^Найден[оа]? \d+ подписант(а|ов)?$`).MatchString(got) {
		t.Errorf("search count %q", got)
	}

	d = doc(t, a.get("/ru/signatories/"+s.Slug))
	details := text(d.Find("dl.signatory-details"))
	for _, want := range []string{"Категория", "Гражданское общество", date, "Подписанная версия хартии"} {
		if !strings.Contains(details, want) {
			t.Errorf("details %q lack %q", details, want)
		}
	}
	if src := d.Find("img.badge").AttrOr("src", ""); src != "/signatories/"+s.Slug+"/badge.svg?lang=ru" {
		t.Errorf("badge src %q", src)
	}
	if alt := d.Find("img.badge").AttrOr("alt", ""); alt != "Подписант Хартии цифровой этики детства" {
		t.Errorf("badge alt %q", alt)
	}
	snippet := d.Find("#badge-snippet").Text()
	if !strings.Contains(snippet, "http://charter.test/ru/signatories/"+s.Slug+`"`) || !strings.Contains(snippet, "badge.svg?lang=ru") {
		t.Errorf("badge snippet %q", snippet)
	}
	ended := text(doc(t, a.get("/ru/signatories/"+gone.Slug)).Find(".ended-notice"))
	if ended != "Организация отозвала свою подпись 2 марта 2027 г. и больше не является подписантом хартии." {
		t.Errorf("withdrawn notice %q", ended)
	}

	rec := a.get("/ru/no-such-page")
	if rec.Code != http.StatusNotFound || text(doc(t, rec).Find("h1")) != "Страница не найдена" {
		t.Errorf("/ru/no-such-page = %d %q", rec.Code, text(doc(t, rec).Find("h1")))
	}
	rec = a.get("/ru/signatories?sort=sideways")
	if rec.Code != http.StatusBadRequest || !strings.Contains(text(doc(t, rec).Find(".lead")), "Список можно упорядочить") {
		t.Errorf("/ru/signatories?sort=sideways = %d %q", rec.Code, text(doc(t, rec).Find(".lead")))
	}
	rec = a.get("/ru/signatories?page=900")
	if rec.Code != http.StatusBadRequest || text(doc(t, rec).Find(".lead")) != "Список показывается только до страницы 500. Уточните поиск или скачайте весь список в формате CSV." {
		t.Errorf("/ru/signatories?page=900 = %d %q", rec.Code, text(doc(t, rec).Find(".lead")))
	}
}

// Russian counts take the form the number needs: 1 организация, 2 организации, 5 организаций,
// 21 организация; thousands are grouped with a no-break space.
func TestRussianFiguresOnTheHomePage(t *testing.T) {
	a := newApp(t)
	if err := a.store.Seed(context.Background(), 1500, models.SeedOptions{Seed: 1, CharterVersion: "v"}); err != nil {
		t.Fatal(err)
	}
	var n int64
	a.store.DB.Raw("SELECT COUNT(*) FROM signatories WHERE status = 'approved'").Scan(&n)
	d := doc(t, a.get("/ru/"))
	got := d.Find(".panel .total").Text()
	if want := views.FormatNumber(views.Russian, n); got != want || !regexp.MustCompile(`^\d\x{00a0}\d{3}$`).MatchString(got) {
		t.Errorf("total %q, want %q with a no-break space", got, want)
	}
	for _, tc := range []struct {
		n    int64
		want string
	}{{1, "1 организация"}, {2, "2 организации"}, {5, "5 организаций"}, {21, "21 организация"}, {111, "111 организаций"}} {
		if got := views.TrN(views.Russian, "list.count_all", tc.n); got != "Хартию подписал"+map[bool]string{true: "а", false: "и"}[tc.n%10 == 1 && tc.n%100 != 11]+" "+tc.want {
			t.Errorf("%d: %q", tc.n, got)
		}
	}
}

// The badge is drawn in Russian with ?lang=ru, wide enough for the longer words; an unknown
// language is a 400, and no lang is English.
func TestRussianBadge(t *testing.T) {
	a, s, _ := publicApp(t)
	type svg struct {
		Lang  string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Width string   `xml:"width,attr"`
		Title string   `xml:"title"`
		Texts []string `xml:"text"`
	}
	get := func(target string) svg {
		t.Helper()
		rec := a.get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", target, rec.Code)
		}
		var b svg
		if err := xml.Unmarshal(rec.Body.Bytes(), &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	ru := get("/signatories/" + s.Slug + "/badge.svg?lang=ru")
	if ru.Lang != "ru" || ru.Width != "360" || ru.Title != s.Name+" — подписант Хартии цифровой этики детства с 29 ноября 2026\u00a0г." ||
		strings.Join(ru.Texts, " ") != "✓ Подписант Хартии цифровой этики детства · с 29 ноября 2026\u00a0г." {
		t.Errorf("Russian badge %+v", ru)
	}
	en := get("/signatories/" + s.Slug + "/badge.svg")
	if en.Lang != "en" || en.Width != "320" || !strings.Contains(en.Title, "signed the Digital Ethics of Childhood Charter on 29 November 2026") {
		t.Errorf("English badge %+v", en)
	}
	if rec := a.get("/signatories/" + s.Slug + "/badge.svg?lang=xx"); rec.Code != http.StatusBadRequest {
		t.Errorf("?lang=xx = %d, want 400", rec.Code)
	}
}

// /ru/feed.atom is the feed in Russian, linking to the Russian pages.
func TestRussianFeed(t *testing.T) {
	a, s, _ := publicApp(t)
	rec := a.get("/ru/feed.atom")
	var feed struct {
		Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Title string `xml:"title"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			Title   string `xml:"title"`
			Summary string `xml:"summary"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); err != nil {
		t.Fatalf("%v\n%s", err, rec.Body)
	}
	if feed.Lang != "ru" || feed.Title != "Новые подписанты Хартии цифровой этики детства" || len(feed.Links) != 2 ||
		feed.Links[0].Href != "http://charter.test/ru/feed.atom" || feed.Links[1].Href != "http://charter.test/ru/signatories" {
		t.Errorf("feed head %+v", feed)
	}
	found := false
	for _, e := range feed.Entries {
		if e.Title == s.Name {
			found = true
			if !strings.HasPrefix(e.Summary, "Гражданское общество, ") || !strings.Contains(e.Summary, "Дата подписания: 29 ноября 2026\u00a0г.") ||
				e.Link.Href != "http://charter.test/ru/signatories/"+s.Slug {
				t.Errorf("entry %+v", e)
			}
		}
	}
	if !found {
		t.Errorf("%s is not in the feed", s.Name)
	}
	if en := a.get("/feed.atom").Body.String(); !strings.Contains(en, `xml:lang="en"`) || !strings.Contains(en, "New signatories of the Digital Ethics of Childhood Charter") {
		t.Errorf("English feed:\n%s", en)
	}
}

// At / only, a browser that prefers the other language is told, in that language, where the
// page is in it; it is never redirected.
func TestAcceptLanguageOnlySuggests(t *testing.T) {
	a := newApp(t)
	for _, tc := range []struct {
		target, accept, want, href string
	}{
		{"/", "ru-RU,ru;q=0.9,en;q=0.5", "Эта страница есть и на русском языке.", "/ru/"},
		{"/", "de-DE, ru;q=0.5", "Эта страница есть и на русском языке.", "/ru/"},
		{"/ru/", "en-GB,en;q=0.8", "This page is also in English.", "/"},
		{"/", "en-US,en;q=0.9,ru;q=0.8", "", ""},
		{"/ru/", "ru", "", ""},
		{"/", "de", "", ""},
		{"/", "", "", ""},
		{"/signatories", "ru", "", ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, tc.target, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Language", tc.accept)
		}
		rec := a.serve(req)
		if rec.Code != http.StatusOK {
			t.Errorf("%s with %q = %d, want 200", tc.target, tc.accept, rec.Code)
			continue
		}
		n := doc(t, rec).Find(".lang-notice a")
		if text(n) != tc.want || n.AttrOr("href", "") != tc.href {
			t.Errorf("%s with %q: notice %q to %q, want %q to %q", tc.target, tc.accept, text(n), n.AttrOr("href", ""), tc.want, tc.href)
		}
	}
}

// A form sent from another site is refused in the language of the page it was sent to.
func TestErrorPagesInRussian(t *testing.T) {
	a := newApp(t)
	req, _ := http.NewRequest(http.MethodPost, "/ru/sign", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec := a.serve(req)
	d := doc(t, rec)
	if rec.Code != http.StatusForbidden || text(d.Find("h1")) != "Это действие недоступно" ||
		!strings.HasPrefix(text(d.Find(".lead")), "Форма отправлена с другого сайта") {
		t.Errorf("cross-site POST /ru/sign = %d %q %q", rec.Code, text(d.Find("h1")), text(d.Find(".lead")))
	}
	assertNoLeaks(t, views.Russian, rec.Body.String())

	for _, tc := range []struct {
		method, target string
		body           string
		status         int
		h1             string
	}{
		{http.MethodPost, "/ru/sign", "name=" + strings.Repeat("x", 2<<20), http.StatusRequestEntityTooLarge, "Отправлено слишком много данных"},
		{http.MethodGet, "/ru/confirm/not-a-token", "", http.StatusNotFound, ""},
	} {
		req, _ := http.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := a.serve(req)
		d := doc(t, rec)
		if rec.Code != tc.status || (tc.h1 != "" && text(d.Find("h1")) != tc.h1) || d.Find("html").AttrOr("lang", "") != "ru" {
			t.Errorf("%s %s = %d %q", tc.method, tc.target, rec.Code, text(d.Find("h1")))
		}
		assertNoLeaks(t, views.Russian, rec.Body.String())
	}
}

// serve sends a request as it is, without the app's cookies.
func (a *app) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec
}

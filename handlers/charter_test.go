package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestHomeShowsTheCharterInThePagesLanguage(t *testing.T) {
	a := newApp(t)
	for _, tc := range []struct {
		path, title, principle, commitments string
	}{
		{"/", "Digital Ethics of Childhood Charter", "1. Respect for the child as a developing, autonomous person", "Commitments of signatories"},
		{"/ru/", "Хартия цифровой этики детства", "1. Уважение к ребенку как к развивающейся самостоятельной личности", "Обязательства подписантов"},
	} {
		rec := a.get(tc.path)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", tc.path, rec.Code)
		}
		d := doc(t, rec)
		article := d.Find("article.prose")
		if h1 := text(article.Find("h1")); h1 != tc.title {
			t.Errorf("%s: the charter's title %q, want %q", tc.path, h1, tc.title)
		}
		var principles []string
		article.Find("h3").Each(func(_ int, s *goquery.Selection) { principles = append(principles, text(s)) })
		if len(principles) != 5 || principles[0] != tc.principle {
			t.Errorf("%s: want the five principles as h3, the first %q; got %q", tc.path, tc.principle, principles)
		}
		// The anchors are the English text's in either language.
		if id, _ := article.Find("h3").First().Attr("id"); id != "1-respect-for-the-child-as-a-developing-autonomous-person" {
			t.Errorf("%s: first principle's anchor %q", tc.path, id)
		}
		if c := article.Find("h2#commitments-of-signatories"); text(c) != tc.commitments {
			t.Errorf("%s: commitments heading %q, want %q", tc.path, text(c), tc.commitments)
		}
		if v := text(d.Find(".version")); v != a.h.Charter.Version {
			t.Errorf("%s: version shown %q, want the English text's %q", tc.path, v, a.h.Charter.Version)
		}
		if html, _ := article.Html(); strings.Contains(html, "translates") {
			t.Errorf("%s: the translation's declaration is shown", tc.path)
		}
	}
	// The Russian text is not shown in English, nor the English in Russian.
	if strings.Contains(a.get("/").Body.String(), "Хартия цифровой этики детства") ||
		strings.Contains(a.get("/ru/").Body.String(), "Respect for the child") {
		t.Error("the charter of one language leaks into the other's page")
	}
}

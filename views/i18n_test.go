package views

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"
)

// A missing message fails every test of this package, never shown silently.
func TestMain(m *testing.M) {
	MissingMessage = func(l Lang, key string, err error) {
		panic("views: no message " + key + " in " + string(l) + ": " + err.Error())
	}
	os.Exit(m.Run())
}

// Every language has the same keys, and every message with a count has each plural form its
// language needs (CLDR: English one and other; Russian one, few, many and other).
func TestLanguagesHaveTheSameMessages(t *testing.T) {
	en, err := MessageKeys(English)
	if err != nil {
		t.Fatal(err)
	}
	need := map[Lang][]string{English: {"one", "other"}, Russian: {"one", "few", "many", "other"}}
	for _, l := range Languages {
		keys, err := MessageKeys(l)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if !slices.Equal(keys, en) {
			for _, k := range keys {
				if !slices.Contains(en, k) {
					t.Errorf("%s has %q, English has not", l, k)
				}
			}
			for _, k := range en {
				if !slices.Contains(keys, k) {
					t.Errorf("%s lacks %q", l, k)
				}
			}
		}
		for _, k := range en {
			forms, err := PluralForms(English, k)
			if err != nil {
				t.Fatal(err)
			}
			if forms == nil {
				continue
			}
			got, _ := PluralForms(l, k)
			if !slices.Equal(got, need[l]) {
				t.Errorf("%s %q has the plural forms %v, want %v", l, k, got, need[l])
			}
		}
	}
}

func TestRussianPlurals(t *testing.T) {
	ctx := WithLang(context.Background(), Russian)
	for n, want := range map[int64]string{
		1: "Хартию подписала 1 организация", 2: "Хартию подписали 2 организации",
		5: "Хартию подписали 5 организаций", 11: "Хартию подписали 11 организаций",
		21: "Хартию подписала 21 организация", 22: "Хартию подписали 22 организации",
		25: "Хартию подписали 25 организаций", 111: "Хартию подписали 111 организаций",
		12345: "Хартию подписали 12\u00a0345 организаций",
	} {
		if got := TN(ctx, "list.count_all", n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
	if got := TN(context.Background(), "list.count_all", 12345); got != "12,345 organisations have signed" {
		t.Errorf("English: %q", got)
	}
}

func TestDatesAndAddresses(t *testing.T) {
	day := time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)
	if got := FormatDateIn(Russian, day); got != "29 ноября 2026\u00a0г." {
		t.Errorf("Russian date %q", got)
	}
	if got := FormatDateIn(English, day); got != "29 November 2026" {
		t.Errorf("English date %q", got)
	}
	for path, want := range map[string]string{
		"/": "/ru/", "/signatories?q=a": "/ru/signatories?q=a", "/sign": "/ru/sign",
		"/admin": "/admin", "/admin/login": "/admin/login", "/assets/style.css": "/assets/style.css",
		"/signatories.csv": "/signatories.csv", "/feed.atom": "/ru/feed.atom",
	} {
		if got := HrefIn(Russian, path); got != want {
			t.Errorf("HrefIn(ru, %q) = %q, want %q", path, got, want)
		}
		if got := HrefIn(English, path); got != path {
			t.Errorf("HrefIn(en, %q) = %q", path, got)
		}
	}
}

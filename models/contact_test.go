package models_test

import (
	"strings"
	"testing"

	"charter/models"
)

func TestNormalizeWebsite(t *testing.T) {
	cases := []struct{ in, website, domain string }{
		{"example.org", "https://example.org", "example.org"},
		{"HTTP://WWW.Example.ORG:8080/Path?q=1#frag", "http://www.example.org:8080/Path?q=1", "example.org"},
		{"https://www.bbc.co.uk/", "https://www.bbc.co.uk", "bbc.co.uk"},
		{"https://alice.github.io", "https://alice.github.io", "alice.github.io"},
		{"https://пример.рф/о-нас", "https://пример.рф/%D0%BE-%D0%BD%D0%B0%D1%81", "xn--e1afmkfd.xn--p1ai"},
		{"https://example.org.", "https://example.org", "example.org"},
	}
	for _, tc := range cases {
		w, d, err := models.NormalizeWebsite(tc.in)
		if err != nil || w != tc.website || d != tc.domain {
			t.Errorf("NormalizeWebsite(%q) = %q, %q, %v; want %q, %q", tc.in, w, d, err, tc.website, tc.domain)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "data:text/html,x", "vbscript:x", "ftp://example.org",
		"https://u:p@example.org", "https://u@example.org", "//example.org", "https://", "http://localhost",
		"https://10.0.0.1", "https://[::1]/", "https://com", "https://example.invalid-tld", "mailto:a@example.org"} {
		if w, _, err := models.NormalizeWebsite(bad); err == nil {
			t.Errorf("NormalizeWebsite(%q) = %q, want an error", bad, w)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	e, d, err := models.NormalizeEmail(" Anna.Schmidt@Mail.Example.CO.UK ")
	if err != nil || e != "anna.schmidt@mail.example.co.uk" || d != "example.co.uk" {
		t.Errorf("got %q %q %v", e, d, err)
	}
	for _, bad := range []string{"", "a", "a@", "@example.org", "a@b@example.org", "Anna <a@example.org>",
		"a@example.org, b@example.org", "a@example.org\r\nBcc: b@example.org", "a@example.org\n", "a@[127.0.0.1]",
		"a@localhost", "\"a b\"@example.org", strings.Repeat("a", 255) + "@example.org"} {
		if e, _, err := models.NormalizeEmail(bad); err == nil {
			t.Errorf("NormalizeEmail(%q) = %q, want an error", bad, e)
		}
	}
}

func TestCountriesAreTheISOList(t *testing.T) {
	c := models.Countries()
	if len(c) != 249 {
		t.Errorf("%d countries, want the 249 of ISO 3166-1", len(c))
	}
	for _, code := range []string{"RU", "DE", "FR", "CN", "US", "SS", "PS", "TW", "AQ", "AX", "CW", "BQ"} {
		if !models.ValidCountry(code) {
			t.Errorf("%s missing", code)
		}
	}
	for _, code := range []string{"SU", "YU", "DD", "AN", "CS", "UK", "EU", "UN", "XK", "ZZ", "AC", "IC", "", "ru"} {
		if models.ValidCountry(code) {
			t.Errorf("%q is not an ISO 3166-1 country code in use", code)
		}
	}
}

// FuzzNormalizeWebsite checks that whatever comes in, what goes out is an http(s) link with a
// host, free of characters that could break out of an attribute or a line, and stable.
func FuzzNormalizeWebsite(f *testing.F) {
	for _, s := range []string{"example.org", "https://a.b.example.co.uk/x?y#z", "javascript:alert(1)",
		"http://[::1]", "https://пример.рф", "HTTPS://EXAMPLE.ORG:443/", "https://a\"b.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		w, d, err := models.NormalizeWebsite(in)
		if err != nil {
			return
		}
		if !strings.HasPrefix(w, "https://") && !strings.HasPrefix(w, "http://") {
			t.Fatalf("%q gave %q", in, w)
		}
		if strings.ContainsAny(w, " \t\r\n\"<>\\") || d == "" {
			t.Fatalf("%q gave %q (%q)", in, w, d)
		}
		if w2, d2, err := models.NormalizeWebsite(w); err != nil || w2 != w || d2 != d {
			t.Fatalf("not stable: %q gave %q, then %q %v", in, w, w2, err)
		}
	})
}

// FuzzNormalizeEmail checks that an accepted address is one address with no way to inject a mail
// header, with a lower-case registrable domain, and that normalising again changes nothing.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"anna@example.org", "Anna <anna@example.org>", "a@b@example.org",
		"a@example.org\r\nBcc: x@example.org", "\"a b\"@example.org", "a@пример.рф", "a@EXAMPLE.ORG", "@example.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		email, domain, err := models.NormalizeEmail(in)
		if err != nil {
			return
		}
		if strings.ContainsAny(email, "\r\n<>,; \t\x00") || strings.Count(email, "@") != 1 {
			t.Fatalf("%q gave %q", in, email)
		}
		if domain == "" || domain != strings.ToLower(domain) {
			t.Fatalf("%q gave the domain %q", in, domain)
		}
		if e2, d2, err := models.NormalizeEmail(email); err != nil || e2 != email || d2 != domain {
			t.Fatalf("not stable: %q gave %q, then %q %v", in, email, e2, err)
		}
	})
}

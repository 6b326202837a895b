package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"charter/models"
	"charter/views"
)

// validationCase is one wrong answer and the message shown beside its field.
type validationCase struct {
	field, value string
	want         string // the message beside the field
}

// publicFieldCases are wrong answers to the public fields, which the sign-up form and the admin
// console's edit must refuse alike.
func publicFieldCases() []validationCase {
	long := func(n int) string { return strings.Repeat("ж", n) }
	return []validationCase{
		{"name", "", views.MsgNameMissing},
		{"name", "   ", views.MsgNameMissing},
		{"name", "A", views.MsgTooShort(views.WhatName, 2)},
		{"name", long(201), views.MsgTooLong(views.WhatName, 200)},
		{"name", "Bell\x07Org", views.MsgControlChars(views.WhatName)},
		{"name", "Two\nLines", views.MsgControlChars(views.WhatName)},
		{"name", "Evil\u202Egro.elgoog", views.MsgControlChars(views.WhatName)},
		{"name", "Bad \xff UTF-8", views.MsgControlChars(views.WhatName)},
		{"name", "\x01\v\r\nBadge breaker", views.MsgControlChars(views.WhatName)},
		{"name", "Fresh O\u200Brg 1", views.MsgControlChars(views.WhatName)},    // zero-width space
		{"name", "Fresh Org\u200D 1", views.MsgControlChars(views.WhatName)},    // zero-width joiner in Latin
		{"name", "Fresh Or\u00ADg 1", views.MsgControlChars(views.WhatName)},    // soft hyphen
		{"name", "\uFEFFFresh Org 1", views.MsgControlChars(views.WhatName)},    // byte order mark
		{"name", "Fresh \u200EOrg 1", views.MsgControlChars(views.WhatName)},    // left-to-right mark
		{"name", "Fresh Org\u2060 1", views.MsgControlChars(views.WhatName)},    // word joiner
		{"name", "Fresh Org \u3164", views.MsgControlChars(views.WhatName)},     // Hangul filler
		{"name", "Fresh Org \U000E0041", views.MsgControlChars(views.WhatName)}, // tag character
		{"category", "", views.MsgCategoryMissing},
		{"category", "aliens", views.MsgCategoryMissing},
		{"country", "", views.MsgCountryMissing},
		{"country", "XX", views.MsgCountryMissing},
		{"country", "SU", views.MsgCountryMissing},
		{"country", "Germany", views.MsgCountryMissing},
		{"website", "", views.MsgWebsiteMissing},
		{"website", "javascript:alert(1)", views.MsgWebsiteScheme},
		{"website", "JavaScript://example.org/%0Aalert(1)", views.MsgWebsiteScheme},
		{"website", "data:text/html,<script>alert(1)</script>", views.MsgWebsiteScheme},
		{"website", "ftp://example.org", views.MsgWebsiteScheme},
		{"website", "https://user:secret@example.org", views.MsgWebsiteCredentials},
		{"website", "https://", views.MsgWebsiteHost},
		{"website", "https:///path-only", views.MsgWebsiteHost},
		{"website", "http://localhost:8080", views.MsgWebsiteHost},
		{"website", "https://192.0.2.1", views.MsgWebsiteHost},
		{"website", "https://example.notatld", views.MsgWebsiteHost},
		{"website", "https://co.uk", views.MsgWebsiteHost},
		{"website", "https://exa mple.org", views.MsgWebsiteHost},
		{"website", "https://example.org/" + strings.Repeat("a", 500), views.MsgTooLong(views.WhatWebsite, models.MaxWebsiteLen)},
		{"website", "https://example.org/\x00", views.MsgControlChars(views.WhatWebsite)},
		{"statement", long(1001), views.MsgTooLong(views.WhatStatement, 1000)},
		{"statement", "Tab\tseparated", views.MsgControlChars(views.WhatStatement)},
		{"statement", "Null\x00byte", views.MsgControlChars(views.WhatStatement)},
		{"statement", "Hidden\u200Bword", views.MsgControlChars(views.WhatStatement)},
		{"website", "https://exa\u200Bmple.org", views.MsgControlChars(views.WhatWebsite)},
	}
}

func TestSignupValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("ж", n) }
	cases := append(publicFieldCases(), []validationCase{
		{"contact-name", "", views.MsgContactNameMissing},
		{"contact-name", long(201), views.MsgTooLong(views.WhatContactName, 200)},
		{"contact-name", "Anna\x1b[31m", views.MsgControlChars(views.WhatContactName)},
		{"contact-role", "", views.MsgContactRoleMissing},
		{"contact-role", long(201), views.MsgTooLong(views.WhatContactRole, 200)},
		{"contact-role", "Boss\r\n", views.MsgControlChars(views.WhatContactRole)},
		{"contact-email", "", views.MsgEmailMissing},
		{"contact-email", "not-an-address", views.MsgEmailInvalid},
		{"contact-email", "anna@example.org\r\nBcc: victim@example.org", views.MsgEmailInvalid},
		{"contact-email", "anna@example.org\nSubject: hi", views.MsgEmailInvalid},
		{"contact-email", "anna@example.org%0d%0aBcc:x@example.org", views.MsgEmailInvalid},
		{"contact-email", "Anna Schmidt <anna@example.org>", views.MsgEmailInvalid},
		{"contact-email", "anna@example.org, boss@example.org", views.MsgEmailInvalid},
		{"contact-email", "anna@example.org;boss@example.org", views.MsgEmailInvalid},
		{"contact-email", "anna@@example.org", views.MsgEmailInvalid},
		{"contact-email", "anna@[192.0.2.1]", views.MsgEmailInvalid},
		{"contact-email", strings.Repeat("a", 250) + "@example.org", views.MsgEmailInvalid},
		{"contact-email", "anna@localhost", views.MsgEmailDomain},
		{"authorised", "", views.MsgAuthorisedMissing},
		{"agrees", "", views.MsgAgreesMissing},
		{"version", "0123456789ab", views.MsgCharterChanged},
	}...)
	a := newApp(t, notifyAdmins)
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s=%.30q", tc.field, tc.value), func(t *testing.T) {
			form := validSignup(a)
			form.Set(tc.field, tc.value)
			rec := a.sendForm("/sign", "/sign", form)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", rec.Code)
			}
			d := doc(t, rec)
			id := tc.field
			if id == "version" {
				id = "agrees"
			}
			if got := text(d.Find("#" + id + "-error")); got != "Error: "+tc.want {
				t.Errorf("beside the field: %q, want %q", got, tc.want)
			}
			summary := d.Find(`.error-summary a[href="#` + id + `"]`)
			if text(summary) != tc.want || d.Find(".error-summary li").Length() != 1 {
				t.Errorf("summary: %q", text(d.Find(".error-summary")))
			}
			if d.Find("#"+id).Length() != 1 {
				t.Errorf("the summary links to #%s, which is not on the page", id)
			}
			if !strings.HasPrefix(text(d.Find("title")), "Error: ") {
				t.Errorf("title %q does not start with Error:", text(d.Find("title")))
			}
			// Every other answer is kept.
			kept := map[string]string{
				"#name": "value", "#website": "value", "#contact-name": "value",
				"#contact-role": "value", "#contact-email": "value",
			}
			for sel := range kept {
				if sel == "#"+tc.field {
					continue
				}
				if v, _ := d.Find(sel).Attr("value"); v != form.Get(strings.TrimPrefix(sel, "#")) {
					t.Errorf("%s kept as %q, want %q", sel, v, form.Get(strings.TrimPrefix(sel, "#")))
				}
			}
			if tc.field != "statement" && d.Find("#statement").Text() != strings.ReplaceAll(form.Get("statement"), "\r\n", "\n") {
				t.Errorf("statement kept as %q", d.Find("#statement").Text())
			}
			if tc.field != "country" && d.Find(`#country option[selected]`).AttrOr("value", "") != "DE" {
				t.Error("country not kept")
			}
			if tc.field != "category" && d.Find(`input[name="category"][checked]`).AttrOr("value", "") != "civil_society" {
				t.Error("category not kept")
			}
			if tc.field != "authorised" && d.Find(`#authorised[checked]`).Length() != 1 {
				t.Error("the authorised box was unticked")
			}
		})
	}
	var n int64
	a.store.DB.Model(&models.Signatory{}).Count(&n)
	if n != 0 {
		t.Errorf("%d signatories stored from invalid forms", n)
	}
}

func TestSignupAcceptsNamesInAnyScript(t *testing.T) {
	cases := []struct {
		name, website, slug string
		wantWebsite, domain string
	}{
		{"Фонд «Дети онлайн»", "деti-online.example.org", "fond-deti-onlain", "https://деti-online.example.org", "example.org"},
		{"Ärzte ohne Grenzen", "HTTPS://WWW.Aerzte-Ohne-Grenzen.DE/#top", "arzte-ohne-grenzen", "https://www.aerzte-ohne-grenzen.de", "aerzte-ohne-grenzen.de"},
		{"中国儿童基金会", "https://www.cctf.org.cn/about?lang=zh", "org", "https://www.cctf.org.cn/about?lang=zh", "cctf.org.cn"},
		{"مؤسسة الطفولة", "http://пример.рф", "org-2", "http://пример.рф", "xn--e1afmkfd.xn--p1ai"},
		{"UN", "https://un.org", "un", "https://un.org", "un.org"},
		{strings.Repeat("Ж", 200), "https://zh.example.com:8443/x", strings.Repeat("zh", 30), "https://zh.example.com:8443/x", "example.com"},
		{"  Spaced   out  name ", "example.net", "spaced-out-name", "https://example.net", "example.net"},
	}
	a := newApp(t, notifyAdmins)
	for i, tc := range cases {
		form := validSignup(a)
		email := fmt.Sprintf("contact%d@example.org", i)
		form.Set("name", tc.name)
		form.Set("website", tc.website)
		form.Set("contact-email", email)
		form.Set("statement", strings.Repeat("x", 999)+"\r\n")
		rec := a.sendForm("/sign", "/sign", form)
		if rec.Code != http.StatusSeeOther {
			t.Errorf("%q: status %d, want 303; errors: %s", tc.name, rec.Code, text(doc(t, rec).Find(".error-summary")))
			continue
		}
		sig := signatoryByEmail(t, a.store, email)
		if sig.Slug != tc.slug || sig.Website != tc.wantWebsite || sig.WebsiteDomain != tc.domain {
			t.Errorf("%q: slug %q website %q domain %q, want %q %q %q", tc.name, sig.Slug, sig.Website, sig.WebsiteDomain,
				tc.slug, tc.wantWebsite, tc.domain)
		}
		if sig.Name != strings.Join(strings.Fields(tc.name), " ") {
			t.Errorf("name stored as %q", sig.Name)
		}
	}
}

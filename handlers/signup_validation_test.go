package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"charter/models"
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
		{"name", "", "Enter the name of your organisation"},
		{"name", "   ", "Enter the name of your organisation"},
		{"name", "A", "The organisation's name must be at least 2 characters"},
		{"name", long(201), "The organisation's name must be 200 characters or fewer"},
		{"name", "Bell\x07Org", "The organisation's name must not contain control characters or invisible formatting characters"},
		{"name", "Two\nLines", "The organisation's name must not contain control characters or invisible formatting characters"},
		{"name", "Evil\u202Egro.elgoog", "The organisation's name must not contain control characters or invisible formatting characters"},
		{"name", "Bad \xff UTF-8", "The organisation's name must not contain control characters or invisible formatting characters"},
		{"name", "\x01\v\r\nBadge breaker", "The organisation's name must not contain control characters or invisible formatting characters"},
		{"name", "Fresh O\u200Brg 1", "The organisation's name must not contain control characters or invisible formatting characters"},    // zero-width space
		{"name", "Fresh Org\u200D 1", "The organisation's name must not contain control characters or invisible formatting characters"},    // zero-width joiner in Latin
		{"name", "Fresh Or\u00ADg 1", "The organisation's name must not contain control characters or invisible formatting characters"},    // soft hyphen
		{"name", "\uFEFFFresh Org 1", "The organisation's name must not contain control characters or invisible formatting characters"},    // byte order mark
		{"name", "Fresh \u200EOrg 1", "The organisation's name must not contain control characters or invisible formatting characters"},    // left-to-right mark
		{"name", "Fresh Org\u2060 1", "The organisation's name must not contain control characters or invisible formatting characters"},    // word joiner
		{"name", "Fresh Org \u3164", "The organisation's name must not contain control characters or invisible formatting characters"},     // Hangul filler
		{"name", "Fresh Org \U000E0041", "The organisation's name must not contain control characters or invisible formatting characters"}, // tag character
		{"category", "", "Choose the group your organisation belongs to"},
		{"category", "aliens", "Choose the group your organisation belongs to"},
		{"country", "", "Choose the country your organisation is based in"},
		{"country", "XX", "Choose the country your organisation is based in"},
		{"country", "SU", "Choose the country your organisation is based in"},
		{"country", "Germany", "Choose the country your organisation is based in"},
		{"website", "", "Enter your organisation's website, starting with https://"},
		{"website", "javascript:alert(1)", "Enter a web address starting with https:// or http://"},
		{"website", "JavaScript://example.org/%0Aalert(1)", "Enter a web address starting with https:// or http://"},
		{"website", "data:text/html,<script>alert(1)</script>", "Enter a web address starting with https:// or http://"},
		{"website", "ftp://example.org", "Enter a web address starting with https:// or http://"},
		{"website", "https://user:secret@example.org", "Remove the user name and password from the web address"},
		{"website", "https://", "Enter your organisation's website as a full address, like https://www.example.org"},
		{"website", "https:///path-only", "Enter your organisation's website as a full address, like https://www.example.org"},
		{"website", "http://localhost:8080", "Enter your organisation's website as a full address, like https://www.example.org"},
		{"website", "https://192.0.2.1", "Enter your organisation's website as a full address, like https://www.example.org"},
		{"website", "https://example.notatld", "Enter your organisation's website as a full address, like https://www.example.org"},
		{"website", "https://co.uk", "Enter your organisation's website as a full address, like https://www.example.org"},
		{"website", "https://exa mple.org", "Enter your organisation's website as a full address, like https://www.example.org"},
		{"website", "https://example.org/" + strings.Repeat("a", 500), "The website must be 500 characters or fewer"},
		{"website", "https://example.org/\x00", "The website must not contain control characters or invisible formatting characters"},
		{"statement", long(1001), "The commitment statement must be 1,000 characters or fewer"},
		{"statement", "Tab\tseparated", "The commitment statement must not contain control characters or invisible formatting characters"},
		{"statement", "Null\x00byte", "The commitment statement must not contain control characters or invisible formatting characters"},
		{"statement", "Hidden\u200Bword", "The commitment statement must not contain control characters or invisible formatting characters"},
		{"website", "https://exa\u200Bmple.org", "The website must not contain control characters or invisible formatting characters"},
	}
}

func TestSignupValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("ж", n) }
	cases := append(publicFieldCases(), []validationCase{
		{"contact-name", "", "Enter your full name"},
		{"contact-name", long(201), "Your name must be 200 characters or fewer"},
		{"contact-name", "Anna\x1b[31m", "Your name must not contain control characters or invisible formatting characters"},
		{"contact-role", "", "Enter your role in the organisation"},
		{"contact-role", long(201), "Your role must be 200 characters or fewer"},
		{"contact-role", "Boss\r\n", "Your role must not contain control characters or invisible formatting characters"},
		{"contact-email", "", "Enter your email address"},
		{"contact-email", "not-an-address", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "anna@example.org\r\nBcc: victim@example.org", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "anna@example.org\nSubject: hi", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "anna@example.org%0d%0aBcc:x@example.org", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "Anna Schmidt <anna@example.org>", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "anna@example.org, boss@example.org", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "anna@example.org;boss@example.org", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "anna@@example.org", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "anna@[192.0.2.1]", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", strings.Repeat("a", 250) + "@example.org", "Enter one email address in the correct format, like name@example.org"},
		{"contact-email", "anna@localhost", "Enter an email address on a domain that exists, like name@example.org"},
		{"authorised", "", "Confirm that you are authorised to sign on behalf of your organisation"},
		{"agrees", "", "Confirm that your organisation agrees to the charter and to its name being published"},
		{"version", "0123456789ab", "The charter has changed since you opened this form. Read it again, then confirm that your organisation agrees to this version"},
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

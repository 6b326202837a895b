package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"charter/models"
)

// linkRE finds a link of the site in an email's body.
var linkRE = regexp.MustCompile(`http://charter\.test(/(?:confirm|manage)/[A-Za-z0-9_-]+)`)

// lastLink is the path of the link in the latest email to an address.
func lastLink(t *testing.T, a *app, to string) string {
	t.Helper()
	msgs := outbox(t, a.store, to)
	if len(msgs) == 0 {
		t.Fatalf("no mail to %s", to)
	}
	m := linkRE.FindStringSubmatch(msgs[len(msgs)-1].Body)
	if m == nil {
		t.Fatalf("no link in %q", msgs[len(msgs)-1].Body)
	}
	return m[1]
}

// A signatory's history reads in words: every action, every change of status and every edited
// value by its label, never the stored value.
func TestHistoryReadsInWords(t *testing.T) {
	a := newAdminApp(t)
	const email = "anna.schmidt@aerzte-ohne-grenzen.de"
	if rec := a.sendForm("/sign", "/sign", validSignup(a)); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign: %d", rec.Code)
	}
	confirm := lastLink(t, a, email)
	if rec := a.sendForm(confirm, confirm, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", rec.Code)
	}
	sig := signatoryByEmail(t, a.store, email)
	page := "/admin/signatories/" + itoa(sig.ID)

	a.signIn()
	if rec := a.post(page+"/approve", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d", rec.Code)
	}
	edit := url.Values{"name": {sig.Name}, "category": {string(models.CategoryAcademia)}, "country": {sig.Country},
		"website": {sig.Website}, "statement": {sig.Statement}}
	if rec := a.post(page+"/edit", edit); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", rec.Code, rec.Body.String())
	}

	if rec := a.sendForm("/manage", "/manage", url.Values{"email": {email}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("manage: %d", rec.Code)
	}
	manage := lastLink(t, a, email)
	if rec := a.sendForm(manage, manage, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", rec.Code)
	}

	want := []struct{ action, what, status string }{
		{"submitted", "Applied", "New → Submitted (email not confirmed)"},
		{"confirmed", "Email confirmed", "Submitted (email not confirmed) → Pending review"},
		{"approve", "Approved", "Pending review → Approved"},
		{"edit", "Edited", ""},
		{"manage_link_sent", "Withdrawal link mailed", ""},
		{"withdrawn", "Withdrawn by the contact", "Approved → Withdrawn"},
	}
	rows := doc(t, a.get(page)).Find("table.audit tbody tr")
	if rows.Length() != len(want) {
		t.Fatalf("%d rows in the history, want %d", rows.Length(), len(want))
	}
	for i, w := range want {
		row := rows.Eq(i)
		if act, _ := row.Attr("data-action"); act != w.action {
			t.Errorf("row %d is %q, want %q", i, act, w.action)
		}
		if got := text(row.Find("td").Eq(2)); got != w.what {
			t.Errorf("row %d reads %q, want %q", i, got, w.what)
		}
		if got := text(row.Find("td").Eq(3)); got != w.status {
			t.Errorf("row %d status %q, want %q", i, got, w.status)
		}
	}
	if got := text(rows.Eq(3).Find(".detail")); got != "Category: “Civil society” → “Academia and research”" {
		t.Errorf("edit reads %q", got)
	}
}

package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"charter/mail"
	"charter/models"
)

// startMailer runs a mail worker for the app's outbox, sending through smtpURL, until the test
// ends; the handlers wake it as main's do.
func (a *app) startMailer(smtpURL string) *mail.Worker {
	a.t.Helper()
	sender, err := mail.NewSMTPSender(smtpURL, "Charter <charter@example.org>")
	if err != nil {
		a.t.Fatal(err)
	}
	w := mail.NewWorker(a.store, sender, a.h.Log)
	w.PollInterval = 50 * time.Millisecond
	a.h.Mailer = w
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	a.t.Cleanup(func() { cancel(); <-done })
	return w
}

// hiddenFields GETs a page and returns the hidden fields of its form (such as the form's time
// stamp), as a browser would send them back.
func (a *app) hiddenFields(page string) url.Values {
	a.t.Helper()
	rec := a.get(page)
	if rec.Code != http.StatusOK {
		a.t.Fatalf("GET %s = %d", page, rec.Code)
	}
	hidden := url.Values{}
	doc(a.t, rec).Find(`form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		hidden.Set(name, value)
	})
	return hidden
}

// fillTime is how long a person takes to fill in a form in these tests.
const fillTime = 20 * time.Second

// sendForm fills in the form at page as a person would (GET it, take its hidden fields, take
// some seconds to answer) and posts it to action.
func (a *app) sendForm(page, action string, form url.Values) *httptest.ResponseRecorder {
	a.t.Helper()
	f := a.hiddenFields(page)
	for k, v := range form {
		f[k] = v
	}
	a.clock.Add(fillTime)
	return a.do(http.MethodPost, action, f)
}

// validSignup is a sign-up form that passes validation; tests change one answer at a time.
func validSignup(a *app) url.Values {
	return url.Values{
		"name":          {"Ärzte ohne Grenzen"},
		"category":      {"civil_society"},
		"country":       {"DE"},
		"website":       {"https://www.aerzte-ohne-grenzen.de/"},
		"statement":     {"We commit to safe digital services for children.\r\nAnd to report on it yearly."},
		"contact-name":  {"Anna Schmidt"},
		"contact-role":  {"Head of policy"},
		"contact-email": {"anna.schmidt@Aerzte-Ohne-Grenzen.DE"},
		"authorised":    {"yes"},
		"agrees":        {"yes"},
		"version":       {a.h.Charter.Version},
	}
}

// pathOf turns an emailed link into the path to request from the router.
func pathOf(t *testing.T, link string) string {
	t.Helper()
	if link == "" {
		t.Fatal("no link in the message")
	}
	p, ok := strings.CutPrefix(link, "http://charter.test")
	if !ok {
		t.Fatalf("link %q is not on the site's base URL", link)
	}
	return p
}

// signatoryByEmail reads the one signatory with this contact email.
func signatoryByEmail(t *testing.T, s *models.Store, email string) models.Signatory {
	t.Helper()
	var sigs []models.Signatory
	if err := s.DB.Where("contact_email = ?", email).Find(&sigs).Error; err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 1 {
		t.Fatalf("%d signatories with contact %s, want 1", len(sigs), email)
	}
	return sigs[0]
}

// outbox returns the messages queued for an address, oldest first.
func outbox(t *testing.T, s *models.Store, to string) []models.OutboxMessage {
	t.Helper()
	var msgs []models.OutboxMessage
	if err := s.DB.Where("to_addr = ?", to).Order("id").Find(&msgs).Error; err != nil {
		t.Fatal(err)
	}
	return msgs
}

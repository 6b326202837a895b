package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"charter/mail/mailtest"
	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// addAdmin makes an administrator who reads the site in lang.
func addAdmin(t *testing.T, a *app, email, lang string) {
	t.Helper()
	if _, err := a.store.CreateAdmin(context.Background(), email, adminPassword); err != nil {
		t.Fatal(err)
	}
	if err := a.store.DB.Table("admins").Where("email = ?", email).Update("lang", lang).Error; err != nil {
		t.Fatal(err)
	}
}

// layoutIn reports whether the layout writes the page in lang (<html lang>): the layout's own
// words (the title's "Error:") are translated with the public pages.
func layoutIn(d *goquery.Document, lang string) bool {
	return d.Find("html").AttrOr("lang", "") == lang
}

// Signing at /ru/sign: the application keeps the language, the confirmation mail is Russian with a
// Russian link, the page that link opens and the pages after it are Russian; each administrator is
// told in their own language.
func TestSigningInRussian(t *testing.T) {
	a := newApp(t, notifyAdmins)
	addAdmin(t, a, "reviewer@charter.test", "en")
	addAdmin(t, a, "obozrevatel@charter.test", "ru")
	smtp := mailtest.Start(t)
	a.startMailer(smtp.URL())

	d := doc(t, a.get("/ru/sign"))
	if got := text(d.Find("h1")); got != "Подписать хартию" {
		t.Errorf("/ru/sign h1 %q", got)
	}
	if action := d.Find("form").AttrOr("action", ""); action != "/ru/sign" {
		t.Errorf("the Russian form posts to %q", action)
	}
	if got := text(d.Find(`label[for="category-civil_society"]`)); got != "Гражданское общество — НКО, фонды, ассоциации" {
		t.Errorf("category %q", got)
	}
	if got := text(d.Find("#statement-hint")); !strings.Contains(got, "не более 1 000 символов") {
		t.Errorf("statement hint %q", got)
	}

	rec := a.sendForm("/ru/sign", "/ru/sign", validSignup(a))
	if rec.Code != http.StatusSeeOther || location(rec) != "/ru/sign/sent" {
		t.Fatalf("POST /ru/sign = %d %q", rec.Code, location(rec))
	}
	sig := signatoryByEmail(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de")
	if sig.Lang != "ru" {
		t.Errorf("the application's language is %q, want ru", sig.Lang)
	}
	sent := doc(t, a.get("/ru/sign/sent"))
	if got := text(sent.Find("h1")); got != "Проверьте почту" {
		t.Errorf("/ru/sign/sent h1 %q", got)
	}
	if href := sent.Find(`a[href="/ru/sign/resend"]`); text(href) != "запросите новую ссылку" {
		t.Errorf("the sent page links to a new link as %q", text(href))
	}

	m := smtp.Wait(t, 1, 10*time.Second)[0]
	if m.Subject != "Подтвердите подпись вашей организации под хартией" || !strings.Contains(m.Body, "Здравствуйте!") ||
		!strings.Contains(m.Body, "\n  «Ärzte ohne Grenzen»\n") {
		t.Errorf("confirmation mail:\n%s\n%s", m.Subject, m.Body)
	}
	link := pathOf(t, m.Link("/ru/confirm/"))
	page := doc(t, a.get(link))
	if got := text(page.Find("h1")); got != "Подтверждение подписи" {
		t.Errorf("confirm page h1 %q", got)
	}
	if got := text(page.Find(".lead")); got != "Вы подтверждаете, что организация Ärzte ohne Grenzen подписывает хартию." ||
		text(page.Find(".lead strong")) != "Ärzte ohne Grenzen" {
		t.Errorf("confirm page lead %q", got)
	}
	if action := page.Find("form").AttrOr("action", ""); action != link {
		t.Errorf("the confirm form posts to %q, want %q", action, link)
	}
	if got := text(page.Find("form button")); got != "Подтвердить" {
		t.Errorf("button %q", got)
	}

	rec = a.do(http.MethodPost, link, url.Values{})
	if rec.Code != http.StatusSeeOther || location(rec) != "/ru/confirmed" {
		t.Fatalf("POST confirm = %d %q", rec.Code, location(rec))
	}
	done := doc(t, a.get("/ru/confirmed"))
	if got := text(done.Find("h1")); got != "Спасибо" || done.Find(`a[href="/ru/manage"]`).Length() != 1 {
		t.Errorf("confirmed page: %q", got)
	}

	// Each administrator is told in their language.
	notices := map[string]mailtest.Message{}
	for _, m := range smtp.Wait(t, 3, 10*time.Second)[1:] {
		notices[m.To[0]] = m
	}
	en, ru := notices["reviewer@charter.test"], notices["obozrevatel@charter.test"]
	if en.Subject != "New application to review: Ärzte ohne Grenzen" || !strings.Contains(en.Body, "Review it: http://charter.test/admin/signatories/") {
		t.Errorf("English notice:\n%s\n%s", en.Subject, en.Body)
	}
	if ru.Subject != "Новая заявка на рассмотрение: Ärzte ohne Grenzen" || !strings.Contains(ru.Body, "Рассмотреть заявку: http://charter.test/admin/signatories/") {
		t.Errorf("Russian notice:\n%s\n%s", ru.Subject, ru.Body)
	}
	assertRussianPages(t, a, "/ru/sign", "/ru/sign/sent", "/ru/sign/resend", "/ru/confirmed", "/ru/manage", "/ru/manage/sent", "/ru/withdrawn")
}

// assertRussianPages checks that each page reads in Russian: none of the signing messages that
// differ between the languages shows in English in its main part (the layout around it is the
// public pages' own).
func assertRussianPages(t *testing.T, a *app, pages ...string) {
	t.Helper()
	keys, err := views.MessageKeys(views.English)
	if err != nil {
		t.Fatal(err)
	}
	english := map[string]string{}
	for _, k := range keys {
		for _, prefix := range []string{"sign.", "resend.", "confirm.", "confirmed.", "manage.", "withdraw", "link.", "form.", "guard."} {
			if !strings.HasPrefix(k, prefix) {
				continue
			}
			if forms, _ := views.PluralForms(views.English, k); forms != nil {
				continue
			}
			en := views.Tr(views.English, k)
			if strings.Contains(en, "{{") || strings.Contains(en, "<no value>") || en == views.Tr(views.Russian, k) {
				continue
			}
			english[en] = k
		}
	}
	for _, p := range pages {
		rec := a.get(p)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", p, rec.Code)
			continue
		}
		doc(t, rec).Find("main *").Each(func(_ int, s *goquery.Selection) {
			own := strings.Join(strings.Fields(s.Clone().Children().Remove().End().Text()), " ")
			if k, ok := english[own]; ok {
				t.Errorf("%s shows the English %s: %q", p, k, own)
			}
		})
	}
}

// A form sent back from /ru/sign says what is wrong in Russian, beside the field and in the
// summary, with limits written the Russian way.
func TestSignValidationInRussian(t *testing.T) {
	a := newApp(t, notifyAdmins)
	form := validSignup(a)
	form.Set("name", "A")
	form.Set("statement", strings.Repeat("ж", 1001))
	form.Del("authorised")
	rec := a.sendForm("/ru/sign", "/ru/sign", form)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", rec.Code)
	}
	d := doc(t, rec)
	if got := text(d.Find(".error-summary h2")); got != "В форме есть ошибки" {
		t.Errorf("summary title %q", got)
	}
	want := map[string]string{
		"name":       "Поле «Название организации» должно содержать не менее 2 символов",
		"statement":  "Поле «Заявление о приверженности» должно содержать не более 1 000 символов", // text() makes the no-break space a space
		"authorised": "Подтвердите, что вы уполномочены подписать хартию от имени организации",
	}
	for id, msg := range want {
		if got := text(d.Find("#" + id + "-error")); got != "Ошибка: "+msg {
			t.Errorf("beside %s: %q, want %q", id, got, "Ошибка: "+msg)
		}
		if got := text(d.Find(`.error-summary a[href="#` + id + `"]`)); got != msg {
			t.Errorf("summary for %s: %q", id, got)
		}
	}
	if action := d.Find("form").AttrOr("action", ""); action != "/ru/sign" {
		t.Errorf("the form sent back posts to %q", action)
	}
	if layoutIn(d, "ru") && !strings.HasPrefix(text(d.Find("title")), "Ошибка:") {
		t.Errorf("title %q does not start with Ошибка:", text(d.Find("title")))
	}
	// The English form says the same in English.
	rec = a.sendForm("/sign", "/sign", form)
	if got := text(doc(t, rec).Find("#name-error")); got != "Error: The organisation's name must be at least 2 characters" {
		t.Errorf("English: %q", got)
	}
}

// The form guard explains itself in the language of the form.
func TestFormGuardInRussian(t *testing.T) {
	a := newApp(t, notifyAdmins)
	f := a.hiddenFields("/ru/sign/resend")
	f.Set("email", "anna@example.org")
	rec := a.do(http.MethodPost, "/ru/sign/resend", f) // at once: quicker than a person
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", rec.Code)
	}
	d := doc(t, rec)
	if got := text(d.Find(".error-summary li")); got != "Форма отправлена быстрее, чем мы ожидали. Проверьте ответы и отправьте её ещё раз." {
		t.Errorf("guard message %q", got)
	}
	if got := text(d.Find(`label[for="homepage"]`)); got != "Оставьте это поле пустым" {
		t.Errorf("honeypot label %q", got)
	}
	if action := d.Find("form").AttrOr("action", ""); action != "/ru/sign/resend" {
		t.Errorf("the resend form posts to %q", action)
	}
	a.clock.Add(fillTime)
	rec = a.do(http.MethodPost, "/ru/sign/resend", url.Values{"_stamp": {d.Find(`input[name="_stamp"]`).AttrOr("value", "")}, "email": {"anna@example.org"}})
	if rec.Code != http.StatusSeeOther || location(rec) != "/ru/sign/sent" {
		t.Errorf("resend after the guard = %d %q", rec.Code, location(rec))
	}
}

// The contact chooses the language of their emails on the manage page; the link stays good, and
// the next emails are in the language chosen.
func TestManagePageChangesTheLanguageOfEmails(t *testing.T) {
	a := newApp(t, notifyAdmins)
	smtp := mailtest.Start(t)
	a.startMailer(smtp.URL())
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name = "Kinderschutzbund"
		s.ContactEmail = "lea@kinderschutzbund.de"
	})
	rec := a.sendForm("/manage", "/manage", url.Values{"email": {sig.ContactEmail}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST /manage = %d", rec.Code)
	}
	m := smtp.Wait(t, 1, 10*time.Second)[0]
	if m.Subject != "Manage your organisation's signature of the charter" {
		t.Errorf("manage mail in %q", m.Subject)
	}
	link := pathOf(t, m.Link("/manage/"))

	d := doc(t, a.get(link))
	if got := d.Find(`#lang option[selected]`).AttrOr("value", ""); got != "en" {
		t.Errorf("the language shown is %q, want en", got)
	}
	langForm := d.Find(`form[action="` + link + `/lang"]`)
	if langForm.Length() != 1 || langForm.Find("select#lang option").Length() != len(views.Languages) {
		t.Fatalf("no language form on the manage page")
	}

	// A language the site does not speak is refused; nothing changes.
	if rec := a.do(http.MethodPost, link+"/lang", url.Values{"lang": {"xx"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("lang=xx = %d, want 400", rec.Code)
	}
	rec = a.do(http.MethodPost, link+"/lang", url.Values{"lang": {"ru"}})
	if rec.Code != http.StatusSeeOther || location(rec) != link+"?saved=1" {
		t.Fatalf("POST lang = %d %q", rec.Code, location(rec))
	}
	if got := signatoryByEmail(t, a.store, sig.ContactEmail).Lang; got != "ru" {
		t.Fatalf("stored language %q, want ru", got)
	}
	d = doc(t, a.get(location(rec)))
	if got := text(d.Find(".flash")); got != "Saved: our emails to you are now written in Русский." ||
		d.Find(`#lang option[selected]`).AttrOr("value", "") != "ru" {
		t.Errorf("after saving: %q", got)
	}

	// The same link, in Russian, still withdraws; the confirmation comes in Russian.
	ru := doc(t, a.get("/ru"+link))
	if got := text(ru.Find("h1")); got != "Управление подписью" || text(ru.Find("form button.button-warning")) != "Отозвать нашу подпись" {
		t.Errorf("/ru manage page: %q", got)
	}
	if action := ru.Find("form:has(button.button-warning)").AttrOr("action", ""); action != "/ru"+link {
		t.Errorf("the Russian withdraw form posts to %q", action)
	}
	rec = a.do(http.MethodPost, "/ru"+link, url.Values{})
	if rec.Code != http.StatusSeeOther || location(rec) != "/ru/withdrawn" {
		t.Fatalf("withdraw = %d %q", rec.Code, location(rec))
	}
	w := smtp.Wait(t, 2, 10*time.Second)[1]
	if w.Subject != "Подпись вашей организации под хартией отозвана" || !strings.Contains(w.Body, "Здравствуйте, ") ||
		!strings.Contains(w.Body, "http://charter.test/ru/sign\n") {
		t.Errorf("withdrawal mail:\n%s\n%s", w.Subject, w.Body)
	}

	// Once withdrawn, the link cannot change the language any more.
	if rec := a.do(http.MethodPost, link+"/lang", url.Values{"lang": {"en"}}); rec.Code != http.StatusGone {
		t.Errorf("lang after withdrawal = %d, want 410", rec.Code)
	}
	if got := signatoryByEmail(t, a.store, sig.ContactEmail).Lang; got != "ru" {
		t.Errorf("stored language %q after a refused change", got)
	}
}

// A reviewer's decision reaches a Russian-speaking contact in Russian, the reviewer's reason as
// written; the approval's badge is the Russian one.
func TestDecisionEmailsInTheContactsLanguage(t *testing.T) {
	a := newAdminApp(t)
	rejected := dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.Lang = "ru" })
	approved := dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.Lang = "ru" })
	a.signIn()
	if rec := a.post("/admin/signatories/"+itoa(rejected.ID)+"/reject", url.Values{"reason_other": {"Сайт не отвечает."}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("reject: %d", rec.Code)
	}
	if rec := a.post("/admin/signatories/"+itoa(approved.ID)+"/approve", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d", rec.Code)
	}
	var mail []models.OutboxMessage
	a.store.DB.Order("id").Find(&mail)
	if len(mail) != 2 {
		t.Fatalf("%d messages, want 2", len(mail))
	}
	r := mail[0]
	if r.Subject != "Ваша заявка на подписание хартии «Цифровая этика детства»" ||
		!strings.Contains(r.Body, "К сожалению, мы не можем включить её в список подписантов") || !strings.Contains(r.Body, "\nСайт не отвечает.\n") {
		t.Errorf("rejection:\n%s\n%s", r.Subject, r.Body)
	}
	ap := mail[1]
	slug := a.signatory(approved.ID).Slug
	if !strings.Contains(ap.Subject, "одобрена") || !strings.Contains(ap.Body, "http://charter.test/ru/signatories/"+slug+"\n") ||
		!strings.Contains(ap.Body, `badge.svg?lang=ru"`) || !strings.Contains(ap.Body, "http://charter.test/ru/signatories/"+slug+"/memorandum\n") {
		t.Errorf("approval:\n%s\n%s", ap.Subject, ap.Body)
	}
}

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
	"golang.org/x/net/html"

	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// consoleEnglish is every message of the console whose English differs from its Russian: on a
// page of the console in Russian, a text equal to one of them is a leak of untranslated text.
func consoleEnglish(t *testing.T) map[string]string {
	t.Helper()
	keys, err := views.MessageKeys(views.English)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, k := range keys {
		if !strings.HasPrefix(k, "admin.") {
			continue
		}
		if forms, _ := views.PluralForms(views.English, k); forms != nil {
			continue
		}
		if en := views.Tr(views.English, k); en != views.Tr(views.Russian, k) && !strings.Contains(en, "{{") {
			out[en] = k
		}
	}
	return out
}

// inRussian checks that a page of the console is in Russian: lang="ru" on <html>, and no text
// node, attribute value or option is a console message left in English.
func inRussian(t *testing.T, d *goquery.Document) {
	t.Helper()
	if l, _ := d.Find("html").Attr("lang"); l != "ru" {
		t.Errorf(`<html lang=%q>, want "ru"`, l)
	}
	english := consoleEnglish(t)
	d.Find("body *").Each(func(_ int, s *goquery.Selection) {
		for _, n := range s.Nodes {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.TextNode {
					continue
				}
				if key, ok := english[strings.TrimSpace(c.Data)]; ok {
					t.Errorf("English text %q (%s) in <%s>", strings.TrimSpace(c.Data), key, n.Data)
				}
			}
			for _, a := range n.Attr {
				if key, ok := english[a.Val]; ok && (a.Key == "aria-label" || a.Key == "title" || a.Key == "value") {
					t.Errorf("English %s=%q (%s) on <%s>", a.Key, a.Val, key, n.Data)
				}
			}
		}
	})
}

// setLang sets the language of the app's administrator in the database.
func (a *app) setLang(lang string) {
	a.t.Helper()
	if err := a.store.SetAdminLang(context.Background(), 1, lang); err != nil {
		a.t.Fatal(err)
	}
}

func TestConsoleInRussian(t *testing.T) {
	a := newAdminApp(t)
	a.setLang("ru")
	original := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Name = "Original Trust" })
	a.clock.Add(time.Hour)
	copied := dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.Name = "Original Trust (copy)" })
	other := dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.Name = "Фонд «Дети онлайн»" })
	third := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.store.DB.Exec("INSERT INTO signatory_flags (signatory_id, kind, other_id, created_at) VALUES (?, 'duplicate_domain', ?, ?)",
		copied.ID, original.ID, a.clock.Now())
	a.signIn()

	// The queue: headings, statuses, flags and dates in Russian.
	d := doc(t, a.get("/admin"))
	inRussian(t, d)
	if h1 := text(d.Find("h1")); h1 != "Очередь на рассмотрение" {
		t.Errorf("queue h1 %q", h1)
	}
	if got := text(d.Find(`.status-counts a[aria-current]`)); got != "Ожидает рассмотрения" {
		t.Errorf("current status %q", got)
	}
	flag := text(d.Find(`tr[data-id="` + itoa(copied.ID) + `"] .flag`))
	if flag != "Тот же домен сайта, что у Original Trust (Одобрена)" {
		t.Errorf("flag %q", flag)
	}
	if got := text(d.Find(`tr[data-id="` + itoa(copied.ID) + `"] td`).Eq(4)); got != "1 марта 2026 г., 10:00 UTC" {
		t.Errorf("received %q", got)
	}
	if got := text(d.Find(`form[action="/admin/approve"] button`)); got != "Одобрить выбранные…" {
		t.Errorf("bulk button %q", got)
	}

	// One signatory: its fields, flags, the reasons to reject, and a refusal in Russian.
	page := "/admin/signatories/" + itoa(copied.ID)
	d = doc(t, a.get(page))
	inRussian(t, d)
	if got := text(d.Find(".status")); got != "Ожидает рассмотрения" {
		t.Errorf("status %q", got)
	}
	if got := text(d.Find("ul.flags .flag")); !strings.HasPrefix(got, "Тот же домен сайта, что у") {
		t.Errorf("flags %q", got)
	}
	var reasons []string
	d.Find("#reason option").Each(func(_ int, s *goquery.Selection) { reasons = append(reasons, text(s)) })
	if len(reasons) != 6 || reasons[0] != "Выберите…" || reasons[3] != "Организация уже есть в списке подписантов." {
		t.Errorf("reasons %q", reasons)
	}
	rec := a.post(page+"/reject", url.Values{"reason": {""}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("reject without a reason: %d", rec.Code)
	}
	d = doc(t, rec)
	if got := text(d.Find("#reason-error")); got != "Выберите причину или напишите свою в поле «Другая причина»." {
		t.Errorf("reason error %q", got)
	}
	if next, _ := d.Find(`form[action="/admin/lang"] input[name=next]`).Attr("value"); next != page {
		t.Errorf("after a refused form, the switcher comes back to %q", next)
	}
	rec = a.post(page+"/notes", url.Values{"note": {strings.Repeat("я", models.MaxNoteLength+1)}})
	// text() turns the no-break space of "4 000" into a space.
	if got := text(doc(t, rec).Find("#note-error")); got != "Заметка должна быть короче 4 000 знаков." {
		t.Errorf("note error %q", got)
	}

	// Rejecting with a common reason stores and mails its Russian text.
	if rec := a.post(page+"/reject", url.Values{"reason": {"Организация уже есть в списке подписантов."}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("reject: %d", rec.Code)
	}
	if got := a.signatory(copied.ID).StatusReason; got != "Организация уже есть в списке подписантов." {
		t.Errorf("stored reason %q", got)
	}
	if got := text(doc(t, a.get(page)).Find(".flash")); got != "Заявка «Original Trust (copy)» отклонена. Контактному лицу отправлено письмо с причиной." {
		t.Errorf("reject flash %q", got)
	}

	// Approving: a Russian flash, and the history in Russian.
	page = "/admin/signatories/" + itoa(other.ID)
	if rec := a.post(page+"/approve", nil); rec.Code != http.StatusSeeOther || location(rec) != page {
		t.Fatalf("approve: %d %q", rec.Code, location(rec))
	}
	if rec := a.post(page+"/edit", url.Values{"name": {"Фонд «Дети онлайн»"}, "category": {string(models.CategoryAcademia)},
		"country": {"DE"}, "website": {other.Website}, "statement": {""}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", rec.Code, rec.Body.String())
	}
	d = doc(t, a.get(page))
	inRussian(t, d)
	if got := text(d.Find(".flash")); got != "Изменения в сведениях «Фонд «Дети онлайн»» сохранены." {
		t.Errorf("edit flash %q", got)
	}
	approved := d.Find(`table.audit tr[data-action="approve"] td`)
	if approved.Eq(2).Text() != "Одобрена" || text(approved.Eq(3)) != "Ожидает рассмотрения → Одобрена" {
		t.Errorf("history of the approval %q", text(approved))
	}
	if got := text(d.Find(`table.audit tr[data-action="edit"] .detail`)); !strings.HasPrefix(got, "Категория: «") ||
		!strings.Contains(got, "Страна: «") {
		t.Errorf("history of the edit %q", got)
	}
	if got := text(d.Find(`table.audit th`).First()); got != "Когда" {
		t.Errorf("history header %q", got)
	}

	// Bulk approval: plural forms.
	d = doc(t, a.get("/admin/approve?id="+itoa(third.ID)))
	inRussian(t, d)
	if h1 := text(d.Find("h1")); h1 != "Одобрить 1 заявку?" {
		t.Errorf("bulk h1 %q", h1)
	}
	form := url.Values{"_csrf": {formToken(t, d, "/admin/approve")}, "id": {itoa(third.ID), itoa(copied.ID)}}
	if rec := a.do(http.MethodPost, "/admin/approve", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("bulk approve: %d", rec.Code)
	}
	if got := text(doc(t, a.get("/admin")).Find(".flash")); got != "Одобрена 1 заявка. Ещё по 1 заявке решение уже принял другой администратор — она оставлена как есть." {
		t.Errorf("bulk flash %q", got)
	}

	// The audit log and the failed mail.
	d = doc(t, a.get("/admin/audit"))
	inRussian(t, d)
	if h1 := text(d.Find("h1")); h1 != "Журнал действий" {
		t.Errorf("audit h1 %q", h1)
	}
	if got := text(d.Find(`#action option[value="reject"]`)); got != "Отклонена" {
		t.Errorf("action filter %q", got)
	}
	if got := text(d.Find(`table.audit tr[data-action="reject"] td`).Eq(4)); got != "Ожидает рассмотрения → Отклонена" {
		t.Errorf("audit status change %q", got)
	}
	d = doc(t, a.get("/admin/mail"))
	inRussian(t, d)
	if got := text(d.Find(".empty")); got != "Недоставленных писем нет." {
		t.Errorf("failed mail %q", got)
	}
}

func TestSwitchingTheConsoleLanguage(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.signIn()
	page := "/admin/signatories/" + itoa(sig.ID)

	d := doc(t, a.get(page))
	if l, _ := d.Find("html").Attr("lang"); l != "en" || text(d.Find("h2").First()) != "Flags" {
		t.Fatalf("an English administrator's console: lang %q, %q", l, text(d.Find("h2").First()))
	}
	button := d.Find(`form[action="/admin/lang"] button[name=lang]`)
	if v, _ := button.Attr("value"); v != "ru" || text(button) != "Русский" || button.AttrOr("lang", "") != "ru" {
		t.Errorf("switch button %q value %q", text(button), v)
	}
	next, _ := d.Find(`form[action="/admin/lang"] input[name=next]`).Attr("value")
	if next != page {
		t.Errorf("the switcher comes back to %q", next)
	}

	// A message left in English shows in Russian after the switch. (The token is the one of the
	// page: a.post would read it from the queue, which shows the message.)
	if rec := a.post(page+"/notes", url.Values{"note": {"Checked by phone."}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("note: %d", rec.Code)
	}
	token := formToken(t, d, "/admin/lang")
	rec := a.do(http.MethodPost, "/admin/lang", url.Values{"_csrf": {token}, "lang": {"ru"}, "next": {next}})
	if rec.Code != http.StatusSeeOther || location(rec) != page {
		t.Fatalf("switch: %d %q", rec.Code, location(rec))
	}
	var admin models.Admin
	a.store.DB.Take(&admin, 1)
	if admin.Lang != "ru" {
		t.Errorf("stored language %q", admin.Lang)
	}
	d = doc(t, a.get(page))
	inRussian(t, d)
	if got := text(d.Find(".flash")); got != "Заметка добавлена в историю." {
		t.Errorf("flash after the switch %q", got)
	}
	if got := text(d.Find(`table.audit tr[data-action="note"] td`).Eq(2)); got != "Заметка" {
		t.Errorf("history %q", got)
	}
	back := d.Find(`form[action="/admin/lang"] button[name=lang]`)
	if v, _ := back.Attr("value"); v != "en" || text(back) != "English" || back.AttrOr("lang", "") != "en" {
		t.Errorf("switch back button %q value %q", text(back), v)
	}

	// Only to a page of the console; an unknown language or a missing token changes nothing.
	for _, bad := range []string{"https://evil.example/admin", "//evil.example/admin", "/signatories", "/admin/login"} {
		if rec := a.post("/admin/lang", url.Values{"lang": {"ru"}, "next": {bad}}); location(rec) != "/admin" {
			t.Errorf("next %q: sent to %q", bad, location(rec))
		}
	}
	if rec := a.post("/admin/lang", url.Values{"lang": {"de"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("unknown language: %d", rec.Code)
	}
	if rec := a.do(http.MethodPost, "/admin/lang", url.Values{"lang": {"en"}}); rec.Code != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", rec.Code)
	}
	a.store.DB.Take(&admin, 1)
	if admin.Lang != "ru" {
		t.Errorf("language after refused switches %q", admin.Lang)
	}
	if rec := a.post("/admin/lang", url.Values{"lang": {"en"}, "next": {"/admin/audit?action=note"}}); location(rec) != "/admin/audit?action=note" {
		t.Errorf("switch back: %q", location(rec))
	}
	if l, _ := doc(t, a.get("/admin/audit")).Find("html").Attr("lang"); l != "en" {
		t.Errorf("after switching back: lang %q", l)
	}
}

// The sign-in page has one address and no session: it follows the browser's Accept-Language.
func TestSignInPageFollowsAcceptLanguage(t *testing.T) {
	a := newAdminApp(t)
	send := func(method, acceptLanguage string, form url.Values) *httptest.ResponseRecorder {
		r := httptestRequest(method, "/admin/login", form, nil)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		if acceptLanguage != "" {
			r.Header.Set("Accept-Language", acceptLanguage)
		}
		return serve(a.router, r)
	}
	for header, want := range map[string]string{
		"ru-RU,ru;q=0.9,en;q=0.8": "Вход для рассмотрения заявок",
		"ru":                      "Вход для рассмотрения заявок",
		"en-GB,en;q=0.9,ru;q=0.5": "Sign in to review signatories",
		"de-DE,de;q=0.9":          "Sign in to review signatories",
		"":                        "Sign in to review signatories",
	} {
		rec := send(http.MethodGet, header, nil)
		d := doc(t, rec)
		if got := text(d.Find("h1")); got != want {
			t.Errorf("Accept-Language %q: %q", header, got)
		}
		if !strings.Contains(rec.Header().Get("Vary"), "Accept-Language") {
			t.Errorf("Accept-Language %q: Vary %q", header, rec.Header().Get("Vary"))
		}
		if strings.HasPrefix(want, "Вход") {
			inRussian(t, d)
		}
	}
	rec := send(http.MethodPost, "ru", url.Values{"email": {"admin@charter.test"}, "password": {"wrong password"}})
	if got := text(doc(t, rec).Find(".error-summary p")); !strings.HasPrefix(got, "Неверный адрес или пароль") {
		t.Errorf("failed sign-in in Russian: %d %q", rec.Code, got)
	}
}

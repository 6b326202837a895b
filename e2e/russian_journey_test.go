package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"charter/views"
)

// fond is the organisation that signs in Russian: a Russian name with Russian quotes, as entered.
var fond = org{
	name:      "Фонд „Дети онлайн“",
	country:   "Россия",
	website:   "https://deti-online.ru",
	statement: "Мы обязуемся проектировать каждый наш сервис безопасным для детей.",
	contact:   "Анна Смирнова",
	role:      "Руководитель программ",
	email:     "anna@deti-online.ru",
}

// ru is a message of the Russian catalogue: the test reads the page by the words it shows.
func ru(key string, args ...any) string { return views.Tr(views.Russian, key, args...) }

// russianDate is a date as the Russian pages write it: "29 ноября 2026 г." (a non-breaking space before "г.").
var russianDate = regexp.MustCompile(`^\d{1,2} [а-яё]+ \d{4}\x{00a0}г\.$`)

// attr is the value of the attribute name of the first element the XPath selects, "" if none.
func (p *tab) attr(xpath, name string) string {
	p.t.Helper()
	return run(p, chromedp.AttributeValue(xpath, name, chromedp.NodeReady)).Value
}

// textAt is the visible text of the first element the XPath selects, spaces folded.
func (p *tab) textAt(xpath string) string {
	p.t.Helper()
	return strings.Join(strings.Fields(run(p, chromedp.Text(xpath, chromedp.NodeVisible))), " ")
}

// preferLanguage makes the tab's browser ask for pages in the languages given, as a browser set
// up in that language does (Accept-Language).
func (p *tab) preferLanguage(languages string) {
	p.t.Helper()
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders,
			network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": languages}})
		return err
	}))
}

// inRussian fails the test unless the page is marked as Russian.
func (p *tab) inRussian() {
	p.t.Helper()
	if lang := p.attr("//html", "lang"); lang != "ru" {
		p.t.Errorf("%s has <html lang=%q>, want ru", p.path(), lang)
	}
}

// The whole journey of a signature in Russian: the visitor, the organisation's contact and the
// administrator all read and press Russian words, the mail is Russian, and the public list
// shows the organisation with a Russian date and country. Every page is checked for
// accessibility and for sideways scrolling at 390 pixels, Russian words being longer.
func TestRussianSignatureJourney(t *testing.T) {
	// The words the journey relies on, written out, so that a catalogue that lost its Russian
	// fails here and not only in a comparison of the catalogue with itself.
	for key, want := range map[string]string{
		"home.sign":                   "Подписать хартию",
		"sign.sent.title":             "Проверьте почту",
		"confirm.submit":              "Подтвердить",
		"admin.sig.approve":           "Одобрить",
		"layout.nav.signatories":      "Подписанты",
		"email.confirm.subject":       "Подтвердите подпись вашей организации под хартией",
		"sign.category.civil_society": "Гражданское общество — НКО, фонды, ассоциации",
	} {
		if got := ru(key); got != want {
			t.Errorf("ru %s = %q, want %q", key, got, want)
		}
	}
	if got := views.CountryNameIn(views.Russian, "RU"); got != fond.country {
		t.Errorf("Russia in Russian is %q", got)
	}

	for _, noScript := range []bool{false, true} {
		name := "javascript"
		if noScript {
			name = "no-javascript"
		}
		t.Run(name, func(t *testing.T) {
			srv := startServer(t)
			// The administrator works in Russian, so the mail telling of the application is
			// Russian too.
			srv.addAdminIn(t, "ru", "proverka@charter.test", "достаточно длинная фраза-пароль")

			contact := newTab(t, srv.URL, noScript)
			contact.readCharterInRussian()
			contact.signUpInRussian(srv, fond)
			contact.confirmInRussian(srv, fond)

			notice := srv.mailTo(t, "proverka@charter.test", 1)
			if want := ru("email.new_application.subject", "Name", fond.name); notice.Subject != want ||
				!strings.HasPrefix(notice.Subject, "Новая заявка") {
				t.Errorf("the administrator was told %q, want %q", notice.Subject, want)
			}
			if !strings.Contains(notice.Body, fond.country) {
				t.Errorf("the mail to the administrator does not name the country in Russian:\n%s", notice.Body)
			}

			// The day of the approval, in Russian, as the list will show it (either side of a
			// midnight the approval might straddle).
			dayBefore := views.FormatDateIn(views.Russian, srv.clock.Now())
			approveInRussian(t, srv, noScript, fond)
			dayAfter := views.FormatDateIn(views.Russian, srv.clock.Now())
			if !russianDate.MatchString(dayAfter) {
				t.Errorf("the Russian date %q is not written in Russian", dayAfter)
			}

			approved := srv.mailTo(t, fond.email, 2)
			if approved.Subject != ru("email.approved.subject") || !strings.Contains(approved.Subject, "одобрена") {
				t.Errorf("the contact was told %q", approved.Subject)
			}
			if approved.Link("/ru/signatories/") == "" {
				t.Errorf("the approval mail has no link to the Russian page:\n%s", approved.Body)
			}

			visitor := newTab(t, srv.URL, noScript)
			visitor.findInRussian(fond, dayBefore, dayAfter)
		})
	}
}

// readCharterInRussian is a visitor opening the Russian home page: the charter in Russian, and a
// way back to English.
func (p *tab) readCharterInRussian() {
	p.t.Helper()
	p.visit("/ru/")
	p.inRussian()
	if h1 := p.text("h1"); h1 != "Хартия цифровой этики детства" {
		p.t.Errorf("the Russian home page has h1 %q", h1)
	}
	if n := p.count("article h3"); n != 5 {
		p.t.Errorf("the Russian charter shows %d principles, want 5", n)
	}
	switcher := `//nav[contains(@class, "language-switcher")]//a[@hreflang="en"]`
	if name, href := p.text(".language-switcher a"), p.attr(switcher, "href"); name != "English" || href != "/" {
		p.t.Errorf("the language switcher offers %q at %q, want English at /", name, href)
	}
	p.checkPage("ru-home")
}

// signUpInRussian is the contact following the Russian "sign" link and filling in the form by
// its Russian labels.
func (p *tab) signUpInRussian(srv *server, o org) {
	p.t.Helper()
	p.follow(ru("home.sign"))
	if path := p.path(); path != "/ru/sign" {
		p.t.Fatalf("the Russian sign link led to %s", path)
	}
	p.inRussian()
	if h1 := p.text("h1"); h1 != ru("sign.title") {
		p.t.Fatalf("the sign form has h1 %q", h1)
	}
	if href := p.attr(`//nav[contains(@class, "language-switcher")]//a[@hreflang="en"]`, "href"); href != "/sign" {
		p.t.Errorf("the switcher on /ru/sign leads to %q, want /sign", href)
	}
	p.checkPage("ru-sign-form")
	p.fill(ru("sign.name.label"), o.name)
	p.check(ru("sign.category.civil_society"))
	p.choose(ru("sign.country.label"), o.country)
	p.fill(ru("sign.website.label"), o.website)
	p.fill(ru("sign.statement.label"), o.statement)
	p.fill(ru("sign.contact_name.label"), o.contact)
	p.fill(ru("sign.contact_role.label"), o.role)
	p.fill(ru("form.email.label"), o.email)
	p.check(ru("sign.authorised.label"))
	p.check("Моя организация присоединяется к хартии") // the label goes on with the version
	srv.clock.Add(personPause)
	p.press("Подписать хартию")
	if h1 := p.text("h1"); h1 != "Проверьте почту" {
		p.t.Fatalf("after sending the form: %q on %s", h1, p.path())
	}
	p.inRussian()
	p.checkPage("ru-sign-sent")
}

// confirmInRussian is the contact reading the Russian mail, opening its Russian link and
// pressing the Russian button.
func (p *tab) confirmInRussian(srv *server, o org) {
	p.t.Helper()
	m := srv.mailTo(p.t, o.email, 1)
	if m.Subject != ru("email.confirm.subject") {
		p.t.Errorf("the confirmation mail's subject is %q", m.Subject)
	}
	for _, want := range []string{"Здравствуйте!", o.name, "кнопку «Подтвердить»"} {
		if !strings.Contains(m.Body, want) {
			p.t.Errorf("the confirmation mail does not say %q:\n%s", want, m.Body)
		}
	}
	link := m.Link("/ru/confirm/")
	if link == "" {
		p.t.Fatalf("the confirmation mail has no Russian link:\n%s", m.Body)
	}
	p.open(link)
	p.inRussian()
	if h1 := p.text("h1"); h1 != ru("confirm.title") {
		p.t.Errorf("the confirmation page has h1 %q", h1)
	}
	if !strings.Contains(p.text("main"), o.name) {
		p.t.Errorf("the confirmation page does not name %q", o.name)
	}
	p.checkPage("ru-confirm")
	p.press(ru("confirm.submit"))
	if h1 := p.text("h1"); h1 != ru("confirmed.heading") || h1 != "Спасибо" {
		p.t.Errorf("after confirming: %q on %s", h1, p.path())
	}
	p.inRussian()
	p.checkPage("ru-confirmed")
}

// approveInRussian is the administrator, whose browser and account are Russian, signing in,
// finding the application in the queue and approving it.
func approveInRussian(t *testing.T, srv *server, noScript bool, o org) {
	t.Helper()
	admin := newTab(t, srv.URL, noScript)
	admin.preferLanguage("ru-RU,ru;q=0.9,en;q=0.5")
	admin.visit("/admin")
	admin.inRussian()
	if h1 := admin.text("h1"); h1 != ru("admin.login.heading") {
		t.Fatalf("/admin without a session shows %q", h1)
	}
	admin.checkPage("ru-admin-login")
	admin.fill(ru("admin.login.email"), "proverka@charter.test")
	admin.fill(ru("admin.login.password"), "достаточно длинная фраза-пароль")
	admin.press("Войти")

	admin.inRussian()
	if h1 := admin.text("h1"); h1 != "Очередь на рассмотрение" {
		t.Fatalf("after signing in: %q on %s", h1, admin.path())
	}
	if queue := admin.text("main"); !strings.Contains(queue, o.name) {
		t.Errorf("the queue does not list %q: %s", o.name, queue)
	}
	admin.checkPage("ru-admin-queue")
	admin.follow(o.name)
	admin.inRussian()
	main := admin.text("main")
	for _, want := range []string{ru("admin.status.pending"), o.country, ru("category.civil_society")} {
		if !strings.Contains(main, want) {
			t.Errorf("the signatory's page in the console does not say %q: %s", want, main)
		}
	}
	admin.checkPage("ru-admin-signatory")
	admin.press("Одобрить")
	flash := admin.text(".flash")
	if flash != ru("admin.flash.approved", "Name", o.name) || !strings.Contains(flash, "одобрена") {
		t.Errorf("after approving, the page says %q", flash)
	}
	admin.checkPage("ru-admin-approved")
}

// findInRussian is a visitor finding the organisation on the Russian list, with the day of its
// approval (one of days) and its country in Russian, then its page and its Russian badge.
func (p *tab) findInRussian(o org, days ...string) {
	p.t.Helper()
	p.visit("/ru/")
	p.follow(ru("layout.nav.signatories"))
	if path := p.path(); path != "/ru/signatories" {
		p.t.Fatalf("the Russian list is at %s", path)
	}
	p.inRussian()
	row := p.textAt(`//table[contains(@class, "signatories")]//tr[td/a[normalize-space(.)="` + o.name + `"]]`)
	if !strings.Contains(row, o.country) || !strings.Contains(row, ru("category.civil_society")) ||
		!containsAny(row, days) {
		p.t.Errorf("the Russian list shows the organisation as %q, want %s and one of %q", row, o.country, days)
	}
	p.checkPage("ru-signatories")

	// Searching by the beginnings of Cyrillic words, in another case.
	p.fill(ru("list.q"), "ДЕТИ онл")
	p.press("Найти")
	if got := p.listed(); !strings.Contains(got, o.name) {
		p.t.Errorf("searching %q lists %q", "ДЕТИ онл", got)
	}
	p.inRussian()
	p.checkPage("ru-signatories-search")

	p.follow(o.name)
	p.inRussian()
	if h1 := p.text("h1"); h1 != o.name {
		p.t.Fatalf("the organisation's page has h1 %q", h1)
	}
	main := p.text("main")
	if !strings.Contains(main, o.statement) || !strings.Contains(main, o.country) || !containsAny(main, days) {
		p.t.Errorf("the organisation's Russian page says: %s", main)
	}
	badge := p.attr(`//img[contains(@class, "badge")]`, "src")
	if !strings.HasSuffix(badge, "/badge.svg?lang=ru") {
		p.t.Errorf("the Russian page shows the badge %q", badge)
	}
	p.checkPage("ru-signatory")
	p.visit(badge)
	if svg := p.svgText(); !strings.Contains(svg, "Подписант Хартии цифровой") {
		p.t.Errorf("the Russian badge says %q", svg)
	}
}

// containsAny reports whether s contains one of subs. A browser's text of a page may give a
// non-breaking space as a plain one, so spaces are compared as spaces.
func containsAny(s string, subs []string) bool {
	s = strings.Join(strings.Fields(s), " ")
	for _, sub := range subs {
		if strings.Contains(s, strings.Join(strings.Fields(sub), " ")) {
			return true
		}
	}
	return false
}

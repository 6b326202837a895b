package handlers_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
	"charter/webcheck"
)

// website stands in for the organisations' websites: what fetching each address gives. The
// fetching itself, and its defences, are tested in webcheck against a local TLS server; here it
// is the answers that matter.
type website struct {
	mu    sync.Mutex
	files map[string]string // body by URL
	err   error             // returned for every URL when set
	calls atomic.Int64
}

func (w *website) Get(_ context.Context, u string) ([]byte, error) {
	w.calls.Add(1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return nil, w.err
	}
	body, ok := w.files[u]
	if !ok {
		return nil, webcheck.ErrNotFound
	}
	return []byte(body), nil
}

func (w *website) put(u, body string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.files[u] = body
}

func withWebsite(w *website) func(*handlers.Handler) {
	return func(h *handlers.Handler) { h.Web = w }
}

// manageLink stores a manage token for the signatory, as the emailed link would carry, and returns
// the link's path.
func manageLink(t *testing.T, a *app, id int64) string {
	t.Helper()
	raw := fmt.Sprintf("%043d", time.Now().UnixNano()*1000+id) // 43 characters, as the site's
	sum := sha256.Sum256([]byte(raw))
	now := a.clock.Now()
	err := a.store.DB.Exec("INSERT INTO tokens (signatory_id, purpose, hash, created_at, expires_at) VALUES (?, 'manage', ?, ?, ?)",
		id, hex.EncodeToString(sum[:]), now, now.Add(models.TokenLifetime)).Error
	if err != nil {
		t.Fatal(err)
	}
	return "/manage/" + raw
}

// unverified is an approved signatory whose contact email is not at its website's domain.
func unverified(t *testing.T, a *app) *models.Signatory {
	return dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name, s.Website, s.WebsiteDomain, s.ContactEmail = "Acme School", "https://www.acme-school.fr", "acme-school.fr", "head@gmail.com"
	})
}

const acmeFile = "https://acme-school.fr/.well-known/charter-verification.txt"

func TestVerifyDomainByFile(t *testing.T) {
	for _, lang := range []string{"", "/ru"} {
		t.Run("lang"+lang, func(t *testing.T) {
			site := &website{files: map[string]string{}}
			a := newApp(t, withWebsite(site))
			sig := unverified(t, a)
			link := manageLink(t, a, sig.ID)
			public := lang + "/signatories/" + sig.Slug
			words := map[string]string{"": "Domain verified: acme-school.fr", "/ru": "Домен подтверждён: acme-school.fr"}[lang]

			// The public pages, cached, say nothing yet.
			if got := text(doc(t, a.get(public)).Find(".verified-domain")); got != "" {
				t.Fatalf("public page already says %q", got)
			}
			if got := text(doc(t, a.get(lang+"/signatories")).Find(".verified-domain")); got != "" {
				t.Fatalf("list already says %q", got)
			}

			// The manage page gives the address of the file and the line to put in it.
			d := doc(t, a.get(lang+link))
			if got := text(d.Find(".domain-verification .file-url")); got != acmeFile {
				t.Errorf("file address %q", got)
			}
			token, _ := d.Find("#domain-token").Attr("value")
			if !strings.HasPrefix(token, "charter-") || len(token) < 40 {
				t.Fatalf("token %q", token)
			}
			if again, _ := doc(t, a.get(lang+link)).Find("#domain-token").Attr("value"); again != token {
				t.Errorf("the token changed between two visits: %q, %q", token, again)
			}
			action, _ := d.Find(".domain-verification form").Attr("action")
			if action != lang+link+"/verify" {
				t.Fatalf("form action %q", action)
			}

			// The file lists the token (among others, with CRLF): verified.
			site.put(acmeFile, "charter-someone-else\r\n"+token+"\r\n")
			rec := a.do(http.MethodPost, action, url.Values{})
			if rec.Code != http.StatusSeeOther || location(rec) != lang+link+"?verified=1" {
				t.Fatalf("POST verify = %d %q\n%s", rec.Code, location(rec), rec.Body)
			}
			d = doc(t, a.get(location(rec)))
			if got := text(d.Find(".domain-verification .flash")); !strings.Contains(got, "acme-school.fr") {
				t.Errorf("no word of success: %q", got)
			}
			if d.Find("#domain-token").Length() != 0 || d.Find(".domain-verification form").Length() != 0 {
				t.Error("a verified domain is still offered verification")
			}
			got := a.signatory(sig.ID)
			if got.VerifiedDomain != "acme-school.fr" || got.DomainVerifiedBy != models.DomainByFile || got.DomainVerifiedAt == nil {
				t.Errorf("stored %q by %q at %v", got.VerifiedDomain, got.DomainVerifiedBy, got.DomainVerifiedAt)
			}

			// The public page and the list show it at once: the verification bumped the public state.
			if got := text(doc(t, a.get(public)).Find(".verified-domain")); got != "✓ "+words {
				t.Errorf("public page says %q, want %q", got, words)
			}
			if got := text(doc(t, a.get(lang+"/signatories")).Find("table.signatories .verified-domain")); got != "✓ "+words {
				t.Errorf("list says %q, want %q", got, words)
			}
			if a.get("/signatories.csv").Body.String() == "" || !strings.Contains(a.get("/signatories.json").Body.String(), `"verified_domain":"acme-school.fr"`) {
				t.Error("the open data does not carry the verified domain")
			}
			if len(a.auditOf(sig.ID)) != 1 || a.auditOf(sig.ID)[0].Action != models.ActionDomainVerified {
				t.Errorf("audit %+v", a.auditOf(sig.ID))
			}
			// Pressing again (a second tab) fetches nothing more.
			calls := site.calls.Load()
			if rec := a.do(http.MethodPost, action, url.Values{}); rec.Code != http.StatusSeeOther || site.calls.Load() != calls {
				t.Errorf("second POST: %d, %d fetches", rec.Code, site.calls.Load()-calls)
			}
		})
	}
}

// Each way a check fails has its own words and a 4xx; nothing is stored.
func TestVerifyDomainFailures(t *testing.T) {
	cases := []struct {
		name, file string
		err        error
		status     int
		en, ru     string
	}{
		{"not https", "", fmt.Errorf("%w: x509", webcheck.ErrNotHTTPS), 422, "over HTTPS with a valid certificate", "по HTTPS"},
		{"not found", "", nil, 422, "there is no file at " + acmeFile, "файла " + acmeFile + " нет"},
		{"server error", "", fmt.Errorf("%w: 500", webcheck.ErrStatus), 422, "answered with an error", "ответил ошибкой"},
		{"wrong content", "charter-not-yours", nil, 422, "the line shown below is not in it", "строки, показанной ниже, в нём нет"},
		{"address", "", fmt.Errorf("%w: 10.0.0.1:443", webcheck.ErrAddress), 422, "acme-school.fr leads to an address we never fetch from", "Домен acme-school.fr ведёт на адрес"},
		{"redirect", "", webcheck.ErrRedirect, 422, "at most 3 redirects, and only to addresses at acme-school.fr", "не больше трёх перенаправлений"},
		{"too large", "", webcheck.ErrTooLarge, 422, "larger than 4 KB", "больше 4 КБ"},
		{"timeout", "", webcheck.ErrTimeout, 422, "did not answer within 5 seconds", "не ответил за 5 секунд"},
		{"unreachable", "", webcheck.ErrUnreachable, 422, "could not reach acme-school.fr", "Не удалось связаться с acme-school.fr"},
	}
	for _, tc := range cases {
		for _, lang := range []string{"", "/ru"} {
			t.Run(tc.name+lang, func(t *testing.T) {
				site := &website{files: map[string]string{}, err: tc.err}
				if tc.file != "" {
					site.files[acmeFile] = tc.file
				}
				a := newApp(t, withWebsite(site))
				sig := unverified(t, a)
				link := manageLink(t, a, sig.ID)
				rec := a.do(http.MethodPost, lang+link+"/verify", url.Values{})
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d\n%s", rec.Code, tc.status, rec.Body)
				}
				d := doc(t, rec)
				want := map[string]string{"": tc.en, "/ru": tc.ru}[lang]
				if got := text(d.Find(".domain-verification [role=alert]")); !strings.Contains(got, want) {
					t.Errorf("message %q, want it to say %q", got, want)
				}
				if d.Find("#domain-token").Length() != 1 {
					t.Error("the page no longer shows the line to put in the file")
				}
				if got := a.signatory(sig.ID); got.VerifiedDomain != "" || got.DomainVerifiedBy != "" {
					t.Errorf("stored %q by %q", got.VerifiedDomain, got.DomainVerifiedBy)
				}
				if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
					t.Errorf("Cache-Control %q", cc)
				}
			})
		}
	}
}

// A contact whose confirmed email is at the website's domain is verified without a file; the
// manage page says so and offers nothing to do, and the reviewers' queue shows it beside the flags.
func TestVerifiedByEmailShowsEverywhere(t *testing.T) {
	site := &website{files: map[string]string{}}
	a := newAdminApp(t)
	a.h.Web = site
	a.router = a.h.Router()

	rec := a.sendForm("/sign", "/sign", url.Values{
		"name": {"Школа № 12"}, "category": {"academia"}, "country": {"RU"}, "website": {"https://www.school12.example.ru"},
		"contact-name": {"Анна"}, "contact-role": {"Директор"}, "contact-email": {"head@school12.example.ru"},
		"authorised": {"yes"}, "agrees": {"yes"}, "version": {a.h.Charter.Version},
	})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign: %d\n%s", rec.Code, rec.Body)
	}
	var sig models.Signatory
	a.store.DB.Where("contact_email = ?", "head@school12.example.ru").Take(&sig)
	var body string
	a.store.DB.Table("outbox").Where("signatory_id = ?", sig.ID).Order("id").Limit(1).Pluck("body", &body)
	i := strings.Index(body, "/confirm/")
	confirm := strings.Fields(body[i:])[0]
	if rec := a.do(http.MethodPost, confirm, url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", rec.Code)
	}
	if got := a.signatory(sig.ID); got.VerifiedDomain != "example.ru" || got.DomainVerifiedBy != models.DomainByEmail {
		t.Fatalf("verified %q by %q", got.VerifiedDomain, got.DomainVerifiedBy)
	}

	a.signIn()
	d := doc(t, a.get("/admin?status=pending"))
	row := d.Find(fmt.Sprintf(`tr[data-id="%d"] td.flags`, sig.ID))
	if got := text(row.Find(".tag-ok")); got != "✓ Domain verified: example.ru (contact's email)" {
		t.Errorf("queue shows %q", got)
	}
	if got := text(doc(t, a.get(fmt.Sprintf("/admin/signatories/%d", sig.ID))).Find(".tag-ok")); !strings.Contains(got, "example.ru") {
		t.Errorf("signatory page shows %q", got)
	}

	link := manageLink(t, a, sig.ID)
	d = doc(t, a.get(link))
	if got := text(d.Find(".domain-verification .verified-domain")); got != "✓ Domain verified: example.ru" {
		t.Errorf("manage page says %q", got)
	}
	if d.Find(".domain-verification form").Length() != 0 {
		t.Error("verification by file offered to a verified domain")
	}
	if rec := a.do(http.MethodPost, link+"/verify", url.Values{}); rec.Code != http.StatusSeeOther || site.calls.Load() != 0 {
		t.Errorf("POST verify = %d with %d fetches", rec.Code, site.calls.Load())
	}
}

// A signatory's checks are limited, however many clients send them at once: each POST that gets
// past the per-client limit takes one check from the signatory's allowance in the database, and
// only those fetch.
func TestVerifyDomainIsRateLimitedPerSignatory(t *testing.T) {
	site := &website{files: map[string]string{}}
	a := newApp(t, withWebsite(site))
	sig := unverified(t, a)
	link := manageLink(t, a, sig.ID)

	codes := make(chan int, 20)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptestRequest(http.MethodPost, link+"/verify", url.Values{}, nil)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.RemoteAddr = fmt.Sprintf("198.51.100.%d:1000", i+1) // twenty clients
			rec := httptest.NewRecorder()
			a.router.ServeHTTP(rec, req)
			codes <- rec.Code
		}()
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	limit := models.DomainCheckPerSignatory.Count
	if count[http.StatusUnprocessableEntity] != limit || count[http.StatusTooManyRequests] != 20-limit {
		t.Errorf("answers %v, want %d checks (422: no file) and %d refusals", count, limit, 20-limit)
	}
	if n := site.calls.Load(); n != int64(limit) {
		t.Errorf("%d fetches, want %d", n, limit)
	}
	d := doc(t, a.postVerify(link, "198.51.100.99:1000"))
	if got := text(d.Find("[role=alert]")); !strings.Contains(got, "checked too often") {
		t.Errorf("refusal says %q", got)
	}
}

// One client gets a few checks in a burst, whichever signatories they are for.
func TestVerifyDomainIsRateLimitedPerClient(t *testing.T) {
	site := &website{files: map[string]string{}}
	a := newApp(t, withWebsite(site))
	for i := range 6 {
		sig := unverified(t, a)
		rec := a.postVerify(manageLink(t, a, sig.ID), "192.0.2.7:1000")
		want := http.StatusUnprocessableEntity
		if i == 5 {
			want = http.StatusTooManyRequests
		}
		if rec.Code != want {
			t.Errorf("request %d: %d, want %d", i+1, rec.Code, want)
		}
	}
	if site.calls.Load() != 5 {
		t.Errorf("%d fetches, want 5", site.calls.Load())
	}
}

func (a *app) postVerify(link, remote string) *httptest.ResponseRecorder {
	req := httptestRequest(http.MethodPost, link+"/verify", url.Values{}, nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.RemoteAddr = remote
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec
}

// A link that is unknown, or spent by a withdrawal, verifies nothing and fetches nothing.
func TestVerifyDomainNeedsAWorkingLink(t *testing.T) {
	site := &website{files: map[string]string{}}
	a := newApp(t, withWebsite(site))
	if rec := a.do(http.MethodPost, "/manage/not-a-token/verify", url.Values{}); rec.Code != http.StatusNotFound {
		t.Errorf("unknown link: %d", rec.Code)
	}
	sig := unverified(t, a)
	link := manageLink(t, a, sig.ID)
	if rec := a.do(http.MethodPost, link, url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", rec.Code)
	}
	if rec := a.do(http.MethodPost, link+"/verify", url.Values{}); rec.Code != http.StatusGone {
		t.Errorf("spent link: %d", rec.Code)
	}
	if site.calls.Load() != 0 {
		t.Errorf("%d fetches", site.calls.Load())
	}
}

// A reviewer's change of website clears a verification that no longer matches, on the public page
// too.
func TestEditOfWebsiteClearsVerification(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Website, s.WebsiteDomain, s.ContactEmail = "https://acme-school.fr", "acme-school.fr", "head@gmail.com"
	})
	if err := a.store.VerifyDomainByFile(context.Background(), sig.ID, "acme-school.fr"); err != nil {
		t.Fatal(err)
	}
	if got := text(doc(t, a.get("/signatories/"+sig.Slug)).Find(".verified-domain")); !strings.Contains(got, "acme-school.fr") {
		t.Fatalf("public page says %q", got)
	}
	a.signIn()
	rec := a.post(fmt.Sprintf("/admin/signatories/%d/edit", sig.ID), url.Values{
		"name": {sig.Name}, "category": {string(sig.Category)}, "country": {sig.Country},
		"website": {"https://another-school.fr"}, "statement": {""},
	})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", rec.Code, rec.Body)
	}
	if got := a.signatory(sig.ID); got.VerifiedDomain != "" {
		t.Errorf("still verified %q", got.VerifiedDomain)
	}
	if got := text(doc(t, a.get("/signatories/"+sig.Slug)).Find(".verified-domain")); got != "" {
		t.Errorf("public page still says %q", got)
	}
}

package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"charter/models"
)

// Every page of the console renders in every language with every message it can show (a missing
// message panics here, see TestMain), and no page shows a message key instead of words.
func TestConsolePagesRenderInEveryLanguage(t *testing.T) {
	day := time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC)
	other, admin := int64(7), int64(1)
	ch := AdminChrome{Email: "reviewer@example.org", CSRF: "token", Current: "queue", Here: "/admin",
		Flash: models.Flash{
			models.CountFlash("admin.flash.bulk_approved", 21),
			models.CountFlash("admin.flash.bulk_conflicts", 2),
			models.NewFlash("admin.flash.already_decided", "Status", string(models.StatusRevoked))[0],
		}}
	sig := &models.Signatory{ID: 3, Name: "Kids Online", Slug: "kids-online", Category: models.CategoryAcademia,
		Country: "DE", Website: "https://kids.example.org", Status: models.StatusApproved, StatusReason: "—",
		CreatedAt: day, ConfirmedAt: &day, ApprovedAt: &day}
	flags := []models.ReviewFlag{{Kind: models.FlagDuplicateName, OtherID: &other, OtherName: "Kids Online",
		OtherStatus: models.StatusPending}, {Kind: models.FlagEmailDomainMismatch}}
	var history []models.AuditEvent
	for i, a := range models.AllActions {
		history = append(history, models.AuditEvent{ID: int64(i + 1), CreatedAt: day, Action: a, Actor: models.ActorAdmin,
			AdminID: &admin, SignatoryID: &sig.ID, FromStatus: models.StatusPending, ToStatus: models.StatusApproved,
			Detail: `{"before":{"category":"business","country":"FR"},"after":{"category":"academia","country":"DE"},"admin_id":9}`})
	}
	history = append(history, models.AuditEvent{ID: 99, CreatedAt: day, Action: models.ActionPurged, Actor: models.ActorSystem,
		FromStatus: models.StatusSubmitted})
	pending := *sig
	pending.Status = models.StatusPending
	pages := map[string]templ.Component{
		"login": LoginPage(LoginProps{Error: "admin.login.failed"}),
		"queue": QueuePage(QueueProps{Chrome: ch, Status: models.StatusPending, Counts: map[models.Status]int64{models.StatusPending: 12345},
			Rows: []models.QueueRow{{Signatory: pending, Flags: flags}},
			Next: "/admin?after=3"}),
		"bulk": BulkApprovePage(BulkApproveProps{Chrome: ch, Rows: []models.Signatory{pending, pending}}),
		"approved": SignatoryAdminPage(SignatoryAdminProps{Chrome: ch, Sig: sig, Flags: flags, FlaggedBy: flags, History: history,
			Admins: map[int64]string{1: "reviewer@example.org"}, RevokeError: "admin.reason.too_long",
			NoteError: "admin.note.too_long"}),
		"pending": SignatoryAdminPage(SignatoryAdminProps{Chrome: ch, Sig: &pending, RejectError: "admin.reason.required"}),
		"audit": AuditPage(AuditProps{Chrome: ch, Events: history, Actions: models.AllActions,
			Admins: []models.Admin{{ID: 1, Email: "reviewer@example.org"}}, Next: "/admin/audit?before=1"}),
		"mail": FailedMailPage(FailedMailProps{Chrome: ch, Rows: []models.OutboxMessage{{ID: 1, ToAddr: "a@example.org",
			Subject: "Hello", SignatoryID: &sig.ID, CreatedAt: day, FailedAt: &day, LastError: "550 no such user", Attempts: 5}}}),
	}
	for _, l := range Languages {
		ctx := WithLang(context.Background(), l)
		for name, page := range pages {
			var buf bytes.Buffer
			if err := page.Render(ctx, &buf); err != nil {
				t.Fatalf("%s in %s: %v", name, l, err)
			}
			out := buf.String()
			if !strings.Contains(out, `<html lang="`+string(l)+`"`) {
				t.Errorf("%s in %s: no <html lang>", name, l)
			}
			for _, key := range []string{"admin.", "<no value>"} {
				if strings.Contains(out, key) {
					t.Errorf("%s in %s shows %q", name, l, key)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := pages["approved"].Render(WithLang(context.Background(), Russian), &buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"29 ноября 2026\u00a0г., 14:05 UTC", "Одобрена 21 заявка. Ещё по 2 заявкам решение уже принял",
		"теперь её статус — «Аннулирована»", "администратор № 9", "Причина должна быть короче 2\u00a0000 знаков."} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the Russian signatory page lacks %q", want)
		}
	}
}

// A flash reads in the language of the page that shows it.
func TestFlashText(t *testing.T) {
	f := models.NewFlash("admin.flash.approved", "Name", "Kids Online")
	if got := FlashText(context.Background(), f); got != "Approved Kids Online. It is now on the public list, and its contact has been emailed." {
		t.Errorf("English %q", got)
	}
	if got := FlashText(WithLang(context.Background(), Russian), f); got != "Заявка «Kids Online» одобрена. Организация появилась в открытом списке, контактному лицу отправлено письмо." {
		t.Errorf("Russian %q", got)
	}
	for n, want := range map[int64]string{1: "Одобрена 1 заявка.", 3: "Одобрены 3 заявки.", 11: "Одобрено 11 заявок.", 101: "Одобрена 101 заявка."} {
		if got := FlashText(WithLang(context.Background(), Russian), models.Flash{models.CountFlash("admin.flash.bulk_approved", n)}); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}

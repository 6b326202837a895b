package views

import (
	"context"
	"strings"
	"testing"

	"charter/models"
)

// TestEveryFieldProblemHasWords enumerates the models' fields and problems: each pair a form can
// meet has a message in every language (a missing key panics, see TestMain), so no problem
// reaches a person as a bare key.
func TestEveryFieldProblemHasWords(t *testing.T) {
	for _, l := range Languages {
		ctx := WithLang(context.Background(), l)
		for _, f := range models.Fields {
			for _, p := range models.Problems {
				m := FieldMessage(models.FieldError{Field: f, Problem: p, Limit: 10})
				if got := m.In(ctx); got == "" || strings.Contains(got, "sign.") || strings.Contains(got, "map[") {
					t.Errorf("%s: %s in %s: %q", f, p, l, got)
				}
			}
		}
	}
}

// Limits are written as the language writes numbers, and Russian counts take their plural forms.
func TestFieldLimitsByLanguage(t *testing.T) {
	ru := WithLang(context.Background(), Russian)
	long := FieldMessage(models.FieldError{Field: models.FieldStatement, Problem: models.ProblemTooLong, Limit: 1000})
	if got, want := long.In(context.Background()), "The commitment statement must be 1,000 characters or fewer"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	if got, want := long.In(ru), "Поле «Заявление о приверженности» должно содержать не более 1\u00a0000 символов"; got != want {
		t.Errorf("Russian: %q, want %q", got, want)
	}
	for n, want := range map[int]string{
		1:  "Поле «Название организации» должно содержать не менее 1 символа",
		2:  "Поле «Название организации» должно содержать не менее 2 символов",
		21: "Поле «Название организации» должно содержать не менее 21 символа",
	} {
		m := FieldMessage(models.FieldError{Field: models.FieldName, Problem: models.ProblemTooShort, Limit: n})
		if got := m.In(ru); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}

// The emails' links are in the reader's language, and the first mails quote only the name.
func TestEmailsInTheReadersLanguage(t *testing.T) {
	e := Emails{BaseURL: "http://charter.test"}
	sig := &models.Signatory{Name: "Фонд «Дети онлайн»", Slug: "fond", Category: models.CategoryCivilSociety, Country: "RU", ContactName: "Анна", Lang: "ru"}
	subject, body := e.ConfirmLink(sig, "/confirm/TOKEN")
	if subject != "Подтвердите подпись вашей организации под хартией" ||
		!strings.Contains(body, "\n  «Фонд «Дети онлайн»»\n") || !strings.Contains(body, "http://charter.test/ru/confirm/TOKEN\n") {
		t.Errorf("Russian confirmation:\n%s\n%s", subject, body)
	}
	_, body = e.Approved(sig)
	if !strings.Contains(body, `src="http://charter.test/signatories/fond/badge.svg?lang=ru"`) ||
		!strings.Contains(body, `href="http://charter.test/ru/signatories/fond"`) ||
		!strings.Contains(body, "http://charter.test/ru/signatories/fond\n") {
		t.Errorf("Russian approval:\n%s", body)
	}
	sig.Lang = ""
	_, body = e.Approved(sig)
	if strings.Contains(body, "lang=") || strings.Contains(body, "/ru/") || !strings.Contains(body, "Dear Анна,") {
		t.Errorf("English approval:\n%s", body)
	}
	sig.Lang = "xx" // a language the site does not speak: English
	if subject, _ := e.ConfirmLink(sig, "/confirm/T"); subject != "Confirm your organisation's signature of the charter" {
		t.Errorf("unknown language: %q", subject)
	}
	if subject, body := e.NewApplication(sig, "ru"); subject != "Новая заявка на рассмотрение: Фонд «Дети онлайн»" ||
		!strings.Contains(body, "http://charter.test/admin/signatories/0\n") {
		t.Errorf("administrator's notice in Russian:\n%s\n%s", subject, body)
	}
}

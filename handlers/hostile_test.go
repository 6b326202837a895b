package handlers_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"charter/models"
	"charter/models/dbtest"
)

// hostileInputs reads the corpus in testdata/hostile-inputs.txt.
func hostileInputs(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/hostile-inputs.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := strconv.Unquote(line)
		if err != nil {
			t.Fatalf("corpus line %q: %v", line, err)
		}
		out = append(out, v)
	}
	if len(out) < 100 {
		t.Fatalf("the corpus has %d payloads, want at least 100", len(out))
	}
	return out
}

// snapshot is every stored row of the tables whose existing rows no request may alter.
type snapshot map[string]map[int64]map[string]any

func takeSnapshot(t *testing.T, s *models.Store) snapshot {
	t.Helper()
	snap := snapshot{}
	for _, table := range []string{"signatories", "signatory_flags", "tokens", "audit_events", "outbox", "admins"} {
		var rows []map[string]any
		if err := s.DB.Raw("SELECT * FROM " + table).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		snap[table] = map[int64]map[string]any{}
		for _, r := range rows {
			snap[table][r["id"].(int64)] = r
		}
	}
	return snap
}

// unchangedSince fails for every row of before that is gone or different now. Rows added since
// are fine: a hostile value may still make a valid application, and every request is audited.
func (before snapshot) unchangedSince(t *testing.T, now snapshot) {
	t.Helper()
	for table, rows := range before {
		for id, row := range rows {
			if !reflect.DeepEqual(row, now[table][id]) {
				t.Errorf("%s row %d changed:\n before %v\n after  %v", table, id, row, now[table][id])
			}
		}
	}
}

// dangerous reports whether a payload would do harm if a page showed it unescaped.
func dangerous(p string) bool {
	return strings.ContainsAny(p, "<>") || (strings.Contains(p, `"`) && len(p) > 1)
}

// checkResponse fails on a server error, and on a page that shows a dangerous payload unescaped.
func checkResponse(t *testing.T, what, payload string, code int, body string) {
	t.Helper()
	if code >= 500 {
		t.Errorf("%s with %q: status %d", what, payload, code)
	}
	if dangerous(payload) && strings.Contains(body, payload) {
		t.Errorf("%s with %q: the page shows it unescaped", what, payload)
	}
}

// Every hostile value, in every field of every public form and in the emailed-link paths, gets a
// 4xx or an escaped echo, never a 5xx, and leaves what was stored before exactly as it was.
func TestHostileInputIsRefusedOrEscaped(t *testing.T) {
	if testing.Short() {
		t.Skip("the hostile-input corpus takes a few seconds")
	}
	a := newApp(t)
	for _, st := range []models.Status{models.StatusApproved, models.StatusPending, models.StatusSubmitted, models.StatusRejected} {
		dbtest.AddSignatory(t, a.store, st, nil)
	}
	if _, err := a.store.CreateAdmin(context.Background(), "admin@charter.test", adminPassword); err != nil {
		t.Fatal(err)
	}
	a.sendForm("/sign", "/sign", validSignup(a)) // a token, a flag, an outbox message, audit events
	before := takeSnapshot(t, a.store)
	payloads := hostileInputs(t)

	forms := []struct {
		page, action string
		valid        url.Values
	}{
		{"/sign", "/sign", validSignup(a)},
		{"/sign/resend", "/sign/resend", url.Values{"email": {"someone@example.org"}}},
		{"/manage", "/manage", url.Values{"email": {"someone@example.org"}}},
		{"/admin/login", "/admin/login", url.Values{"email": {"nobody@charter.test"}, "password": {"wrong password, certainly"}, "next": {"/admin"}}},
	}
	requests := 0
	for _, f := range forms {
		fields := []string{}
		for k := range f.valid {
			fields = append(fields, k)
		}
		for _, field := range fields {
			for _, p := range payloads {
				form := url.Values{}
				for k, v := range f.valid {
					form[k] = v
				}
				form.Set(field, p)
				rec := a.sendForm(f.page, f.action, form)
				requests++
				checkResponse(t, fmt.Sprintf("POST %s %s", f.action, field), p, rec.Code, rec.Body.String())
			}
		}
	}
	// The secret of an emailed link is part of the path.
	for _, p := range payloads {
		for _, prefix := range []string{"/confirm/", "/manage/", "/reaffirm/", "/handover/"} {
			target := prefix + url.PathEscape(p)
			rec := a.get(target)
			checkResponse(t, "GET "+prefix, p, rec.Code, rec.Body.String())
			if rec.Code < 400 {
				t.Errorf("GET %s: %d, want a 4xx for a made-up link", target, rec.Code)
			}
			rec = a.do(http.MethodPost, target, url.Values{})
			checkResponse(t, "POST "+prefix, p, rec.Code, rec.Body.String())
			requests += 2
		}
	}
	// The manage link's own forms, with a made-up secret.
	for _, p := range payloads {
		for _, action := range []string{"statement", "change", "handover", "verify", "lang"} {
			target := "/manage/" + url.PathEscape(p) + "/" + action
			rec := a.do(http.MethodPost, target, url.Values{"statement": {p}, "name": {p}, "email": {p}})
			checkResponse(t, "POST /manage/…/"+action, p, rec.Code, rec.Body.String())
			requests++
		}
	}
	// A made-up slug or label in every public path that takes one.
	for _, p := range payloads {
		for _, target := range []string{"/signatories/" + url.PathEscape(p), "/signatories/" + url.PathEscape(p) + "/badge.svg",
			"/signatories/" + url.PathEscape(p) + "/memorandum",
			"/signatories/" + url.PathEscape(p) + "/card.png", "/charter/versions/" + url.PathEscape(p)} {
			rec := a.get(target)
			checkResponse(t, "GET "+target, p, rec.Code, rec.Body.String())
			if rec.Code != http.StatusNotFound && rec.Code != http.StatusBadRequest {
				t.Errorf("GET %s: %d, want 404 or 400", target, rec.Code)
			}
			requests++
		}
	}
	// The public log's parameters: an answer or a 400.
	for _, p := range payloads {
		for _, target := range []string{"/log/entries?start=" + url.QueryEscape(p) + "&end=1",
			"/log/proof/inclusion?index=0&size=" + url.QueryEscape(p), "/log/proof/consistency?old=" + url.QueryEscape(p) + "&new=1"} {
			rec := a.get(target)
			checkResponse(t, "GET "+target, p, rec.Code, rec.Body.String())
			requests++
		}
	}
	// Query parameters on every public page.
	for _, page := range []string{"/", "/sign", "/manage", "/admin/login", "/healthz"} {
		for _, p := range payloads {
			rec := a.get(page + "?q=" + url.QueryEscape(p) + "&next=" + url.QueryEscape(p))
			checkResponse(t, "GET "+page, p, rec.Code, rec.Body.String())
			requests++
		}
	}
	// Every parameter of the public list: a normalised answer or a 400, never a 500.
	for _, param := range []string{"q", "category", "country", "sort", "page"} {
		for _, p := range payloads {
			rec := a.get("/signatories?" + param + "=" + url.QueryEscape(p))
			checkResponse(t, "GET /signatories "+param, p, rec.Code, rec.Body.String())
			requests++
		}
	}
	t.Logf("%d hostile requests", requests)
	before.unchangedSince(t, takeSnapshot(t, a.store))
	if strings.Contains(a.logs.String(), "level=ERROR") {
		t.Errorf("the hostile requests caused server errors:\n%s", a.logs.String())
	}
}

// A megabyte in any field is refused whole with 413, before anything is read into the store.
func TestMegabyteValuesAreRefused(t *testing.T) {
	a := newApp(t)
	big := strings.Repeat("Ω", 1<<19) // 1 MiB of UTF-8
	for _, action := range []string{"/sign", "/sign/resend", "/manage", "/admin/login"} {
		form := a.hiddenFields(action)
		form.Set("name", big)
		form.Set("email", big)
		rec := a.do(http.MethodPost, action, form)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with a megabyte: %d, want 413", action, rec.Code)
		}
	}
	if n := countSignatories(t, a); n != 0 {
		t.Errorf("%d applications stored", n)
	}
}

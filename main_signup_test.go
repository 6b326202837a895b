package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"charter/mail/mailtest"
	"charter/models/dbtest"
)

// serveForTest runs `charter serve` with the environment until the test ends and returns its
// base URL and log.
func serveForTest(t *testing.T, env map[string]string) (string, *dbtest.LogBuffer) {
	t.Helper()
	addr := freeAddr(t)
	logs := &dbtest.LogBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args := []string{"serve", "-addr", addr, "-db", filepath.Join(t.TempDir(), "charter.db")}
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, io.Discard, logs) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	base := "http://" + addr
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			return base, logs
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("server never answered")
	return "", nil
}

var versionRE = regexp.MustCompile(`name="version" value="([^"]+)"`)
var stampRE = regexp.MustCompile(`name="_stamp" value="([^"]+)"`)

// personFillTime is longer than the shortest time the server believes a person needs for a form.
const personFillTime = 3500 * time.Millisecond

// signOverHTTP fills in the sign-up form of a running server as a browser would.
func signOverHTTP(t *testing.T, base, email string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(base + "/sign")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	version, stamp := versionRE.FindSubmatch(page), stampRE.FindSubmatch(page)
	if version == nil || stamp == nil {
		t.Fatalf("no version or stamp in the form:\n%s", page)
	}
	time.Sleep(personFillTime)
	resp, err = client.PostForm(base+"/sign", url.Values{
		"version": {string(version[1])}, "_stamp": {string(stamp[1])},
		"name": {"Фонд «Дети онлайн»"}, "category": {"civil_society"}, "country": {"RU"},
		"website": {"https://deti-online.ru"}, "contact-name": {"Мария"}, "contact-role": {"Директор"},
		"contact-email": {email}, "authorised": {"yes"}, "agrees": {"yes"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/sign/sent" {
		t.Fatalf("signing ended at %s with %d", resp.Request.URL.Path, resp.StatusCode)
	}
}

func TestServeWithoutSMTPWritesMailToTheLog(t *testing.T) {
	t.Parallel()
	base, logs := serveForTest(t, nil)
	if !strings.Contains(logs.String(), "mail is NOT delivered") {
		t.Errorf("no warning that mail is not delivered:\n%s", logs)
	}
	signOverHTTP(t, base, "maria@deti-online.ru")
	for i := 0; i < 200 && !strings.Contains(logs.String(), base+"/confirm/"); i++ {
		time.Sleep(25 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "links="+base+"/confirm/") {
		t.Errorf("the log does not show the confirmation link:\n%s", logs)
	}
}

func TestServeDeliversMailOverSMTP(t *testing.T) {
	t.Parallel()
	smtp := mailtest.Start(t)
	base, logs := serveForTest(t, map[string]string{"CHARTER_SMTP_URL": smtp.URL()})
	signOverHTTP(t, base, "maria@deti-online.ru")
	m := smtp.Wait(t, 1, 10*time.Second)[0]
	if m.Link(base+"/confirm/") == "" {
		t.Errorf("no link in the mail:\n%s", m.Body)
	}
	if l := logs.String(); strings.Contains(l, "maria@") || strings.Contains(l, "NOT delivered") {
		t.Errorf("with SMTP, the log holds the contact's address or the warning:\n%s", l)
	}
}

package handlers_test

import (
	"net/http"
	"testing"
)

// Every public page has a Russian address under /ru/; the console and the files that do not
// depend on the language have one address only.
func TestRussianAddresses(t *testing.T) {
	a := newApp(t)
	for target, want := range map[string]int{
		"/ru/": http.StatusOK, "/ru/signatories": http.StatusOK, "/ru/sign": http.StatusOK,
		"/ru/signatories/nobody": http.StatusNotFound, "/ru/admin": http.StatusNotFound,
		"/ru/admin/login": http.StatusNotFound, "/ru/signatories.csv": http.StatusNotFound,
		"/ru/healthz": http.StatusNotFound, "/russian": http.StatusNotFound,
	} {
		if rec := a.get(target); rec.Code != want {
			t.Errorf("GET %s = %d, want %d", target, rec.Code, want)
		}
	}
	if rec := a.get("/ru"); rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/ru/" {
		t.Errorf("GET /ru = %d to %q, want 301 to /ru/", rec.Code, rec.Header().Get("Location"))
	}
}

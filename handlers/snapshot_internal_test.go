package handlers

import "testing"

func TestAcceptedEncodings(t *testing.T) {
	for accept, want := range map[string]string{
		"":                          "",
		"identity":                  "",
		"gzip":                      "gzip",
		"x-gzip":                    "gzip",
		"gzip, deflate, br, zstd":   "br",
		"br;q=0.5, gzip":            "gzip",
		"br;q=0, gzip;q=0":          "",
		"BR":                        "br",
		"*":                         "br",
		"*;q=0.1, br;q=0":           "gzip",
		"gzip;q=0.8, br;q=0.8":      "br",
		"deflate":                   "",
		"gzip;q=nonsense":           "",
		" gzip ; q=1.0 , br ; q=0 ": "gzip",
	} {
		got := ""
		if encs := acceptedEncodings(accept); len(encs) > 0 {
			got = encs[0]
		}
		if got != want {
			t.Errorf("Accept-Encoding %q: %q, want %q", accept, got, want)
		}
	}
}

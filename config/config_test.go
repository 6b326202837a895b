package config

import (
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaults(t *testing.T) {
	c, rest, err := Parse("serve", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: ":8080", DBPath: "charter.db", LogKeyPath: "charter.db.log-key", BaseURL: "http://localhost:8080",
		MailFrom: "Charter <charter@localhost>", LogFormat: "text", NotifyAdmins: true, notifyAdmins: "true",
		MailPerHour: 300, MailPerDomainHour: 30, mailPerHour: "300", mailPerDomainHour: "30",

		PasswordChecks: runtime.NumCPU(), passwordChecks: strconv.Itoa(runtime.NumCPU()),

		hstsIncludeSubdomains: "false", PublicMaxAge: time.Second, publicMaxAge: "1s"}
	if c != want || len(rest) != 0 {
		t.Errorf("got %+v %v, want %+v", c, rest, want)
	}
	if c.Secure() {
		t.Error("http base URL must not be Secure")
	}
}

func TestLogKeySetting(t *testing.T) {
	c, _, err := Parse("serve", []string{"-db", "/data/c.db"}, env(nil), io.Discard)
	if err != nil || c.LogKeyPath != "/data/c.db.log-key" {
		t.Errorf("default beside the database: got %q, %v", c.LogKeyPath, err)
	}
	c, _, err = Parse("serve", nil, env(map[string]string{"CHARTER_LOG_KEY": "/secrets/log.key"}), io.Discard)
	if err != nil || c.LogKeyPath != "/secrets/log.key" {
		t.Errorf("from the environment: got %q, %v", c.LogKeyPath, err)
	}
}

func TestPasswordChecksSetting(t *testing.T) {
	c, _, err := Parse("serve", []string{"-password-checks", "3"}, env(nil), io.Discard)
	if err != nil || c.PasswordChecks != 3 {
		t.Errorf("got %d, %v", c.PasswordChecks, err)
	}
	c, _, err = Parse("serve", nil, env(map[string]string{"CHARTER_PASSWORD_CHECKS": "5"}), io.Discard)
	if err != nil || c.PasswordChecks != 5 {
		t.Errorf("from the environment: got %d, %v", c.PasswordChecks, err)
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	c, rest, err := Parse("backup",
		[]string{"-db", "/tmp/flag.db", "-base-url", "https://charter.example.org/", "out.db"},
		env(map[string]string{"CHARTER_DB": "/tmp/env.db", "CHARTER_ADDR": "127.0.0.1:9000", "CHARTER_LOG_FORMAT": "json"}),
		io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.DBPath != "/tmp/flag.db" || c.Addr != "127.0.0.1:9000" || c.LogFormat != "json" {
		t.Errorf("got %+v", c)
	}
	if c.BaseURL != "https://charter.example.org" || !c.Secure() {
		t.Errorf("base URL %q: want the trailing slash trimmed and Secure", c.BaseURL)
	}
	if len(rest) != 1 || rest[0] != "out.db" {
		t.Errorf("rest = %v", rest)
	}
}

func TestBadValuesNameTheSetting(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string // the setting the message must name
	}{
		{"addr without port", []string{"-addr", "localhost"}, nil, "CHARTER_ADDR"},
		{"addr from env", nil, map[string]string{"CHARTER_ADDR": "nonsense"}, "CHARTER_ADDR"},
		{"empty db", []string{"-db", " "}, nil, "CHARTER_DB"},
		{"base url scheme", []string{"-base-url", "ftp://example.org"}, nil, "CHARTER_BASE_URL"},
		{"base url relative", []string{"-base-url", "example.org"}, nil, "CHARTER_BASE_URL"},
		{"base url javascript", []string{"-base-url", "javascript:alert(1)"}, nil, "CHARTER_BASE_URL"},
		{"smtp scheme", nil, map[string]string{"CHARTER_SMTP_URL": "http://mail.example.org"}, "CHARTER_SMTP_URL"},
		{"smtp no host", []string{"-smtp-url", "smtp://"}, nil, "CHARTER_SMTP_URL"},
		{"mail from", []string{"-mail-from", "not an address"}, nil, "CHARTER_MAIL_FROM"},
		{"log format", []string{"-log-format", "xml"}, nil, "CHARTER_LOG_FORMAT"},
		{"proxy", nil, map[string]string{"CHARTER_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, "CHARTER_TRUSTED_PROXIES"},
		{"proxy cidr", []string{"-trusted-proxies", "10.0.0.0/33"}, nil, "CHARTER_TRUSTED_PROXIES"},
		{"notify admins", nil, map[string]string{"CHARTER_NOTIFY_ADMINS": "sometimes"}, "CHARTER_NOTIFY_ADMINS"},
		{"mail per hour", []string{"-mail-per-hour", "0"}, nil, "CHARTER_MAIL_PER_HOUR"},
		{"mail per domain", nil, map[string]string{"CHARTER_MAIL_PER_DOMAIN_HOUR": "lots"}, "CHARTER_MAIL_PER_DOMAIN_HOUR"},
		{"password checks zero", []string{"-password-checks", "0"}, nil, "CHARTER_PASSWORD_CHECKS"},
		{"password checks word", nil, map[string]string{"CHARTER_PASSWORD_CHECKS": "many"}, "CHARTER_PASSWORD_CHECKS"},
		{"public max age word", []string{"-public-max-age", "long"}, nil, "CHARTER_PUBLIC_MAX_AGE"},
		{"public max age negative", nil, map[string]string{"CHARTER_PUBLIC_MAX_AGE": "-1s"}, "CHARTER_PUBLIC_MAX_AGE"},
		{"public max age fraction", nil, map[string]string{"CHARTER_PUBLIC_MAX_AGE": "1500ms"}, "CHARTER_PUBLIC_MAX_AGE"},
		{"hsts subdomains", nil, map[string]string{"CHARTER_HSTS_INCLUDE_SUBDOMAINS": "all"}, "CHARTER_HSTS_INCLUDE_SUBDOMAINS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse("serve", tc.args, env(tc.env), io.Discard)
			var cfgErr *Error
			if !errors.As(err, &cfgErr) || !errors.Is(err, ErrUsage) {
				t.Fatalf("err = %v, want a *config.Error", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want one line naming %s", msg, tc.want)
			}
		})
	}
}

func TestHSTSIncludeSubdomains(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want bool
	}{
		{nil, nil, false},
		{map[string]string{"CHARTER_HSTS_INCLUDE_SUBDOMAINS": "true"}, nil, true},
		{nil, []string{"-hsts-include-subdomains=true"}, true},
	} {
		c, _, err := Parse("serve", tc.args, env(tc.env), io.Discard)
		if err != nil || c.HSTSIncludeSubdomains != tc.want {
			t.Errorf("%v %v: HSTSIncludeSubdomains = %v, %v; want %v", tc.env, tc.args, c.HSTSIncludeSubdomains, err, tc.want)
		}
	}
}

func TestPublicMaxAge(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want time.Duration
	}{
		{nil, nil, time.Second},
		{map[string]string{"CHARTER_PUBLIC_MAX_AGE": "5m"}, nil, 5 * time.Minute},
		{nil, []string{"-public-max-age=0"}, 0},
	} {
		c, _, err := Parse("serve", tc.args, env(tc.env), io.Discard)
		if err != nil || c.PublicMaxAge != tc.want {
			t.Errorf("%v %v: PublicMaxAge = %v, %v; want %v", tc.env, tc.args, c.PublicMaxAge, err, tc.want)
		}
	}
}

func TestUnknownFlag(t *testing.T) {
	_, _, err := Parse("serve", []string{"-nope"}, env(nil), io.Discard)
	if !errors.Is(err, ErrUsage) {
		t.Fatalf("err = %v, want ErrUsage", err)
	}
}

func TestTrustedProxies(t *testing.T) {
	c, _, err := Parse("serve", []string{"-trusted-proxies", "10.1.2.3, 192.168.0.0/16,::1"}, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	nets, _ := c.TrustedProxyNets()
	var got []string
	for _, n := range nets {
		got = append(got, n.String())
	}
	if strings.Join(got, " ") != "10.1.2.3/32 192.168.0.0/16 ::1/128" {
		t.Errorf("trusted proxies %v", got)
	}
}

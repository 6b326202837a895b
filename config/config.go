// Package config reads the operator's settings from CHARTER_* environment variables and matching
// command-line flags, flags winning, and checks them before anything starts.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting of the serve and backup commands.
type Config struct {
	Addr      string // address to listen on, host:port
	DBPath    string // SQLite database file, or a postgres:// URL
	BaseURL   string // public address of the site, used in emailed links; no trailing slash
	SMTPURL   string // smtp://user:pass@host:port or smtps://…; empty writes mail to the log
	MailFrom  string // sender address of outgoing mail
	LogFormat string // "text" or "json"
	// TrustedProxies is a comma-separated list of IP addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-For header is believed. Empty: the client is the connection's peer.
	TrustedProxies string
	// NotifyAdmins: email every active administrator when an application awaits review.
	NotifyAdmins bool
	// MailPerHour and MailPerDomainHour bound the mail the public forms cause, for the whole site
	// and per recipient domain (models.MailLimits); each mailbox gets at most 3 a day.
	MailPerHour, MailPerDomainHour int
	// PasswordChecks is how many password checks (argon2id, 19 MiB and ~25 ms of a CPU each) may
	// run at once; a few more wait, and sign-ins beyond those are answered 503 with Retry-After.
	PasswordChecks int
	// HSTSIncludeSubdomains adds includeSubDomains to the HSTS header, which is sent whenever
	// BaseURL is https. Only for a domain whose every subdomain is served over HTTPS.
	HSTSIncludeSubdomains bool
	// PublicMaxAge is how long browsers and shared caches (a CDN, nginx) may reuse a public page
	// before asking again, in whole seconds; 0 makes them ask every time.
	PublicMaxAge time.Duration
	// LogKeyPath is the file of the public log's signing key; empty in the setting means
	// DBPath + ".log-key". It is created on first start.
	LogKeyPath string

	publicMaxAge                   string // the setting as given, parsed into PublicMaxAge
	notifyAdmins                   string // the setting as given, parsed into NotifyAdmins
	mailPerHour, mailPerDomainHour string // the settings as given
	passwordChecks                 string // the setting as given, parsed into PasswordChecks
	hstsIncludeSubdomains          string // the setting as given, parsed into HSTSIncludeSubdomains
}

// Secure reports whether the site is served over HTTPS, so cookies must be Secure and HSTS sent.
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// setting is one configuration value: its flag name, environment variable and default.
type setting struct {
	flag, env, def, usage string
	dst                   *string
}

// SnapshotDir is the folder the open data snapshots are written to: beside a SQLite database, or
// charter.snapshots in the working folder with PostgreSQL.
func (c Config) Postgres() bool {
	return strings.HasPrefix(c.DBPath, "postgres://") || strings.HasPrefix(c.DBPath, "postgresql://")
}

func (c Config) SnapshotDir() string {
	if c.Postgres() {
		return "charter.snapshots"
	}
	return c.DBPath + ".snapshots"
}

func (c *Config) settings() []setting {
	return []setting{
		{"addr", "CHARTER_ADDR", ":8080", "address to listen on", &c.Addr},
		{"db", "CHARTER_DB", "charter.db", "path of the SQLite database file, or a postgres:// (postgresql://) URL of a PostgreSQL database", &c.DBPath},
		{"log-key", "CHARTER_LOG_KEY", "", "file of the public log's signing key, created on first start (default: the database path + .log-key)", &c.LogKeyPath},
		{"base-url", "CHARTER_BASE_URL", "", "public URL of the site, for links in emails (default http://localhost:PORT)", &c.BaseURL},
		{"smtp-url", "CHARTER_SMTP_URL", "", "SMTP server, smtp://user:pass@host:port or smtps://…; empty writes mail to the log", &c.SMTPURL},
		{"mail-from", "CHARTER_MAIL_FROM", "Charter <charter@localhost>", "sender address of outgoing mail", &c.MailFrom},
		{"log-format", "CHARTER_LOG_FORMAT", "text", "log format: text or json", &c.LogFormat},
		{"trusted-proxies", "CHARTER_TRUSTED_PROXIES", "", "comma-separated IPs or CIDR ranges of reverse proxies whose X-Forwarded-For is believed", &c.TrustedProxies},
		{"notify-admins", "CHARTER_NOTIFY_ADMINS", "true", "email administrators when an application awaits review: true or false", &c.notifyAdmins},
		{"mail-per-hour", "CHARTER_MAIL_PER_HOUR", "300", "most mails the public forms may cause per hour, all recipients together", &c.mailPerHour},
		{"mail-per-domain-hour", "CHARTER_MAIL_PER_DOMAIN_HOUR", "30", "most mails the public forms may cause per hour to one recipient domain", &c.mailPerDomainHour},
		{"password-checks", "CHARTER_PASSWORD_CHECKS", strconv.Itoa(runtime.NumCPU()), "password checks (19 MiB each) that may run at once; default the number of CPUs", &c.passwordChecks},
		{"public-max-age", "CHARTER_PUBLIC_MAX_AGE", "1s", "how long browsers and CDNs may reuse a public page (Cache-Control max-age), e.g. 1s, 30s, 5m; 0 makes them ask every time", &c.publicMaxAge},
		{"hsts-include-subdomains", "CHARTER_HSTS_INCLUDE_SUBDOMAINS", "false", "add includeSubDomains to HSTS (sent when the base URL is https): true only if every subdomain is on HTTPS", &c.hstsIncludeSubdomains},
	}
}

// Error is a configuration mistake, naming the setting in both its spellings.
type Error struct {
	Flag, Env, Problem string
}

// Unwrap makes every configuration Error an ErrUsage.
func (e *Error) Unwrap() error { return ErrUsage }

// ErrUsage marks a mistake in the command line or the configuration: the program should exit
// with status 2 and the message.
var ErrUsage = errors.New("usage")

func (e *Error) Error() string {
	return fmt.Sprintf("invalid %s (-%s): %s", e.Env, e.Flag, e.Problem)
}

// Parse reads the settings of a command from its arguments and the environment (getenv), applies
// the defaults and validates the result. It returns the arguments left after the flags.
// Help output and flag errors go to out.
func Parse(name string, args []string, getenv func(string) string, out io.Writer) (Config, []string, error) {
	var c Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	for _, s := range c.settings() {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		fs.StringVar(s.dst, s.flag, def, s.usage+" ($"+s.env+")")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, nil, err
		}
		return c, nil, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if err := c.validate(); err != nil {
		return c, nil, err
	}
	return c, fs.Args(), nil
}

func (c *Config) validate() error {
	bad := func(flagName, problem string) error {
		for _, s := range c.settings() {
			if s.flag == flagName {
				return &Error{Flag: s.flag, Env: s.env, Problem: problem}
			}
		}
		panic("unknown setting " + flagName)
	}

	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || port == "" {
		return bad("addr", fmt.Sprintf("%q is not host:port, e.g. :8080 or 127.0.0.1:8080", c.Addr))
	}
	if strings.TrimSpace(c.DBPath) == "" {
		return bad("db", "the database path is empty")
	}
	if c.Postgres() {
		if _, err := url.Parse(c.DBPath); err != nil {
			return bad("db", "the PostgreSQL URL does not parse (a special character in the password must be %-escaped)")
		}
	}
	if strings.TrimSpace(c.LogKeyPath) == "" {
		c.LogKeyPath = c.DBPath + ".log-key"
		if c.Postgres() {
			c.LogKeyPath = "charter.log-key"
		}
	}

	if c.BaseURL == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return bad("base-url", fmt.Sprintf("%q is not an http:// or https:// URL such as https://charter.example.org", c.BaseURL))
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")

	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return bad("smtp-url", "expected smtp://user:password@host:port or smtps://user:password@host:port")
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return bad("mail-from", fmt.Sprintf("%q is not an email address such as \"Charter <charter@example.org>\"", c.MailFrom))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return bad("log-format", fmt.Sprintf("%q is neither text nor json", c.LogFormat))
	}
	if _, err := c.TrustedProxyNets(); err != nil {
		return bad("trusted-proxies", err.Error())
	}
	if c.NotifyAdmins, err = strconv.ParseBool(c.notifyAdmins); err != nil {
		return bad("notify-admins", fmt.Sprintf("%q is neither true nor false", c.notifyAdmins))
	}
	if c.MailPerHour, err = strconv.Atoi(c.mailPerHour); err != nil || c.MailPerHour < 1 {
		return bad("mail-per-hour", fmt.Sprintf("%q is not a whole number of 1 or more", c.mailPerHour))
	}
	if c.MailPerDomainHour, err = strconv.Atoi(c.mailPerDomainHour); err != nil || c.MailPerDomainHour < 1 {
		return bad("mail-per-domain-hour", fmt.Sprintf("%q is not a whole number of 1 or more", c.mailPerDomainHour))
	}
	if n, err := strconv.Atoi(c.passwordChecks); err != nil || n < 1 || n > 1024 {
		return bad("password-checks", fmt.Sprintf("%q is not a whole number from 1 to 1024", c.passwordChecks))
	} else {
		c.PasswordChecks = n
	}
	if d, err := time.ParseDuration(c.publicMaxAge); err != nil || d < 0 || d > 24*time.Hour || d%time.Second != 0 {
		return bad("public-max-age", fmt.Sprintf("%q is not a whole number of seconds from 0 to 24h, such as 1s, 30s or 5m", c.publicMaxAge))
	} else {
		c.PublicMaxAge = d
	}
	if c.HSTSIncludeSubdomains, err = strconv.ParseBool(c.hstsIncludeSubdomains); err != nil {
		return bad("hsts-include-subdomains", fmt.Sprintf("%q is neither true nor false", c.hstsIncludeSubdomains))
	}
	return nil
}

// TrustedProxyNets parses TrustedProxies: each entry an IP address (a single host) or a CIDR range.
func (c Config) TrustedProxyNets() ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, entry := range strings.Split(c.TrustedProxies, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if !strings.Contains(entry, "/") {
			ip := net.ParseIP(entry)
			if ip == nil {
				return nil, fmt.Errorf("%q is neither an IP address nor a CIDR range such as 10.0.0.0/8", entry)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			nets = append(nets, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(entry)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR range such as 10.0.0.0/8", entry)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// IsHelp reports whether err is the request for help (-h), which is not a mistake.
func IsHelp(err error) bool { return errors.Is(err, flag.ErrHelp) }

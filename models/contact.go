package models

import (
	"errors"
	"net"
	"net/mail"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Reasons a website or an email address is refused. The handlers turn each into a message.
var (
	ErrWebsiteScheme      = errors.New("website: not http or https")
	ErrWebsiteCredentials = errors.New("website: contains a user name or password")
	ErrWebsiteHost        = errors.New("website: no usable domain name")
	ErrEmailInvalid       = errors.New("email: not a single plain address")
	ErrEmailDomain        = errors.New("email: no usable domain name")
)

// MaxWebsiteLen and MaxEmailLen bound the stored forms of a website and an email address.
const (
	MaxWebsiteLen = 500
	MaxEmailLen   = 254
)

// NormalizeWebsite checks an organisation's website address and returns it in the form it is
// stored and shown in, with its registrable domain (the name the organisation bought, e.g.
// "example.org" for https://www.example.org/about) in ASCII. Only http and https are accepted, so
// javascript:, data: and the like never reach a page as a link. A missing scheme means https.
func NormalizeWebsite(raw string) (website, domain string, err error) {
	if strings.ContainsAny(raw, "\r\n\x00") {
		return "", "", ErrWebsiteHost
	}
	raw = strings.TrimSpace(raw)
	if strings.ContainsAny(raw, " \t\\") {
		return "", "", ErrWebsiteHost
	}
	u, err := url.Parse(raw)
	if err == nil && u.Scheme == "" && !strings.HasPrefix(raw, "//") {
		u, err = url.Parse("https://" + raw)
	}
	if err != nil {
		return "", "", ErrWebsiteHost
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", ErrWebsiteScheme
	}
	if u.User != nil {
		return "", "", ErrWebsiteCredentials
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return "", "", ErrWebsiteHost
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	domain, err = RegistrableDomain(host)
	if err != nil {
		return "", "", ErrWebsiteHost
	}
	// Assembled by hand rather than with u.String(), which would percent-encode an
	// internationalised host name ("пример.рф"); browsers take it as it is.
	website = u.Scheme + "://" + host
	if port := u.Port(); port != "" {
		website += ":" + port
	}
	if p := u.EscapedPath(); p != "/" || u.RawQuery != "" {
		website += p
	}
	if u.RawQuery != "" {
		website += "?" + u.RawQuery
	}
	if len(website) > MaxWebsiteLen {
		return "", "", ErrWebsiteHost
	}
	return website, domain, nil
}

// RegistrableDomain returns the part of a host name that was registered with a registry, in ASCII
// (punycode) and lower case: "www.example.co.uk" gives "example.co.uk", "пример.рф" gives
// "xn--e1afmkfd.xn--p1ai". Hosts that are IP addresses, bare public suffixes or under a top-level
// domain that does not exist are refused.
func RegistrableDomain(host string) (string, error) {
	ascii, err := idna.Lookup.ToASCII(strings.TrimSuffix(host, "."))
	if err != nil || ascii == "" || net.ParseIP(ascii) != nil {
		return "", ErrWebsiteHost
	}
	if suffix, icann := publicsuffix.PublicSuffix(ascii); !icann && !strings.Contains(suffix, ".") {
		return "", ErrWebsiteHost // the top-level domain is unknown: most likely a typo
	}
	domain, err := publicsuffix.EffectiveTLDPlusOne(ascii)
	if err != nil {
		return "", ErrWebsiteHost
	}
	return domain, nil
}

// NormalizeEmail checks a contact's email address: one plain address, no display name, no line
// breaks (which could inject mail headers), a domain that exists in the public suffix list. It
// returns the address in lower case, and the domain's registrable domain. The local part is
// lower-cased too: mail systems in use treat it without case, and an organisation must not be
// able to apply twice, or be unable to withdraw, because "Anna@" and "anna@" differ.
func NormalizeEmail(raw string) (email, domain string, err error) {
	if strings.ContainsAny(raw, "\r\n\x00") { // header injection
		return "", "", ErrEmailInvalid
	}
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > MaxEmailLen || strings.ContainsAny(raw, "<>,; \t") {
		return "", "", ErrEmailInvalid
	}
	addr, err := mail.ParseAddress(raw)
	if err != nil || addr.Name != "" || addr.Address != raw {
		return "", "", ErrEmailInvalid
	}
	local, host, ok := strings.Cut(addr.Address, "@")
	if !ok || local == "" || strings.Contains(host, "@") || strings.HasPrefix(host, "[") {
		return "", "", ErrEmailInvalid
	}
	host = strings.ToLower(host)
	domain, err = RegistrableDomain(host)
	if err != nil {
		return "", "", ErrEmailDomain
	}
	return strings.ToLower(local) + "@" + host, domain, nil
}

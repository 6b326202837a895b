package handlers

import "net/netip"

// clientKey is the key of a client for per-client limits: its IPv4 address, or the /64 network of
// its IPv6 address, since one subscriber is usually given a whole /64 and could otherwise take a
// fresh address for every request. An IPv4 address written as IPv6 (::ffff:a.b.c.d) counts as
// the IPv4 address; anything that does not parse is its own key.
func clientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	p, _ := addr.WithZone("").Prefix(64)
	return p.String()
}

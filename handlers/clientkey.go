package handlers

import "net/netip"

// clientKey is the key a per-client limit counts under: an IPv4 address as it is, an IPv6
// address by its /64 (one subscriber usually gets a whole /64, so counting single IPv6 addresses
// would give one client 2^64 allowances). An IPv4-mapped IPv6 address counts as the IPv4 one.
// Anything that does not parse is used as it is.
func clientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap().WithZone("")
	if addr.Is4() {
		return addr.String()
	}
	p, _ := addr.Prefix(64)
	return p.String()
}

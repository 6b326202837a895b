package webcheck

import (
	"net/netip"
)

// notPublic are the networks a fetch must never reach: this machine, the networks around it and
// addresses that are not any one host on the internet. Each entry says where it comes from.
var notPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),         // "this network" (RFC 791), including 0.0.0.0
	netip.MustParsePrefix("10.0.0.0/8"),        // private (RFC 1918)
	netip.MustParsePrefix("100.64.0.0/10"),     // carrier-grade NAT (RFC 6598)
	netip.MustParsePrefix("127.0.0.0/8"),       // loopback
	netip.MustParsePrefix("169.254.0.0/16"),    // link-local, where cloud metadata services answer
	netip.MustParsePrefix("172.16.0.0/12"),     // private (RFC 1918)
	netip.MustParsePrefix("192.0.0.0/24"),      // IETF protocol assignments (RFC 6890)
	netip.MustParsePrefix("192.0.2.0/24"),      // documentation, TEST-NET-1 (RFC 5737)
	netip.MustParsePrefix("192.88.99.0/24"),    // 6to4 relay anycast, deprecated (RFC 7526)
	netip.MustParsePrefix("192.168.0.0/16"),    // private (RFC 1918)
	netip.MustParsePrefix("192.31.196.0/24"),   // AS112 anycast
	netip.MustParsePrefix("192.175.48.0/24"),   // AS112 direct delegation
	netip.MustParsePrefix("198.18.0.0/15"),     // benchmarking (RFC 2544)
	netip.MustParsePrefix("198.51.100.0/24"),   // documentation, TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),    // documentation, TEST-NET-3
	netip.MustParsePrefix("224.0.0.0/4"),       // multicast
	netip.MustParsePrefix("240.0.0.0/4"),       // reserved, and the broadcast address 255.255.255.255
	netip.MustParsePrefix("::/128"),            // unspecified
	netip.MustParsePrefix("::1/128"),           // loopback
	netip.MustParsePrefix("::/96"),             // IPv4-compatible (deprecated): ::127.0.0.1
	netip.MustParsePrefix("64:ff9b::/96"),      // NAT64 (RFC 6052): could reach any IPv4 address
	netip.MustParsePrefix("64:ff9b:1::/48"),    // local-use NAT64 (RFC 8215)
	netip.MustParsePrefix("100::/64"),          // discard-only (RFC 6666)
	netip.MustParsePrefix("2001::/23"),         // IETF protocol assignments, Teredo among them
	netip.MustParsePrefix("2001:db8::/32"),     // documentation (RFC 3849)
	netip.MustParsePrefix("2002::/16"),         // 6to4: embeds any IPv4 address
	netip.MustParsePrefix("3fff::/20"),         // documentation (RFC 9637)
	netip.MustParsePrefix("fc00::/7"),          // unique local (ULA)
	netip.MustParsePrefix("fe80::/10"),         // link-local
	netip.MustParsePrefix("fec0::/10"),         // site-local, deprecated
	netip.MustParsePrefix("ff00::/8"),          // multicast
	netip.MustParsePrefix("5f00::/16"),         // SRv6 SIDs (RFC 9602), not a host
	netip.MustParsePrefix("2620:4f:8000::/48"), // AS112 anycast: answers DNS, not a website
}

// Public reports whether addr is an address on the public internet that a fetch may connect to.
// An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it is, so
// the mapped form of a private address is refused as the address itself would be.
func Public(addr netip.Addr) bool {
	if !addr.IsValid() || addr.Zone() != "" {
		return false
	}
	addr = addr.Unmap()
	if addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() ||
		addr.IsInterfaceLocalMulticast() || addr.IsMulticast() || addr.IsUnspecified() {
		return false
	}
	for _, p := range notPublic {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// url_canon.hpp — the canonical form of a URL, for the `url:` and `domain:`
// fingerprints (SPEC §4): two links that any browser would take to the same
// page, shared with different tracking decorations, get the same string.
//
// Thread-safety: pure functions, safe to call from any number of threads. The
// public suffix list (libpsl) and the IDNA converter (ICU) are loaded once, on
// first use, under the C++ static-initialisation guarantee, and are read-only
// afterwards (both libraries document concurrent use of such objects as safe).
//
// Accepted input: http:// and https:// URLs (scheme in any case, any number of
// '/' or '\' after the colon, as browsers do), and text without a scheme that
// starts with "www." followed by a name (and no '@' before the path: that is
// an e-mail address). Leading and trailing spaces and control bytes are
// trimmed and tab, CR and LF removed anywhere (WHATWG URL). Anything else —
// other schemes, a missing or unreadable host, a port that is not a number in
// 0..65535 — is nullopt. Input of any length and any bytes is safe to pass.
//
// The canonical string is  host [":" port] path ["?" query]  with these rules:
//  1. Scheme folded: http and https are the same page; the string has no scheme.
//  2. Userinfo ("user:pass@") and the fragment ("#...") are dropped.
//  3. Host: percent-decoded, then mapped to one ASCII form with UTS #46
//     (nontransitional, as browsers do: "Bücher.DE" and "xn--bcher-kva.de" are
//     "xn--bcher-kva.de"; full-width letters fold to ASCII); upper case folded;
//     one trailing dot dropped. Allowed after mapping: a-z 0-9 '-' '_' and '.'
//     between non-empty labels, at most 1024 bytes; anything else is nullopt.
//     IPv4 in any WHATWG form (0x7f.1, 2130706433, 0177.0.0.1) is written as
//     dotted decimal; IPv6 "[...]" is written in RFC 5952 form ("[2001:db8::1]");
//     IPv6 zone ids are not accepted.
//  4. "www" and "m" labels folded: dropped while they are the first label or the
//     label just left of the registrable domain, and never when that would
//     leave less than the registrable domain (www.example.com, m.example.com,
//     www.m.example.com → example.com; en.m.wikipedia.org → en.wikipedia.org;
//     www.com and m.co.uk stay). "m." is the mobile twin of a site serving the
//     same pages, which campaigns share interchangeably.
//  5. Port: ":80" and ":443" dropped whatever the scheme (the scheme is folded,
//     so http://x:443 and https://x:80 fold too); an empty port is dropped;
//     any other port is written as a plain decimal number (":0080" → ":80",
//     dropped).
//  6. Percent-encoding (path and query): "%xx" escapes of unreserved characters
//     (A-Z a-z 0-9 - . _ ~) are decoded, other escapes get upper-case hex and are
//     never decoded ("%2F", "%3F", "%26", "%3D" stay); bytes not allowed in a
//     URI (controls, space, '"' '<' '>' '\' '^' '`' '{' '|' '}', DEL, every byte
//     ≥ 0x80, including invalid UTF-8) are percent-encoded, and a '%' not
//     followed by two hex digits becomes "%25". '+' is left as it is.
//  7. Path: '\' read as '/'; dot segments ("." ".." and their %2E forms)
//     resolved, ".." never climbing above the root; every trailing '/' folded
//     ("/a/" = "/a"); an empty path is "/". Empty segments inside ("/a//b") are
//     kept. Case is kept.
//  8. Query: split on '&'; empty parameters dropped; "k=" written as "k";
//     tracking parameters dropped (below, keys compared ignoring ASCII case);
//     the rest sorted by key, then by value (byte order, after rule 6); repeated
//     keys are all kept; an empty query (also a bare "?") is dropped.
//
// Tracking parameters dropped everywhere: utm_* (any key starting "utm_"),
// fbclid, gclid, gclsrc, dclid, gbraid, wbraid, msclkid, twclid, ttclid,
// yclid, li_fat_id, mc_cid, mc_eid, igshid, igsh, mibextid, _hsenc, _hsmi,
// __hstc, __hssc, __hsfp, hsctatracking, mkt_tok, oly_anon_id, oly_enc_id,
// vero_id, _ga, _gl, rb_clickid, s_cid, wickedid, ref_src, ref_url, spm.
// Dropped only on these registrable domains, where the name is a share token
// there but could be content elsewhere: youtube.com and youtu.be: si, feature,
// pp; twitter.com and x.com: s, t; spotify.com: si; tiktok.com: _r, _t,
// is_from_webapp, sender_device.
//
// Registrable domain ("domain"): the public-suffix-list eTLD+1 of the folded
// host, *including the private section*: foo.blogspot.com and bar.blogspot.com
// are different domains, because their owners are different people — the
// distinction a coordination signal needs. Unknown TLDs follow the list's
// default rule "*" (a.b.zzz → b.zzz). A host that has no registrable domain
// (an IP address, "localhost", a bare public suffix) is its own domain.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chorus {

struct CanonicalUrl {
  std::string url;     // host [":" port] path ["?" query], rules above
  std::string host;    // the canonical host alone, no port ("[::1]" for IPv6)
  std::string domain;  // registrable domain (eTLD+1), or the host when there is none
};

// nullopt: not an http(s) or schemeless "www." web URL that we can read.
std::optional<CanonicalUrl> canonicalize_url(std::string_view raw);

// Registrable domain of a host (upper case and one trailing dot allowed;
// expected already in ASCII/punycode form as canonicalize_url writes it) via
// libpsl: psl_latest(NULL), falling back to psl_builtin(). IP addresses,
// "localhost", public suffixes and empty text are returned as they are
// (lower-cased, trailing dot dropped).
std::string registrable_domain(std::string_view host);

}  // namespace chorus

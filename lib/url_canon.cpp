#include "url_canon.hpp"

#include <arpa/inet.h>
#include <libpsl.h>
#include <unicode/uidna.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace chorus {
namespace {

// ---------------------------------------------------------------- byte classes

constexpr char kHex[] = "0123456789ABCDEF";

int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ci(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t k = 0; k < lower_prefix.size(); ++k)
    if (ascii_lower(s[k]) != lower_prefix[k]) return false;
  return true;
}

bool equals_ci(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && starts_with_ci(s, lower);
}

// What a path or query byte becomes: kept as it is, or percent-encoded
// (RFC 3986 does not allow it in a URI). '%' is handled by the caller.
enum ByteClass : uint8_t { kKeep, kEncode };

constexpr std::array<uint8_t, 256> make_byte_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool encode = c <= 0x20 || c >= 0x7F;
    for (char e : std::string_view("\"<>\\^`{|}")) encode = encode || c == static_cast<unsigned char>(e);
    t[static_cast<size_t>(c)] = encode ? kEncode : kKeep;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kByteClass = make_byte_classes();

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

void append_escape(std::string& out, unsigned char c) {
  const char esc[3] = {'%', kHex[c >> 4], kHex[c & 15]};
  out.append(esc, 3);
}

// Appends `text` with its percent-encoding normalised (header, rule 6).
void append_normalized(std::string& out, std::string_view text) {
  const size_t n = text.size();
  size_t k = 0;
  while (k < n) {
    // Copy the longest run that needs no change in one append.
    size_t run = k;
    while (run < n && text[run] != '%' && kByteClass[static_cast<unsigned char>(text[run])] == kKeep) ++run;
    if (run > k) out.append(text.data() + k, run - k);
    k = run;
    if (k == n) break;
    const auto c = static_cast<unsigned char>(text[k]);
    if (c == '%') {
      const int h = k + 1 < n ? hex_value(static_cast<unsigned char>(text[k + 1])) : -1;
      const int l = h >= 0 && k + 2 < n ? hex_value(static_cast<unsigned char>(text[k + 2])) : -1;
      if (l >= 0) {
        const auto v = static_cast<unsigned char>(h * 16 + l);
        if (unreserved(v))
          out.push_back(static_cast<char>(v));
        else
          append_escape(out, v);
        k += 3;
      } else {
        out.append("%25", 3);
        k += 1;
      }
    } else {
      append_escape(out, c);
      k += 1;
    }
  }
}

// ---------------------------------------------------------------- libraries

// Loaded once; never freed, on purpose: a thread still canonicalising while
// the process exits must not find them gone (both are reachable statics, so
// leak checkers do not count them).
const psl_ctx_t* public_suffix_list() {
  static const psl_ctx_t* const ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest ? latest : psl_builtin();
  }();
  return ctx;
}

const UIDNA* uts46() {
  static const UIDNA* const idna = [] {
    UErrorCode err = U_ZERO_ERROR;
    // The options WHATWG URL uses for hosts: nontransitional (ß stays ß),
    // bidi and joiner checks on, STD3 rules off (so '_' is allowed).
    UIDNA* p = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ, &err);
    return U_SUCCESS(err) ? p : nullptr;
  }();
  return idna;
}

// ---------------------------------------------------------------- hosts

constexpr size_t kMaxHost = 1024;  // bytes of host text, before and after IDNA

bool host_byte(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'; }

// One IPv4 part in WHATWG syntax (decimal, 0x hex, 0-led octal); false if not a number.
bool ipv4_number(std::string_view part, uint64_t& value) {
  if (part.empty()) return false;
  unsigned radix = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    radix = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    radix = 8;
    part.remove_prefix(1);
  }
  value = 0;
  for (char c : part) {
    const int d = hex_value(static_cast<unsigned char>(c));
    if (d < 0 || static_cast<unsigned>(d) >= radix) return false;
    // Saturate: anything above 2^32 is too big whatever follows.
    value = value > (uint64_t{1} << 33) ? value : value * radix + static_cast<unsigned>(d);
  }
  return true;
}

bool ends_in_number(std::string_view host) {
  const size_t dot = host.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (!last.empty() && std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return true;
  uint64_t ignored;
  return starts_with_ci(last, "0x") && ipv4_number(last, ignored);
}

// WHATWG IPv4 parser: "127.1", "0x7f.0.0.1", "2130706433" → "127.0.0.1".
bool canonical_ipv4(std::string_view host, std::string& out) {
  uint64_t parts[4];
  size_t n = 0;
  for (size_t start = 0;;) {
    const size_t dot = host.find('.', start);
    const std::string_view part = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    if (n == 4 || !ipv4_number(part, parts[n])) return false;
    ++n;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  for (size_t k = 0; k + 1 < n; ++k)
    if (parts[k] > 255) return false;
  if (parts[n - 1] >= (uint64_t{1} << (8 * (5 - n)))) return false;
  uint64_t address = parts[n - 1];
  for (size_t k = 0; k + 1 < n; ++k) address += parts[k] << (8 * (3 - k));
  char buf[16];
  const int len = std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", static_cast<unsigned>(address >> 24 & 255),
                                static_cast<unsigned>(address >> 16 & 255), static_cast<unsigned>(address >> 8 & 255),
                                static_cast<unsigned>(address & 255));
  out.assign(buf, static_cast<size_t>(len));
  return true;
}

// "[...]" → RFC 5952 text in brackets, via the C library.
bool canonical_ipv6(std::string_view bracketed, std::string& out) {
  const std::string_view inner = bracketed.substr(1, bracketed.size() - 2);
  char in[INET6_ADDRSTRLEN + 1];
  if (inner.size() >= sizeof in) return false;
  std::memcpy(in, inner.data(), inner.size());
  in[inner.size()] = '\0';
  unsigned char address[16];
  if (inet_pton(AF_INET6, in, address) != 1) return false;
  char text[INET6_ADDRSTRLEN];
  if (!inet_ntop(AF_INET6, address, text, sizeof text)) return false;
  out.clear();
  out.push_back('[');
  out.append(text);
  out.push_back(']');
  return true;
}

// Non-ASCII or percent-encoded host: percent-decode, then UTS #46 ToASCII.
bool idna_host(std::string_view raw, std::string& out) {
  std::string decoded;
  decoded.reserve(raw.size());
  for (size_t k = 0; k < raw.size(); ++k) {
    if (raw[k] != '%') {
      decoded.push_back(raw[k]);
      continue;
    }
    const int h = k + 1 < raw.size() ? hex_value(static_cast<unsigned char>(raw[k + 1])) : -1;
    const int l = h >= 0 && k + 2 < raw.size() ? hex_value(static_cast<unsigned char>(raw[k + 2])) : -1;
    if (l < 0) return false;  // a bare '%' is a forbidden host code point
    decoded.push_back(static_cast<char>(h * 16 + l));
    k += 2;
  }
  const UIDNA* idna = uts46();
  if (!idna) return false;
  char buf[kMaxHost + 1];
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode err = U_ZERO_ERROR;
  const int32_t len = uidna_nameToASCII_UTF8(idna, decoded.data(), static_cast<int32_t>(decoded.size()), buf,
                                             static_cast<int32_t>(sizeof buf), &info, &err);
  // WHATWG ignores the hyphen and DNS-length checks (CheckHyphens and
  // VerifyDnsLength are false); empty labels are checked by the caller.
  constexpr uint32_t kIgnored = UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4 |
                                UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG |
                                UIDNA_ERROR_DOMAIN_NAME_TOO_LONG;
  if (U_FAILURE(err) || (info.errors & ~kIgnored) != 0 || len <= 0 || static_cast<size_t>(len) > kMaxHost)
    return false;
  out.assign(buf, static_cast<size_t>(len));
  return true;
}

// Host text as it appears between userinfo and port → canonical host (rule 3).
bool canonical_host(std::string_view raw, std::string& out) {
  if (raw.empty() || raw.size() > kMaxHost) return false;
  if (raw.front() == '[') return raw.size() >= 2 && raw.back() == ']' && canonical_ipv6(raw, out);
  const bool plain =
      std::all_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80 && c != '%'; });
  if (plain) {
    out.resize(raw.size());
    for (size_t k = 0; k < raw.size(); ++k) out[k] = ascii_lower(raw[k]);
  } else if (!idna_host(raw, out)) {
    return false;
  }
  if (!out.empty() && out.back() == '.') out.pop_back();
  // No empty label: "a..b", ".a", and "a.." (one trailing dot is allowed, and gone).
  if (out.empty() || out.front() == '.' || out.back() == '.' || out.find("..") != std::string::npos) return false;
  if (!std::all_of(out.begin(), out.end(), host_byte)) return false;
  if (ends_in_number(out)) {
    const std::string name = out;  // canonical_ipv4 writes into out
    return canonical_ipv4(name, out);
  }
  return true;
}

bool is_ip_host(std::string_view host) {
  return !host.empty() && (host.front() == '[' || std::all_of(host.begin(), host.end(), [](char c) {
                             return (c >= '0' && c <= '9') || c == '.';
                           }));
}

// libpsl takes 1-4 us per lookup (its DAFSA walk), more than all the rest of
// canonicalize_url, while hosts in a stream repeat heavily (t.co, youtube.com).
// So each thread keeps a direct-mapped cache: host → where its registrable
// domain starts (always a suffix of the host). Bounded: 4096 slots of 64 bytes
// per thread; longer hosts skip it; a colliding host just evicts the slot.
struct DomainCacheSlot {
  uint8_t length = 0;  // of host; 0 = empty
  uint8_t domain_start = 0;
  char host[62];
};
constexpr size_t kDomainCacheSlots = 4096;

size_t host_hash(std::string_view host) {
  uint64_t h = 0xcbf29ce484222325u;  // FNV-1a
  for (char c : host) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3u;
  return static_cast<size_t>(h ^ (h >> 29));
}

// Registrable domain of a host already canonical (lower-case ASCII, no
// trailing dot, NUL-terminated by std::string); a view into `host`.
std::string_view registrable_domain_of(const std::string& host) {
  if (is_ip_host(host)) return host;
  thread_local std::vector<DomainCacheSlot> cache;
  DomainCacheSlot* slot = nullptr;
  if (host.size() <= sizeof slot->host) {
    if (cache.empty()) cache.resize(kDomainCacheSlots);
    slot = &cache[host_hash(host) % kDomainCacheSlots];
    if (slot->length == host.size() && std::memcmp(slot->host, host.data(), host.size()) == 0)
      return std::string_view(host).substr(slot->domain_start);
  }
  const psl_ctx_t* psl = public_suffix_list();
  const char* domain = psl ? psl_registrable_domain(psl, host.c_str()) : nullptr;
  const size_t start = domain ? static_cast<size_t>(domain - host.c_str()) : 0;
  if (slot) {
    slot->length = static_cast<uint8_t>(host.size());
    slot->domain_start = static_cast<uint8_t>(start);
    std::memcpy(slot->host, host.data(), host.size());
  }
  return std::string_view(host).substr(start);
}

bool mobile_or_www(std::string_view label) { return label == "www" || label == "m"; }

// Rule 4: drop "www"/"m" as the first label or just left of the domain, as
// long as there are such labels.
void fold_www(std::string& host, size_t domain_size) {
  for (;;) {
    const size_t dot = host.find('.');
    if (host.size() <= domain_size || dot == std::string::npos || !mobile_or_www(std::string_view(host).substr(0, dot)))
      break;
    host.erase(0, dot + 1);
  }
  // Repeated, so that the result is a fixed point ("a.m.www.example.com").
  while (host.size() > domain_size + 1) {
    const size_t end = host.size() - domain_size - 1;  // the '.' before the domain
    const size_t before = host.rfind('.', end - 1);
    const size_t start = before == std::string::npos ? 0 : before + 1;
    if (!mobile_or_www(std::string_view(host).substr(start, end - start))) break;
    host.erase(start, end - start + 1);
  }
}

// ---------------------------------------------------------------- query

// Keys compared ignoring ASCII case; "utm_*" is matched by prefix.
constexpr std::string_view kTrackingEverywhere[] = {
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid", "yclid",   // ad clicks
    "li_fat_id", "mc_cid", "mc_eid", "mkt_tok", "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid",  // mailings
    "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp", "hsctatracking",                                  // HubSpot
    "igshid", "igsh", "mibextid", "ref_src", "ref_url", "_ga", "_gl", "s_cid", "wickedid", "spm",       // shares
};

struct SiteTracking {
  std::string_view domain;
  std::string_view keys[4];
};
constexpr SiteTracking kTrackingBySite[] = {
    {"youtube.com", {"si", "feature", "pp"}},
    {"youtu.be", {"si", "feature", "pp"}},
    {"twitter.com", {"s", "t"}},
    {"x.com", {"s", "t"}},
    {"spotify.com", {"si"}},
    {"tiktok.com", {"_r", "_t", "is_from_webapp", "sender_device"}},
};

bool is_tracking(std::string_view key, std::string_view domain) {
  if (starts_with_ci(key, "utm_")) return true;
  for (std::string_view t : kTrackingEverywhere)
    if (equals_ci(key, t)) return true;
  for (const SiteTracking& site : kTrackingBySite) {
    if (domain != site.domain) continue;
    for (std::string_view t : site.keys)
      if (!t.empty() && equals_ci(key, t)) return true;
  }
  return false;
}

struct Param {
  uint32_t start;   // into the query scratch buffer
  uint32_t key;     // length of the key
  uint32_t length;  // of the whole "key=value" (or "key")
};

// Rule 8: appends "?" and the sorted, filtered parameters, or nothing.
void append_query(std::string& out, std::string_view query, std::string_view domain) {
  thread_local std::string buf;
  thread_local std::vector<Param> params;
  buf.clear();
  params.clear();
  for (size_t start = 0; start <= query.size();) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    const size_t begin = buf.size();
    append_normalized(buf, query.substr(start, amp - start));
    start = amp + 1;
    std::string_view p = std::string_view(buf).substr(begin);
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) eq = p.size();
    if (eq + 1 == p.size()) {  // "k=" is "k"
      buf.pop_back();
      p.remove_suffix(1);
    }
    if (p.empty() || is_tracking(p.substr(0, eq), domain)) {
      buf.resize(begin);
      continue;
    }
    params.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(eq), static_cast<uint32_t>(p.size())});
  }
  if (params.empty()) return;
  const std::string_view all(buf);
  auto key = [&](const Param& p) { return all.substr(p.start, p.key); };
  auto value = [&](const Param& p) { return all.substr(p.start + p.key, p.length - p.key); };
  if (params.size() > 1)
    std::sort(params.begin(), params.end(), [&](const Param& a, const Param& b) {
      const int c = key(a).compare(key(b));
      return c != 0 ? c < 0 : value(a) < value(b);
    });
  out.push_back('?');
  for (size_t k = 0; k < params.size(); ++k) {
    if (k) out.push_back('&');
    out.append(all.substr(params[k].start, params[k].length));
  }
}

// ---------------------------------------------------------------- path

// Rule 7: appends the canonical path of `path` ("" or starting with '/' or '\').
void append_path(std::string& out, std::string_view path) {
  const size_t root = out.size();
  size_t pos = 0;
  while (pos < path.size()) {
    ++pos;  // the separator
    size_t end = pos;
    while (end < path.size() && path[end] != '/' && path[end] != '\\') ++end;
    const size_t seg = out.size();
    out.push_back('/');
    append_normalized(out, path.substr(pos, end - pos));
    const std::string_view written = std::string_view(out).substr(seg + 1);
    if (written == ".") {
      out.resize(seg);
    } else if (written == "..") {
      out.resize(seg);
      const size_t parent = out.rfind('/');
      out.resize(parent == std::string::npos || parent < root ? root : parent);
    }
    pos = end;
  }
  while (out.size() > root && out.back() == '/') out.pop_back();
  if (out.size() == root) out.push_back('/');
}

// Leading and trailing C0 controls and spaces trimmed; tab, LF, CR removed.
std::string_view strip_input(std::string_view raw, std::string& scratch) {
  while (!raw.empty() && static_cast<unsigned char>(raw.front()) <= 0x20) raw.remove_prefix(1);
  while (!raw.empty() && static_cast<unsigned char>(raw.back()) <= 0x20) raw.remove_suffix(1);
  // A coarse filter the compiler vectorises (any byte below 14 covers tab, LF
  // and CR); find_first_of would call memchr once per byte of `raw`, and an
  // exact byte-by-byte test was most of the time spent on long URLs.
  unsigned low = 0;
  for (char c : raw) low |= static_cast<unsigned char>(c) < 14;
  if (!low) return raw;
  scratch.clear();
  for (char c : raw)
    if (c != '\t' && c != '\n' && c != '\r') scratch.push_back(c);
  return scratch;
}

// Port text after ':' → number, or -1 when not a port; -2 when empty.
long parse_port(std::string_view text) {
  if (text.empty()) return -2;
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
    if (value > 65535) return -1;
  }
  return value;
}

}  // namespace

std::optional<CanonicalUrl> canonicalize_url(std::string_view raw) {
  thread_local std::string scratch;
  const std::string_view s = strip_input(raw, scratch);

  // Scheme: http or https, or none before "www.".
  size_t i = 0;
  const bool schemeless = starts_with_ci(s, "www.");
  if (!schemeless) {
    if (starts_with_ci(s, "http:"))
      i = 5;
    else if (starts_with_ci(s, "https:"))
      i = 6;
    else
      return std::nullopt;
    while (i < s.size() && (s[i] == '/' || s[i] == '\\')) ++i;
  }

  // Authority: [userinfo@]host[:port], up to the path, query or fragment.
  size_t auth_end = i;
  while (auth_end < s.size() && s[auth_end] != '/' && s[auth_end] != '\\' && s[auth_end] != '?' && s[auth_end] != '#')
    ++auth_end;
  std::string_view authority = s.substr(i, auth_end - i);
  // Schemeless "www.x@y.com" reads as an e-mail address more than a link.
  if (schemeless && authority.find('@') != std::string_view::npos) return std::nullopt;
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host_text = authority, port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host_text = authority.substr(0, close + 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return std::nullopt;
    if (!rest.empty()) has_port = true, port_text = rest.substr(1);
  } else if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host_text = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
    has_port = true;
  }
  // Schemeless text is a URL only with a name after "www.".
  if (schemeless && (host_text.size() <= 4 || host_text[4] == '.')) return std::nullopt;
  long port = -2;
  if (has_port && (port = parse_port(port_text)) == -1) return std::nullopt;

  CanonicalUrl result;
  if (!canonical_host(host_text, result.host)) return std::nullopt;
  result.domain = registrable_domain_of(result.host);
  if (!is_ip_host(result.host)) fold_www(result.host, result.domain.size());

  // The rest: path, then query, then the fragment (dropped).
  const std::string_view rest = s.substr(auth_end);
  const size_t hash = rest.find('#');
  const std::string_view before_fragment = rest.substr(0, hash);
  const size_t question = before_fragment.find('?');

  std::string& url = result.url;
  url.reserve(result.host.size() + 6 + before_fragment.size());
  url = result.host;
  if (port >= 0 && port != 80 && port != 443) {
    url.push_back(':');
    url.append(std::to_string(port));
  }
  append_path(url, before_fragment.substr(0, question));
  if (question != std::string_view::npos) append_query(url, before_fragment.substr(question + 1), result.domain);
  return result;
}

std::string registrable_domain(std::string_view host) {
  std::string canonical(host);
  for (char& c : canonical) c = ascii_lower(c);
  if (!canonical.empty() && canonical.back() == '.') canonical.pop_back();
  if (canonical.empty()) return canonical;
  return std::string(registrable_domain_of(canonical));
}

}  // namespace chorus

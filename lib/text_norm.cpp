#include "text_norm.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <new>
#include <stdexcept>
#include <vector>

// Two paths to one result. The reference path applies the rules of the
// header to the whole text with ICU: decode, nfkc_cf, strip URLs and
// mentions, then classify and skeleton rounds to a fixed point. It costs
// 10-20 microseconds for a tweet; chorus-hash has well under one.
//
// The fast path rests on the rules being local for nearly every code point:
//  - nfkc_cf of a text is the concatenation of nfkc_cf of its code points
//    when each has a normalisation boundary before it (ICU's
//    hasBoundaryBefore: nothing before it combines with it) or is deleted;
//  - the rounds after the strip (classify; skeleton: NFD, a per-code-point
//    map, NFD; nfkc_cf again) work per code point too, as long as every
//    intermediate string of every code point starts with such a starter:
//    then no canonical reordering or composition reaches across.
// So a cache holds, per code point, what the reference functions make of it
// alone: its step-2 code points ("norm"), the settled UTF-8 of a step-2 code
// point ("final", ' ' for a word break), and of a raw code point's whole
// step-2 result ("direct"), each marked unusable when a condition above
// fails. Rule 3 (URLs, mentions) is the one rule with context; each route
// finds its URLs and mentions as strip_urls_and_mentions would on the
// step-2 text (see direct_entities and find_entities). On the first code
// point the cache cannot settle, or on ill-formed UTF-8, the fast path gives
// up and the reference path decides. Tests compare the two on random texts
// and on every code point in context; the real data sets agree too.

namespace chorus {
namespace {

using U32 = std::u32string;

// Rounds of skeleton + nfkc_cf before a code point counts as not settling
// (none needs more than 3 in ICU 72; the cap only bounds the work).
constexpr int kMaxRounds = 8;

// A failed ICU call after set-up means it could not allocate.
void check(UErrorCode status) {
  if (U_FAILURE(status)) throw std::bad_alloc();
}

bool is_white_space(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)); }

// Word characters for the URL and mention rules: letters, marks, numbers, '_'.
bool is_entity_word(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  return (U_MASK(u_charType(static_cast<UChar32>(c))) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

enum class Kind { kKeep, kDrop, kBreak };

// Rule 4 (and the Cf/Me part of rule 2, so that classify alone is total).
Kind kind_of(char32_t c) {
  if (c == 0x27 || c == 0x2019) return Kind::kDrop;  // apostrophes join: "don't" = "dont"
  uint32_t mask = U_MASK(u_charType(static_cast<UChar32>(c)));
  if (mask & (U_GC_L_MASK | U_GC_MN_MASK | U_GC_MC_MASK | U_GC_N_MASK)) return Kind::kKeep;
  if (mask & (U_GC_CF_MASK | U_GC_ME_MASK)) return Kind::kDrop;
  return Kind::kBreak;
}

// Bytes where the fast path's scan for URLs and mentions stops.
constexpr auto kScan = [] {
  std::array<bool, 256> t{};
  t['@'] = t[':'] = t['.'] = true;
  t[0xE2] = t[0xEF] = true;  // lead bytes of "…", "‥", "․", "﹒", "．": dots in step 2
  return t;
}();

// Bytes that may end a URL: ASCII white space (Unicode's White_Space) and
// non-ASCII. Bytes that certainly continue a mention: ASCII word characters.
constexpr auto kUrlStop = [] {
  std::array<bool, 256> t{};
  for (int b : {'\t', '\n', '\v', '\f', '\r', ' '}) t[b] = true;
  for (int b = 0x80; b < 0x100; ++b) t[b] = true;
  return t;
}();
constexpr auto kAsciiWord = [] {
  std::array<bool, 256> t{};
  for (int b = '0'; b <= '9'; ++b) t[b] = true;
  for (int b = 'a'; b <= 'z'; ++b) t[b] = t[b - 32] = true;
  t['_'] = true;
  return t;
}();

bool starts_with(const char32_t* p, const char32_t* end, std::u32string_view lit) {
  if (static_cast<size_t>(end - p) < lit.size()) return false;
  for (char32_t c : lit)
    if (*p++ != c) return false;
  return true;
}

// Rule 3 over step-2 code points, in place: each URL or mention becomes one
// ' '. Returns the new length. The reference path's; the fast routes find
// the same from the few places where one can start.
size_t strip_urls_and_mentions(char32_t* s, size_t n) {
  const char32_t* end = s + n;
  size_t w = 0;
  bool after_word = false;
  for (const char32_t* r = s; r < end;) {
    char32_t c = *r;
    if (!after_word) {
      if ((c == 'h' && (starts_with(r, end, U"http://") || starts_with(r, end, U"https://"))) ||
          (c == 'w' && starts_with(r, end, U"www."))) {
        while (r < end && !is_white_space(*r)) ++r;
        s[w++] = ' ';
        continue;
      }
      if (c == '@' && r + 1 < end && is_entity_word(r[1])) {
        ++r;
        while (r < end && is_entity_word(*r)) ++r;
        s[w++] = ' ';
        continue;
      }
    }
    after_word = is_entity_word(c);
    s[w++] = c;
    ++r;
  }
  return w;
}

// Length of the well-formed UTF-8 sequence at p (lead byte >= 0x80) with its
// code point in c, or 0 when ill-formed (then the reference path decides).
[[gnu::always_inline]] inline size_t decode_utf8(const unsigned char* p, const unsigned char* end, char32_t& c) {
  unsigned char b = p[0];
  auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return p + i < end && p[i] >= lo && p[i] <= hi;
  };
  if (b >= 0xC2 && b <= 0xDF) {
    if (!cont(1)) return 0;
    c = (char32_t{b} & 0x1F) << 6 | (p[1] & 0x3F);
    return 2;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    unsigned char lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;  // no overlongs, no surrogates
    if (!cont(1, lo, hi) || !cont(2)) return 0;
    c = (char32_t{b} & 0x0F) << 12 | char32_t{p[1] & 0x3Fu} << 6 | (p[2] & 0x3F);
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    unsigned char lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;  // no overlongs, <= U+10FFFF
    if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return 0;
    c = (char32_t{b} & 0x07) << 18 | char32_t{p[1] & 0x3Fu} << 12 | char32_t{p[2] & 0x3Fu} << 6 | (p[3] & 0x3F);
    return 4;
  }
  return 0;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Rule 6's "rn" written "m", in place, left to right.
void write_rn_as_m(std::string& out) {
  size_t i = out.find("rn");
  if (i == std::string::npos) return;
  size_t w = i;
  for (size_t r = i; r < out.size(); ++r) {
    bool rn = out[r] == 'r' && r + 1 < out.size() && out[r + 1] == 'n';
    out[w++] = rn ? 'm' : out[r];
    r += rn;
  }
  out.resize(w);
}

// Sixteen bytes at a time, with GCC's portable vector extensions (SSE2 on
// x86-64, NEON on AArch64); lanes of a mask are 0xFF or 0.
using Bytes16 = uint8_t __attribute__((vector_size(16)));
constexpr bool kVectors = std::endian::native == std::endian::little;  // mask_bits's lane order

Bytes16 load16(const unsigned char* p) {
  Bytes16 v;
  std::memcpy(&v, p, 16);
  return v;
}
Bytes16 splat(uint8_t b) { return Bytes16{} + b; }
bool any_set(Bytes16 m) {
  uint64_t half[2];
  std::memcpy(half, &m, 16);
  return (half[0] | half[1]) != 0;
}
// One bit per lane, lane 0 lowest.
uint32_t mask_bits(Bytes16 m) {
#ifdef __SSE2__
  return static_cast<uint32_t>(_mm_movemask_epi8(reinterpret_cast<__m128i>(m)));
#else
  uint64_t half[2];
  std::memcpy(half, &m, 16);
  auto pack = [](uint64_t x) {  // the lanes' top bits gathered into the top byte, without carries
    return static_cast<uint32_t>(((x & 0x8080808080808080ULL) * 0x0002040810204081ULL) >> 56);
  };
  return pack(half[0]) | pack(half[1]) << 8;
#endif
}

// Rule 6 as the fast path writes: word breaks collapsed as the bytes go (a
// ' ' only after a non-space, a last one trimmed at the end), then "rn"
// written "m" and the words counted. The byte loop has no data-dependent
// branch (word boundaries are too frequent to predict), and its state is in
// plain locals of the caller once inlined: state in memory would be
// reloaded after every char store, which may alias it.
class Emitter {
 public:
  // Room for `n` bytes, which a caller with longer settled bytes extends.
  Emitter(std::string& out, size_t n) : out_(out) {
    out_.resize(n + 16);
    begin_ = o_ = out_.data();
    limit_ = begin_ + out_.size();
  }
  // A settled byte, ' ' for a word break, 0 for nothing.
  [[gnu::always_inline]] void put(char c) {
    unsigned u = static_cast<unsigned char>(c);
    *o_ = c;
    o_ += (u != 0) & ((u != ' ') | (prev_ != ' '));
    prev_ = u ? u : prev_;
  }
  // Settled bytes, with `rest` one-byte puts still to come.
  [[gnu::always_inline]] void put(const char* bytes, size_t len, size_t rest) {
    room(len + rest);
    for (size_t k = 0; k < len; ++k) put(bytes[k]);
  }
  // The first `len` of 8 bytes, none of them ' ' or 0, with `rest`
  // one-byte puts still to come.
  [[gnu::always_inline]] void put_word(const char* word, size_t len, size_t rest) {
    room(len + rest);
    std::memcpy(o_, word, 8);
    o_ += len;
    prev_ = 'a';
  }
  // Returns the word count.
  [[gnu::always_inline]] size_t finish() {
    if (o_ != begin_ && o_[-1] == ' ') --o_;
    // Is there an "rn"? 16 at a time, reading into the room after o_ (a
    // stale byte there can only make this say yes for nothing).
    bool rn = !kVectors;
    if constexpr (kVectors) {
      const Bytes16 r = splat('r'), n = splat('n');
      const auto* p = reinterpret_cast<const unsigned char*>(begin_);
      for (; !rn && p < reinterpret_cast<const unsigned char*>(o_); p += 16)
        rn = any_set(reinterpret_cast<Bytes16>((load16(p) == r) & (load16(p + 1) == n)));
    }
    out_.resize(static_cast<size_t>(o_ - begin_));
    if (rn) write_rn_as_m(out_);
    return out_.empty() ? 0 : static_cast<size_t>(std::count(out_.begin(), out_.end(), ' ')) + 1;
  }

 private:
  // Room for `bytes` and 16 more.
  [[gnu::always_inline]] void room(size_t bytes) {
    if (static_cast<size_t>(limit_ - o_) >= bytes + 16) [[likely]]
      return;
    size_t used = static_cast<size_t>(o_ - begin_);
    out_.resize(used + 2 * (bytes + 16));
    begin_ = out_.data();
    o_ = begin_ + used;
    limit_ = begin_ + out_.size();
  }

  std::string& out_;
  char *begin_, *o_, *limit_;
  unsigned prev_ = ' ';
};

}  // namespace

struct TextNormalizer::Impl {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  USpoofChecker* spoof = nullptr;

  // The cache, by code point: 0x1100 pages of 256 entries, each page
  // allocated when first touched, each entry computed when first needed.
  struct Entry {
    uint32_t norm_off, final_off, direct_off;  // into norm_pool, final_pool, final_pool
    uint8_t norm_len, final_len, direct_len;
    uint8_t flags;
    uint16_t dflags;
    char word[8];  // kWordBytes: the direct bytes, padded
  };
  enum : uint8_t { kNormDone = 1, kNormFast = 2, kFinalDone = 4, kFinalFast = 8 };
  std::vector<std::unique_ptr<Entry[]>> pages = std::vector<std::unique_ptr<Entry[]>>(0x1100);
  std::vector<char32_t> norm_pool;
  std::string final_pool;

  // ASCII without the cache, by byte (raw or step 2: step 2 of ASCII is
  // lower-casing): the settled byte and rule 3's properties.
  enum : uint8_t { kWord = 1, kWhite = 2 };  // Ascii::flags: rule 3's word character, white space
  struct Ascii {
    char out;  // the settled byte, ' ' for a word break, 0 for nothing
    uint8_t flags;
  };
  Ascii ascii[128];
  bool ascii_fast = true;  // false if some ASCII byte is not so simple (not so in ICU 72): no fast path

  Routes routes;
  std::vector<char32_t> buf;                      // the fast path's step-2 text
  std::vector<size_t> starts;                     // where a URL or mention may start
  std::vector<std::pair<size_t, size_t>> ranges;  // rule 3's finds

  Impl() {
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_SUCCESS(status)) spoof = uspoof_open(&status);
    if (U_FAILURE(status)) {
      if (spoof) uspoof_close(spoof);
      throw std::runtime_error(std::string("text normaliser: ICU set-up failed: ") + u_errorName(status));
    }
    build_ascii();
  }
  ~Impl() { uspoof_close(spoof); }

  // ---- The reference functions, on whole strings.

  static U32 to_u32(const icu::UnicodeString& u) {
    U32 out;
    out.reserve(static_cast<size_t>(u.length()));
    for (int32_t i = 0; i < u.length();) {
      UChar32 c = u.char32At(i);
      out += static_cast<char32_t>(c);
      i += U16_LENGTH(c);
    }
    return out;
  }
  static icu::UnicodeString to_unicode(const U32& s) {
    return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size()));
  }

  // Rule 2: nfkc_cf, then Cf and Me removed.
  U32 fold_step(const U32& s) const {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString folded = nfkc_cf->normalize(to_unicode(s), status);
    check(status);
    U32 out = to_u32(folded);
    size_t w = 0;
    for (char32_t c : out)
      if (!(U_MASK(u_charType(static_cast<UChar32>(c))) & (U_GC_CF_MASK | U_GC_ME_MASK))) out[w++] = c;
    out.resize(w);
    return out;
  }

  // Rule 4.
  static U32 classify(const U32& s) {
    U32 out;
    out.reserve(s.size());
    for (char32_t c : s) {
      Kind k = kind_of(c);
      if (k != Kind::kDrop) out += k == Kind::kKeep ? c : U' ';
    }
    return out;
  }

  // Rule 5's UTS #39 skeleton.
  U32 skeleton(const U32& s) const {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString out;
    uspoof_getSkeletonUnicodeString(spoof, 0, to_unicode(s), out, &status);
    check(status);
    return to_u32(out);
  }

  // Rules 4 and 5 to the fixed point: classify, then rounds of skeleton and
  // (fold, classify)* until a round changes nothing. Every intermediate
  // string goes to `trace` if given. False if it did not settle.
  bool settle(U32& s, std::vector<U32>* trace) const {
    s = classify(s);
    if (trace) trace->push_back(s);
    for (int round = 0; round < kMaxRounds; ++round) {
      U32 t = skeleton(s);
      if (trace) trace->push_back(t);
      bool stable = false;
      for (int k = 0; k < kMaxRounds && !stable; ++k) {
        U32 next = classify(fold_step(t));
        if (trace) trace->push_back(next);
        stable = next == t;
        t = std::move(next);
      }
      if (!stable) return false;
      if (t == s) return true;
      s = std::move(t);
    }
    return false;
  }

  // Rule 6's collapse of word breaks, into UTF-8.
  static void emit(const U32& s, std::string& out) {
    bool pending = false;
    for (char32_t c : s) {
      if (c == ' ') {
        pending = true;
        continue;
      }
      if (pending && !out.empty()) out += ' ';
      pending = false;
      append_utf8(out, c);
    }
  }

  size_t reference(std::string_view utf8, std::string& out) {
    out.clear();
    // fromUTF8 replaces each ill-formed subsequence with U+FFFD (rule 1).
    U32 s = fold_step(to_u32(icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), utf8.size()))));
    s.resize(strip_urls_and_mentions(s.data(), s.size()));
    settle(s, nullptr);
    emit(s, out);
    write_rn_as_m(out);
    return out.empty() ? 0 : static_cast<size_t>(std::count(out.begin(), out.end(), ' ')) + 1;
  }

  // ---- The cache.

  Entry& entry(char32_t c) {
    std::unique_ptr<Entry[]>& page = pages[c >> 8];
    if (!page) page.reset(new Entry[256]());
    return page[c & 0xFF];
  }

  // A code point no other code point's normalisation reaches into or out of
  // (see the comment at the top).
  bool clean_start(char32_t c) const {
    auto u = static_cast<UChar32>(c);
    return u_getCombiningClass(u) == 0 && nfd->hasBoundaryBefore(u) && nfkc_cf->hasBoundaryBefore(u);
  }

  void compute_norm(char32_t c, Entry& e) {
    e.flags |= kNormDone;
    // A code point nfkc_cf deletes (zero-width, BOM, variation selectors...)
    // has no boundary before it, since its neighbours may compose once it is
    // gone; but they only do if the one after it has no boundary before it
    // either, and that one takes the reference path anyway.
    UErrorCode status = U_ZERO_ERROR;
    bool deleted = nfkc_cf->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status).isEmpty();
    check(status);
    if (!deleted && !nfkc_cf->hasBoundaryBefore(static_cast<UChar32>(c))) return;
    U32 n = fold_step(U32(1, c));
    if (n.size() > 0xFF) return;
    e.norm_off = static_cast<uint32_t>(norm_pool.size());
    e.norm_len = static_cast<uint8_t>(n.size());
    norm_pool.insert(norm_pool.end(), n.begin(), n.end());
    e.flags |= kNormFast;
  }

  // The settled UTF-8 of one step-2 code point alone, if it is local.
  bool final_of(char32_t c, std::string& bytes) const {
    std::vector<U32> trace;
    U32 s(1, c);
    if (!settle(s, &trace)) return false;
    for (const U32& t : trace)
      if (!t.empty() && !clean_start(t[0])) return false;
    bytes.clear();
    for (char32_t d : s) append_utf8(bytes, d);
    return true;
  }

  void compute_final(char32_t c, Entry& e) {
    e.flags |= kFinalDone;
    std::string f;
    if (!final_of(c, f) || f.size() > 0xFF) return;
    e.final_off = static_cast<uint32_t>(final_pool.size());
    e.final_len = static_cast<uint8_t>(f.size());
    final_pool += f;
    e.flags |= kFinalFast;
  }

  // The ASCII table, from the reference functions like the cache.
  void build_ascii() {
    for (char32_t b = 0; b < 0x80; ++b) {
      U32 n = fold_step(U32(1, b));
      // The fast path lower-cases ASCII itself (and so reads step-2 ASCII
      // through this table too).
      if (n != U32(1, to_lower(b)) || !nfkc_cf->hasBoundaryBefore(static_cast<UChar32>(b))) ascii_fast = false;
    }
    for (char32_t b = 0; b < 0x80; ++b) {
      Ascii& a = ascii[b];
      char32_t n = to_lower(b);
      a.out = 0;
      a.flags = 0;
      if (is_entity_word(n)) a.flags |= kWord;
      if (is_white_space(n)) a.flags |= kWhite;
      if ((kAsciiWord[b] != ((a.flags & kWord) != 0)) || (kUrlStop[b] != ((a.flags & kWhite) != 0)))
        ascii_fast = false;  // the direct route's shortcuts
      std::string f;
      if (!final_of(n, f)) {
        ascii_fast = false;
      } else if (f.size() == 1 && f[0] != 0) {
        a.out = f[0];
      } else if (f == "rn") {
        // 'm': rule 6 writes "rn" as 'm' anyway, and a lone 'm' next to any
        // 'r' or 'n' comes out of it as the "rn" would, so one byte will do.
        a.out = 'm';
      } else if (!f.empty()) {
        ascii_fast = false;
      }
    }
  }

  static char32_t to_lower(char32_t b) { return b + (static_cast<char32_t>(b - 'A' < 26) << 5); }

  // ---- The fast path: false when it cannot decide (out is then garbage).
  //
  // Two routes. The direct one reads the UTF-8 as it is: ASCII through the
  // ASCII table, other code points through their cached direct bytes,
  // provided their step-2 result cannot be part of a URL's or a mention's
  // start (or is just dots, which rule 3 is told about) and is no mix of
  // white space and other characters, so that rule 3 can be decided on the
  // bytes as they are. The code point route, for the rest (full-width
  // "ｈｔｔｐ", "¯" which is a space and a combining macron), first writes
  // the step-2 text out as code points and decides on that.

  bool fast(std::string_view utf8, std::string& out, size_t& words) {
    if (!ascii_fast) return false;
    const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
    int r = direct(s, utf8.size(), out, words);
    if (r > 0) {
      ++routes.direct;
      return true;
    }
    if (r == 0 || !by_code_point(s, utf8.size(), out, words)) return false;
    ++routes.code_point;
    return true;
  }

  // ---- The direct route.

  enum : uint16_t {  // Entry::dflags
    kDirectDone = 1,
    kDirectFast = 2,
    kDeleted = 4,     // step 2 deletes it (zero-width, BOM, variation selectors...)
    kAllWhite = 8,    // step 2 makes it white space only (no-break and other spaces)
    kFirstWord = 16,  // the first of its step-2 code points is a rule 3 word character
    kLastWord = 32,
    kAllWord = 64,
    kWordBytes = 128,  // direct bytes of 1 to 8 bytes, none ' ': in Entry::word too
    kDots = 256,       // step 2 makes it dots only ("…" is "..."): rule 3 must see a '.'
  };

  // Whether some of step-2 text `n` could be part of a URL's or mention's
  // start ("http://", "https://", "www.", '@') next to other text: whether
  // it overlaps one, at either end or whole, with the same characters.
  static bool may_meet_entity(const U32& n) {
    if (n.find(U'@') != U32::npos) return true;
    for (std::u32string_view lit : {U"http://", U"https://", U"www."}) {
      // n[a] over lit[c]; the overlap starts at the start of one of them and
      // ends at the end of one of them.
      for (size_t a = 0; a < n.size(); ++a)
        for (size_t c = 0; c < lit.size(); ++c) {
          if (a != 0 && c != 0) continue;
          size_t len = std::min(n.size() - a, lit.size() - c);
          if (a + len != n.size() && c + len != lit.size()) continue;
          if (U32::traits_type::compare(n.data() + a, lit.data() + c, len) == 0) return true;
        }
    }
    return false;
  }

  void compute_direct(char32_t c, Entry& e) {
    e.dflags |= kDirectDone;
    if (!(e.flags & kNormDone)) compute_norm(c, e);
    if (!(e.flags & kNormFast)) return;
    U32 n(norm_pool.begin() + e.norm_off, norm_pool.begin() + e.norm_off + e.norm_len);
    if (n.empty()) {
      e.dflags |= kDeleted | kDirectFast;
      return;
    }
    bool dots = n.find_first_not_of(U'.') == U32::npos;
    if (!dots && may_meet_entity(n)) return;
    bool any_white = false, all_white = true, all_word = true;
    for (char32_t d : n) {
      bool white = is_white_space(d);
      any_white |= white;
      all_white &= white;
      all_word &= is_entity_word(d);
    }
    if (any_white && !all_white) return;
    std::string bytes;
    for (char32_t d : n) {
      if (d < 0x80) {
        if (ascii[d].out) bytes += ascii[d].out;
        continue;
      }
      Entry& f = entry(d);  // may be e itself: other fields
      if (!(f.flags & kFinalDone)) compute_final(d, f);
      if (!(f.flags & kFinalFast)) return;
      bytes.append(final_pool, f.final_off, f.final_len);
    }
    if (bytes.size() > 0xFF) return;
    e.direct_off = static_cast<uint32_t>(final_pool.size());
    e.direct_len = static_cast<uint8_t>(bytes.size());
    final_pool += bytes;
    if (!bytes.empty() && bytes.size() <= sizeof e.word && bytes.find(' ') == std::string::npos) {
      std::memcpy(e.word, bytes.data(), bytes.size());
      e.dflags |= kWordBytes;
    }
    e.dflags |= kDirectFast | (dots ? kDots : 0) | (all_white ? kAllWhite : 0) |
                (is_entity_word(n.front()) ? kFirstWord : 0) | (is_entity_word(n.back()) ? kLastWord : 0) |
                (all_word ? kAllWord : 0);
  }

  // The code point at s[i] (a non-ASCII lead byte) and its entry, if the
  // direct route takes it; else null.
  const Entry* direct_entry(const unsigned char* s, size_t n, size_t i, size_t& len) {
    char32_t c;
    len = decode_utf8(s + i, s + n, c);
    if (len == 0) return nullptr;
    Entry& e = entry(c);
    if (!(e.dflags & kDirectDone)) compute_direct(c, e);
    return (e.dflags & kDirectFast) ? &e : nullptr;
  }

  // Rule 3 reads step-2 text; on the direct route that is a sequence of
  // pieces: ASCII bytes, lower-cased, and other code points, which match
  // none of its characters. Deleted code points are no pieces at all.
  struct Piece {
    size_t begin, end;  // raw offsets
    char32_t c;         // the ASCII character, or 0 for another code point
    uint16_t flags;     // kFirstWord, kLastWord, kAllWord, kAllWhite, kDeleted
  };
  enum { kFail = -1, kNone = 0, kFound = 1 };  // what a piece look-up gives

  int piece_at(const unsigned char* s, size_t n, size_t i, Piece& p) {
    unsigned char b = s[i];
    if (b < 0x80) {
      uint8_t f = ascii[b].flags;
      uint16_t flags = ((f & kWord) ? kFirstWord | kLastWord | kAllWord : 0) | ((f & kWhite) ? kAllWhite : 0);
      p = {i, i + 1, to_lower(b), flags};
      return kFound;
    }
    size_t len;
    const Entry* e = direct_entry(s, n, i, len);
    if (!e) return kFail;
    p = {i, i + len, (e->dflags & kDots) ? U'.' : 0, e->dflags};
    return kFound;
  }

  // The first piece at or after raw offset i.
  int next_piece(const unsigned char* s, size_t n, size_t i, Piece& p) {
    for (; i < n; i = p.end) {
      if (piece_at(s, n, i, p) == kFail) return kFail;
      if (!(p.flags & kDeleted)) return kFound;
    }
    return kNone;
  }

  // The last piece that ends at or before raw offset i.
  int prev_piece(const unsigned char* s, size_t n, size_t i, Piece& p) {
    while (i > 0) {
      size_t j = i - 1;
      while (j > 0 && i - j < 4 && (s[j] & 0xC0) == 0x80) --j;
      if (piece_at(s, n, j, p) == kFail || p.end != i) return kFail;
      if (!(p.flags & kDeleted)) return kFound;
      i = j;
    }
    return kNone;
  }

  // The first raw offset from j whose byte may end a URL, or n.
  static size_t skip_url_bytes(const unsigned char* s, size_t n, size_t j) {
    if constexpr (kVectors) {
      const Bytes16 k21 = splat(0x21), k5e = splat(0x5E);
      for (; n - j >= 16; j += 16) {  // bytes <= 0x20 or >= 0x80, then the exact test
        Bytes16 v = load16(s + j);
        uint32_t bits = mask_bits(reinterpret_cast<Bytes16>(static_cast<Bytes16>(v - k21) > k5e));
        for (; bits; bits &= bits - 1)
          if (size_t k = j + static_cast<size_t>(__builtin_ctz(bits)); kUrlStop[s[k]]) return k;
      }
    }
    while (j < n && !kUrlStop[s[j]]) ++j;
    return j;
  }

  // Whether ASCII bytes spell `lit` (lower case).
  static bool spells_ascii(const unsigned char* s, std::u32string_view lit) {
    bool same = true;
    for (size_t k = 0; k < lit.size(); ++k) same &= to_lower(s[k]) == lit[k];
    return same;
  }

  // Whether the pieces from raw offset i spell `lit`.
  int spells(const unsigned char* s, size_t n, size_t i, std::u32string_view lit) {
    if (n - i >= lit.size()) {  // all ASCII (so no piece is deleted): the bytes decide
      bool ascii = true;
      for (size_t k = 0; k < lit.size(); ++k) ascii &= s[i + k] < 0x80;
      if (ascii) return spells_ascii(s + i, lit) ? kFound : kNone;
    }
    Piece p;
    for (char32_t c : lit) {
      int r = next_piece(s, n, i, p);
      if (r != kFound) return r;
      if (p.c != c) return kNone;
      i = p.end;
    }
    return kFound;
  }

  // Rule 3 at raw offset i, where a piece starts: the raw offset where the
  // URL or mention that starts there ends, i if none does, or kFail.
  int64_t direct_entity_end(const unsigned char* s, size_t n, size_t i) {
    char c = static_cast<char>(to_lower(s[i]));
    int r = kNone;
    if (c == 'h') {
      r = spells(s, n, i, U"http://");
      if (r == kNone) r = spells(s, n, i, U"https://");
    } else if (c == 'w') {
      r = spells(s, n, i, U"www.");
    }
    if (r == kFail) return kFail;
    Piece p;
    if (r == kFound) {  // a URL, to the first white space
      for (size_t j = i; j < n; j = p.end) {
        j = skip_url_bytes(s, n, j);
        if (j == n) break;
        if (piece_at(s, n, j, p) == kFail) return kFail;
        if (p.flags & kAllWhite) return static_cast<int64_t>(j);
      }
      return static_cast<int64_t>(n);
    }
    if (c != '@') return static_cast<int64_t>(i);
    r = next_piece(s, n, i + 1, p);
    if (r != kFound) return r == kFail ? int64_t{kFail} : static_cast<int64_t>(i);
    if (!(p.flags & kFirstWord)) return static_cast<int64_t>(i);
    for (size_t j = i + 1; j < n; j = p.end) {  // a mention, to the first non-word character
      while (j < n && kAsciiWord[s[j]]) ++j;
      if (j == n) break;
      if (piece_at(s, n, j, p) == kFail) return kFail;
      if (p.flags & (kDeleted | kAllWord)) continue;
      if (p.flags & kFirstWord) return kFail;  // it would end inside this code point's step 2
      return static_cast<int64_t>(j);
    }
    return static_cast<int64_t>(n);
  }

  // Rule 3's URLs and mentions on the direct route, into `ranges`.
  bool direct_entities(const unsigned char* s, size_t n) {
    starts.clear();
    ranges.clear();
    Piece p;
    // Where one may start: every '@', and the 'h' of "http://" or "https://"
    // before a ':', the first 'w' of "www." before a '.' (the 4th and 5th,
    // or the 3rd, piece back). Most ':' and '.' are ruled out by the byte
    // before them.
    auto consider = [&](size_t i) {
      if (s[i] == '@') {
        starts.push_back(i);
        return true;
      }
      if (s[i] >= 0x80) {  // on for a code point that is dots, as a '.'
        size_t len;
        const Entry* e = direct_entry(s, n, i, len);
        if (!e || !(e->dflags & kDots)) return true;  // not dots, or the emission will give up on it
      }
      bool colon = s[i] == ':';
      if (i == 0) return true;
      if (char32_t b = to_lower(s[i - 1]); b < 0x80 && b != (colon ? 'p' : 'w') && b != (colon ? 's' : 'w'))
        return true;
      if (size_t back = colon ? 5 : 3; i >= back) {  // ASCII before it: the bytes decide
        bool ascii = true;
        for (size_t k = i - back; k < i; ++k) ascii &= s[k] < 0x80;
        if (ascii) {
          if (colon) {
            if (spells_ascii(s + i - 4, U"http")) starts.push_back(i - 4);
            if (spells_ascii(s + i - 5, U"https")) starts.push_back(i - 5);
          } else if (spells_ascii(s + i - 3, U"www")) {
            starts.push_back(i - 3);
          }
          return true;
        }
      }
      size_t back = colon ? 5 : 3, at = i;
      for (size_t k = 1; k <= back; ++k) {
        int r = prev_piece(s, n, at, p);
        if (r == kFail) return false;
        if (r == kNone || p.c == 0) break;
        at = p.begin;
        if (k >= (colon ? 4 : 3)) starts.push_back(at);
      }
      return true;
    };
    size_t i = 0;
    if constexpr (kVectors) {
      const Bytes16 at = splat('@'), colon = splat(':'), dot = splat('.'), e2 = splat(0xE2), ef = splat(0xEF);
      for (; n - i >= 16; i += 16) {
        Bytes16 v = load16(s + i);
        for (uint32_t bits =
                 mask_bits(reinterpret_cast<Bytes16>((v == at) | (v == colon) | (v == dot) | (v == e2) | (v == ef)));
             bits; bits &= bits - 1)
          if (!consider(i + static_cast<size_t>(__builtin_ctz(bits)))) return false;
      }
    }
    for (; i < n; ++i)
      if (kScan[s[i]] && !consider(i)) return false;
    if (starts.empty()) return true;
    std::sort(starts.begin(), starts.end());
    size_t last_end = 0;
    for (size_t i : starts) {
      if (!ranges.empty() && i < last_end) continue;  // inside the last one (or met twice)
      if (ranges.empty() || i != last_end) {          // right after one: no word before it
        int r = prev_piece(s, n, i, p);
        if (r == kFail) return false;
        if (r == kFound && (p.flags & kLastWord)) continue;
      }
      int64_t j = direct_entity_end(s, n, i);
      if (j == kFail) return false;
      if (static_cast<size_t>(j) == i) continue;
      ranges.emplace_back(i, static_cast<size_t>(j));
      last_end = static_cast<size_t>(j);
    }
    return true;
  }

  // 1 done, 0 the reference path must decide, -1 try the code point route.
  int direct(const unsigned char* s, size_t n, std::string& out, size_t& words) {
    if (!direct_entities(s, n)) return -1;
    Emitter w(out, n);
    size_t next_range = 0;
    for (size_t i = 0; i < n;) {
      size_t stop = next_range < ranges.size() ? ranges[next_range].first : n;
      while (i < stop) {
        unsigned char b = s[i];
        if (b < 0x80) {
          w.put(ascii[b].out);
          ++i;
          continue;
        }
        size_t len;
        const Entry* e = direct_entry(s, n, i, len);
        if (!e) return len == 0 ? 0 : -1;  // ill-formed UTF-8: the reference path replaces it
        i += len;
        if (e->dflags & kWordBytes) {
          w.put_word(e->word, e->direct_len, n - i);
        } else {
          w.put(final_pool.data() + e->direct_off, e->direct_len, n - i);
        }
      }
      if (next_range < ranges.size()) {
        w.put(' ');
        i = ranges[next_range++].second;
      }
    }
    words = w.finish();
    return 1;
  }

  // ---- The code point route.

  bool by_code_point(const unsigned char* p, size_t size, std::string& out, size_t& words) {
    // Step 2 into buf, through the cache. Room for the rest of the input is
    // kept at every step so that ASCII needs no check.
    const unsigned char* end = p + size;
    if (buf.size() < size + 64) buf.resize(size + 64);
    char32_t* w = buf.data();
    while (p < end) {
      if (*p < 0x80) {
        *w++ = to_lower(*p++);
        continue;
      }
      char32_t c;
      size_t len = decode_utf8(p, end, c);
      if (len == 0) return false;
      p += len;
      Entry& e = entry(c);
      if (!(e.flags & kNormDone)) compute_norm(c, e);
      if (!(e.flags & kNormFast)) return false;
      size_t used = static_cast<size_t>(w - buf.data());
      size_t need = used + e.norm_len + static_cast<size_t>(end - p) + 64;
      if (need > buf.size()) {
        buf.resize(need * 2);
        w = buf.data() + used;
      }
      const char32_t* from = norm_pool.data() + e.norm_off;
      for (size_t k = 0; k < e.norm_len; ++k) *w++ = from[k];  // mostly 0 or 1: no memcpy call
    }
    size_t n = static_cast<size_t>(w - buf.data());
    const char32_t* s = buf.data();

    find_entities(s, n);
    Emitter out_w(out, n);
    size_t next_range = 0;
    for (size_t i = 0; i < n;) {
      size_t stop = next_range < ranges.size() ? ranges[next_range].first : n;
      for (; i < stop; ++i) {
        char32_t c = s[i];
        if (c < 0x80) {
          out_w.put(ascii[c].out);
          continue;
        }
        Entry& e = entry(c);
        if (!(e.flags & kFinalDone)) compute_final(c, e);
        if (!(e.flags & kFinalFast)) return false;
        out_w.put(final_pool.data() + e.final_off, e.final_len, n - i);
      }
      if (next_range < ranges.size()) {
        out_w.put(' ');
        i = ranges[next_range++].second;
      }
    }
    words = out_w.finish();
    return true;
  }

  bool white_at(char32_t c) const { return c < 0x80 ? (ascii[c].flags & kWhite) != 0 : is_white_space(c); }
  bool word_at(char32_t c) const { return c < 0x80 ? (ascii[c].flags & kWord) != 0 : is_entity_word(c); }

  static bool matches(const char32_t* s, size_t i, size_t n, std::u32string_view lit) {
    return n - i >= lit.size() && std::u32string_view(s + i, lit.size()) == lit;
  }

  // Rule 3 at s[i] as strip_urls_and_mentions has it: the end of the URL or
  // mention that starts there, or i when none does.
  size_t entity_end(const char32_t* s, size_t i, size_t n) const {
    char32_t c = s[i];
    size_t j = i;
    if ((c == 'h' && (matches(s, i, n, U"http://") || matches(s, i, n, U"https://"))) ||
        (c == 'w' && matches(s, i, n, U"www."))) {
      while (j < n && !white_at(s[j])) ++j;
    } else if (c == '@' && i + 1 < n && word_at(s[i + 1])) {
      ++j;
      while (j < n && word_at(s[j])) ++j;
    }
    return j;
  }

  // Rule 3's URLs and mentions as [begin, end) ranges, in order: what
  // strip_urls_and_mentions finds testing every character left to right,
  // found from the few places where one can start instead ('@', and the
  // 'h' or 'w' before a "://" or a '.').
  void find_entities(const char32_t* s, size_t n) {
    starts.clear();
    ranges.clear();
    for (size_t i = 0; i < n; ++i) {
      char32_t c = s[i];
      if (c == '@') {
        starts.push_back(i);
      } else if (c == ':') {
        if (i >= 4 && matches(s, i - 4, n, U"http://")) starts.push_back(i - 4);
        if (i >= 5 && matches(s, i - 5, n, U"https://")) starts.push_back(i - 5);
      } else if (c == '.') {
        if (i >= 3 && matches(s, i - 3, n, U"www.")) starts.push_back(i - 3);
      }
    }
    if (starts.empty()) return;
    std::sort(starts.begin(), starts.end());
    size_t last_end = 0;
    for (size_t i : starts) {
      bool after_entity = !ranges.empty() && i == last_end;
      if ((!ranges.empty() && i < last_end) || (i > 0 && !after_entity && word_at(s[i - 1]))) continue;
      size_t j = entity_end(s, i, n);
      if (j == i) continue;
      ranges.emplace_back(i, j);
      last_end = j;
    }
  }
};

TextNormalizer::TextNormalizer() : impl_(std::make_unique<Impl>()) {}
TextNormalizer::~TextNormalizer() = default;
TextNormalizer::TextNormalizer(TextNormalizer&&) noexcept = default;
TextNormalizer& TextNormalizer::operator=(TextNormalizer&&) noexcept = default;

size_t TextNormalizer::normalize(std::string_view utf8, std::string& out) {
  size_t words;
  if (impl_->fast(utf8, out, words)) return words;
  ++impl_->routes.reference;
  return impl_->reference(utf8, out);
}

const TextNormalizer::Routes& TextNormalizer::routes() const { return impl_->routes; }

size_t TextNormalizer::normalize_reference(std::string_view utf8, std::string& out) {
  return impl_->reference(utf8, out);
}

}  // namespace chorus

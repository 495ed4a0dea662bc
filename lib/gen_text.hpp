// gen_text.hpp — the raw material of chorus-gen: a small seeded PRNG, word
// lists, and the sentences, hashtags, handles and URLs built from them, plus
// the edits planted networks make to their copies (obfuscation, paraphrase,
// tracking-parameter noise). Everything is a pure function of its Rng, so the
// same seed gives the same bytes on every machine: no std:: distributions and
// no libm transcendental functions (only + - * / and sqrt, which IEEE 754
// rounds exactly). The word tables are built once, on first use, under a
// function-local static, and are read-only afterwards: thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chorus::gen {

// SplitMix64 (Steele, Lea & Flood 2014): one word of state, passes BigCrush,
// and is cheap enough to seed one per event.
class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by Lemire's multiply-shift (bias < n / 2^64).
  uint64_t below(uint64_t n) {
    __extension__ using u128 = unsigned __int128;
    return static_cast<uint64_t>((static_cast<u128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <typename T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  uint64_t s_;
};

// A stateless 64-bit hash (the SplitMix64 finaliser) for values derived from
// an index: account profiles, per-account traits.
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

enum class Lang : uint8_t { kEn, kEs, kPt, kDe, kFr, kIt, kRu };
std::string_view lang_code(Lang lang);

// Words: a language's function words mixed with a shared content vocabulary
// of a few thousand words (real English words first, then generated ones),
// drawn with a Zipf-like skew. `min_words..max_words` inclusive.
void append_sentence(std::string& out, Rng& rng, Lang lang, int min_words, int max_words);
// A short reply-like phrase ("so true", "no way") or a sentence.
void append_reply_text(std::string& out, Rng& rng, Lang lang);
// One content word, lower case (for slugs, keywords).
std::string_view content_word(Rng& rng);
// "good morning", "happy new year", ... in the given language: the exact
// texts thousands of unrelated accounts post.
std::string_view stock_phrase(Rng& rng, Lang lang);
std::string_view emoji(Rng& rng);

// A hashtag without '#': mostly from a fixed pool of popular tags (Zipf), so
// organic accounts share tags as real ones do.
std::string_view popular_hashtag(Rng& rng);
// A fresh CamelCase tag ("StandWithVelora", "Tarnik2024").
std::string fresh_hashtag(Rng& rng);

// Organic links: varied domains, realistic path shapes (youtube watch ids,
// short links, news article paths).
std::string organic_url(Rng& rng);
// A news article URL on a major outlet's domain (breaking-news bursts).
std::string news_url(Rng& rng);
// "/2024/01/slug-of-words" — a path with a date and a slug of 3..6 words.
std::string article_path(Rng& rng, int64_t year, int64_t month);
// A fringe site's domain name: "velora-daily.net".
std::string fringe_domain(Rng& rng);
// The same article as `url` (which has no query), as amplifiers post it:
// http/https, with or without "www.", trailing '/', utm_* / fbclid / gclid
// parameters in varying order and values, sometimes a fragment.
std::string tracking_variant(std::string_view url, Rng& rng);

// Person names for handles and display names; `i` is taken modulo the count.
std::string_view first_name(uint64_t i);
std::string_view last_name(uint64_t i);
uint64_t first_name_count();
uint64_t last_name_count();

// The copy-paste tactic's edits: homoglyphs (Cyrillic а е о р с х і for the
// Latin letters), zero-width characters (U+200B, U+200D, U+FEFF), emoji,
// case changes and punctuation. One to three of them; the result always
// differs from `text` bytewise. Touches only the sentence part: `text` must
// not contain hashtags, mentions or URLs.
std::string obfuscate(std::string_view text, Rng& rng);

// An English narrative of three sentences (about 25-40 words) built from
// patterns whose key words have synonyms, so paraphrase() has material.
std::string narrative(Rng& rng);
// The paraphrase tactic's edits: one or two synonym (or word) substitutions,
// sometimes two sentences swapped, sometimes a prefix or suffix added. Most
// copies keep at least 70 % of the original's word 3-shingles.
std::string paraphrase(std::string_view text, Rng& rng);

// Writes n as decimal digits, zero-padded to `width`.
void append_padded(std::string& out, uint64_t n, int width);

}  // namespace chorus::gen

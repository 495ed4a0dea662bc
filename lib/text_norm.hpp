// text_norm.hpp — the normalised text behind chorus-hash's `text:` key (SPEC §4):
// one canonical form for copies of a post that influence networks obfuscate on
// purpose (homoglyphs, zero-width characters, emoji, case, punctuation, URLs).
// Thread-safety: a TextNormalizer holds ICU objects, buffers and a lazily
// filled per-code-point cache, so it is not thread-safe: use one per thread.
//
// The rules, in the order they apply (the reference definition is the
// all-ICU path, normalize_reference(); normalize() gives byte-identical
// results, fast for the code points that allow it):
//
//  1. UTF-8 is decoded; each ill-formed subsequence becomes U+FFFD (a symbol,
//     so in effect a word separator). Never an error, never a crash.
//  2. Unicode NFKC_Casefold (ICU's nfkc_cf: NFKC, full case folding, and
//     default-ignorable code points removed: zero-width space/joiner/
//     non-joiner, BOM, soft hyphen, bidi marks, variation selectors, tags).
//     Then the remaining format characters (Cf) and enclosing marks (Me, the
//     keycap's U+20E3) are removed in place.
//  3. URLs and @mentions are removed (each becomes a word break). A URL starts
//     with "http://", "https://" or "www." not preceded by a word character
//     and runs to the next white space; a mention is '@' not preceded by a
//     word character, then one or more word characters. Word characters here:
//     letters, marks, numbers, '_'. Bare domains ("example.com") are not URLs.
//  4. Classification: letters (L*), non-enclosing marks (Mn, Mc) and numbers
//     (N*) are kept; apostrophes (U+0027, U+2019) are removed in place
//     ("don't" = "dont"); every other character — white space, punctuation,
//     symbols and emoji, controls, unassigned — is a word break. So a hashtag
//     keeps its word and loses its '#'; "well-known" is two words; a keycap
//     emoji keeps its digit; diacritics stay ("café" is not "cafe").
//  5. The UTS #39 confusable skeleton (ICU uspoof), after the case folding of
//     step 2 so the result is case-insensitive: Cyrillic/Greek look-alikes,
//     full-width and mathematical letters all become the same prototype.
//     Then steps 2 and 4 again, and 5 and 2 and 4 until nothing changes (a
//     prototype may be upper case or punctuation): the result is a fixed
//     point, so normalize(normalize(x)) == normalize(x).
//     The skeleton maps some ASCII too, always: '0' -> 'o', '1' and 'l' -> 'l'
//     ('I' is folded to 'i' first, so it does not join them), 'm' -> "rn".
//     Digits are kept, but 0 and 1 read as o and l. Upper-case-only
//     look-alikes (Cyrillic Н В М Т К) are not folded: their lower case
//     forms are not confusable with Latin letters.
//  6. Word breaks collapse to one space, none at either end; then "rn" is
//     written "m" (the skeleton wrote every "m" as "rn"; this only makes the
//     result readable and is one-to-one).
//
// The result depends on ICU's Unicode data: a different ICU version may give
// a different key for a few rare characters.
//
// Cost: normalize() takes about 2-3 ns a byte on tweets (a 100-byte post in
// 200-300 ns), Cyrillic and mixed text a little more; texts with combining
// marks, Hangul jamo or ill-formed UTF-8 (0.1% of real tweets) take the
// reference path, 10-20 microseconds. Each code point's first appearance
// costs a few microseconds of ICU work, cached for the object's lifetime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace chorus {

class TextNormalizer {
 public:
  // Sets up ICU (the nfkc_cf and nfd normalisers, a spoof checker) and the
  // ASCII tables. ICU set-up failure (missing ICU data: a broken installation,
  // not bad input) throws std::runtime_error.
  TextNormalizer();
  ~TextNormalizer();
  TextNormalizer(TextNormalizer&&) noexcept;
  TextNormalizer& operator=(TextNormalizer&&) noexcept;
  TextNormalizer(const TextNormalizer&) = delete;
  TextNormalizer& operator=(const TextNormalizer&) = delete;

  // Clears `out` and writes the normalised `utf8` to it (rules above); pass
  // the same `out` each time to reuse its capacity. Returns the number of
  // words: 0 for an empty result, else spaces + 1. Throws only
  // std::bad_alloc, when memory runs out. A moved-from TextNormalizer may
  // only be assigned to or destroyed.
  size_t normalize(std::string_view utf8, std::string& out);

  // The same result by the all-ICU reference path, whatever the input; slow
  // (10-20 microseconds a tweet). For tests that check normalize() by it.
  size_t normalize_reference(std::string_view utf8, std::string& out);

  // How many normalize() calls took each route: the fast ones (the bytes as
  // they are, or decoded to code points first) or the reference path (on
  // combining marks, Hangul jamo, ill-formed UTF-8 and the like).
  struct Routes {
    uint64_t direct = 0, code_point = 0, reference = 0;
  };
  const Routes& routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chorus

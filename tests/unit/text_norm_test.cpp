// Tests of lib/text_norm.hpp: obfuscated copies of a text normalise to the
// text's own normal form (homoglyphs, full-width and mathematical letters,
// zero-width and bidi characters, emoji, case, punctuation, white space,
// URLs, mentions, and chorus-gen's own obfuscation), different texts do not;
// the result is idempotent; ill-formed UTF-8, empty and huge inputs; word
// counts; and the fast path gives byte for byte the reference path's result
// on random texts and on every code point up to U+1FFFF (and some beyond).
#include "text_norm.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "gen_text.hpp"

namespace {

using chorus::TextNormalizer;

std::string norm(TextNormalizer& n, std::string_view text) {
  std::string out;
  n.normalize(text, out);
  return out;
}

size_t words(TextNormalizer& n, std::string_view text) {
  std::string out;
  return n.normalize(text, out);
}

// Non-printable bytes as \xNN, for failure messages.
std::string escaped(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

void append_utf8(std::string& s, char32_t c) {
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Random texts. `risky` adds what sends a text to the reference path
// (combining marks, Hangul jamo, ill-formed UTF-8); without it most texts
// take the fast routes, which is what the comparison is about.
std::string random_text(std::mt19937& rng, bool risky) {
  struct Range {
    char32_t lo, hi;
  };
  // clang-format off
  static const Range kSafe[] = {
      {0x20, 0x7E},       {0x20, 0x7E},       {0x20, 0x7E},       {'a', 'z'},         {'a', 'z'},
      {'A', 'Z'},         {0x00, 0x1F},       {0x7F, 0xA0},       {0xA0, 0xFF},       {0x100, 0x24F},
      {0x250, 0x2FF},     {0x370, 0x3FF},     {0x400, 0x4FF},     {0x500, 0x52F},     {0x5D0, 0x5EA},
      {0x620, 0x64A},     {0x905, 0x939},     {0xE01, 0xE30},     {0x1E00, 0x1EFF},   {0x1F00, 0x1FFF},
      {0x2000, 0x206F},   {0x2070, 0x20CF},   {0x2100, 0x218F},   {0x2190, 0x23FF},   {0x2460, 0x24FF},
      {0x2500, 0x27BF},   {0x3000, 0x303F},   {0x3040, 0x30FF},   {0x3200, 0x33FF},   {0x4E00, 0x4E80},
      {0xAC00, 0xAC40},   {0xE000, 0xE010},   {0xFB00, 0xFB4F},   {0xFDF0, 0xFDFF},   {0xFE00, 0xFE0F},
      {0xFE30, 0xFE6F},   {0xFEFF, 0xFEFF},   {0xFF00, 0xFFEF},   {0xFFF0, 0xFFFF},   {0x10400, 0x1044F},
      {0x1D400, 0x1D7FF}, {0x1F100, 0x1F1FF}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x1F3FB, 0x1F3FF},
      {0xE0000, 0xE007F}, {0x10FFF0, 0x10FFFF}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2069},
      {0xAD, 0xAD},       {0x2019, 0x2019},   {'\'', '\''},       {'.', '.'},         {'@', '@'},
      {':', ':'},         {'/', '/'},         {0x2026, 0x2026},   {0xFF20, 0xFF20},   {0xFF1A, 0xFF1A},
      {0xFF0F, 0xFF0F},   {0x2028, 0x2029},   {0x85, 0x85},       {0x1680, 0x1680}};
  static const Range kRisky[] = {{0x300, 0x36F}, {0x483, 0x489}, {0x64B, 0x652}, {0x93C, 0x94D},
                                 {0x1100, 0x11FF}, {0x3130, 0x318F}, {0x20D0, 0x20FF}, {0xD7B0, 0xD7FF}};
  static const char* const kPieces[] = {
      "http://", "https://", "HTTPS://", "Http://", "www.", "WWW.", "@", "@user_1", "://", "t.co/x", "hello",
      "world", "rn", "m", " ", " ", " ", "  ", "\t", "\n", "don't", "#tag", "e-mail",
      "\xEF\xBD\x88\xEF\xBD\x94\xEF\xBD\x94\xEF\xBD\x90\xEF\xBC\x9A\xEF\xBC\x8F\xEF\xBC\x8F",  // ｈｔｔｐ：／／
      "\xEF\xBD\x97\xEF\xBD\x97\xEF\xBD\x97\xEF\xBC\x8E",                                      // ｗｗｗ．
      "\xEF\xBC\xA0" "bob",                                                                     // ＠bob
      "\xE2\x80\x8B", "\xEF\xB8\x8F", "\xE2\x80\x8D",                                           // ZWSP VS16 ZWJ
      "https://x.co/a\xE2\x80\xA6", "www.\xE2\x80\x8B" "x", "@\xE2\x80\x8B" "bob", "h\xE2\x80\x8B" "ttp://x",
      "ww\xE2\x80\x8Bw.x", "a\xC2\xA0" "https://x", "\xD0\xB0", "\xD0\x95", "\xCE\xBF", "\xE2\x80\xA8", "\xC2\xA0",
      "1\xEF\xB8\x8F\xE2\x83\xA3", "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8", "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
      "www\xE2\x80\xA6", "ww\xE2\x80\xA5", "\xE2\x80\xA6", "\xC3\x9F", "\xE2\x84\xA2", "\xEF\xBC\x8E",  // … ‥ ß ™ ．
      "w\xEF\xBD\x97w.", "\xE2\x80\xA4", "\xEF\xB9\x92", "x\xE2\x80\xA6www.x"};                         // ｗ ․ ﹒
  static const char* const kRiskyPieces[] = {"\xFF", "\xC3", "\xE2\x82", "\xED\xA0\x80", "\xC0\xAF",
                                             "\xF4\x90\x80\x80", "\x80", "e\xCC\x81", "\xEA\xB0\x80\xE1\x86\xA8"};
  // clang-format on
  std::string s;
  int n = std::uniform_int_distribution<int>(0, 30)(rng);
  for (int i = 0; i < n; ++i) {
    unsigned pick = rng() % 16;
    if (risky && pick == 0) {
      s += kRiskyPieces[rng() % std::size(kRiskyPieces)];
    } else if (pick < 6) {
      s += kPieces[rng() % std::size(kPieces)];
    } else {
      const Range& r = risky && pick == 1 ? kRisky[rng() % std::size(kRisky)] : kSafe[rng() % std::size(kSafe)];
      char32_t c = r.lo + static_cast<char32_t>(rng() % (r.hi - r.lo + 1));
      append_utf8(s, c >= 0xD800 && c <= 0xDFFF ? U'x' : c);
    }
  }
  return s;
}

// The fast path against the reference path, and idempotence, on one text.
void check_paths(TextNormalizer& n, const std::string& text, int& failures) {
  std::string fast, slow, again;
  size_t fast_words = n.normalize(text, fast), slow_words = n.normalize_reference(text, slow);
  n.normalize(fast, again);
  if ((fast != slow || fast_words != slow_words || again != fast) && ++failures <= 10)
    BOOST_ERROR("text [" << escaped(text) << "]: fast [" << escaped(fast) << "] " << fast_words << ", reference ["
                         << escaped(slow) << "] " << slow_words << ", again [" << escaped(again) << "]");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text_norm)

BOOST_AUTO_TEST_CASE(obfuscations_normalise_like_the_original) {
  TextNormalizer n;
  struct Case {
    const char* original;
    const char* copy;
  };
  // clang-format off
  const Case cases[] = {
      // Homoglyphs: Cyrillic (lower case, and the capitals whose lower case
      // is confusable too), Greek, Latin look-alikes, digits.
      {"Hello world", "H\xD0\xB5llo w\xD0\xBErld"},                                // е о
      {"the people are hiding", "th\xD0\xB5 \xD1\x80\xD0\xB5o\xD1\x80l\xD0\xB5 \xD0\xB0r\xD0\xB5 h\xD1\x96" "ding"},
      {"EXPOSE CORRUPTION", "\xD0\x95XP\xD0\x9ES\xD0\x95 \xD0\xA1\xD0\x9ERRUPTI\xD0\x9EN"},  // Е О С
      {"poor value it", "\xCF\x81\xCE\xBF\xCE\xBFr \xCE\xBD\xCE\xB1lue \xCE\xB9t"},     // ρ ο ν α ι
      {"good", "g00d"},
      {"all ill", "a11 i11"},
      {"modern", "modem"},  // "rn" and "m" are one skeleton
      // Full-width, mathematical, circled and other compatibility forms.
      {"hello world", "\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F\xE3\x80\x80"
                      "\xEF\xBD\x97\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x8C\xEF\xBD\x84"},  // ｈｅｌｌｏ　ｗｏｒｌｄ
      {"hello world", "\xF0\x9D\x90\xA1\xF0\x9D\x90\x9E\xF0\x9D\x90\xA5\xF0\x9D\x90\xA5\xF0\x9D\x90\xA8 "  // 𝐡𝐞𝐥𝐥𝐨
                      "\xF0\x9D\x90\xB0\xF0\x9D\x90\xA8\xF0\x9D\x90\xAB\xF0\x9D\x90\xA5\xF0\x9D\x90\x9D"},  // 𝐰𝐨𝐫𝐥𝐝
      {"Apple", "\xF0\x9D\x90\x80pple"},                                                                  // 𝐀
      {"hello", "\xF0\x9D\x93\xB1\xF0\x9D\x93\xAE\xF0\x9D\x93\xB5\xF0\x9D\x93\xB5\xF0\x9D\x93\xB8"},  // 𝓱𝓮𝓵𝓵𝓸
      {"hello", "\xF0\x9D\x95\x99\xF0\x9D\x95\x96\xF0\x9D\x95\x9D\xF0\x9D\x95\x9D\xF0\x9D\x95\xA0"},  // 𝕙𝕖𝕝𝕝𝕠
      {"hello", "\xE2\x93\x97\xE2\x93\x94\xE2\x93\x9B\xE2\x93\x9B\xE2\x93\x9E"},                      // ⓗⓔⓛⓛⓞ
      {"find fly", "\xEF\xAC\x81nd \xEF\xAC\x82y"},                                                    // ﬁ ﬂ
      {"Strasse", "Stra\xC3\x9F" "e"},                                                                 // ß
      // Zero-width and other format characters, inside words.
      {"hello world", "hel\xE2\x80\x8Blo wor\xE2\x80\x8Bld"},        // zero-width space
      {"hello world", "hel\xE2\x80\x8Dlo wor\xE2\x80\x8Cld"},        // joiner, non-joiner
      {"hello world", "\xEF\xBB\xBFhello wo\xEF\xBB\xBFrld"},        // BOM
      {"hello world", "hel\xC2\xADlo wor\xE2\x81\xA0ld"},            // soft hyphen, word joiner
      {"hello world", "h\xE2\x80\x8E" "ello\xE2\x80\x8F w\xE2\x80\xAAor\xE2\x80\xAC" "ld\xE2\x81\xA6\xE2\x81\xA9"},
      {"hello", "hel\xE2\x81\xA2lo\xF3\xA0\x80\x81"},                // invisible times, tag character
      // Emoji inserted, appended, prepended; sequences with ZWJ, VS16,
      // skin tones, flags.
      {"hello world", "hello world \xF0\x9F\x94\xA5\xF0\x9F\x94\xA5"},
      {"hello world", "\xF0\x9F\x91\x87 hello world"},
      {"hello world", "hello\xF0\x9F\x98\xA1world"},
      {"hello world", "hello \xE2\x9D\xA4\xEF\xB8\x8F world \xE2\x80\xBC\xEF\xB8\x8F"},  // ❤️ ‼️
      {"hello world", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 hello "
                      "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD world \xF0\x9F\x87\xBA\xF0\x9F\x87\xB8"},
      // Case.
      {"hello world", "HELLO WORLD"},
      {"hello world", "Hello World"},
      {"hello world", "hElLo wOrLd"},
      {"\xD1\x81\xD0\xBF\xD0\xB0\xD1\x81\xD0\xB8\xD0\xB1\xD0\xBE",       // спасибо
       "\xD0\xA1\xD0\x9F\xD0\x90\xD0\xA1\xD0\x98\xD0\x91\xD0\x9E"},      // СПАСИБО
      {"\xCF\x83\xCE\xAF\xCF\x83\xCF\x85\xCF\x86\xCE\xBF\xCF\x82",       // σίσυφος
       "\xCE\xA3\xCE\x8A\xCE\xA3\xCE\xA5\xCE\xA6\xCE\x9F\xCE\xA3"},      // ΣΊΣΥΦΟΣ
      // Punctuation, repeated or typographic.
      {"hello world", "hello, world!!!"},
      {"hello world", "hello... world?!"},
      {"hello world", "\xC2\xA1hello world!"},
      {"hello world", "\xC2\xABhello\xC2\xBB \xE2\x80\x9Cworld\xE2\x80\x9D"},  // «» “”
      {"hello world", "(hello) [world]"},
      {"hello world", "hello - world -- ;;"},
      {"dont stop", "don't stop"},
      {"dont stop", "don\xE2\x80\x99t stop"},  // ’
      {"news today", "#news #today"},           // hashtags keep their word
      // White space.
      {"hello world", "  hello \t\n world  "},
      {"hello world", "hello\r\nworld"},
      {"hello world", "hello\xC2\xA0world"},          // no-break space
      {"hello world", "hello\xE2\x80\x83world"},      // em space
      {"hello world", "hello\xE3\x80\x80world"},      // ideographic space
      {"hello world", "hello\xE2\x80\xA8world"},      // line separator
      // URLs and mentions, anywhere.
      {"hello world", "hello world https://t.co/AbC123"},
      {"hello world", "hello http://example.com/x?y=1&z=2#f world"},
      {"hello world", "HTTPS://EXAMPLE.COM/A hello world"},
      {"hello world", "www.example.com/page hello world"},
      {"hello world", "@bob hello world @alice_1"},
      {"hello world", "hello .@bob world"},
      {"hello world", "hello world https://t.co/abc\xE2\x80\xA6"},  // truncated tweet
      {"hello world", "hello world \xEF\xBD\x88\xEF\xBD\x94\xEF\xBD\x94\xEF\xBD\x90\xEF\xBD\x93\xEF\xBC\x9A\xEF\xBC\x8F"
                      "\xEF\xBC\x8Fx.com"},                         // ｈｔｔｐｓ：／／
      {"hello world", "\xEF\xBC\xA0" "bob hello world"},              // ＠bob
      {"hello world", "hello world ht\xE2\x80\x8Btps://x.co/1"},      // zero-width inside the scheme
      {"hello world", "hello world @b\xE2\x80\x8Bob"},
      // All at once.
      {"The government is hiding the truth from the people",
       "\xF0\x9F\x9A\xA8 TH\xD0\x95 G\xD0\x9EVERNM\xD0\x95NT is h\xE2\x80\x8Biding the truth from the "
       "\xD1\x80\xD0\xB5\xD0\xBEple!!! \xF0\x9F\x91\x87 https://t.co/xyz @someone"},
  };
  // clang-format on
  for (const Case& c : cases) {
    std::string original = norm(n, c.original), copy = norm(n, c.copy);
    BOOST_TEST(!original.empty());
    BOOST_TEST(copy == original, "[" << escaped(c.copy) << "] gives [" << escaped(copy) << "], [" << c.original
                                     << "] gives [" << escaped(original) << "]");
  }
}

BOOST_AUTO_TEST_CASE(chorus_gen_obfuscation_is_undone) {
  // Every edit chorus-gen's planted networks make to a copy (case,
  // punctuation, Cyrillic homoglyphs, zero-width characters, emoji).
  TextNormalizer n;
  chorus::gen::Rng rng(7);
  int failures = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = chorus::gen::narrative(rng), copy = chorus::gen::obfuscate(text, rng);
    std::string a = norm(n, text), b = norm(n, copy);
    if (a != b && ++failures <= 5) BOOST_ERROR("[" << escaped(copy) << "] gives [" << b << "], not [" << a << "]");
  }
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_CASE(different_texts_stay_different) {
  TextNormalizer n;
  const std::pair<const char*, const char*> pairs[] = {
      {"hello world", "hello word"},
      {"good morning", "good evening"},
      {"vote yes", "vote no"},
      {"2024", "2025"},
      {"the cat", "the car"},
      {"dog", "god"},
      {"hello world", "helloworld"},
      {"i love it", "l love it"},                        // 'I' is folded to 'i' before the skeleton: i and l stay apart
      {"\xD0\xB4\xD0\xB0", "\xD0\xBD\xD0\xB5\xD1\x82"},  // да, нет
      {"caf\xC3\xA9", "cafe"},                           // diacritics are kept
      {"e-mail", "email"},
      {"\xE6\x97\xA5\xE6\x9C\xAC", "\xE4\xB8\xAD\xE5\x9B\xBD"},  // 日本 中国
  };
  for (const auto& [a, b] : pairs) BOOST_TEST(norm(n, a) != norm(n, b), "[" << a << "] and [" << b << "]");
}

BOOST_AUTO_TEST_CASE(documented_forms) {
  TextNormalizer n;
  BOOST_TEST(norm(n, "Don't STOP\xE2\x80\xBC\xEF\xB8\x8F #Breaking @bob https://t.co/x caf\xC3\xA9") ==
             "dont stop breaking caf\xC3\xA9");
  BOOST_TEST(norm(n, "I l 1 | 0 o O") == "i l l o o o");  // '|' is punctuation, a word break
  BOOST_TEST(norm(n, "rn m corn") == "m m com");
  BOOST_TEST(norm(n, "100% in 2024") == "loo in 2o24");
  BOOST_TEST(norm(n, "a@b.com www.x.com/a,b") == "a b com");          // an e-mail address is no mention
  BOOST_TEST(norm(n, "@@bob @bob@alice") == "");                      // '@' after a mention starts another
  BOOST_TEST(norm(n, "xhttp://a.b") == "xhttp a b");                  // a URL starts after no word character
  BOOST_TEST(norm(n, "see www\xE2\x80\xA6more here") == "see here");  // "…" is "...": "www." starts a URL
  BOOST_TEST(norm(n,
                  "Stra\xC3\x9F"
                  "e\xE2\x84\xA2") == "strassetm");                                 // ß ™
  BOOST_TEST(norm(n, "Top 3\xEF\xB8\x8F\xE2\x83\xA3 reasons") == "top 3 reasons");  // a keycap keeps its digit
}

BOOST_AUTO_TEST_CASE(idempotent) {
  TextNormalizer n;
  std::mt19937 rng(11);
  std::vector<std::string> texts = {"Hello, World!",
                                    "g00d m0rning",
                                    "modern corn",
                                    "\xF0\x9D\x90\x80\xF0\x9D\x90\x81",
                                    "ΣΊΣΥΦΟΣ",
                                    "\xEF\xB7\xBA",
                                    "\xE1\x84\x80\xE1\x85\xA1"};
  for (int i = 0; i < 3000; ++i) texts.push_back(random_text(rng, i % 2 == 0));
  for (const std::string& t : texts) {
    std::string once = norm(n, t), twice = norm(n, once);
    BOOST_TEST(twice == once, "[" << escaped(t) << "] gives [" << escaped(once) << "] then [" << escaped(twice) << "]");
  }
}

BOOST_AUTO_TEST_CASE(ill_formed_utf8_is_a_word_break) {
  TextNormalizer n;
  BOOST_TEST(norm(n,
                  "bad\xFF"
                  "bytes") == "bad bytes");
  BOOST_TEST(norm(n, "bad\xC3") == "bad");  // truncated
  BOOST_TEST(norm(n,
                  "a\xE2\x82"
                  "b") == "a b");  // truncated in the middle
  BOOST_TEST(norm(n,
                  "a\xC0\xAF"
                  "b") == "a b");  // overlong '/'
  BOOST_TEST(norm(n,
                  "a\xED\xA0\x80"
                  "b") == "a b");  // a surrogate
  BOOST_TEST(norm(n,
                  "a\xF4\x90\x80\x80"
                  "b") == "a b");                             // beyond U+10FFFF
  BOOST_TEST(norm(n, "\x80\x80\x80") == "");                  // lone continuation bytes
  BOOST_TEST(norm(n, std::string_view("a\0b", 3)) == "a b");  // NUL is a control character
  // Whatever the bytes, the result is well-formed UTF-8 and stable.
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(rng() % 40, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    std::string once = norm(n, bytes);
    BOOST_TEST(norm(n, once) == once);
    std::string check;
    BOOST_TEST(n.normalize_reference(once, check) == words(n, once));
    BOOST_TEST(check == once, "[" << escaped(bytes) << "] gives [" << escaped(once) << "], ill-formed");
  }
}

BOOST_AUTO_TEST_CASE(empty_and_huge) {
  TextNormalizer n;
  std::string out = "stale";
  BOOST_TEST(n.normalize("", out) == 0u);
  BOOST_TEST(out == "");
  BOOST_TEST(words(n, "   \t\n ") == 0u);
  BOOST_TEST(words(n, "!!! ... ???") == 0u);
  BOOST_TEST(words(n, "\xF0\x9F\x94\xA5\xF0\x9F\x94\xA5") == 0u);
  BOOST_TEST(words(n, "https://t.co/x @bob") == 0u);

  std::string huge;
  for (int i = 0; i < 100000; ++i) huge += "Word\xE2\x80\x8B " + std::to_string(i % 7 + 2) + ", ";
  BOOST_TEST(n.normalize(huge, out) == 200000u);
  BOOST_TEST(out.size() == 100000u * 7 - 1);  // "word 2 " ...
  std::string cyrillic;
  for (int i = 0; i < 200000; ++i) cyrillic += "\xD0\xB4\xD0\xB0 ";
  BOOST_TEST(n.normalize(cyrillic, out) == 200000u);
  std::string url = "https://example.com/" + std::string(1 << 20, 'a') + " tail";
  BOOST_TEST(norm(n, url) == "tail");
  std::string marks = "a";  // 100000 combining marks: the reference path
  for (int i = 0; i < 100000; ++i) marks += "\xCC\x81";
  BOOST_TEST(n.normalize(marks, out) == 1u);
}

BOOST_AUTO_TEST_CASE(word_counts) {
  TextNormalizer n;
  BOOST_TEST(words(n, "hello") == 1u);
  BOOST_TEST(words(n, "  hello   world  ") == 2u);
  BOOST_TEST(words(n, "hello,world") == 2u);
  BOOST_TEST(words(n, "don't") == 1u);
  BOOST_TEST(words(n, "#a #b #c") == 3u);
  BOOST_TEST(words(n,
                   "a\xE2\x80\x8B"
                   "b") == 1u);                                        // zero-width space: no break
  BOOST_TEST(words(n, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E") == 1u);  // no spaces, one word
  std::string out;
  BOOST_TEST(n.normalize("The quick brown fox, jumps! over @the lazy dog https://x.y", out) == 8u);
  BOOST_TEST(out == "the quick brown fox jumps over lazy dog");
}

BOOST_AUTO_TEST_CASE(fast_path_is_the_reference_path_on_random_texts) {
  TextNormalizer n;
  std::mt19937 rng(2024);
  int failures = 0;
  for (int i = 0; i < 25000; ++i) check_paths(n, random_text(rng, i % 4 == 0), failures);
  chorus::gen::Rng gen_rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    chorus::gen::append_sentence(s, gen_rng, static_cast<chorus::gen::Lang>(i % 7), 5, 30);
    check_paths(n, s, failures);
    check_paths(n, chorus::gen::obfuscate(chorus::gen::narrative(gen_rng), gen_rng), failures);
  }
  BOOST_TEST(failures == 0);
  // Every route was taken, and the fast ones most of the time.
  const TextNormalizer::Routes& r = n.routes();
  BOOST_TEST(r.direct > 0u);
  BOOST_TEST(r.code_point > 0u);
  BOOST_TEST(r.reference > 0u);
  BOOST_TEST(r.direct + r.code_point > 3 * r.reference);
}

BOOST_AUTO_TEST_CASE(fast_path_is_the_reference_path_on_every_code_point) {
  // Each code point in context: after a letter, after a space, before a
  // mention (its word-ness decides that), and as the whole text.
  TextNormalizer n;
  int failures = 0;
  for (char32_t c = 0; c < 0x30000; ++c) {
    if ((c >= 0xD800 && c <= 0xDFFF) || (c >= 0x20000 && c % 16 != 0)) continue;  // (CJK extensions: a sample)
    std::string one, text = "a";
    append_utf8(one, c);
    text += one + "b " + one + "@x www" + one + ".y";
    check_paths(n, text, failures);
    if (c % 16 == 0) check_paths(n, one, failures);
  }
  for (char32_t c = 0xE0000; c < 0xE0200; ++c) {  // tags, variation selectors supplement
    std::string text = "a";
    append_utf8(text, c);
    check_paths(n, text + "b", failures);
  }
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_CASE(one_normaliser_many_texts_and_moves) {
  // The cache fills as code points come: results do not depend on order.
  TextNormalizer a, b;
  std::mt19937 rng(9);
  std::vector<std::string> texts;
  for (int i = 0; i < 500; ++i) texts.push_back(random_text(rng, false));
  std::vector<std::string> forward;
  for (const auto& t : texts) forward.push_back(norm(a, t));
  for (size_t i = texts.size(); i-- > 0;) BOOST_TEST(norm(b, texts[i]) == forward[i]);
  TextNormalizer moved(std::move(a));
  BOOST_TEST(norm(moved, texts[0]) == forward[0]);
}

BOOST_AUTO_TEST_SUITE_END()

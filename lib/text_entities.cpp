#include "text_entities.hpp"

#include <algorithm>

namespace chorus {
namespace {

bool ascii_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of the UTF-8 sequence at s[i] if it is a "word" code point: ASCII
// word characters, or a non-ASCII code point that is not punctuation or a
// space we know of (U+2000..U+206F general punctuation, U+3000..U+303F CJK
// punctuation, U+00A0..U+00BF Latin-1 punctuation, U+FE0F and emoji planes).
size_t word_char(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return ascii_word(c) ? 1 : 0;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t cp = n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  if (cp >= 0xA0 && cp <= 0xBF) return 0;
  if (cp == 0xD7 || cp == 0xF7) return 0;
  if (cp >= 0x2000 && cp <= 0x2BFF) return 0;  // punctuation, symbols, arrows, dingbats
  if (cp >= 0x3000 && cp <= 0x303F) return 0;
  if (cp >= 0xFE00 && cp <= 0xFE0F) return 0;  // variation selectors
  if (cp >= 0xFF00 && cp <= 0xFF0F) return 0;  // full-width punctuation
  if (cp >= 0x1F000) return 0;                 // emoji and pictographs
  return n;
}

bool preceded_by_word(std::string_view s, size_t i) {
  if (i == 0) return false;
  unsigned char c = static_cast<unsigned char>(s[i - 1]);
  if (c < 0x80) return ascii_word(c) || c == '&' || c == '/';
  // Walk back to the start of the previous code point.
  size_t j = i - 1;
  while (j > 0 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
  return word_char(s, j) > 0;
}

bool starts_with_ci(std::string_view s, size_t i, std::string_view p) {
  if (i + p.size() > s.size()) return false;
  for (size_t k = 0; k < p.size(); ++k) {
    char c = s[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != p[k]) return false;
  }
  return true;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

void find_entities(std::string_view s, std::vector<std::string_view>* hashtags, std::vector<std::string_view>* mentions,
                   std::vector<std::string_view>* urls) {
  const bool want_hashtags = hashtags, want_mentions = mentions, want_urls = urls;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (want_urls && (c == 'h' || c == 'H' || c == 'w' || c == 'W') && !preceded_by_word(s, i) &&
        (starts_with_ci(s, i, "http://") || starts_with_ci(s, i, "https://") || starts_with_ci(s, i, "www."))) {
      size_t j = i;
      while (j < s.size() && !is_space(static_cast<unsigned char>(s[j])) && s[j] != '"' && s[j] != '<' &&
             s[j] != '>')
        ++j;
      size_t e = j;
      // Trailing punctuation is the sentence's, not the URL's; a ')' stays when
      // it closes a '(' of the URL (https://en.wikipedia.org/wiki/Foo_(bar)).
      for (;;) {
        if (e <= i) break;
        char t = s[e - 1];
        if (t == ')') {
          std::string_view u = s.substr(i, e - i);
          if (std::count(u.begin(), u.end(), '(') >= std::count(u.begin(), u.end(), ')')) break;
        } else if (std::string_view(".,;:!?]}'").find(t) == std::string_view::npos) {
          break;
        }
        --e;
      }
      size_t scheme = starts_with_ci(s, i, "https://") ? 8 : starts_with_ci(s, i, "http://") ? 7 : 4;
      if (e > i + scheme) urls->push_back(s.substr(i, e - i));
      i = j;
      continue;
    }
    if ((c == '#' && want_hashtags) || (c == '@' && want_mentions)) {
      if (!preceded_by_word(s, i)) {
        size_t j = i + 1, n;
        bool letter = false;
        while (j < s.size() && (n = word_char(s, j)) > 0) {
          unsigned char d = static_cast<unsigned char>(s[j]);
          if (!(d >= '0' && d <= '9')) letter = true;
          j += n;
        }
        // Twitter: a hashtag needs a non-digit; a mention is ASCII, at most 15 characters long.
        if (c == '#' && j > i + 1 && letter) hashtags->push_back(s.substr(i + 1, j - i - 1));
        if (c == '@') {
          // Handles: ASCII letters, digits, '_' and '.' (TikTok and Instagram
          // allow dots and up to 30 characters; Twitter 15 without dots), not
          // ending in '.', so "@name." at the end of a sentence is "name".
          size_t k = i + 1;
          while (k < s.size() && (ascii_word(static_cast<unsigned char>(s[k])) || s[k] == '.')) ++k;
          size_t e = k;
          while (e > i + 1 && s[e - 1] == '.') --e;
          if (e > i + 1 && e - i - 1 <= 30 && (k == s.size() || word_char(s, k) == 0))
            mentions->push_back(s.substr(i + 1, e - i - 1));
        }
        i = j > i + 1 ? j : i + 1;
        continue;
      }
    }
    ++i;
  }
}

}  // namespace chorus

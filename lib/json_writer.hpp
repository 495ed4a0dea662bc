// json_writer.hpp — appending JSON text to a std::string: string escaping
// (RFC 8259: quote, backslash and control characters; everything else,
// including non-ASCII UTF-8, passes through, so the input must already be
// valid UTF-8 — simdjson guarantees that for what it hands us). Pure, thread-safe.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace chorus {

// Index of the first byte JSON must escape ('"', '\\', < 0x20), or s.size().
// Eight bytes at a time (SWAR); the borrow trick may flag a byte after a true
// hit, never miss one, so the byte loop finishes exactly.
inline size_t first_json_escape(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    uint64_t q = x ^ (kOnes * '"'), b = x ^ (kOnes * '\\');
    uint64_t hit = ((x - kOnes * 0x20) & ~x) | ((q - kOnes) & ~q) | ((b - kOnes) & ~b);
    if (hit & kHigh) break;
  }
  for (; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return s.size();
}

// Out is std::string or TextBuffer (anything with append(p, n) and push_back).
template <typename Out>
inline void append_json_string(Out& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  size_t i = first_json_escape(s);
  if (i == s.size()) {  // the common case: one copy between quotes
    out.push_back('"');
    out.append(s.data(), s.size());
    out.push_back('"');
    return;
  }
  out.push_back('"');
  out.append(s.data(), i);
  size_t run = i;  // start of the pending run of bytes that need no escape
  for (; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    char esc[6] = {'\\', 0, 0, 0, 0, 0};
    size_t n = 2;
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      default:
        esc[1] = 'u';
        esc[2] = '0';
        esc[3] = '0';
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        n = 6;
    }
    out.append(esc, n);
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

template <typename Out, typename List>
inline void append_json_string_array(Out& out, const List& v) {
  out.push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(',');
    append_json_string(out, v[i]);
  }
  out.push_back(']');
}

template <typename Out>
inline void append_int(Out& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace chorus

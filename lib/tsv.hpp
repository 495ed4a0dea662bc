// tsv.hpp — fields of the tab-separated streams between chorus's steps
// (marks, edges, evidence, labels: SPEC §3, chorus-formats(5)). A field read
// from the data (an account, an event id, a label) may hold any byte an
// adversary chose; written as it is, a tab or a newline would break the
// line's columns. So every C0 control character, DEL and the backslash are
// escaped: \t \n \r \\ for the common ones, \xHH for the others. An escaped
// field holds no byte below 0x20, which the writers rely on (chorus-hash uses
// 0x01 as an in-band separator). Stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chorus {

namespace tsv_detail {
inline bool needs_escape(unsigned char c) { return c < 0x20 || c == 0x7f || c == '\\'; }
}  // namespace tsv_detail

// Appends `field` escaped. Out: anything with append(const char*, size_t) and push_back(char).
template <typename Out>
void append_tsv_field(Out& out, std::string_view field) {
  size_t start = 0;
  for (size_t i = 0; i < field.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(field[i]);
    if (!tsv_detail::needs_escape(c)) continue;
    out.append(field.data() + start, i - start);
    start = i + 1;
    char esc[4] = {'\\', 0, 0, 0};
    size_t n = 2;
    switch (c) {
      case '\t': esc[1] = 't'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\\': esc[1] = '\\'; break;
      default: {
        static const char kHex[] = "0123456789abcdef";
        esc[1] = 'x';
        esc[2] = kHex[c >> 4];
        esc[3] = kHex[c & 15];
        n = 4;
      }
    }
    out.append(esc, n);
  }
  out.append(field.data() + start, field.size() - start);
}

// The inverse of append_tsv_field: false when `field` holds a malformed escape.
bool unescape_tsv_field(std::string_view field, std::string& out);

// Splits `s` at tabs into exactly `n` fields (views into `s`); false when it
// has more or fewer.
bool split_tabs(std::string_view s, std::string_view* f, size_t n);

// Lower-case hex of a 128-bit hash, high half first: 32 characters.
inline void format_hash128(char* out, uint64_t high, uint64_t low) {
  static const char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) out[i] = kHex[(high >> (60 - 4 * i)) & 15];
  for (int i = 0; i < 16; ++i) out[16 + i] = kHex[(low >> (60 - 4 * i)) & 15];
}

}  // namespace chorus

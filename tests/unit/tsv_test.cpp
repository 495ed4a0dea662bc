// Tests of lib/tsv.hpp: append_tsv_field and unescape_tsv_field are inverse
// over every byte value (alone, in pairs, and in a field of all 256), an
// escaped field holds no byte below 0x20, no DEL and no bare backslash,
// malformed escapes are rejected, and format_hash128 writes the high half
// first in lower-case hex.
#include "tsv.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>

#include "text_buffer.hpp"

namespace {

std::string escaped(std::string_view field) {
  std::string out;
  chorus::append_tsv_field(out, field);
  return out;
}

// The escaped field holds nothing that would break a tab-separated line.
bool line_safe(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tsv)

BOOST_AUTO_TEST_CASE(common_escapes) {
  BOOST_TEST(escaped("") == "");
  BOOST_TEST(escaped("plain text, 100% ok") == "plain text, 100% ok");
  BOOST_TEST(escaped("a\tb") == "a\\tb");
  BOOST_TEST(escaped("a\nb") == "a\\nb");
  BOOST_TEST(escaped("a\rb") == "a\\rb");
  BOOST_TEST(escaped("a\\b") == "a\\\\b");
  BOOST_TEST(escaped(std::string_view("a\0b", 3)) == "a\\x00b");
  BOOST_TEST(escaped("\x01") == "\\x01");
  BOOST_TEST(escaped("\x1f") == "\\x1f");
  BOOST_TEST(escaped("\x7f") == "\\x7f");
  // Bytes of 0x80 and above (UTF-8) are written as they are.
  BOOST_TEST(escaped("caf\xC3\xA9 \xFF") == "caf\xC3\xA9 \xFF");
  BOOST_TEST(escaped("\t\t") == "\\t\\t");
}

BOOST_AUTO_TEST_CASE(round_trip_every_byte) {
  std::string back;
  for (int c = 0; c < 256; ++c) {
    std::string field(1, static_cast<char>(c));
    std::string e = escaped(field);
    BOOST_TEST(line_safe(e), "byte " << c << " escaped as " << e);
    bool escape = c < 0x20 || c == 0x7f || c == '\\';
    BOOST_TEST((e.size() > 1) == escape, "byte " << c);
    BOOST_TEST_REQUIRE(chorus::unescape_tsv_field(e, back), "byte " << c);
    BOOST_TEST(back == field, "byte " << c);
  }
}

BOOST_AUTO_TEST_CASE(round_trip_every_pair) {
  // Every ordered pair of bytes, between other text: no escape leaks into its neighbour.
  std::string field, e, back;
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) {
      field.clear();  // not `field = "x"`: GCC 12 warns falsely (-Wrestrict) on that
      field += 'x';
      field += static_cast<char>(a);
      field += static_cast<char>(b);
      field += "x";
      e.clear();
      chorus::append_tsv_field(e, field);
      if (!line_safe(e) || !chorus::unescape_tsv_field(e, back) || back != field) {
        BOOST_ERROR("pair " << a << ", " << b << " escaped as " << e);
        return;
      }
    }
}

BOOST_AUTO_TEST_CASE(round_trip_all_bytes_in_one_field) {
  std::string field;
  for (int c = 0; c < 256; ++c) field += static_cast<char>(c);
  field += field;  // twice, the second copy after the first's 0xff
  std::string e = escaped(field), back;
  BOOST_TEST(line_safe(e));
  BOOST_TEST(e.find('\t') == std::string::npos);
  BOOST_TEST(e.find('\n') == std::string::npos);
  BOOST_TEST_REQUIRE(chorus::unescape_tsv_field(e, back));
  BOOST_TEST(back == field);
}

BOOST_AUTO_TEST_CASE(text_buffer_output) {
  // The writers append to a TextBuffer as well as to a std::string.
  chorus::TextBuffer out;
  chorus::append_tsv_field(out, "a\tb\\c");
  BOOST_TEST(out.view() == "a\\tb\\\\c");
}

BOOST_AUTO_TEST_CASE(unescape_accepts_both_hex_cases) {
  std::string back;
  BOOST_TEST(chorus::unescape_tsv_field("\\x7F\\x7f\\xAb", back));
  BOOST_TEST(back == "\x7f\x7f\xab");
  BOOST_TEST(chorus::unescape_tsv_field("", back));
  BOOST_TEST(back.empty());
  // unescape clears what `out` held.
  back = "old";
  BOOST_TEST(chorus::unescape_tsv_field("new", back));
  BOOST_TEST(back == "new");
}

BOOST_AUTO_TEST_CASE(malformed_escapes_rejected) {
  std::string back;
  for (std::string_view bad : {"\\", "abc\\", "\\a", "\\T", "\\N", "\\0", "\\ ", "\\x", "\\x4", "a\\x4",
                               "\\xg0", "\\x0g", "\\x-1", "\\u0041", "\\\\\\", "ok\\q"}) {
    BOOST_TEST(!chorus::unescape_tsv_field(bad, back), "accepted [" << bad << "]");
  }
  // A backslash escaped as "\\\\" followed by a letter is fine.
  BOOST_TEST(chorus::unescape_tsv_field("\\\\n", back));
  BOOST_TEST(back == "\\n");
}

BOOST_AUTO_TEST_CASE(format_hash128_high_half_first) {
  char buf[33] = {};
  chorus::format_hash128(buf, 0, 0);
  BOOST_TEST(std::string(buf, 32) == "00000000000000000000000000000000");
  chorus::format_hash128(buf, 0x0123456789abcdefULL, 0xfedcba9876543210ULL);
  BOOST_TEST(std::string(buf, 32) == "0123456789abcdeffedcba9876543210");
  chorus::format_hash128(buf, ~0ULL, 1);
  BOOST_TEST(std::string(buf, 32) == "ffffffffffffffff0000000000000001");
  chorus::format_hash128(buf, 0x8000000000000000ULL, 0xA0ULL);
  BOOST_TEST(std::string(buf, 32) == "800000000000000000000000000000a0");
  BOOST_TEST(buf[32] == '\0');  // exactly 32 characters written
}

BOOST_AUTO_TEST_SUITE_END()

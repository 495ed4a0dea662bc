// Tests of lib/json_writer.hpp: JSON string escaping, above all the 8-byte
// SWAR scan in first_json_escape, compared with a byte-at-a-time reference
// escaper written here for every position of an escape inside a block and
// for random byte strings; and, for valid UTF-8, a round trip through simdjson.
#include "json_writer.hpp"

#include <simdjson.h>

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "text_buffer.hpp"

namespace {

// RFC 8259 section 7, one byte at a time: the obvious escaper.
std::string reference_escape(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

size_t reference_first_escape(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return s.size();
}

std::string escaped(std::string_view s) {
  std::string out;
  chorus::append_json_string(out, s);
  return out;
}

std::string escaped_via_text_buffer(std::string_view s) {
  chorus::TextBuffer out;
  chorus::append_json_string(out, s);
  return std::string(out.view());
}

// Bytes the SWAR trick must not mistake for escapes (neighbours of '"', '\\'
// and 0x20, and the same with the high bit set), and the ones it must find.
const std::vector<unsigned char> kHarmless = {0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7e, 0x7f, 0x80, 0x9f, 0xa0,
                                              0xa1, 0xa2, 0xa3, 0xdb, 0xdc, 0xdd, 0xe0, 0xff, 'a', '0'};
const std::vector<unsigned char> kSpecial = {'"', '\\', 0x00, 0x01, 0x08, 0x09, 0x0a, 0x0c,
                                             0x0d, 0x0e, 0x1b, 0x1f};

}  // namespace

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(escapes) {
  BOOST_TEST(escaped("") == "\"\"");
  BOOST_TEST(escaped("plain") == "\"plain\"");
  BOOST_TEST(escaped("say \"hi\"") == "\"say \\\"hi\\\"\"");
  BOOST_TEST(escaped("C:\\path\\") == "\"C:\\\\path\\\\\"");
  BOOST_TEST(escaped("a\nb\rc\td\be\ff") == "\"a\\nb\\rc\\td\\be\\ff\"");
  BOOST_TEST(escaped(std::string_view("\x00\x01\x1f", 3)) == "\"\\u0000\\u0001\\u001f\"");
  BOOST_TEST(escaped("\x7f") == "\"\x7f\"");  // DEL needs no escape
  BOOST_TEST(escaped("/") == "\"/\"");        // nor does the solidus
}

BOOST_AUTO_TEST_CASE(non_ascii_passes_through) {
  BOOST_TEST(escaped("café") == "\"café\"");
  BOOST_TEST(escaped("тест \"ё\"") == "\"тест \\\"ё\\\"\"");
  BOOST_TEST(escaped("🙂👍🏽") == "\"🙂👍🏽\"");
  BOOST_TEST(escaped("\u2028\u2029") == "\"\u2028\u2029\"");  // valid in JSON, passed as is
  BOOST_TEST(escaped("日本語のテキスト、長めの文字列") == "\"日本語のテキスト、長めの文字列\"");
}

BOOST_AUTO_TEST_CASE(every_position_in_the_swar_blocks) {
  // One special byte at each position of strings up to three blocks long, in a
  // background of each harmless byte.
  for (unsigned char bg : kHarmless) {
    for (size_t len = 1; len <= 25; ++len) {
      for (size_t pos = 0; pos < len; ++pos) {
        for (unsigned char sp : kSpecial) {
          std::string s(len, static_cast<char>(bg));
          s[pos] = static_cast<char>(sp);
          size_t got = chorus::first_json_escape(s);
          if (got != pos) BOOST_ERROR("first_json_escape: bg " << int(bg) << " special " << int(sp) << " at " << pos
                                                               << " of " << len << " gave " << got);
          if (escaped(s) != reference_escape(s))
            BOOST_ERROR("append_json_string: bg " << int(bg) << " special " << int(sp) << " at " << pos << " of "
                                                  << len);
        }
      }
      std::string clean(len, static_cast<char>(bg));
      BOOST_TEST(chorus::first_json_escape(clean) == len);
      BOOST_TEST(escaped(clean) == reference_escape(clean));
    }
  }
}

BOOST_AUTO_TEST_CASE(no_false_hits_on_any_single_byte) {
  // Each of the 256 byte values at each position of a 16-byte string.
  for (int b = 0; b < 256; ++b) {
    for (size_t pos = 0; pos < 16; ++pos) {
      std::string s(16, 'x');
      s[pos] = static_cast<char>(b);
      size_t want = reference_first_escape(s);
      size_t got = chorus::first_json_escape(s);
      if (got != want) BOOST_ERROR("byte " << b << " at " << pos << ": got " << got << ", want " << want);
    }
  }
}

BOOST_AUTO_TEST_CASE(random_byte_strings_match_the_reference) {
  std::mt19937_64 rng(8259);
  int mismatches = 0;
  for (int round = 0; round < 40000; ++round) {
    size_t len = rng() % 70;
    std::string s(len, '\0');
    int mode = round % 3;
    for (auto& c : s) {
      uint64_t r = rng();
      if (mode == 0) c = static_cast<char>(r);  // any byte
      else if (mode == 1)                       // mostly harmless, a few specials
        c = static_cast<char>(r % 16 == 0 ? kSpecial[(r >> 8) % kSpecial.size()] : kHarmless[(r >> 8) % kHarmless.size()]);
      else  // text-like
        c = static_cast<char>(r % 40 == 0 ? kSpecial[(r >> 8) % kSpecial.size()] : 'a' + (r >> 8) % 26);
    }
    std::string want = reference_escape(s);
    bool ok = chorus::first_json_escape(s) == reference_first_escape(s) && escaped(s) == want &&
              escaped_via_text_buffer(s) == want;
    if (!ok && ++mismatches <= 5) BOOST_ERROR("mismatch in round " << round << " for " << len << " bytes");
  }
  BOOST_TEST(mismatches == 0);
}

BOOST_AUTO_TEST_CASE(round_trip_through_a_json_parser) {
  std::mt19937 rng(42);
  static const char* pieces[] = {"a", "Z", " ", "\"", "\\", "\n", "\t", "\x01", "\x1f", "\x7f", "é", "€", "🙂", "/",
                                 "\\u0000"};
  simdjson::ondemand::parser parser;
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    size_t n = rng() % 30;
    for (size_t k = 0; k < n; ++k) s += pieces[rng() % 15];
    std::string json = "{\"v\":";
    chorus::append_json_string(json, s);
    json += "}";
    simdjson::padded_string padded(json);
    auto doc = parser.iterate(padded);
    std::string_view back;
    auto err = doc["v"].get_string().get(back);
    if (err || back != s) {
      BOOST_ERROR("round " << round << ": " << json);
      break;
    }
  }
}

// A default std::string_view has a null data(): every event without text is
// written this way. memcpy from a null pointer is undefined even for 0 bytes,
// so this case only fails in a CHORUS_SANITIZE (UBSan) build.
BOOST_AUTO_TEST_CASE(empty_view_with_null_data) {
  chorus::TextBuffer tb;
  chorus::append_json_string(tb, std::string_view());
  BOOST_TEST(std::string(tb.view()) == "\"\"");
  std::string s;
  chorus::append_json_string(s, std::string_view());
  BOOST_TEST(s == "\"\"");
}

BOOST_AUTO_TEST_CASE(arrays_and_integers) {
  std::string out;
  chorus::append_json_string_array(out, std::vector<std::string>{});
  out += ' ';
  chorus::append_json_string_array(out, std::vector<std::string>{"a", "b\"c", ""});
  BOOST_TEST(out == "[] [\"a\",\"b\\\"c\",\"\"]");
  out.clear();
  chorus::append_int(out, 0);
  out += ',';
  chorus::append_int(out, -42);
  out += ',';
  chorus::append_int(out, std::numeric_limits<int64_t>::max());
  out += ',';
  chorus::append_int(out, std::numeric_limits<int64_t>::min());
  BOOST_TEST(out == "0,-42,9223372036854775807,-9223372036854775808");
}

BOOST_AUTO_TEST_SUITE_END()

// Tests of lib/stream_header.hpp: the header line of the streams between
// chorus's steps is written as "#chorus-<kind> v<N> <json>\n" and read back;
// another kind of stream, a newer version and lines that are no header are
// errors that say what was expected.
#include "stream_header.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>

namespace {

std::string error_of(std::string_view line, std::string_view kind, int max_version = 1) {
  auto h = chorus::parse_stream_header(line, kind, max_version);
  if (h) return "ok";
  return h.status().message();
}

// The error of a Result, for a failed check's message (status() of an ok Result throws).
template <typename R>
std::string why(const R& r) {
  return r.ok() ? std::string() : r.status().message();
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(stream_header)

BOOST_AUTO_TEST_CASE(format) {
  BOOST_TEST(chorus::format_stream_header("marks", 1, "{\"a\":1}") == "#chorus-marks v1 {\"a\":1}\n");
  BOOST_TEST(chorus::format_stream_header("edges", 12, "{}") == "#chorus-edges v12 {}\n");
  // It sorts before every key under LC_ALL=C sort: '#' is below every letter.
  // (Parenthesised: BOOST_TEST compares two strings with `<` element by element.)
  BOOST_TEST((std::string_view("#chorus-marks v1 {}") < std::string_view("domain:0")));
  BOOST_TEST((std::string_view("#chorus-marks v1 {}") < std::string_view("0")));
}

BOOST_AUTO_TEST_CASE(round_trip) {
  const std::string params = R"({"signals":["share","text"],"min_tokens":4,"s":"a b"})";
  std::string line = chorus::format_stream_header("marks", 1, params);
  BOOST_TEST_REQUIRE(line.back() == '\n');
  line.pop_back();
  auto h = chorus::parse_stream_header(line, "marks");
  BOOST_TEST_REQUIRE(h.ok(), why(h));
  BOOST_TEST(h->kind == "marks");
  BOOST_TEST(h->version == 1);
  BOOST_TEST(h->params == params);  // spaces inside the JSON kept
}

BOOST_AUTO_TEST_CASE(crlf_and_missing_params) {
  auto h = chorus::parse_stream_header("#chorus-labels v1 {}\r", "labels");
  BOOST_TEST_REQUIRE(h.ok(), why(h));
  BOOST_TEST(h->params == "{}");
  auto bare = chorus::parse_stream_header("#chorus-labels v1", "labels");
  BOOST_TEST_REQUIRE(bare.ok(), why(bare));
  BOOST_TEST(bare->version == 1);
  BOOST_TEST(bare->params.empty());
}

BOOST_AUTO_TEST_CASE(older_and_supported_versions) {
  auto h = chorus::parse_stream_header("#chorus-edges v2 {}", "edges", 3);
  BOOST_TEST_REQUIRE(h.ok(), why(h));
  BOOST_TEST(h->version == 2);
  BOOST_TEST(error_of("#chorus-edges v3 {}", "edges", 3) == "ok");
}

BOOST_AUTO_TEST_CASE(wrong_kind) {
  std::string e = error_of("#chorus-edges v1 {}", "marks");
  BOOST_TEST(e != "ok");
  BOOST_TEST(contains(e, "edges"), e);
  BOOST_TEST(contains(e, "marks"), e);
  // A kind that only starts like the wanted one is another kind.
  BOOST_TEST(error_of("#chorus-marksx v1 {}", "marks") != "ok");
  BOOST_TEST(error_of("#chorus-mark v1 {}", "marks") != "ok");
}

BOOST_AUTO_TEST_CASE(newer_version) {
  std::string e = error_of("#chorus-marks v2 {}", "marks");
  BOOST_TEST(contains(e, "version 2"), e);
  BOOST_TEST(contains(e, "newer"), e);
  BOOST_TEST(error_of("#chorus-marks v100000 {}", "marks") != "ok");
}

BOOST_AUTO_TEST_CASE(garbage) {
  for (std::string_view bad :
       {"", "#", "#chorus-", "#chorus-marks", "#chorus-marks ", "#chorus-marks v", "#chorus-marks v {}",
        "#chorus-marks 1 {}", "#chorus-marks V1 {}", "#chorus-marks v0 {}", "#chorus-marks v-1 {}",
        "#chorus-marks v1x {}", "#chorus-marks v+1 {}", "#chorus-marks v99999999999999999999 {}",
        "chorus-marks v1 {}", " #chorus-marks v1 {}", "#CHORUS-marks v1 {}", "text:0123\t1\ta\te",
        "{\"id\":\"e1\",\"account\":\"a\",\"ts\":1}", "\xFF\xFE garbage"}) {
    BOOST_TEST(error_of(bad, "marks") != "ok", "accepted [" << bad << "]");
  }
  // A line that is no header says what a header looks like.
  std::string e = error_of("{\"id\":\"e1\"}", "marks");
  BOOST_TEST(contains(e, "#chorus-marks v1"), e);
}

BOOST_AUTO_TEST_SUITE_END()

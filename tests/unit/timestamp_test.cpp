// Tests of lib/timestamp.hpp: every accepted text form of a point in time,
// the rejection of impossible dates and of garbage, and the round trip of
// both written forms.
//
// Expected epoch values were computed independently of chorus, with GNU date
// (`date -u -d '2021-01-17T07:56:33Z' +%s`) or Python's datetime
// (`int(datetime(2021,1,17,7,56,33,tzinfo=timezone(timedelta(hours=5,minutes=30))).timestamp())`);
// each literal names the command that gave it.
#include "timestamp.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace {

using chorus::Micros;

constexpr Micros kSecond = 1000000;

// The value parse_timestamp gives `text`, checked against `want` (seconds + micros).
void expect_time(std::string_view text, int64_t want_seconds, int64_t want_micros = 0) {
  BOOST_TEST_CONTEXT("parse_timestamp(\"" << text << "\")") {
    auto r = chorus::parse_timestamp(text);
    if (!r) {
      BOOST_ERROR("rejected: " << r.status().message());
      return;
    }
    BOOST_TEST(*r == want_seconds * kSecond + want_micros);
  }
}

void expect_rejected(std::string_view text) {
  BOOST_TEST_CONTEXT("parse_timestamp(\"" << text << "\")") {
    auto r = chorus::parse_timestamp(text);
    BOOST_TEST(!r.ok());
    if (!r) BOOST_TEST(r.status().message().find("unreadable timestamp") != std::string::npos);
  }
}

std::string epoch_text(Micros t) {
  char buf[32];
  return std::string(buf, chorus::format_epoch_seconds(buf, t));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(timestamp)

BOOST_AUTO_TEST_CASE(rfc3339_utc) {
  // date -u -d '2021-01-17T07:56:33Z' +%s
  expect_time("2021-01-17T07:56:33Z", 1610870193);
  expect_time("2021-01-17t07:56:33z", 1610870193);
  expect_time("2021-01-17 07:56:33Z", 1610870193);   // space for 'T'
  expect_time("2021-01-17T07:56:33", 1610870193);    // no zone: UTC
  expect_time("2021-01-17 07:56:33 UTC", 1610870193);
  expect_time("2021-01-17 07:56:33 GMT", 1610870193);
  // date -u -d '2018-10-10T20:19:24Z' +%s
  expect_time("2018-10-10T20:19:24Z", 1539202764);
  // date -u -d '1970-01-01' +%s ; date -u -d '1969-12-31T23:59:59Z' +%s
  expect_time("1970-01-01T00:00:00Z", 0);
  expect_time("1969-12-31T23:59:59Z", -1);
}

BOOST_AUTO_TEST_CASE(rfc3339_offsets) {
  // date -u -d '2021-01-17T07:56:33+05:30' +%s
  expect_time("2021-01-17T07:56:33+05:30", 1610850393);
  expect_time("2021-01-17T07:56:33+0530", 1610850393);
  // date -u -d '2021-01-17T07:56:33-08:00' +%s
  expect_time("2021-01-17T07:56:33-08:00", 1610898993);
  expect_time("2021-01-17T07:56:33-0800", 1610898993);
  // python: timezone(timedelta(hours=5)) -> 1610852193
  expect_time("2021-01-17T07:56:33+05", 1610852193);
  expect_time("2021-01-17T07:56:33-00:00", 1610870193);
  expect_time("2021-01-17T07:56:33+00:00", 1610870193);
  // python: timezone(timedelta(hours=23, minutes=59)) -> 1610783853
  expect_time("2021-01-17T07:56:33+23:59", 1610783853);
}

BOOST_AUTO_TEST_CASE(rfc3339_fractions) {
  // 1 to 9 digits, kept to the microsecond (truncated, never rounded up).
  expect_time("2021-01-17T07:56:33.5Z", 1610870193, 500000);
  expect_time("2021-01-17T07:56:33.25Z", 1610870193, 250000);
  expect_time("2021-01-17T07:56:33.125Z", 1610870193, 125000);
  expect_time("2021-01-17T07:56:33.1234Z", 1610870193, 123400);
  expect_time("2021-01-17T07:56:33.12345Z", 1610870193, 123450);
  expect_time("2021-01-17T07:56:33.123456Z", 1610870193, 123456);
  expect_time("2021-01-17T07:56:33.1234567Z", 1610870193, 123456);
  expect_time("2021-01-17T07:56:33.12345678Z", 1610870193, 123456);
  expect_time("2021-01-17T07:56:33.999999999Z", 1610870193, 999999);
  expect_time("2021-01-17T07:56:33.000001Z", 1610870193, 1);
  expect_time("2021-01-17T07:56:33,5Z", 1610870193, 500000);  // ISO 8601 decimal comma
  expect_time("2021-01-17T07:56:33.5+05:30", 1610850393, 500000);
  expect_time("2021-01-17T07:56:33.5", 1610870193, 500000);
}

BOOST_AUTO_TEST_CASE(rfc3339_short_forms) {
  // date -u -d '2021-01-17T07:56Z' +%s
  expect_time("2021-01-17T07:56Z", 1610870160);
  expect_time("2021-01-17 07:56", 1610870160);
  // date -u -d '2021-01-17T07:56:00+05:30' +%s -> 1610850360
  expect_time("2021-01-17T07:56+05:30", 1610850360);
  // date -u -d '2021-01-17' +%s
  expect_time("2021-01-17", 1610841600);
}

BOOST_AUTO_TEST_CASE(leap_years_and_month_lengths) {
  // date -u -d '2020-02-29' +%s ; '2000-02-29' ; '2400-02-29'
  expect_time("2020-02-29T00:00:00Z", 1582934400);
  expect_time("2000-02-29", 951782400);
  expect_time("2400-02-29", 13574563200);
  expect_rejected("2021-02-29");
  expect_rejected("1900-02-29");  // divisible by 100, not by 400
  expect_rejected("2100-02-29");
  expect_rejected("2020-02-30");
  // date -u -d '2021-12-31T23:59:59Z' +%s
  expect_time("2021-12-31T23:59:59Z", 1640995199);
  for (const char* d : {"2021-04-31", "2021-06-31", "2021-09-31", "2021-11-31", "2021-01-32", "2021-12-32"})
    expect_rejected(d);
  for (const char* d : {"2021-01-31", "2021-03-31", "2021-05-31", "2021-07-31", "2021-08-31", "2021-10-31",
                        "2021-04-30", "2021-02-28"})
    BOOST_TEST(chorus::parse_timestamp(d).ok(), d);
}

BOOST_AUTO_TEST_CASE(out_of_range_fields) {
  expect_rejected("2021-00-17");
  expect_rejected("2021-13-17");
  expect_rejected("2021-01-00");
  expect_rejected("2021-01-17T24:00:00Z");
  expect_rejected("2021-01-17T07:60:00Z");
  expect_rejected("2021-01-17T07:56:61Z");
  expect_rejected("2021-01-17T07:56:33+24:00");
  expect_rejected("2021-01-17T07:56:33+05:60");
  // A leap second is counted as the first second of the next minute:
  // date -u -d '2017-01-01T00:00:00Z' +%s
  expect_time("2016-12-31T23:59:60Z", 1483228800);
}

BOOST_AUTO_TEST_CASE(year_range) {
  // date -u -d '1000-01-01T00:00:00Z' +%s ; date -u -d '9999-12-31T23:59:59Z' +%s
  expect_time("1000-01-01T00:00:00Z", -30610224000);
  expect_time("9999-12-31T23:59:59Z", 253402300799);
  expect_rejected("0999-12-31T23:59:59Z");
  expect_rejected("0000-01-01");
  // The offset moves these out of years 1000..9999.
  expect_rejected("1000-01-01T00:30:00+01:00");
  expect_rejected("9999-12-31T23:30:00-01:00");
  // Epoch seconds just outside the range.
  expect_rejected("253402300800");
  expect_rejected("-30610224001");
}

// The range is "years 1000..9999": the last second of 9999 has fractions too.
BOOST_AUTO_TEST_CASE(last_fraction_of_year_9999_is_in_range) {
  expect_time("9999-12-31T23:59:59.5Z", 253402300799, 500000);
  expect_time("9999-12-31T23:59:59.999999Z", 253402300799, 999999);
  auto r = chorus::parse_epoch_seconds("253402300799.5");
  BOOST_TEST(r.ok());
}

BOOST_AUTO_TEST_CASE(twitter_created_at) {
  // python: datetime.strptime('Wed Oct 10 20:19:24 +0000 2018', '%a %b %d %H:%M:%S %z %Y')
  expect_time("Wed Oct 10 20:19:24 +0000 2018", 1539202764);
  // python: the same for 'Thu Feb 29 23:59:59 -0130 2024'
  expect_time("Thu Feb 29 23:59:59 -0130 2024", 1709256599);
  // date -u -d '2021-01-17T07:56:33Z' +%s
  expect_time("Sun Jan 17 07:56:33 +0000 2021", 1610870193);
  expect_rejected("Wed Foo 10 20:19:24 +0000 2018");        // no such month
  expect_rejected("Fri Feb 29 20:19:24 +0000 2019");        // not a leap year
  expect_rejected("Wed Oct 10 20:19:24 +0000 18");          // short year
  expect_rejected("Wed Oct 10 20:19:24 2018");              // no offset
  expect_rejected("Wed Oct 10 25:19:24 +0000 2018");        // hour
  expect_rejected("Wed Oct 10 20:19:24 +0000 2018 ");       // trailing space
  expect_rejected("Wed Oct 1x 20:19:24 +0000 2018");
  expect_rejected("Wed Oct 10 20-19-24 +0000 2018");
}

BOOST_AUTO_TEST_CASE(epoch_seconds) {
  expect_time("1610870193", 1610870193);
  expect_time("1610870193.25", 1610870193, 250000);
  expect_time("1610870193.123456789", 1610870193, 123456);
  expect_time("0", 0);
  expect_time("-1", -1);
  expect_time("-1.5", -1, -500000);
  expect_time("-0.000001", 0, -1);
  expect_time("2021", 2021);  // a number, not a year: no '-' after four digits
  // Exponents (JSON numbers written by some exporters).
  auto e = chorus::parse_epoch_seconds("1.6e9");
  BOOST_TEST_REQUIRE(e.ok());
  BOOST_TEST(*e == 1600000000 * kSecond);
  e = chorus::parse_epoch_seconds("1.61087019325E9");
  BOOST_TEST_REQUIRE(e.ok());
  BOOST_TEST(*e == 1610870193 * kSecond + 250000);
  e = chorus::parse_epoch_seconds("-1e3");
  BOOST_TEST_REQUIRE(e.ok());
  BOOST_TEST(*e == -1000 * kSecond);
  e = chorus::parse_epoch_seconds("1e-6");
  BOOST_TEST_REQUIRE(e.ok());
  BOOST_TEST(*e == 1);
  expect_time("1.6e9", 1600000000);
  // parse_epoch_seconds takes the same integers and fractions.
  e = chorus::parse_epoch_seconds("1610870193.5");
  BOOST_TEST_REQUIRE(e.ok());
  BOOST_TEST(*e == 1610870193 * kSecond + 500000);
}

BOOST_AUTO_TEST_CASE(garbage) {
  for (const char* s :
       {"", "-", "--1", "1.", "1.2.3", "12abc", "1e", "1e+", "0x10", "+5", ".5", "abc", "nan", "inf", "1e13",
        "99999999999999999999999", " 2021-01-17", "2021-01-17 ", "2021-01-17T", "2021-01-17T07",
        "2021-01-17T07:5", "2021-01-17T07:56:3", "2021-1-17", "2021-01-7", "2021/01/17", "2021-01-17X07:56:33",
        "2021-01-17T07:56:33.Z", "2021-01-17T07:56:33Zjunk", "2021-01-17T07:56:33+5:30",
        "2021-01-17T07:56:33+05:3", "2021-01-17T07:56:33+053", "2021-01-17T07:56:33 EST", "2021-01-17T07-56-33",
        "Wednesday, October 10, 2018", "\x01\x02\x03", "2021-01-17\n"})
    expect_rejected(s);
  BOOST_TEST(!chorus::parse_epoch_seconds("").ok());
  BOOST_TEST(!chorus::parse_epoch_seconds("2021-01-17").ok());
  BOOST_TEST(!chorus::parse_epoch_seconds("1e400").ok());
}

BOOST_AUTO_TEST_CASE(message_quotes_the_text_cut_short) {
  std::string long_text(200, 'x');
  auto r = chorus::parse_timestamp(long_text);
  BOOST_TEST_REQUIRE(!r.ok());
  BOOST_TEST(r.status().message().find("'" + std::string(64, 'x') + "'") != std::string::npos);
  BOOST_TEST(r.status().message().find(std::string(65, 'x')) == std::string::npos);
  auto m = chorus::parse_timestamp("2021-13-01");
  BOOST_TEST_REQUIRE(!m.ok());
  BOOST_TEST(m.status().message() == "unreadable timestamp '2021-13-01': month out of range");
}

BOOST_AUTO_TEST_CASE(days_from_civil) {
  BOOST_TEST(chorus::days_from_civil(1970, 1, 1) == 0);
  BOOST_TEST(chorus::days_from_civil(1969, 12, 31) == -1);
  // python: datetime(2000,3,1,tzinfo=utc).timestamp() // 86400 ; likewise 1600-01-01, 2400-02-29
  BOOST_TEST(chorus::days_from_civil(2000, 3, 1) == 11017);
  BOOST_TEST(chorus::days_from_civil(1600, 1, 1) == -135140);
  BOOST_TEST(chorus::days_from_civil(2400, 2, 29) == 157113);
}

BOOST_AUTO_TEST_CASE(format_rfc3339_values) {
  BOOST_TEST(chorus::format_rfc3339(0) == "1970-01-01T00:00:00Z");
  BOOST_TEST(chorus::format_rfc3339(1610870193 * kSecond) == "2021-01-17T07:56:33Z");
  BOOST_TEST(chorus::format_rfc3339(1610870193 * kSecond + 250000) == "2021-01-17T07:56:33.25Z");
  BOOST_TEST(chorus::format_rfc3339(1610870193 * kSecond + 1) == "2021-01-17T07:56:33.000001Z");
  BOOST_TEST(chorus::format_rfc3339(-1) == "1969-12-31T23:59:59.999999Z");
  BOOST_TEST(chorus::format_rfc3339(-kSecond) == "1969-12-31T23:59:59Z");
  BOOST_TEST(chorus::format_rfc3339(951782400 * kSecond) == "2000-02-29T00:00:00Z");
  BOOST_TEST(chorus::format_rfc3339(-30610224000 * kSecond) == "1000-01-01T00:00:00Z");
  BOOST_TEST(chorus::format_rfc3339(253402300799 * kSecond) == "9999-12-31T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(format_epoch_seconds_values) {
  BOOST_TEST(epoch_text(0) == "0");
  BOOST_TEST(epoch_text(1610870193 * kSecond) == "1610870193");
  BOOST_TEST(epoch_text(1610870193 * kSecond + 250000) == "1610870193.25");
  BOOST_TEST(epoch_text(1610870193 * kSecond + 1) == "1610870193.000001");
  BOOST_TEST(epoch_text(-1500000) == "-1.5");
  BOOST_TEST(epoch_text(-1) == "-0.000001");
  BOOST_TEST(epoch_text(-30610224000 * kSecond) == "-30610224000");
  std::string s;
  chorus::append_epoch_seconds(s, 1500000);
  BOOST_TEST(s == "1.5");
}

// Every value in range survives format -> parse in both written forms.
BOOST_AUTO_TEST_CASE(round_trip) {
  const Micros lo = -30610224000 * kSecond, hi = 253402300799 * kSecond;
  std::mt19937_64 rng(20240117);
  std::uniform_int_distribution<Micros> any(lo, hi);
  std::vector<Micros> values = {lo, hi, 0, -1, 1, kSecond, -kSecond, 951782400 * kSecond};
  for (int i = 0; i < 20000; ++i) {
    Micros t = any(rng);
    if (i % 3 == 0) t -= t % kSecond;  // whole seconds too
    values.push_back(t);
  }
  int failures = 0;
  for (Micros t : values) {
    std::string iso = chorus::format_rfc3339(t), num = epoch_text(t);
    auto a = chorus::parse_timestamp(iso);
    auto b = chorus::parse_epoch_seconds(num);
    auto c = chorus::parse_timestamp(num);
    bool ok = a.ok() && *a == t && b.ok() && *b == t && c.ok() && *c == t;
    if (!ok && ++failures <= 5) BOOST_ERROR("round trip of " << t << " via '" << iso << "' and '" << num << "'");
  }
  BOOST_TEST(failures == 0);
}

BOOST_AUTO_TEST_SUITE_END()

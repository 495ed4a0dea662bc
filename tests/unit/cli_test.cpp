// Tests of lib/cli.hpp's value parsers: parse_count (powers of 1000) and
// parse_bytes (powers of 1024), their suffixes and their errors. The CLI11
// wrapper itself exits the process, so it is tested end to end
// (tests/e2e/cases/parse-usage-*, tests/scripts/help_version.sh).
#include "cli.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>

namespace {

// The value, or -1 for an error.
int64_t count(std::string_view s) {
  auto r = chorus::parse_count(s);
  return r ? static_cast<int64_t>(*r) : -1;
}
int64_t bytes(std::string_view s) {
  auto r = chorus::parse_bytes(s);
  return r ? static_cast<int64_t>(*r) : -1;
}
std::string count_error(std::string_view s) {
  auto r = chorus::parse_count(s);
  return r ? "no error" : r.status().message();
}
std::string bytes_error(std::string_view s) {
  auto r = chorus::parse_bytes(s);
  return r ? "no error" : r.status().message();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(counts) {
  BOOST_TEST(count("0") == 0);
  BOOST_TEST(count("250") == 250);
  BOOST_TEST(count("10k") == 10000);
  BOOST_TEST(count("10K") == 10000);
  BOOST_TEST(count("1.5M") == 1500000);
  BOOST_TEST(count("2G") == 2000000000);
  BOOST_TEST(count("0.5k") == 500);
  BOOST_TEST(count("9000000000000000000") == 9000000000000000000);
}

BOOST_AUTO_TEST_CASE(sizes) {
  BOOST_TEST(bytes("4096") == 4096);
  BOOST_TEST(bytes("64k") == 65536);
  BOOST_TEST(bytes("64K") == 65536);
  BOOST_TEST(bytes("64KiB") == 65536);
  BOOST_TEST(bytes("16M") == 16777216);
  BOOST_TEST(bytes("16MiB") == 16777216);
  BOOST_TEST(bytes("2G") == 2147483648);
  BOOST_TEST(bytes("2GiB") == 2147483648);
  BOOST_TEST(bytes("1.5M") == 1572864);
  BOOST_TEST(bytes("0") == 0);
}

BOOST_AUTO_TEST_CASE(errors) {
  BOOST_TEST(count_error("") == "'' is not a valid count");
  BOOST_TEST(count_error("abc") == "'abc' is not a valid count");
  BOOST_TEST(count_error("-5") == "'-5' is not a valid count");
  BOOST_TEST(count_error("nan") == "'nan' is not a valid count");
  BOOST_TEST(count_error("10x") == "'10x' is not a valid count (suffixes: k, M, G)");
  BOOST_TEST(count_error("10 k") == "'10 k' is not a valid count (suffixes: k, M, G)");
  BOOST_TEST(count_error("10kk") == "'10kk' is not a valid count (suffixes: k, M, G)");
  BOOST_TEST(count_error("1T") == "'1T' is not a valid count (suffixes: k, M, G)");
  BOOST_TEST(count_error("1e30") == "'1e30' is too large");
  BOOST_TEST(count_error("20G") == "no error");
  BOOST_TEST(count_error("99999999999G") == "'99999999999G' is too large");
  BOOST_TEST(bytes_error("lots") == "'lots' is not a valid size");
  BOOST_TEST(bytes_error("16m") == "'16m' is not a valid size (suffixes: k, M, G)");
  BOOST_TEST(bytes_error("-1M") == "'-1M' is not a valid size");
  BOOST_TEST(bytes("inf") == -1);
  BOOST_TEST(bytes("infinity") == -1);
}

// strtod reads more than the documented forms ("250", "10k", "1.5M"): hex
// numbers and leading blanks should not slip through as counts or sizes.
BOOST_AUTO_TEST_CASE(only_decimal_numbers) {
  BOOST_TEST(count("0x10") == -1);
  BOOST_TEST(bytes("0x1p4") == -1);
  BOOST_TEST(count(" 10") == -1);
}

BOOST_AUTO_TEST_SUITE_END()

// Tests of lib/external_sort.hpp: random records (empty, with NUL and '\n',
// bytes above 0x7f, long ones, many duplicates) against std::stable_sort by
// memcmp-then-length, with budgets tiny enough for hundreds of runs and
// multi-pass merges at fan-in 2 and 3; the same output whatever the budget;
// the memory bound; no temporary file left, even while sorting; a temporary
// directory that cannot be written and a failed write as errors; a record
// bigger than the budget; zero records; misuse.
#include "external_sort.hpp"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using chorus::ExternalSorter;
using chorus::ExternalSortOptions;
using Records = std::vector<std::string>;

constexpr size_t kFloor = ExternalSorter::kMemoryFloor;

// A fresh directory, removed with whatever it holds at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    std::string t = std::filesystem::temp_directory_path().string() + "/chorus-sort-test-XXXXXX";
    BOOST_REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  size_t entries() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(path)) ++n;
    return n;
  }
};

size_t open_descriptors() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// The order the sorter promises, written the plain way.
bool memcmp_then_length(const std::string& a, const std::string& b) {
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  return c != 0 ? c < 0 : a.size() < b.size();
}

Records expected(Records in) {
  std::stable_sort(in.begin(), in.end(), memcmp_then_length);
  return in;
}

// Records meant to catch the sorter out: empty; NUL, '\n' and bytes above
// 0x7f (a signed-char comparison would misplace them); one record a prefix of
// another, padded with NULs across the 8-byte prefix boundary; a pool of
// duplicates; long records (up to `long_max` bytes).
Records random_records(size_t n, uint64_t seed, size_t long_max = 5000) {
  std::mt19937_64 rng(seed);
  auto below = [&](uint64_t k) { return static_cast<size_t>(rng() % k); };
  auto bytes = [&](size_t len, int alphabet) {
    static const char kSmall[] = {'\0', '\n', 'a', 'b', '\x7f', '\x80', '\xff'};
    std::string s(len, ' ');
    for (char& c : s) c = alphabet == 0 ? kSmall[below(sizeof kSmall)] : static_cast<char>(below(256));
    return s;
  };
  Records pool;
  for (int i = 0; i < 40; ++i) pool.push_back(bytes(below(20), 0));
  Records out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    size_t kind = below(100);
    if (kind < 4) {
      out.emplace_back();
    } else if (kind < 40) {
      out.push_back(pool[below(pool.size())]);
    } else if (kind < 50) {
      // A pool record with NULs added: the same 8-byte prefix, longer.
      out.push_back(pool[below(pool.size())] + std::string(1 + below(12), '\0'));
    } else if (kind < 99) {
      out.push_back(bytes(below(40), below(2) == 0 ? 0 : 1));
    } else {
      out.push_back(bytes(1000 + below(long_max - 999), 1));
    }
  }
  return out;
}

struct Sorted {
  Records out;
  uint64_t runs = 0;
  uint64_t spilled = 0;
  size_t peak = 0;
};

Sorted sort_all(const Records& in, size_t memory, unsigned fan_in, const std::string& dir) {
  ExternalSortOptions opt;
  opt.memory = memory;
  opt.merge_fan_in = fan_in;
  opt.temp_dir = dir;
  ExternalSorter sorter(opt);
  for (const auto& r : in) BOOST_REQUIRE_MESSAGE(sorter.add(r).ok(), "add");
  chorus::Status s = sorter.finish();
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  Sorted result;
  for (;;) {
    auto next = sorter.next();
    if (!next.ok()) BOOST_FAIL(next.status().message());
    if (!next.value()) break;
    result.out.emplace_back(**next);
  }
  BOOST_TEST(sorter.records() == in.size());
  result.runs = sorter.runs_spilled();
  result.spilled = sorter.bytes_spilled();
  result.peak = sorter.peak_memory();
  return result;
}

size_t stored_bytes(const Records& in) {
  size_t n = 0;
  for (const auto& r : in) n += r.size() + (r.size() < 128 ? 1 : 2);  // LEB128 lengths of these sizes
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(external_sort)

BOOST_AUTO_TEST_CASE(tiny_budgets_sort_like_stable_sort) {
  TempDir dir;
  const Records in = random_records(20000, 1);
  const Records want = expected(in);
  struct Budget {
    size_t memory;
    unsigned fan_in;
  };
  for (Budget b : {Budget{4 << 10, 2}, Budget{16 << 10, 3}, Budget{300 << 10, 3}, Budget{1 << 20, 64}}) {
    Sorted got = sort_all(in, b.memory, b.fan_in, dir.path);
    BOOST_TEST_CONTEXT("memory " << b.memory << ", fan-in " << b.fan_in) {
      BOOST_TEST((got.out == want));
      if (b.fan_in <= 3) BOOST_TEST(got.runs > b.fan_in);  // so the runs were merged in passes
      if (b.memory < (300 << 10)) {
        // Many passes: everything was written several times over.
        BOOST_TEST(got.spilled > 3 * stored_bytes(in));
      }
      BOOST_TEST(got.peak <= std::max(b.memory, kFloor));
    }
  }
}

BOOST_AUTO_TEST_CASE(same_output_whatever_the_budget) {
  TempDir dir;
  const Records in = random_records(30000, 2, 20000);
  const Records want = expected(in);
  for (size_t memory : {size_t{3} << 10, size_t{50} << 10, size_t{700} << 10, size_t{5} << 20, size_t{256} << 20}) {
    for (unsigned fan_in : {2u, 3u, 64u}) {
      Sorted got = sort_all(in, memory, fan_in, dir.path);
      BOOST_TEST((got.out == want), "memory " << memory << ", fan-in " << fan_in);
    }
  }
}

BOOST_AUTO_TEST_CASE(order_at_the_prefix_boundary) {
  TempDir dir;
  using namespace std::string_literals;
  Records in = {"abcdefg"s,  "abcdefg\0"s, "abcdefgh"s, "abcdefgh\0"s, "abcdefghi"s, "abcdefgh\xff"s,
                ""s,         "\0"s,        "\0\0"s,     "a"s,          "a\0"s,        "a\n"s,
                "\x80"s,     "\xff"s,      "\x7f"s,     "b"s,          "abcdefg\x01"s, ""s,
                "abcdefgh"s, "\xff\xff\xff\xff\xff\xff\xff\xff\x00"s};
  const Records want = expected(in);
  BOOST_TEST((sort_all(in, size_t{1} << 20, 64, dir.path).out == want));  // in memory
  // A 48-byte arena: a record or two a run.
  BOOST_TEST((sort_all(in, 100, 2, dir.path).out == want));
}

BOOST_AUTO_TEST_CASE(peak_memory_within_the_budget) {
  TempDir dir;
  const Records in = random_records(60000, 3, 3000);
  for (size_t memory : {size_t{300} << 10, size_t{600} << 10, size_t{1} << 20, size_t{3} << 20}) {
    for (unsigned fan_in : {2u, 4u, 64u}) {
      Sorted got = sort_all(in, memory, fan_in, dir.path);
      BOOST_TEST_CONTEXT("memory " << memory << ", fan-in " << fan_in) {
        BOOST_TEST(got.runs > 1u);
        BOOST_TEST(got.peak <= memory);
        BOOST_TEST(got.peak > memory / 2);  // and the budget is used
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(in_memory_when_it_fits) {
  TempDir dir;
  const Records in = random_records(5000, 4);
  size_t record_bytes = 0;
  for (const auto& r : in) record_bytes += r.size();
  // A directory that does not exist: it is never needed.
  Sorted got = sort_all(in, size_t{64} << 20, 64, dir.path + "/missing");
  BOOST_TEST((got.out == expected(in)));
  BOOST_TEST(got.runs == 0u);
  BOOST_TEST(got.spilled == 0u);
  // Records and their index, counted.
  BOOST_TEST(got.peak >= record_bytes + in.size() * 16);
  BOOST_TEST(got.peak <= record_bytes + in.size() * 32);
}

BOOST_AUTO_TEST_CASE(no_temporary_file_left) {
  TempDir dir;
  const Records in = random_records(20000, 5);
  const size_t fds = open_descriptors();
  {
    ExternalSortOptions opt;
    opt.memory = 8 << 10;
    opt.merge_fan_in = 3;
    opt.temp_dir = dir.path;
    ExternalSorter sorter(opt);
    for (const auto& r : in) BOOST_REQUIRE(sorter.add(r).ok());
    BOOST_TEST(sorter.runs_spilled() > 3u);
    BOOST_TEST(dir.entries() == 0u);  // unlinked as soon as made
    BOOST_TEST(open_descriptors() > fds);
    BOOST_REQUIRE(sorter.finish().ok());
    auto first = sorter.next();  // stop part way through the final merge
    BOOST_REQUIRE(first.ok());
    BOOST_TEST(dir.entries() == 0u);
  }
  BOOST_TEST(dir.entries() == 0u);
  BOOST_TEST(open_descriptors() == fds);  // closed, so the space is given back
}

BOOST_AUTO_TEST_CASE(unwritable_temp_dir_is_an_error) {
  TempDir dir;
  const std::string file = dir.path + "/a-file";
  { std::FILE* f = std::fopen(file.c_str(), "w"); BOOST_REQUIRE(f != nullptr); std::fclose(f); }
  std::vector<std::string> bad = {dir.path + "/missing/deeper", file};
  if (::geteuid() != 0) {  // root writes anywhere
    std::string ro = dir.path + "/read-only";
    std::filesystem::create_directory(ro);
    std::filesystem::permissions(ro, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    bad.push_back(ro);
  }
  for (const auto& where : bad) {
    ExternalSortOptions opt;
    opt.memory = 4 << 10;
    opt.temp_dir = where;
    ExternalSorter sorter(opt);
    chorus::Status s;
    for (int i = 0; i < 1000 && s.ok(); ++i) s = sorter.add("record " + std::to_string(i));
    BOOST_TEST_CONTEXT(where) {
      BOOST_TEST(!s.ok());
      BOOST_TEST(s.message().find(where + ": cannot make a temporary file: ") == 0u, s.message());
      // Spent: every later call says the same.
      BOOST_TEST(sorter.add("x").message() == s.message());
      BOOST_TEST(sorter.finish().message() == s.message());
      BOOST_TEST(!sorter.next().ok());
    }
  }
}

// A full disk, played by a file size limit: write() fails with EFBIG once a
// temporary file would pass it (SIGXFSZ ignored meanwhile).
BOOST_AUTO_TEST_CASE(failed_write_names_the_temporary_file) {
  TempDir dir;
  const Records in = random_records(20000, 6, 2000);
  ExternalSortOptions opt;
  opt.memory = 16 << 10;
  opt.temp_dir = dir.path;
  ExternalSorter sorter(opt);
  rlimit old{};
  BOOST_REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 100 << 10;
  BOOST_REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  chorus::Status s;
  for (size_t i = 0; i < in.size() && s.ok(); ++i) s = sorter.add(in[i]);
  if (s.ok()) s = sorter.finish();
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, old_handler);
  BOOST_TEST(!s.ok());
  BOOST_TEST(s.message().find(dir.path + "/chorus-sort-") == 0u, s.message());
  BOOST_TEST(s.message().find(": write error: ") != std::string::npos, s.message());
}

BOOST_AUTO_TEST_CASE(a_record_bigger_than_the_budget) {
  TempDir dir;
  std::mt19937_64 rng(7);
  std::string big(size_t{1} << 20, '\0');
  for (char& c : big) c = static_cast<char>(rng());
  std::string bigger = big + "tail";
  Records in = random_records(3000, 8);
  in.insert(in.begin() + 1000, big);
  in.insert(in.begin() + 2000, bigger);
  in.push_back(big);
  for (size_t memory : {size_t{64} << 10, size_t{512} << 10}) {
    Sorted got = sort_all(in, memory, 2, dir.path);
    BOOST_TEST((got.out == expected(in)), "memory " << memory);
    // Held whole only while merged, on top of the bound: at most the two long ones at once.
    BOOST_TEST(got.peak <= std::max(memory, kFloor) + 2 * bigger.size());
  }
  // Alone: one run of one record.
  Sorted alone = sort_all({big}, 64 << 10, 2, dir.path);
  BOOST_TEST(alone.runs == 1u);
  BOOST_TEST((alone.out == Records{big}));
  BOOST_TEST(dir.entries() == 0u);
}

BOOST_AUTO_TEST_CASE(zero_records) {
  TempDir dir;
  for (size_t memory : {size_t{0}, size_t{4} << 10, size_t{256} << 20}) {
    Sorted got = sort_all({}, memory, 2, dir.path);
    BOOST_TEST(got.out.empty());
    BOOST_TEST(got.runs == 0u);
    BOOST_TEST(got.peak == 0u);
  }
  // Empty records only, through runs too.
  Records empties(5000, std::string());
  BOOST_TEST((sort_all(empties, 1 << 10, 2, dir.path).out == empties));
  BOOST_TEST(dir.entries() == 0u);
}

BOOST_AUTO_TEST_CASE(misuse_is_an_error) {
  ExternalSorter sorter(ExternalSortOptions{});
  BOOST_TEST(sorter.add("a").ok());
  BOOST_TEST(!sorter.next().ok());
  ExternalSorter other(ExternalSortOptions{});
  BOOST_TEST(other.finish().ok());
  BOOST_TEST(!other.add("a").ok());
  BOOST_TEST(!other.finish().ok());
}

BOOST_AUTO_TEST_SUITE_END()

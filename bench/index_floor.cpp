// index_floor: the memory traffic of chorus-hash's near-duplicate index and nothing else, to
// measure how fast any index of that shape can be on this machine (bench/README.md, "What the
// near index's memory costs").
//
// For each of N texts it does what NearDuplicateIndex::assign does to memory when a text is new,
// with none of its computing: B band keys (a SplitMix64 stream stands in for the MinHash bands),
// a prefetch of each key's bucket in a band table of 8-slot buckets (one cache line each), then
// each bucket scanned for the key and the text inserted into its first free slot; a probe and an
// insert in an identical-text table (12 bytes a slot, at most 70 % full); and R bytes appended to
// a record pool (the text's shingle fingerprints). The tables are created at their final size (the
// band table 65 % full at the end, the real index's average), so there is no growth and no
// rehashing: a lower bound for the real index, whose tables also grow.
//
// Each run is timed twice, on tables freshly mapped each time (huge pages, as the index's):
//   fresh     the pages are first touched by the inserts themselves, as in chorus-hash;
//   touched   the tables are written once with memset before the clock starts, so only the
//             random access is timed (the memset's rate is printed: first touch of memory).
// Prints ns per text for both. The ordering matters on a virtual machine, where memory the
// guest has not used for a while can cost far more to touch than memory it just freed: the
// fresh run goes first.
//
// usage: index_floor [--texts N] [--bands B] [--record BYTES]   (defaults 1295925, 16, 80:
// the texts of bench/hash_bench.sh's 2 M events, the index's bands, a 20-word text's record)
// Exit status: 0 success, 1 out of memory, 2 usage error.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "gen_text.hpp"  // chorus::gen::Rng, header-only
#include "huge_alloc.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Result {
  double ns_per_text = 0, touch_gbps = 0;
  uint64_t found = 0;  // checks matched: printed, so the scans cannot be optimised away
};

Result run(size_t texts, unsigned bands, size_t record, bool touch) {
  constexpr size_t kSlots = 8;
  const size_t buckets = (texts * bands * 100 / 65 + kSlots - 1) / kSlots;
  size_t exact = 1024;
  while (texts * 10 > exact * 7) exact *= 2;
  chorus::HugeBuffer<uint64_t> table(buckets * kSlots), exact_fps(exact);
  chorus::HugeBuffer<uint32_t> exact_groups(exact);
  chorus::HugeBuffer<char> pool(texts * record);
  Result r;
  if (touch) {
    const auto t0 = Clock::now();
    std::memset(table.data(), 0, table.size() * sizeof(uint64_t));
    std::memset(exact_fps.data(), 0, exact_fps.size() * sizeof(uint64_t));
    std::memset(exact_groups.data(), 0, exact_groups.size() * sizeof(uint32_t));
    std::memset(pool.data(), 0, pool.size());
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    const double bytes = static_cast<double>(table.size() * 8 + exact * 12 + pool.size());
    r.touch_gbps = bytes / s / 1e9;
  }
  uint64_t* slots = table.data();
  const auto t0 = Clock::now();
  chorus::gen::Rng rng(0x243f6a8885a308d3ULL);
  uint64_t keys[256];
  for (size_t t = 0; t < texts; ++t) {
    const uint64_t fp = rng.next() | 1;
    const size_t home = fp & (exact - 1);
    __builtin_prefetch(exact_fps.data() + home);
    for (unsigned b = 0; b < bands; ++b) {
      keys[b] = rng.next();
      __builtin_prefetch(slots + ((keys[b] >> 32) * buckets >> 32) * kSlots);
    }
    size_t s = home;
    while (exact_fps[s] && exact_fps[s] != fp) s = (s + 1) & (exact - 1);
    r.found += exact_fps[s] == fp;
    exact_fps[s] = fp;
    exact_groups[s] = static_cast<uint32_t>(t);
    const uint64_t entry_id = t + 1;
    for (unsigned b = 0; b < bands; ++b) {
      const uint64_t check = keys[b] >> 32;
      for (size_t bucket = (check * buckets) >> 32;; bucket = bucket + 1 == buckets ? 0 : bucket + 1) {
        uint64_t* line = slots + bucket * kSlots;
        size_t i = 0;
        while (i < kSlots && line[i]) r.found += (line[i] >> 32) == check, ++i;
        if (i < kSlots) {
          line[i] = (check << 32) | entry_id;
          break;
        }
      }
    }
    std::memset(pool.data() + t * record, static_cast<int>(t), record);
  }
  r.ns_per_text = std::chrono::duration<double>(Clock::now() - t0).count() * 1e9 / static_cast<double>(texts);
  return r;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "index_floor: %s\nusage: index_floor [--texts N] [--bands B] [--record BYTES]\n", why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  size_t texts = 1295925, record = 80;
  unsigned long bands = 16;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (a + 1 == argc) usage(("missing value after " + arg).c_str());
    char* end = nullptr;
    const unsigned long long v = std::strtoull(argv[++a], &end, 10);
    if (!end || *end || v == 0) usage(("not a positive whole number: " + std::string(argv[a])).c_str());
    if (arg == "--texts") texts = v;
    else if (arg == "--bands") bands = v;
    else if (arg == "--record") record = v;
    else usage(("unknown argument " + arg).c_str());
  }
  // Bucket numbers come from a 32-bit check times the bucket count: both below 2^32.
  if (bands > 256 || texts > (size_t{1} << 31) / bands || record > 4096)
    usage("--bands at most 256, --texts times --bands at most 2^31, --record at most 4096");
  Result fresh, touched;
  try {
    fresh = run(texts, static_cast<unsigned>(bands), record, false);
    touched = run(texts, static_cast<unsigned>(bands), record, true);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "index_floor: out of memory for %zu texts of %lu bands\n", texts, bands);
    return 1;
  }
  std::printf("texts %zu, bands %lu, record %zu bytes\n", texts, bands, record);
  std::printf("fresh    %7.0f ns/text  (pages first touched by the inserts)\n", fresh.ns_per_text);
  std::printf("touched  %7.0f ns/text  (tables written beforehand at %.2f GB/s)\n", touched.ns_per_text,
              touched.touch_gbps);
  std::printf("checks matched: %llu %llu\n", static_cast<unsigned long long>(fresh.found),
              static_cast<unsigned long long>(touched.found));
  return 0;
}

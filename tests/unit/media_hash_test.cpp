// Tests of lib/media_hash.hpp: parsing `phash:` entries; the key is the
// XXH3-128 of the first hash's canonical text; the distance boundary (d and
// d + 1 bits, split over the four chunks every possible way); nearest group
// wins and the earlier group wins ties; keys identical to a brute-force
// linear scan over clustered random hashes; the probe counts and the
// verification work, which must not grow like the number of groups; the
// memory counter and the memory limit; bad parameters.
#include "media_hash.hpp"

#include <boost/test/unit_test.hpp>
#include <array>
#include <bit>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using chorus::MediaIndex;
using chorus::MediaIndexParams;
using chorus::parse_phash;

// Raw mt19937_64 output is the same on every platform (distributions are not).
using Rng = std::mt19937_64;

std::string canonical(uint64_t phash) {
  char text[32];
  std::snprintf(text, sizeof text, "phash:%016llx", static_cast<unsigned long long>(phash));
  return text;
}

XXH128_hash_t key_of(uint64_t phash) {
  std::string text = canonical(phash);
  return XXH3_128bits(text.data(), text.size());
}

bool same(XXH128_hash_t a, XXH128_hash_t b) { return XXH128_isEqual(a, b) != 0; }

// `bits` distinct random bits, all within `allowed`.
uint64_t random_bits(Rng& rng, unsigned bits, uint64_t allowed = ~uint64_t{0}) {
  uint64_t mask = 0;
  while (static_cast<unsigned>(std::popcount(mask)) < bits) mask |= (uint64_t{1} << (rng() % 64)) & allowed;
  return mask;
}

MediaIndex index_with(unsigned max_distance, size_t max_memory = size_t{256} << 20) {
  MediaIndexParams p;
  p.max_distance = max_distance;
  p.max_memory = max_memory;
  return MediaIndex{p};
}

// The reference: every group's first hash scanned in order, the nearest
// within d kept (the earliest between equals).
struct LinearScan {
  unsigned max_distance;
  std::vector<uint64_t> firsts;

  // The first hash of the group `phash` joins (itself when it starts one).
  uint64_t assign(uint64_t phash) {
    size_t best = firsts.size();
    unsigned best_distance = max_distance + 1;
    for (size_t g = 0; g < firsts.size(); ++g) {
      auto distance = static_cast<unsigned>(std::popcount(firsts[g] ^ phash));
      if (distance < best_distance) {
        best_distance = distance;
        best = g;
      }
    }
    if (best == firsts.size()) {
      firsts.push_back(phash);
      return phash;
    }
    return firsts[best];
  }
};

// Every way to write n as k0 + k1 + k2 + k3 (bits flipped per 16-bit chunk).
std::vector<std::array<unsigned, 4>> splits(unsigned n) {
  std::vector<std::array<unsigned, 4>> out;
  for (unsigned a = 0; a <= n; ++a)
    for (unsigned b = 0; a + b <= n; ++b)
      for (unsigned c = 0; a + b + c <= n; ++c) out.push_back({a, b, c, n - a - b - c});
  return out;
}

// `phash` with k[t] random bits flipped in chunk t (bits 16t .. 16t + 15).
uint64_t flip_per_chunk(Rng& rng, uint64_t phash, const std::array<unsigned, 4>& k) {
  for (unsigned t = 0; t < 4; ++t) phash ^= random_bits(rng, k[t], uint64_t{0xffff} << (16 * t));
  return phash;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(media_hash)

BOOST_AUTO_TEST_CASE(parse_phash_accepts_16_hex_digits_in_either_case) {
  BOOST_TEST(parse_phash("phash:0123456789abcdef").value() == 0x0123456789abcdefULL);
  BOOST_TEST(parse_phash("phash:0123456789ABCDEF").value() == 0x0123456789abcdefULL);
  BOOST_TEST(parse_phash("phash:FfFfFfFfFfFfFfFf").value() == ~uint64_t{0});
  BOOST_TEST(parse_phash("phash:0000000000000000").value() == 0u);
  BOOST_TEST(parse_phash("phash:8000000000000001").value() == 0x8000000000000001ULL);
}

BOOST_AUTO_TEST_CASE(parse_phash_rejects_everything_else) {
  for (std::string_view bad : {
           "phash:0123456789abcde",     // 15 digits
           "phash:0123456789abcdef0",   // 17 digits
           "phash:0123456789abcdeg",    // not hex
           "phash:0123456789abcde ",    // trailing space
           "phash: 123456789abcdef",    // space inside
           "phash:-123456789abcdef",    // a sign
           "phash:0x23456789abcdef",    // a 0x prefix
           "0123456789abcdef",          // no prefix
           "xphash:0123456789abcdef",   // a wrong prefix
           "phash0123456789abcdef0",    // no colon
           "PHASH:0123456789abcdef",    // the prefix is lower case
           "media:0123456789abcdef",    // another prefix
           "phash:",                    //
           "",                          //
           "3_1234567890123456789",     // a media id
       }) {
    BOOST_TEST(!parse_phash(bad).has_value(), "accepted " << bad);
  }
  // A NUL inside is not a digit.
  BOOST_TEST(!parse_phash(std::string_view("phash:01234567\0abcdef", 22)).has_value());
}

BOOST_AUTO_TEST_CASE(the_key_is_the_xxh3_of_the_first_hashs_canonical_text) {
  MediaIndex index = index_with(6);
  const uint64_t first = *parse_phash("phash:DEADBEEF0BADF00D");
  const XXH128_hash_t key = index.assign(first);
  const char* text = "phash:deadbeef0badf00d";
  BOOST_TEST(same(key, XXH3_128bits(text, 22)));
  BOOST_TEST(same(chorus::phash_key(first), key));
  // Members get their group's first hash's key, not their own.
  const uint64_t member = first ^ 0x0101010000000000ULL;
  BOOST_TEST(same(index.assign(member), key));
  BOOST_TEST(!same(key_of(member), key));
  // Leading zeros are written out.
  BOOST_TEST(same(index.assign(0x5), key_of(0x5)));
  BOOST_TEST(canonical(0x5) == "phash:0000000000000005");
  BOOST_TEST(index.groups() == 2u);
}

BOOST_AUTO_TEST_CASE(distance_boundary_split_over_the_chunks_every_way) {
  Rng rng(11);
  for (unsigned d = 0; d <= 12; ++d) {
    MediaIndex index = index_with(d);
    const uint64_t first = rng();
    const XXH128_hash_t key = index.assign(first);
    BOOST_TEST_REQUIRE(same(key, key_of(first)));
    // d bits from the first hash, however they fall: the same picture.
    for (const auto& k : splits(d)) {
      const uint64_t near = flip_per_chunk(rng, first, k);
      BOOST_TEST_REQUIRE(std::popcount(near ^ first) == static_cast<int>(d));
      BOOST_TEST_REQUIRE(same(index.assign(near), key),
                         "d " << d << ": " << k[0] << '+' << k[1] << '+' << k[2] << '+' << k[3] << " bits");
    }
    BOOST_TEST(index.groups() == 1u);
    // d + 1 bits: another picture (it may join another d + 1 group).
    for (const auto& k : splits(d + 1)) {
      const uint64_t far = flip_per_chunk(rng, first, k);
      BOOST_TEST_REQUIRE(!same(index.assign(far), key),
                         "d " << d << ": " << k[0] << '+' << k[1] << '+' << k[2] << '+' << k[3] << " bits");
    }
    BOOST_TEST(index.groups() > 1u);
  }
}

BOOST_AUTO_TEST_CASE(the_nearest_group_wins) {
  const uint64_t a = 0x123456789abcdef0ULL;
  // b is 9 bits from a (bits 0..8), so it starts its own group.
  const uint64_t b = a ^ 0x1ffULL;
  {
    MediaIndex index = index_with(6);
    const XXH128_hash_t ka = index.assign(a), kb = index.assign(b);
    BOOST_TEST_REQUIRE(index.groups() == 2u);
    BOOST_TEST(same(index.assign(a ^ 0x3fULL), kb));  // 6 from a, 3 from b: the later, nearer group
    BOOST_TEST(same(index.assign(a ^ 0x07ULL), ka));  // 3 from a, 6 from b
    BOOST_TEST(same(index.assign(a ^ 0x1feULL), kb));  // 8 from a, 1 from b
    BOOST_TEST(same(index.assign(b), kb));
    BOOST_TEST(index.groups() == 2u);
  }
  {
    // Both groups found in the same buckets, the nearer one made later, at
    // a distance that probes chunk 0 within 2 flips and the others within 1.
    MediaIndex index = index_with(8);
    const uint64_t c = a ^ 0x00ff000000000000ULL;  // 8 bits of chunk 3
    const uint64_t e = a ^ 0x000000000000003fULL;  // 6 bits of chunk 0: 14 from c
    const XXH128_hash_t kc = index.assign(c), ke = index.assign(e);
    BOOST_TEST_REQUIRE(index.groups() == 2u);
    const uint64_t q = a ^ 0x0007000000000007ULL;
    BOOST_TEST_REQUIRE(std::popcount(q ^ c) == 8);
    BOOST_TEST_REQUIRE(std::popcount(q ^ e) == 6);
    BOOST_TEST(same(index.assign(q), ke));
    BOOST_TEST(same(index.assign(c ^ 0x0000000100000000ULL), kc));
    BOOST_TEST(!same(kc, ke));
  }
}

BOOST_AUTO_TEST_CASE(the_earlier_group_wins_ties) {
  const uint64_t a = 0xfedcba9876543210ULL;
  const uint64_t b = a ^ 0x3ffULL;  // 10 bits from a
  const uint64_t q = a ^ 0x1fULL;   // 5 from a, 5 from b
  {
    MediaIndex index = index_with(6);
    const XXH128_hash_t ka = index.assign(a);
    index.assign(b);
    BOOST_TEST(same(index.assign(q), ka));
  }
  {
    // The same groups made in the other order: the tie goes the other way.
    MediaIndex index = index_with(6);
    const XXH128_hash_t kb = index.assign(b);
    index.assign(a);
    BOOST_TEST(same(index.assign(q), kb));
  }
  {
    // Three groups 4 bits from q, their bits in different chunks, all in
    // q's chunk-0 bucket, which lists the newest first: the earliest wins.
    MediaIndex index = index_with(4);
    const uint64_t g1 = q ^ 0x000f000000000000ULL, g2 = q ^ 0x00000000000f0000ULL, g3 = q ^ 0x0000000f00000000ULL;
    const XXH128_hash_t k1 = index.assign(g1);
    index.assign(g2);
    index.assign(g3);
    BOOST_TEST_REQUIRE(index.groups() == 3u);
    BOOST_TEST(same(index.assign(q), k1));
  }
}

BOOST_AUTO_TEST_CASE(keys_match_a_linear_scan_on_clustered_hashes) {
  for (unsigned d : {0u, 1u, 3u, 4u, 6u, 7u, 9u, 12u}) {
    Rng rng(100 + d);
    // 300 centres; a third of them just out of reach of an earlier centre,
    // so clusters overlap and hashes are near two groups.
    std::vector<uint64_t> centres;
    for (int i = 0; i < 300; ++i) {
      if (i > 0 && rng() % 3 == 0)
        centres.push_back(centres[rng() % centres.size()] ^ random_bits(rng, d + 1 + static_cast<unsigned>(rng() % (d + 1))));
      else
        centres.push_back(rng());
    }
    MediaIndex index = index_with(d);
    LinearScan reference{d, {}};
    for (int i = 0; i < 4000; ++i) {
      const uint64_t h = centres[rng() % centres.size()] ^ random_bits(rng, static_cast<unsigned>(rng() % (d + 3)));
      const uint64_t first = reference.assign(h);
      BOOST_TEST_REQUIRE(same(index.assign(h), key_of(first)), "d " << d << ", hash " << i << ": " << canonical(h));
    }
    BOOST_TEST(index.groups() == reference.firsts.size());
    BOOST_TEST(index.groups() > 300u);
    BOOST_TEST_MESSAGE("d " << d << ": " << index.groups() << " groups, " << index.verifications()
                            << " verifications for 4000 hashes");
  }
}

BOOST_AUTO_TEST_CASE(same_inputs_same_keys) {
  Rng rng(5);
  std::vector<uint64_t> hashes;
  for (int i = 0; i < 2000; ++i) {
    if (i % 3 == 0 || hashes.empty())
      hashes.push_back(rng());
    else
      hashes.push_back(hashes.back() ^ (rng() & 0x1111));  // a copy a few bits off
  }
  MediaIndex a = index_with(6), b = index_with(6);
  for (uint64_t h : hashes) BOOST_TEST_REQUIRE(same(a.assign(h), b.assign(h)));
}

BOOST_AUTO_TEST_CASE(probe_counts) {
  // Sum of C(16, i) for i <= radius; d = 4r + a probes chunks 0..a within r
  // flips, the others within r - 1.
  const size_t within[] = {1, 17, 137, 697};
  const size_t documented[] = {1, 2, 3, 4, 20, 36, 52, 68, 188, 308, 428, 548, 1108};
  for (unsigned d = 0; d <= 12; ++d) {
    const unsigned r = d / 4, a = d % 4;
    size_t probes = (a + 1) * within[r] + (r > 0 ? (3 - a) * within[r - 1] : 0);
    BOOST_TEST(probes == documented[d]);
    BOOST_TEST(index_with(d).probes_per_lookup() == documented[d], "d " << d);
  }
}

BOOST_AUTO_TEST_CASE(lookups_do_not_scan_every_group) {
  MediaIndex index = index_with(6);
  Rng rng(7);
  const size_t n = 100000;
  for (size_t i = 0; i < n; ++i) index.assign(rng());
  BOOST_TEST_REQUIRE(index.groups() > n - 10);
  const uint64_t before = index.verifications();
  const int lookups = 10000;
  for (int i = 0; i < lookups; ++i) index.assign(rng());
  const double per_lookup = static_cast<double>(index.verifications() - before) / lookups;
  // 52 probes x 100,000 / 65,536 = ~80 expected; a linear scan would be 100,000.
  BOOST_TEST_MESSAGE("verifications per lookup: " << per_lookup << " among " << index.groups() << " groups");
  BOOST_TEST(per_lookup > 40);
  BOOST_TEST(per_lookup < 160);
}

BOOST_AUTO_TEST_CASE(memory_counts_the_tables_and_the_groups) {
  MediaIndex index = index_with(6);
  BOOST_TEST(index.memory_bytes() == 0u);
  index.assign(1);
  const size_t tables = size_t{4} << 18;  // 4 x 65,536 heads of 4 bytes
  BOOST_TEST(index.memory_bytes() > tables);
  BOOST_TEST(index.memory_bytes() < tables + 1024);
  Rng rng(3);
  const size_t n = 100000;
  for (size_t i = 1; i < n; ++i) index.assign(rng());
  const double per_group = static_cast<double>(index.memory_bytes() - tables) / static_cast<double>(index.groups());
  BOOST_TEST_MESSAGE("memory: " << per_group << " bytes per group");
  BOOST_TEST(per_group >= 24);
  BOOST_TEST(per_group <= 48);
}

BOOST_AUTO_TEST_CASE(memory_limit_freezes_the_index) {
  const size_t limit = (size_t{1} << 20) + 40000;  // the tables and about a thousand groups
  MediaIndex index = index_with(6, limit);
  Rng rng(9);
  std::vector<uint64_t> hashes;
  std::vector<XXH128_hash_t> keys;
  for (int i = 0; i < 5000; ++i) {
    hashes.push_back(rng());
    keys.push_back(index.assign(hashes.back()));
    BOOST_TEST_REQUIRE(index.memory_bytes() <= limit);
    // Far apart: every hash is keyed by itself, held or not.
    BOOST_TEST_REQUIRE(same(keys.back(), key_of(hashes.back())));
  }
  BOOST_TEST(index.frozen());
  BOOST_TEST(index.groups() > 500u);
  BOOST_TEST(index.groups() < 2000u);
  BOOST_TEST(index.groups() + index.overflow() == hashes.size());
  const size_t groups = index.groups(), bytes = index.memory_bytes();
  const uint64_t overflow = index.overflow();
  // Frozen: the groups held still take near copies; hashes near no held
  // group are keyed by themselves and counted, their copies missed.
  for (size_t i = 0; i < hashes.size(); ++i) {
    const uint64_t copy = hashes[i] ^ random_bits(rng, 3);
    const XXH128_hash_t key = index.assign(copy);
    if (i < groups)
      BOOST_TEST_REQUIRE(same(key, keys[i]));
    else
      BOOST_TEST_REQUIRE(same(key, key_of(copy)));
  }
  BOOST_TEST(index.overflow() == overflow + (hashes.size() - groups));
  BOOST_TEST(same(index.assign(hashes[0]), keys[0]));
  BOOST_TEST(index.groups() == groups);
  BOOST_TEST(index.memory_bytes() == bytes);
}

BOOST_AUTO_TEST_CASE(a_tiny_memory_limit_holds_no_group) {
  MediaIndex index = index_with(6, 1000);
  const uint64_t h = 0xabcdef0123456789ULL;
  BOOST_TEST(same(index.assign(h), key_of(h)));
  BOOST_TEST(index.frozen());
  BOOST_TEST(index.groups() == 0u);
  BOOST_TEST(index.memory_bytes() == 0u);
  // Each hash is its own key: identical hashes still share one, copies do not.
  BOOST_TEST(same(index.assign(h), key_of(h)));
  BOOST_TEST(same(index.assign(h ^ 1), key_of(h ^ 1)));
  BOOST_TEST(index.overflow() == 3u);
}

BOOST_AUTO_TEST_CASE(bad_params) {
  BOOST_TEST(chorus::validate(MediaIndexParams{}).ok());
  MediaIndexParams p;
  p.max_distance = 12;
  BOOST_TEST(chorus::validate(p).ok());
  p.max_distance = 0;
  BOOST_TEST(chorus::validate(p).ok());
  p.max_distance = 13;
  BOOST_TEST(!chorus::validate(p).ok());
  BOOST_TEST(chorus::validate(p).message() == "media: max_distance must be at most 12 bits");
  p.max_distance = 64;
  BOOST_TEST(!chorus::validate(p).ok());
}

BOOST_AUTO_TEST_SUITE_END()

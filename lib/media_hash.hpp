// media_hash.hpp — the `media:` fingerprint of chorus-hash (SPEC §4): an
// event's `media` entries are media ids, keyed exactly, or perceptual hashes,
// written `phash:` and 16 hex digits (a 64-bit pHash or dHash, either case).
// Perceptual hashes within `max_distance` bits (Hamming distance) of each
// other are the same picture re-encoded, resized or lightly edited, and get
// one shared 128-bit key, so chorus-join treats them like one media id.
//
// Hashes arrive in input order. A hash joins the group whose first hash is
// nearest to it, if one is within `max_distance` (between equals, the earlier
// group), else it starts a group. The group's key is the XXH3-128 of the
// canonical text of its first hash — "phash:" and 16 lower-case hex digits —
// so it is stable for a given input order and the same on every run and
// machine, and a hash that starts a group gets the key of its own canonical
// text. Groups never merge, and members are not indexed: a chain of hashes
// each a few bits from the last does not drift into one group.
//
// Candidates: multi-index hashing (Norouzi, Punjani & Fleet 2012). The 64
// bits are cut into 4 chunks of 16; each chunk has a table from its 65,536
// values to the groups whose first hash has that value there. Write
// d = max_distance = 4r + a (0 <= a < 4). Two hashes within d agree within r
// bits on one of chunks 0..a, or within r - 1 bits on one of the others
// (else they would differ in (a + 1)(r + 1) + (3 - a) r = d + 1 bits or
// more), so a lookup probes every value within r bit flips of the hash's
// chunks 0..a and within r - 1 of chunks a+1..3, and verifies each group
// found with a popcount. The search is exact: it finds what a linear scan of
// every group's first hash would. Buckets probed per lookup, whatever the
// number of groups:
//
//   d       0  1  2  3   4   5   6   7    8    9   10   11    12
//   probes  1  2  3  4  20  36  52  68  188  308  428  548  1108
//
// For uniformly spread hashes a probe finds groups / 65,536 groups on
// average: with the default d = 6 and a million groups, ~800 popcounts a
// lookup against a million for a linear scan. Hashes that cluster in a few
// chunk values (blank or near-uniform pictures) make those buckets long.
//
// Memory: the 4 tables' bucket heads, 1 MiB, allocated with the first
// group, and 24 bytes a group (its first hash and its 4 table links; keys are
// recomputed, not stored). memory_bytes() counts both; it never passes
// `max_memory` because of an addition (the group vector's old copy while it
// grows is counted, so the index holds between max_memory / 48 and / 36
// groups: 5.6 to 7.4 million for the default 256 MiB). When the next group would
// take it past, the index freezes: nothing is added any more, hashes still
// join the groups it holds, and a hash that joins none gets the key of its
// own canonical text and is counted in overflow(). An empty index takes no
// memory; below 1 MiB an index freezes at its first group.
//
// Not thread-safe: assign() mutates the index. parse_phash(), phash_key()
// and validate() are pure functions.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "status.hpp"

namespace chorus {

struct MediaIndexParams {
  // Largest Hamming distance (bits) between two perceptual hashes of the
  // same picture; at most 12. 6 of 64 is a usual pHash/dHash threshold for
  // recompressed and resized copies; distinct pictures differ in ~32.
  unsigned max_distance = 6;
  // Hard limit on memory_bytes() (see above).
  size_t max_memory = size_t{256} << 20;
};

// Whether `params` describe a usable index; the message names the bad field.
Status validate(const MediaIndexParams& params);

// The 64-bit value of "phash:" followed by exactly 16 hex digits (upper or
// lower case); nullopt for anything else, which is then an exact media id.
std::optional<uint64_t> parse_phash(std::string_view media);

// The XXH3-128 of the canonical text of a perceptual hash: "phash:" and its
// 16 lower-case hex digits.
XXH128_hash_t phash_key(uint64_t phash);

class MediaIndex {
 public:
  // `params` must pass validate().
  explicit MediaIndex(const MediaIndexParams& params);

  // The group key of this perceptual hash (see above).
  XXH128_hash_t assign(uint64_t phash);

  size_t groups() const { return groups_.size(); }
  size_t memory_bytes() const;
  // Whether the memory limit has been reached (no group is added any more).
  bool frozen() const { return frozen_; }
  // Hashes that joined no group after the index froze (each keyed by itself).
  uint64_t overflow() const { return overflow_; }
  // Buckets probed per lookup (the table above) and the candidate groups
  // verified so far, a group found in two tables counted twice.
  size_t probes_per_lookup() const { return probes_; }
  uint64_t verifications() const { return verifications_; }

 private:
  // A group: its first hash and, per table, the next older group in the same
  // bucket (group index + 1; 0 ends the chain).
  struct Group {
    uint64_t hash;
    uint32_t next[4];
  };

  std::optional<uint32_t> nearest(uint64_t phash);
  bool add_group(uint64_t phash);

  unsigned max_distance_;
  size_t max_memory_;
  int radius_[4];  // bit flips probed per chunk; -1: the chunk is not probed
  size_t probes_ = 0;
  // Bucket heads of the 4 tables: heads_[chunk << 16 | value] is the newest
  // group (index + 1) with that value in that chunk, 0 if none.
  std::vector<uint32_t> heads_;
  std::vector<Group> groups_;
  bool frozen_ = false;
  uint64_t overflow_ = 0, verifications_ = 0;
};

}  // namespace chorus

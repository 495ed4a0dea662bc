// media_hash.cpp — perceptual-hash grouping: multi-index lookup, verification,
// the memory limit.
//
// Why multi-index hashing. A near-duplicate picture must be found among
// every group seen, and a linear scan costs a popcount a group: at a million
// groups, milliseconds a hash. Enumerating every hash within d bits of the
// query is hopeless (C(64, 6) = 75 million for d = 6). Cutting the hash into
// 4 chunks of 16 bits and probing exact tables with every value within a few
// flips of each chunk costs 52 probes for d = 6 (the table in the header),
// and a probe of a 16-bit table finds about groups / 65,536 groups, so the
// verification work is a fixed fraction of a linear scan, ~1/1260 at d = 6.
// The refinement of the pigeonhole bound (radius r on a + 1 chunks, r - 1 on
// the others) saves a quarter of the probes at the default d = 6, and more
// than two thirds at d = 4.
//
// Why the tables are direct arrays. 16-bit chunk values fit a 65,536-entry
// array of chain heads per table (1 MiB for all four): a probe is one load,
// without hashing, and an empty bucket — most probes, until there are tens
// of thousands of groups — is seen at once. The chains run through the group
// records themselves, so verifying a candidate and stepping to the next one
// read one 24-byte record.
//
// Why recompute keys. A key is the XXH3-128 of 22 bytes, a few nanoseconds;
// storing it would cost 16 bytes a group, 40 % more memory.
#include "media_hash.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

namespace chorus {
namespace {

constexpr unsigned kMaxDistance = 12;
constexpr std::string_view kPrefix = "phash:";
constexpr size_t kHexDigits = 16;
constexpr size_t kChunks = 4, kChunkBits = 16, kChunkValues = size_t{1} << kChunkBits;

// Calls f(v) for every 16-bit v within `radius` bit flips of `value` (radius
// at most 3: max_distance <= 12), `value` itself first; none for radius -1.
template <typename F>
inline void for_each_within(uint32_t value, int radius, F&& f) {
  if (radius < 0) return;
  f(value);
  if (radius < 1) return;
  for (unsigned i = 0; i < kChunkBits; ++i) {
    const uint32_t vi = value ^ (uint32_t{1} << i);
    f(vi);
    if (radius < 2) continue;
    for (unsigned j = i + 1; j < kChunkBits; ++j) {
      const uint32_t vj = vi ^ (uint32_t{1} << j);
      f(vj);
      if (radius < 3) continue;
      for (unsigned k = j + 1; k < kChunkBits; ++k) f(vj ^ (uint32_t{1} << k));
    }
  }
}

// Values within `radius` flips of a 16-bit value: sum of C(16, i), i <= radius.
size_t values_within(int radius) {
  static constexpr size_t kCounts[] = {1, 17, 137, 697};
  return radius < 0 ? 0 : kCounts[radius];
}

inline uint32_t chunk_of(uint64_t phash, size_t chunk) {
  return static_cast<uint32_t>((phash >> (chunk * kChunkBits)) & (kChunkValues - 1));
}

template <typename T>
size_t bytes_of(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

}  // namespace

Status validate(const MediaIndexParams& p) {
  if (p.max_distance > kMaxDistance) return Status::error("media: max_distance must be at most 12 bits");
  return Status();
}

std::optional<uint64_t> parse_phash(std::string_view media) {
  if (media.size() != kPrefix.size() + kHexDigits || !media.starts_with(kPrefix)) return std::nullopt;
  uint64_t value = 0;
  for (char c : media.substr(kPrefix.size())) {
    unsigned digit;
    if (c >= '0' && c <= '9')
      digit = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      digit = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      digit = static_cast<unsigned>(c - 'A' + 10);
    else
      return std::nullopt;
    value = (value << 4) | digit;
  }
  return value;
}

XXH128_hash_t phash_key(uint64_t phash) {
  static constexpr char kHex[] = "0123456789abcdef";
  char text[kPrefix.size() + kHexDigits];
  std::copy(kPrefix.begin(), kPrefix.end(), text);
  for (size_t i = 0; i < kHexDigits; ++i) text[kPrefix.size() + i] = kHex[(phash >> (60 - 4 * i)) & 15];
  return XXH3_128bits(text, sizeof text);
}

MediaIndex::MediaIndex(const MediaIndexParams& params)
    : max_distance_(std::min(params.max_distance, kMaxDistance)), max_memory_(params.max_memory) {
  assert(validate(params).ok());  // and, without asserts, no probe beyond 3 flips
  // d = 4r + a: radius r on chunks 0..a, r - 1 on the others (header).
  const int r = static_cast<int>(max_distance_ / kChunks), a = static_cast<int>(max_distance_ % kChunks);
  for (int t = 0; t < static_cast<int>(kChunks); ++t) {
    radius_[t] = t <= a ? r : r - 1;
    probes_ += values_within(radius_[t]);
  }
}

// The group whose first hash is nearest to `phash` within max_distance, the
// earliest between equals; nullopt if none is. A group may be found in more
// than one table: verifying it again changes nothing.
std::optional<uint32_t> MediaIndex::nearest(uint64_t phash) {
  if (groups_.empty()) return std::nullopt;
  const Group* groups = groups_.data();
  uint32_t best = UINT32_MAX;
  unsigned best_distance = max_distance_ + 1;
  uint64_t verified = 0;
  for (size_t t = 0; t < kChunks && best_distance > 0; ++t) {
    const uint32_t* heads = heads_.data() + (t << kChunkBits);
    for_each_within(chunk_of(phash, t), radius_[t], [&](uint32_t value) {
      for (uint32_t id = heads[value]; id != 0; id = groups[id - 1].next[t]) {
        ++verified;
        const uint32_t g = id - 1;
        const auto distance = static_cast<unsigned>(std::popcount(groups[g].hash ^ phash));
        if (distance > max_distance_) continue;
        if (distance < best_distance || (distance == best_distance && g < best)) {
          best_distance = distance;
          best = g;
        }
      }
    });
  }
  verifications_ += verified;
  if (best == UINT32_MAX) return std::nullopt;
  return best;
}

// Adds a group first seen as `phash`, unless that would take memory_bytes()
// past max_memory — counting, while the group vector grows, its old copy.
// Near the limit the vector grows by less than double, to what still fits.
bool MediaIndex::add_group(uint64_t phash) {
  // Group ids are 32-bit and stored plus one.
  if (groups_.size() >= UINT32_MAX - 1) return false;
  if (groups_.size() == groups_.capacity()) {
    const size_t tables = kChunks * kChunkValues * sizeof(uint32_t);  // allocated with the first group
    const size_t old_bytes = bytes_of(groups_);
    if (tables + old_bytes >= max_memory_) return false;
    const size_t fits = (max_memory_ - tables - old_bytes) / sizeof(Group);
    const size_t capacity = std::min(std::max(groups_.capacity() * 2, size_t{16}), fits);
    if (capacity <= groups_.size()) return false;
    if (heads_.empty()) heads_.assign(kChunks * kChunkValues, 0);
    groups_.reserve(capacity);
  }
  const auto id = static_cast<uint32_t>(groups_.size() + 1);
  Group group{phash, {}};
  for (size_t t = 0; t < kChunks; ++t) {
    uint32_t& head = heads_[(t << kChunkBits) | chunk_of(phash, t)];
    group.next[t] = head;
    head = id;
  }
  groups_.push_back(group);
  return true;
}

XXH128_hash_t MediaIndex::assign(uint64_t phash) {
  if (auto g = nearest(phash)) return phash_key(groups_[*g].hash);
  if (!frozen_ && add_group(phash)) return phash_key(phash);
  frozen_ = true;
  ++overflow_;
  return phash_key(phash);
}

size_t MediaIndex::memory_bytes() const { return bytes_of(heads_) + bytes_of(groups_); }

}  // namespace chorus

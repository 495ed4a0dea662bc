// near_dup.cpp — near-duplicate grouping: signatures, banding, verification.
//
// Why one-permutation hashing. chorus-hash must keep up 1.5 million events/s
// on one core, all fingerprints included, so a signature should cost well
// under 300 ns for a 20-word text. Classic MinHash evaluates one hash function
// per shingle per signature slot: 18 shingles x 128 slots is ~2,300 hash
// evaluations, microseconds. One-permutation hashing (Li, Owen & Zhang 2012)
// hashes each shingle once: its high bits pick one of K bins, the bin keeps
// its smallest hash — O(shingles + K). A short text leaves bins empty (18
// shingles fill ~13 of 32); optimal densification (Shrivastava 2017) fills
// each empty bin from the first filled bin in a seeded probe order of its
// own, which keeps the MinHash property: for every bin, the two texts'
// values agree with probability exactly their Jaccard similarity J. Probing
// bin after bin costs a mispredicted branch per empty bin; instead the probe
// orders are precomputed permutations and, for all bins at once, the filled
// bin of lowest rank is found with byte minima, 32 bins per instruction.
// b-bit MinHash needs the same K hash evaluations as classic MinHash, and
// SimHash estimates the angle, not the shingle overlap: at J = 0.54 a 64-bit
// SimHash differs in ~16 bits, too noisy to band on without many tables.
//
// Why exact verification. Banding only proposes candidates; deciding on a
// signature estimate would add its error to the threshold (sqrt(J(1-J)/K) =
// 0.088 for K = 32: a copy at J = 0.54 would fail a 0.5 threshold a third of
// the time). We keep each indexed text's shingle fingerprints instead —
// 4 bytes a shingle, bounded by sketch_limit — and compute the Jaccard
// similarity itself: exact up to sketch_limit shingles, the bottom-k estimate
// beyond (error in the header). 32-bit fingerprints of two different shingles
// collide with probability 2^-32, which moves a similarity negligibly.
//
// Why index only a few texts per group. A campaign of 10,000 paraphrases
// would otherwise put 10,000 texts under the same band keys and every new
// copy would verify against all of them. Its first text and up to
// members_per_group members that differ from what they matched carry the
// group; other members are remembered only in the identical-text table.
//
// Where the time goes (20-word texts, measured on the development VM): about
// 90 ns to split and hash the words, 40 to hash the shingles, 120 for the
// signature and band keys, 60 for the fingerprint set; a text seen before
// costs its XXH3-128 and one table lookup. Past that, a new text in a large
// index waits on memory: one lookup in the identical-text table, the 16 band
// buckets (prefetched together, so about one memory latency), and the record
// of each candidate verified.
#include "near_dup.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace chorus {
namespace {

// Words are read eight bytes to a load, the first byte lowest (split_words'
// scan, word_hash): little-endian only, as are the machines chorus runs on.
static_assert(std::endian::native == std::endian::little);

// The high 64 bits of a * b: maps a uniform 64-bit hash onto [0, b).
inline uint64_t mul_high(uint64_t a, uint64_t b) {
  __extension__ using u128 = unsigned __int128;
  return static_cast<uint64_t>((static_cast<u128>(a) * b) >> 64);
}

// The folded 128-bit product: wyhash's mixing step.
inline uint64_t fold_mul(uint64_t a, uint64_t b) {
  __extension__ using u128 = unsigned __int128;
  u128 r = static_cast<u128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

// The SplitMix64 finaliser: a bijective mix with full avalanche.
inline uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The low `bits` bits of x, bits in [0, 64].
inline uint64_t low_bits(uint64_t x, unsigned bits) { return bits ? x & (~uint64_t{0} >> (64 - bits)) : 0; }

constexpr uint64_t kWordSalt0 = 0xa0761d6478bd642fULL, kWordSalt1 = 0xe7037ed1a0b428dbULL,
                   kWordSalt2 = 0x8ebc6af09c88c6e3ULL;
constexpr uint64_t kShingleSalt = 0x5a3c1e2f4d6b7a89ULL;
constexpr uint64_t kBandSalt = 0x1f83d9abfb41bd6bULL;
constexpr uint64_t kProbeSalt = 0x6a09e667f3bcc909ULL;

// A member at least this similar to the text it matched adds little that
// indexing the text did not: it is not indexed.
constexpr double kRedundant = 0.9;

// A word's hash, inline and without branches on its length up to 16 bytes:
// a call into the xxHash library per word, and the mispredicted branches of
// a general-purpose hash on words of varying length, cost more than the
// hashing. `p` must be readable for 16 bytes (the text buffer is padded);
// the bytes past the word are masked off and its length mixed in.
inline uint64_t word_hash(const char* p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ kWordSalt0;
  if (n > 16) [[unlikely]] {  // 16 bytes at a time, the last block overlapping
    size_t i = n;
    for (; i > 16; i -= 16, p += 16) h = fold_mul(load64(p) ^ kWordSalt1, load64(p + 8) ^ h);
    return fold_mul(fold_mul(load64(p + i - 16) ^ kWordSalt1, load64(p + i - 8) ^ h) ^ kWordSalt2, kWordSalt0 ^ n);
  }
  const auto bits = static_cast<unsigned>(n * 8);
  uint64_t lo = low_bits(load64(p), std::min(bits, 64u));
  uint64_t hi = low_bits(load64(p + 8), bits > 64 ? bits - 64 : 0);
  return fold_mul(fold_mul(lo ^ kWordSalt1, hi ^ h) ^ kWordSalt2, kWordSalt0 ^ n);
}

// A bit for each byte equal to ' ' among the 64 at p, the first byte lowest.
inline uint64_t space_mask(const char* p) {
#if defined(__SSE2__)
  const __m128i spaces = _mm_set1_epi8(' ');
  uint64_t mask = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    mask |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, spaces)))} << (16 * k);
  }
  return mask;
#else
  // SWAR: 0x80 in each byte of x that is zero, exactly (no carry between
  // bytes), then the eight marks gathered into a byte by a multiply.
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  uint64_t mask = 0;
  for (int k = 0; k < 8; ++k) {
    const uint64_t x = load64(p + 8 * k) ^ (kOnes * ' ');
    const uint64_t marks = ~(((x & kLow7) + kLow7) | x | kLow7);
    mask |= (((marks >> 7) * 0x0102040810204080ULL) >> 56) << (8 * k);
  }
  return mask;
#endif
}

// The bin of a shingle hash: its high 32 bits scaled to [0, bins). (A 64 x 64
// -> 128-bit multiply here costs several times more, measured.)
inline size_t bin_of(uint64_t s, unsigned bins) { return static_cast<size_t>(((s >> 32) * bins) >> 32); }

// For each byte i < n (a multiple of 32): best[i] = the least rows[t][i]
// over the bins t set in `filled`, rows `stride` bytes apart — 32 bytes at a
// time, kept in a register across the rows. Written with vector types: the
// compiler does not vectorise the plain loop (it cannot rule out overlap).
inline void min_rows(uint8_t* best, const uint8_t* rows, size_t stride, const uint64_t* filled, unsigned words) {
  using Bytes32 = uint8_t __attribute__((vector_size(32)));
  for (size_t i = 0; i < stride; i += 32) {
    Bytes32 acc;
    std::memset(&acc, 0xff, 32);
    for (unsigned w = 0; w < words; ++w)
      for (uint64_t bits = filled[w]; bits; bits &= bits - 1) {
        Bytes32 row;
        std::memcpy(&row, rows + (w * 64 + static_cast<unsigned>(std::countr_zero(bits))) * stride + i, 32);
        acc = acc < row ? acc : row;
      }
    std::memcpy(best + i, &acc, 32);
  }
}

// The identical-text table (linear probing) doubles before it is 70 % full.
constexpr size_t kInitialSlots = 1024;
size_t slots_for(size_t used, size_t slots) {
  while (used * 10 > slots * 7) slots *= 2;
  return slots;
}
// The band table, the largest part, is kept fuller: buckets of 8 slots keep
// probe sequences short up to 80 %, and it grows by half (the home bucket is
// found by multiplication, not a mask, so any count works). Entries cost
// 8 / 0.53 .. 8 / 0.8 bytes, 12 on average, where linear probing at 70 %
// with doubling costs 16.
// The table starts as one part of 128 buckets; when it would grow to
// kSplitBytes it is cut in kBandParts parts instead (each then at least
// 1 MiB, in huge pages: smaller parts would take more page faults than the
// peak they save).
constexpr size_t kBucketSlots = 8, kInitialBuckets = 128;
constexpr size_t kSplitBytes = size_t{16} << 20;
size_t band_vector_size(size_t buckets);
// A part of 1 MiB or more lives in huge pages (HugeBuffer): it takes all of
// its last one, which would otherwise be resident and unused.
size_t fill_huge_pages(size_t buckets) {
  constexpr size_t kHugeSlots = huge_alloc_detail::kHuge / sizeof(uint64_t);
  if (const size_t slots = band_vector_size(buckets); slots * sizeof(uint64_t) >= huge_alloc_detail::kThreshold)
    buckets = ((slots + kHugeSlots - 1) / kHugeSlots * kHugeSlots - (kBucketSlots - 1)) / kBucketSlots;
  return buckets;
}
size_t buckets_for(size_t used, size_t buckets) {
  if (used * 10 <= buckets * kBucketSlots * 8) return buckets;
  while (used * 10 > buckets * kBucketSlots * 8) buckets += buckets / 2;
  return fill_huge_pages(buckets);
}
// A check's part (its top bits: none while the table is one part, then
// kBandPartBits), and its home bucket in the part (from the remaining
// `shift` bits: the order of checks is kept, see resize_part()).
inline size_t part_of(uint64_t check, unsigned shift) { return static_cast<size_t>(check >> shift); }
inline size_t bucket_of(uint64_t check, size_t buckets, unsigned shift) {
  return static_cast<size_t>(((check & ((uint64_t{1} << shift) - 1)) * buckets) >> shift);
}
// The vector holding `buckets` buckets and the slack to align them.
size_t band_vector_size(size_t buckets) { return buckets * kBucketSlots + kBucketSlots - 1; }
// Vectors grow by doubling, through this one rule, so bytes_after() can say
// beforehand what an addition will cost.
size_t capacity_for(size_t need, size_t capacity) {
  if (need <= capacity) return capacity;
  return std::max({need, capacity * 2, size_t{16}});
}
template <typename V>
void reserve_for(V& v, size_t extra) {
  v.reserve(capacity_for(v.size() + extra, v.capacity()));
}
template <typename V>
size_t bytes_of(const V& v) {
  return v.capacity() * sizeof(typename V::value_type);
}

// Whether fingerprint f is in the hash set (power-of-two size, 0 = empty).
inline bool contains(const std::vector<uint32_t>& set, uint32_t f) {
  const size_t mask = set.size() - 1;
  for (size_t i = f & mask; set[i]; i = (i + 1) & mask)
    if (set[i] == f) return true;
  return false;
}

}  // namespace

Status validate(const NearDupParams& p) {
  if (p.shingle < 1 || p.shingle > 16) return Status::error("near: shingle must be 1 to 16 words");
  if (p.bands < 1 || p.rows < 1 || p.bands * p.rows > 256)
    return Status::error("near: bands and rows must be at least 1, with bands x rows at most 256");
  if (!(p.threshold > 0 && p.threshold <= 1)) return Status::error("near: threshold must be in (0, 1]");
  if (p.sketch_limit < 8) return Status::error("near: sketch limit must be at least 8");
  if (p.members_per_group > 255) return Status::error("near: members per group must be at most 255");
  if (p.max_per_band_key < 1) return Status::error("near: max per band key must be at least 1");
  if (p.max_candidates < 1) return Status::error("near: max candidates must be at least 1");
  return Status();
}

NearDuplicateIndex::NearDuplicateIndex(const NearDupParams& params) : p_(params), bins_(params.bands * params.rows) {
  assert(validate(params).ok());
  // Each bin's probe order: a seeded Fisher-Yates permutation of all bins.
  rank_stride_ = (bins_ + 31) / 32 * 32;
  perm_.resize(size_t{bins_} * bins_);
  rank_by_bin_.assign(size_t{bins_} * rank_stride_, 0xff);
  for (unsigned j = 0; j < bins_; ++j) {
    uint8_t* order = &perm_[size_t{j} * bins_];
    for (unsigned i = 0; i < bins_; ++i) order[i] = static_cast<uint8_t>(i);
    uint64_t state = mix64(p_.seed ^ kProbeSalt ^ (uint64_t{j} << 32));
    for (unsigned i = bins_ - 1; i > 0; --i) {
      state = mix64(state + 0x9e3779b97f4a7c15ULL);
      std::swap(order[i], order[mul_high(state, i + 1)]);
    }
    for (unsigned i = 0; i < bins_; ++i) rank_by_bin_[size_t{order[i]} * rank_stride_ + j] = static_cast<uint8_t>(i);
  }
  resize_part(parts_[0], kInitialBuckets);
  HugeBuffer<uint64_t>(kInitialSlots).swap(exact_fps_);
  HugeBuffer<uint32_t>(kInitialSlots).swap(exact_groups_);
  signature_.resize(bins_);
  best_rank_.resize(rank_stride_);
  band_keys_.resize(p_.bands);
  band_full_.resize(p_.bands);
}

// Hashes the words; false when there are fewer than a shingle's worth.
bool NearDuplicateIndex::split_words(std::string_view text) {
  // The text, a space to end the last word, then zeros: whole 64-byte blocks
  // to scan and 16 bytes more for word_hash's loads.
  const size_t n = text.size(), blocks = (n + 1 + 63) / 64;
  text_.resize(blocks * 64 + 16);
  std::memcpy(text_.data(), text.data(), n);
  text_[n] = ' ';
  std::memset(text_.data() + n + 1, 0, text_.size() - n - 1);
  // Spaces found 64 bytes at a time and read off lowest first: a test per
  // byte would mispredict at every word's end, this at every block's. Each
  // space ends a word (empty when spaces are doubled, or lead).
  words_.resize(n / 2 + 1);  // the most words n bytes hold
  uint64_t* out = words_.data();
  const char* p = text_.data();
  size_t w = 0, start = 0;
  for (size_t block = 0; block < blocks * 64; block += 64)
    for (uint64_t spaces = space_mask(p + block); spaces; spaces &= spaces - 1) {
      const size_t end = block + static_cast<size_t>(std::countr_zero(spaces));
      out[w] = word_hash(p + start, end - start, p_.seed);
      w += end > start;
      start = end + 1;
    }
  words_.resize(w);
  return w >= p_.shingle;
}

void NearDuplicateIndex::compute_shingles() {
  // Rotate-and-xor the word hashes (order-sensitive, and invertible for
  // each word, so no two shingles that differ in one word collide), then one
  // full mix. Three words, the default, unrolled: the same value.
  const size_t n = words_.size() - p_.shingle + 1;
  shingles_.resize(n);
  const uint64_t* w = words_.data();
  uint64_t* out = shingles_.data();
  const uint64_t salt = kShingleSalt ^ p_.seed;
  if (p_.shingle == 3) {
    for (size_t i = 0; i < n; ++i) out[i] = mix64((std::rotl(w[i], 54) ^ std::rotl(w[i + 1], 27) ^ w[i + 2]) ^ salt);
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = w[i];
    for (unsigned k = 1; k < p_.shingle; ++k) h = std::rotl(h, 27) ^ w[i + k];
    out[i] = mix64(h ^ salt);
  }
}

void NearDuplicateIndex::compute_signature() {
  const unsigned bins = bins_;
  uint64_t* sig = signature_.data();
  // One permutation: the high bits choose the bin, the bin keeps its minimum.
  std::fill(sig, sig + bins, ~uint64_t{0});
  uint64_t filled[4] = {};  // a bit per bin (at most 256)
  if (bins <= 64) {         // the usual case: the bits stay in a register
    uint64_t bits = 0;
    for (uint64_t s : shingles_) {
      const size_t b = bin_of(s, bins);
      sig[b] = std::min(sig[b], s);
      bits |= uint64_t{1} << b;
    }
    filled[0] = bits;
  } else {
    for (uint64_t s : shingles_) {
      const size_t b = bin_of(s, bins);
      sig[b] = std::min(sig[b], s);
      filled[b >> 6] |= uint64_t{1} << (b & 63);
    }
  }
  const unsigned words = (bins + 63) / 64;
  unsigned m = 0;
  for (unsigned w = 0; w < words; ++w) m += static_cast<unsigned>(std::popcount(filled[w]));
  // Densification: an empty bin copies the filled bin that comes first in its
  // probe order — the one of lowest rank, found for all bins at once by byte
  // minima over the filled bins' rows; then each empty bin copies. No branch
  // depends on the data but the loops' ends.
  if (m < bins) {
    uint8_t* best = best_rank_.data();
    min_rows(best, rank_by_bin_.data(), rank_stride_, filled, words);
    const uint8_t* perm = perm_.data();
    for (unsigned w = 0; w < words; ++w) {
      uint64_t empty = ~filled[w];
      if (bins - w * 64 < 64) empty &= (uint64_t{1} << (bins - w * 64)) - 1;
      for (; empty; empty &= empty - 1) {
        const unsigned j = w * 64 + static_cast<unsigned>(std::countr_zero(empty));
        sig[j] = sig[perm[size_t{j} * bins + best[j]]];
      }
    }
  }
  const unsigned rows = p_.rows;
  std::fill(std::begin(part_adds_), std::end(part_adds_), 0);
  parts_touched_ = 0;
  for (unsigned band = 0; band < p_.bands; ++band) {
    uint64_t h = p_.seed ^ kBandSalt ^ (uint64_t{band} * 0x9e3779b97f4a7c15ULL);
    for (unsigned r = 0; r < rows; ++r) h = std::rotl(h, 23) ^ sig[band * rows + r];
    h = mix64(h);
    band_keys_[band] = h;
    // The band table is large and visited at random: start all the loads now.
    const size_t k = part_of(h >> 32, part_shift_);
    const BandPart& part = parts_[k];
    ++part_adds_[k];
    parts_touched_ |= uint32_t{1} << k;
    __builtin_prefetch(part.slots.data() + part.first + bucket_of(h >> 32, part.buckets, part_shift_) * kBucketSlots);
  }
}

void NearDuplicateIndex::compute_sketch() {
  // Unique fingerprints through a small hash set (sorting them costs more,
  // in mispredicted branches); the set stays for verification.
  const size_t n = shingles_.size();
  sketch_set_.assign(std::max<size_t>(64, std::bit_ceil(4 * n)), 0);  // at most 1/4 full
  sketch_.resize(n);
  uint32_t* set = sketch_set_.data();
  uint32_t* out = sketch_.data();
  const size_t mask = sketch_set_.size() - 1;
  size_t count = 0;
  for (uint64_t s : shingles_) {
    uint32_t f = static_cast<uint32_t>(s);
    f += f == 0;  // 0 marks an empty slot
    size_t i = f & mask;
    while (set[i] && set[i] != f) i = (i + 1) & mask;
    out[count] = f;
    count += set[i] == 0;
    set[i] = f;
  }
  sketch_.resize(count);
  sketch_sorted_ = sorted_sketch_ready_ = false;
  if (sketch_.size() >= p_.sketch_limit) {  // a long text: keep the bottom k
    std::nth_element(sketch_.begin(), sketch_.begin() + p_.sketch_limit - 1, sketch_.end());
    sketch_.resize(p_.sketch_limit);
    std::sort(sketch_.begin(), sketch_.end());
    sketch_sorted_ = true;
  }
}

// Jaccard similarity of the text being assigned and an indexed text. Both
// complete (fewer than k = sketch_limit fingerprints): exact, by looking the
// other's fingerprints up in this text's set. Otherwise over the k smallest
// fingerprints of the union, which are among the two bottom-k sketches, and
// for each of which membership in both sets is known.
double NearDuplicateIndex::similarity_to(uint32_t text) {
  const uint32_t* c = pool_.data() + text + 2;
  const size_t nc = pool_[text + 1], nq = sketch_.size();
  const size_t k = p_.sketch_limit;
  if (nc < k && nq < k) {
    // Two sets of sizes a <= b are at most a / b similar.
    if (static_cast<double>(std::min(nc, nq)) < p_.threshold * static_cast<double>(std::max(nc, nq))) return 0;
    size_t both = 0;
    for (size_t i = 0; i < nc; ++i) both += contains(sketch_set_, c[i]);
    return static_cast<double>(both) / static_cast<double>(nq + nc - both);
  }
  if (!sketch_sorted_ && !sorted_sketch_ready_) {
    sorted_sketch_.assign(sketch_.begin(), sketch_.end());
    std::sort(sorted_sketch_.begin(), sorted_sketch_.end());
    sorted_sketch_ready_ = true;
  }
  const std::vector<uint32_t>& qs = sketch_sorted_ ? sketch_ : sorted_sketch_;
  if (nc < k) {  // stored in shingle order
    sorted_other_.assign(c, c + nc);
    std::sort(sorted_other_.begin(), sorted_other_.end());
    c = sorted_other_.data();
  }
  const uint32_t* q = qs.data();
  size_t i = 0, j = 0, taken = 0, both = 0;
  while (taken < k && (i < nq || j < nc)) {
    if (j == nc || (i < nq && q[i] < c[j])) ++i;
    else if (i == nq || c[j] < q[i]) ++j;
    else ++i, ++j, ++both;
    ++taken;
  }
  return static_cast<double>(both) / static_cast<double>(taken);
}

// Visits every band's entries — to count them for band_full_ — and
// verifies the candidates not yet seen, up to max_candidates, in the order
// they were found.
std::optional<NearDuplicateIndex::Match> NearDuplicateIndex::best_match() {
  std::optional<Match> best;
  tried_.clear();
  for (unsigned band = 0; band < p_.bands; ++band) {
    const uint64_t check = band_keys_[band] >> 32;
    const BandPart& part = parts_[part_of(check, part_shift_)];
    const uint64_t* slots = part.slots.data() + part.first;
    unsigned sharing = 0;
    size_t b = bucket_of(check, part.buckets, part_shift_);
    for (size_t i = 0;; ++i) {
      if (i == kBucketSlots) {  // a full bucket: the key's entries may go on
        i = 0;
        b = b + 1 == part.buckets ? 0 : b + 1;
      }
      const uint64_t e = slots[b * kBucketSlots + i];
      if (!e) break;
      if ((e >> 32) != check) continue;
      ++sharing;
      const auto text = static_cast<uint32_t>(e) - 1;
      if (tried_.size() == p_.max_candidates || std::find(tried_.begin(), tried_.end(), text) != tried_.end())
        continue;
      tried_.push_back(text);
      // Each candidate's record is a cache miss: all are started now and
      // verified once every band has been read.
      __builtin_prefetch(pool_.data() + text);
      __builtin_prefetch(pool_.data() + text + 16);
    }
    band_full_[band] = sharing >= p_.max_per_band_key;
  }
  for (const uint32_t text : tried_) {
    ++verifications_;
    const double sim = similarity_to(text);
    if (sim < p_.threshold) continue;
    // The most similar; between equals, the earlier group.
    if (!best || sim > best->similarity || (sim == best->similarity && pool_[text] < pool_[best->text]))
      best = Match{text, sim};
  }
  return best;
}

// What memory_bytes() would become, at its peak, if the text being assigned
// started a group, were indexed, were recorded as seen. A table being rehashed
// and a vector being moved hold both copies for a moment: the largest such
// old copy is added.
size_t NearDuplicateIndex::bytes_after(bool new_group, bool new_text, bool new_exact) const {
  // Text ids, sketch offsets and groups are 32-bit.
  if (pool_.size() + 2 + sketch_.size() >= UINT32_MAX || group_keys_.size() + 1 >= UINT32_MAX)
    return SIZE_MAX;
  size_t total = memory_bytes(), moving = 0;
  auto grow = [&](size_t old_bytes, size_t new_bytes) {
    if (new_bytes == old_bytes) return;
    total += new_bytes - old_bytes;
    moving = std::max(moving, old_bytes);
  };
  if (new_group) {
    grow(bytes_of(group_keys_), capacity_for(group_keys_.size() + 1, group_keys_.capacity()) * sizeof(XXH128_hash_t));
    grow(bytes_of(group_extra_indexed_), capacity_for(group_extra_indexed_.size() + 1, group_extra_indexed_.capacity()));
  }
  if (new_text) {
    grow(bytes_of(pool_), capacity_for(pool_.size() + 2 + sketch_.size(), pool_.capacity()) * sizeof(uint32_t));
    // Each part that grows holds its old copy while it is rehashed, one
    // part after the other: the largest old copy is added.
    // Cutting the table in parts holds the whole old table while it is
    // rehashed.
    size_t split[kBandParts];
    if (split_due(split)) {
      size_t bytes = 0;
      for (size_t b : split) bytes += band_vector_size(b) * sizeof(uint64_t);
      grow(bytes_of(parts_[0].slots), bytes);
    } else {
      for (uint32_t touched = parts_touched_; touched; touched &= touched - 1) {
        const BandPart& part = parts_[std::countr_zero(touched)];
        if (const size_t after = part.used + part_adds_[std::countr_zero(touched)]; after > part.grow_above)
          grow(bytes_of(part.slots), band_vector_size(buckets_for(after, part.buckets)) * sizeof(uint64_t));
      }
    }
  }
  if (new_exact) {
    size_t slots = slots_for(exact_used_ + 1, exact_fps_.size());
    grow(bytes_of(exact_fps_), slots * sizeof(uint64_t));
    grow(bytes_of(exact_groups_), slots * sizeof(uint32_t));
  }
  return total + moving;
}

void NearDuplicateIndex::index_text(uint32_t group) {
  reserve_for(pool_, 2 + sketch_.size());
  // Stored as offset + 1: 0 marks an empty slot (and offsets stay below
  // UINT32_MAX, bytes_after() sees to it).
  const uint64_t id = pool_.size() + 1;
  pool_.push_back(group);
  pool_.push_back(static_cast<uint32_t>(sketch_.size()));
  pool_.append(sketch_.data(), sketch_.size());
  ++indexed_;

  // As bytes_after() counted: every band of the text, full or not.
  if (size_t split[kBandParts]; split_due(split)) {
    split_bands(split);
  } else {
    for (uint32_t touched = parts_touched_; touched; touched &= touched - 1) {
      BandPart& part = parts_[std::countr_zero(touched)];
      if (const size_t after = part.used + part_adds_[std::countr_zero(touched)]; after > part.grow_above)
        resize_part(part, buckets_for(after, part.buckets));
    }
  }
  for (unsigned band = 0; band < p_.bands; ++band)
    if (!band_full_[band]) {
      insert_band(((band_keys_[band] >> 32) << 32) | id);
      ++parts_[part_of(band_keys_[band] >> 32, part_shift_)].used;
    }
}

// Whether adding the text's bands makes the one-part table cut itself in
// parts; if so, each part's buckets (room for its entries and the text's).
bool NearDuplicateIndex::split_due(size_t* buckets) const {
  const BandPart& whole = parts_[0];
  if (part_shift_ != 32 || whole.used + p_.bands <= whole.grow_above) return false;
  const size_t grown = buckets_for(whole.used + p_.bands, whole.buckets);
  if (band_vector_size(grown) * sizeof(uint64_t) < kSplitBytes) return false;
  constexpr unsigned shift = 32 - kBandPartBits;
  size_t count[kBandParts] = {};
  const uint64_t* slots = whole.slots.data() + whole.first;
  for (size_t i = 0; i < whole.buckets * kBucketSlots; ++i)
    if (slots[i]) ++count[part_of(slots[i] >> 32, shift)];
  for (unsigned band = 0; band < p_.bands; ++band) ++count[part_of(band_keys_[band] >> 32, shift)];
  const size_t each = fill_huge_pages(grown / kBandParts);
  for (unsigned k = 0; k < kBandParts; ++k) buckets[k] = buckets_for(count[k], each);
  return true;
}

// Cuts the one-part table in kBandParts parts of `buckets` buckets each.
void NearDuplicateIndex::split_bands(const size_t* buckets) {
  BandPart whole = std::move(parts_[0]);
  parts_[0] = BandPart{};
  part_shift_ = 32 - kBandPartBits;
  for (unsigned k = 0; k < kBandParts; ++k) resize_part(parts_[k], buckets[k]);
  const uint64_t* slots = whole.slots.data() + whole.first;
  for (size_t i = 0; i < whole.buckets * kBucketSlots; ++i)
    if (slots[i]) {
      insert_band(slots[i]);
      ++parts_[part_of(slots[i] >> 32, part_shift_)].used;
    }
}

void NearDuplicateIndex::insert_band(uint64_t entry) {
  BandPart& part = parts_[part_of(entry >> 32, part_shift_)];
  uint64_t* slots = part.slots.data() + part.first;
  for (size_t b = bucket_of(entry >> 32, part.buckets, part_shift_);; b = b + 1 == part.buckets ? 0 : b + 1)
    for (size_t i = 0; i < kBucketSlots; ++i)
      if (!slots[b * kBucketSlots + i]) {
        slots[b * kBucketSlots + i] = entry;
        return;
      }
}

// Moves a part's entries into `buckets` buckets. Home buckets keep the
// entries' order, so the old table is read and the new one written in two
// sequential sweeps, not at random.
void NearDuplicateIndex::resize_part(BandPart& part, size_t buckets) {
  HugeBuffer<uint64_t> old(band_vector_size(buckets));  // zero
  old.swap(part.slots);
  const size_t old_first = part.first, old_slots = part.buckets * kBucketSlots;
  const auto address = reinterpret_cast<uintptr_t>(part.slots.data());
  part.first = (64 - address % 64) % 64 / sizeof(uint64_t);
  part.buckets = buckets;
  // The most entries that many buckets hold: buckets_for(n, buckets) keeps
  // them while n * 10 <= buckets * 64.
  part.grow_above = buckets * kBucketSlots * 8 / 10;
  uint64_t* slots = part.slots.data() + part.first;
  for (size_t i = 0; i < old_slots; ++i) {
    const uint64_t e = old[old_first + i];
    if (!e) continue;
    for (size_t b = bucket_of(e >> 32, buckets, part_shift_);; b = b + 1 == buckets ? 0 : b + 1)
      for (size_t j = 0; j < kBucketSlots; ++j)
        if (!slots[b * kBucketSlots + j]) {
          slots[b * kBucketSlots + j] = e;
          goto next;
        }
  next:;
  }
}

std::optional<uint32_t> NearDuplicateIndex::find_exact(uint64_t fp) const {
  const size_t mask = exact_fps_.size() - 1;
  for (size_t s = fp & mask; exact_fps_[s]; s = (s + 1) & mask)
    if (exact_fps_[s] == fp) return exact_groups_[s];
  return std::nullopt;
}

void NearDuplicateIndex::record_exact(uint64_t fp, uint32_t group) {
  if (size_t slots = slots_for(exact_used_ + 1, exact_fps_.size()); slots != exact_fps_.size()) {
    HugeBuffer<uint64_t> old_fps(slots);  // zero
    HugeBuffer<uint32_t> old_groups(slots);
    old_fps.swap(exact_fps_);
    old_groups.swap(exact_groups_);
    const size_t mask = slots - 1;
    for (size_t i = 0; i < old_fps.size(); ++i) {
      if (!old_fps[i]) continue;
      size_t s = old_fps[i] & mask;
      while (exact_fps_[s]) s = (s + 1) & mask;
      exact_fps_[s] = old_fps[i];
      exact_groups_[s] = old_groups[i];
    }
  }
  const size_t mask = exact_fps_.size() - 1;
  size_t s = fp & mask;
  while (exact_fps_[s]) s = (s + 1) & mask;
  exact_fps_[s] = fp;
  exact_groups_[s] = group;
  ++exact_used_;
}

void NearDuplicateIndex::prefetch(const XXH128_hash_t own_key) const {
  const uint64_t fp = own_key.low64 ? own_key.low64 : 1;
  const size_t home = fp & (exact_fps_.size() - 1);
  __builtin_prefetch(exact_fps_.data() + home);
  __builtin_prefetch(exact_groups_.data() + home);
}

std::optional<XXH128_hash_t> NearDuplicateIndex::assign(std::string_view text) {
  return assign(text, XXH3_128bits(text.data(), text.size()));
}

std::optional<XXH128_hash_t> NearDuplicateIndex::assign(std::string_view text, const XXH128_hash_t own_key) {
  // A text seen before (the common case: copies) is answered by the
  // identical-text table, without looking at its words (only texts long
  // enough to get a key are in it). In a large index its slot is a cache
  // miss: the caller may have started it with prefetch().
  const uint64_t fp = own_key.low64 ? own_key.low64 : 1;  // 0 marks an empty slot
  if (auto group = find_exact(fp)) return group_keys_[*group];
  if (!split_words(text)) return std::nullopt;

  compute_shingles();
  compute_signature();
  compute_sketch();
  if (auto match = best_match()) {
    const uint32_t group = pool_[match->text];
    if (!frozen_) {
      const bool index_member = group_extra_indexed_[group] < p_.members_per_group &&
                                match->similarity < kRedundant;
      if (bytes_after(false, index_member, true) > p_.max_memory) {
        frozen_ = true;
      } else {
        if (index_member) {
          index_text(group);
          ++group_extra_indexed_[group];
        }
        record_exact(fp, group);
      }
    }
    return group_keys_[group];
  }
  if (!frozen_ && bytes_after(true, true, true) <= p_.max_memory) {
    const auto group = static_cast<uint32_t>(group_keys_.size());
    reserve_for(group_keys_, 1);
    reserve_for(group_extra_indexed_, 1);
    group_keys_.push_back(own_key);
    group_extra_indexed_.push_back(0);
    index_text(group);
    record_exact(fp, group);
    return own_key;
  }
  frozen_ = true;
  ++overflow_;
  return own_key;
}

size_t NearDuplicateIndex::band_bytes() const {
  size_t total = 0;
  for (const BandPart& part : parts_) total += bytes_of(part.slots);
  return total;
}

size_t NearDuplicateIndex::memory_bytes() const {
  return bytes_of(perm_) + bytes_of(rank_by_bin_) + bytes_of(group_keys_) + bytes_of(group_extra_indexed_) +
         bytes_of(pool_) + band_bytes() + bytes_of(exact_fps_) +
         bytes_of(exact_groups_) + bytes_of(text_) + bytes_of(words_) +
         bytes_of(shingles_) + bytes_of(signature_) + bytes_of(band_keys_) +
         bytes_of(best_rank_) + bytes_of(sketch_) + bytes_of(sketch_set_) +
         bytes_of(sorted_sketch_) + bytes_of(sorted_other_) + bytes_of(tried_);
}

}  // namespace chorus

// near_dup.hpp — the `near:` fingerprint of chorus-hash (SPEC §4): texts that
// are near-duplicates of each other (words substituted, words added before or
// after, word order rotated) get one shared 128-bit key, so chorus-join treats
// a paraphrased copy like an exact one.
//
// Texts arrive normalised (lower case, words separated by single spaces) and
// in input order. A text is the set of its word w-shingles (w = 3). A text
// joins the group of an earlier text whose shingle set is near it — Jaccard
// similarity at least `threshold` — else it starts a group. The group's key is
// the XXH3-128 of its first text, so it is stable for a given input order and
// the same on every run and machine; a text that starts a group gets the key
// exact-text hashing would give it. Groups never merge: a text near two
// groups joins the one with the most similar text (between equals, the
// earlier group).
//
// How (details and the reasons in near_dup.cpp):
//  - signature: one-permutation MinHash (Li, Owen & Zhang 2012) over `bands *
//    rows` bins, empty bins filled by optimal densification (Shrivastava 2017):
//    O(words + bins) per text where classic MinHash is O(words * bins);
//  - candidates: locality-sensitive banding, `bands` keys of `rows` bins each;
//    a pair with Jaccard J becomes a candidate with probability about
//    1 - (1 - J^rows)^bands (0.99 at J = 0.5 for 16 x 2);
//  - verification: the Jaccard similarity computed from each indexed text's
//    32-bit shingle fingerprints, at most `sketch_limit` of them (the
//    smallest: a bottom-k sketch). Exact for texts of fewer than
//    `sketch_limit` shingles; beyond, the bottom-k estimate, standard error
//    sqrt(J (1 - J) / sketch_limit) (0.044 at J = 0.5 and 128);
//  - identical texts: a table of every distinct text seen (64-bit fingerprint
//    of its XXH3-128) answers them first, so identical texts always share a
//    key, whatever was indexed between them.
//
// Memory: every distinct text costs ~24 bytes in the identical-text table;
// every indexed text (a group's first, and up to members_per_group members)
// `bands` band entries of ~12 bytes, 4 bytes a shingle and a group key: ~320 bytes
// for a 20-word text, measured. memory_bytes() — the tables, and scratch
// space for the text being assigned (~50 bytes a word) — never passes
// `max_memory` because of an addition (a table's old copy while it grows is
// counted): when the next addition would take it past, the index freezes.
// Nothing is added any more; texts still join the groups it holds, and a text
// that joins none gets its own text's key and is counted in overflow(). A
// frozen index is a pure function of the text, so identical texts still share
// a key. Only the scratch for a text longer than any before can still grow.
// An empty index takes ~25 KB.
//
// Not thread-safe: assign() mutates the index and reuses scratch buffers.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "huge_alloc.hpp"
#include "status.hpp"

namespace chorus {

struct NearDupParams {
  // Words per shingle. Texts with fewer words get no near key.
  unsigned shingle = 3;
  // LSH banding over bands * rows signature bins (at most 256). 16 x 2 makes
  // a pair at the threshold (J = 0.5) a candidate with probability 0.99 and a
  // pair at J = 0.2 with 0.48, and keeps a key specific enough (two shingles)
  // that a common phrase does not pile thousands of texts into one bucket.
  unsigned bands = 16, rows = 2;
  // Least Jaccard similarity of the word-shingle sets for two texts to be
  // near. 0.5 accepts a same-length copy that keeps 70 % of the shingles
  // (0.7 / 1.3 = 0.54); two unrelated posts that share a stock phrase or a
  // few hashtags stay far below it.
  double threshold = 0.5;
  uint64_t seed = 0;
  // Fingerprints kept per indexed text (bottom-k): verification is exact up
  // to this many shingles.
  unsigned sketch_limit = 128;
  // Texts indexed per group besides its first: a member whose similarity to
  // the text it matched is below 0.9 is indexed too (up to this many), so
  // later copies that are near it but not near the first text still find the
  // group — this matters when copies come before their original. 0: only
  // first texts are indexed.
  unsigned members_per_group = 4;
  // Texts indexed under one band key: a key (the minima of two bins) that
  // this many texts share comes from a common phrase — a slogan, a tag chain
  // — not from one text's copies, and a later text is not added under it
  // (its other bands still are). Keeps a text's candidates few where many
  // posts share a phrase.
  unsigned max_per_band_key = 4;
  // Most candidates verified per text: bounds the time of a text that shares
  // band keys with many indexed texts. Candidates are tried in band order.
  unsigned max_candidates = 64;
  // Hard limit on memory_bytes() (see above).
  size_t max_memory = size_t{1} << 30;
};

// Whether `params` describe a usable index; the message names the bad field.
Status validate(const NearDupParams& params);

class NearDuplicateIndex {
 public:
  // `params` must pass validate().
  explicit NearDuplicateIndex(const NearDupParams& params);

  // The group key for this normalised text; nullopt when it has fewer than
  // `shingle` words.
  std::optional<XXH128_hash_t> assign(std::string_view normalized_text);
  // The same, given the text's XXH3-128 (its text: key), which the caller
  // has often computed already: the result is identical.
  std::optional<XXH128_hash_t> assign(std::string_view normalized_text, XXH128_hash_t own_key);
  // Starts loading what assign(text, own_key) reads first (the identical-text
  // table's slot, a cache miss in a large index), so that work done in
  // between hides it. Changes nothing.
  void prefetch(XXH128_hash_t own_key) const;

  size_t groups() const { return group_keys_.size(); }
  size_t memory_bytes() const;
  // Whether the memory limit has been reached (nothing is added any more).
  bool frozen() const { return frozen_; }
  // Texts that joined no group after the index froze (each keyed by itself:
  // their own near-copies are missed).
  uint64_t overflow() const { return overflow_; }
  // Texts indexed (group firsts and members) and candidate verifications run.
  size_t indexed_texts() const { return indexed_; }
  uint64_t verifications() const { return verifications_; }

 private:
  struct Match {
    uint32_t text;  // its record's offset in pool_
    double similarity;
  };

  bool split_words(std::string_view text);
  void compute_shingles();
  void compute_signature();
  void compute_sketch();
  double similarity_to(uint32_t text);
  std::optional<Match> best_match();
  size_t bytes_after(bool new_group, bool new_text, bool new_exact) const;
  void index_text(uint32_t group);
  struct BandPart;
  void resize_part(BandPart& part, size_t buckets);
  void insert_band(uint64_t entry);
  bool split_due(size_t* buckets) const;
  void split_bands(const size_t* buckets);
  size_t band_bytes() const;
  void record_exact(uint64_t fingerprint, uint32_t group);
  std::optional<uint32_t> find_exact(uint64_t fingerprint) const;

  NearDupParams p_;
  unsigned bins_;
  // Densification: bin j's probe order is perm_[j * bins_ + i], i = 0, 1, ...;
  // rank_by_bin_[t * rank_stride_ + j] is where bin t comes in bin j's order
  // (rows padded with 0xff to a multiple of 32 bytes).
  std::vector<uint8_t> perm_, rank_by_bin_;
  size_t rank_stride_;

  // The tables that grow with the input: huge pages (huge_alloc.hpp).
  HugeBuffer<XXH128_hash_t> group_keys_;
  HugeBuffer<uint8_t> group_extra_indexed_;  // members indexed so far, per group
  // A record per indexed text: its group, its number of fingerprints, then
  // the fingerprints — unique; sorted when there are sketch_limit of them (a
  // bottom-k sketch), in shingle order when fewer. The band table refers to
  // a text by its record's offset, so verifying a candidate reads one place.
  HugeBuffer<uint32_t> pool_;
  size_t indexed_ = 0;
  // Band table: open addressing over buckets of 8 slots (one cache line each,
  // from slots[first]); an entry goes to the first free slot from its home
  // bucket on. A slot is (check << 32) | (text + 1), 0 when empty; the check,
  // the band key's high half, also picks the home bucket, so growing needs no
  // keys. Texts may share a key. Once large (kSplitBytes), the table is cut
  // in kBandParts parts by the check's top bits, each a table of its own that
  // grows on its own: growing holds the old copy of one part, not of the
  // whole table, so the peak memory (and the fresh pages the kernel must
  // clear) is about the table's size, not 2.5 times it.
  struct BandPart {
    HugeBuffer<uint64_t> slots;
    size_t first = 0, buckets = 0, used = 0;
    size_t grow_above = 0;  // the most entries `buckets` hold (buckets_for())
  };
  static constexpr unsigned kBandPartBits = 4, kBandParts = 1u << kBandPartBits;
  BandPart parts_[kBandParts];  // parts_[0] alone until the table is cut
  unsigned part_shift_ = 32;     // 32 - the check bits that pick a part
  uint16_t part_adds_[kBandParts] = {};  // the text's bands in each part (up to 256)
  uint32_t parts_touched_ = 0;          // a bit per part with some
  // Identical-text table: 64-bit text fingerprint (0 = empty) -> group.
  HugeBuffer<uint64_t> exact_fps_;
  HugeBuffer<uint32_t> exact_groups_;
  size_t exact_used_ = 0;

  bool frozen_ = false;
  uint64_t overflow_ = 0, verifications_ = 0;

  // Scratch for the text being assigned.
  std::vector<char> text_;             // the text, a space, then padding for 16-byte loads
  std::vector<uint64_t> words_, shingles_, signature_, band_keys_;
  std::vector<uint8_t> band_full_;     // per band: its key has max_per_band_key texts
  std::vector<uint8_t> best_rank_;
  std::vector<uint32_t> sketch_;       // its fingerprints, as stored
  std::vector<uint32_t> sketch_set_;   // the same, as a hash set (0 = empty)
  std::vector<uint32_t> sorted_sketch_, sorted_other_;  // for bottom-k comparisons
  bool sketch_sorted_ = false, sorted_sketch_ready_ = false;
  std::vector<uint32_t> tried_;
};

}  // namespace chorus

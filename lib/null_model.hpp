// null_model.hpp — how many co-actions two accounts would have by chance.
// The null model of chorus-cluster (SPEC §6): each account's whole activity
// is circularly shifted in time by its own random offset, drawn uniformly
// from [-max_shift, +max_shift], round after seeded round; the pair's
// co-actions (marks on one key, |Δt| ≤ window) are counted again each round.
// The p-value is (1 + rounds with at least the observed co-actions) /
// (1 + rounds), `expected` the mean over the rounds.
//
// What it tests: whether the pair acts together more tightly than its own
// rhythm around the same content explains at the scale of max_shift. Two
// accounts that each share the same popular items at their own times within
// the items' hours of life keep about as many co-actions when shifted by
// minutes to an hour: not significant. A pair that posts within seconds of
// each other, time after time, loses them: significant. Content whose whole
// life is shorter than max_shift (a viral post shared within minutes) looks
// like synchrony to it; the score weighs that with the accounts' evidence.
//
// The shift alone would call two busy accounts that share the same viral
// posts within minutes of their release coordinated: shifted, they lose
// those co-actions. So a second null model weighs what they share: each
// account acts as often as it did, each of its marks on a key drawn in
// proportion to the key's marks in all (M). An event of a whose keys have
// n_1, n_2, ... marks then shares a key with b with probability at most
// min(1, d_b (n_1 + n_2 + ...) / M), d_b being b's marks; their sum over a's
// events is the expected number of a's events that co-act with b by chance,
// against which the observed number gets a Poisson p-value, both ways round.
// A breaking-news post's hashtag, link and domain are one event, not three
// coincidences. An edge is significant when both null models are rejected:
// its p-value is the larger of the shift's and popularity's.
//
// Pure functions over plain vectors; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "timestamp.hpp"

namespace chorus {

struct NullParams {
  Micros window = 60 * kMicrosPerSecond;
  Micros max_shift = 3600 * kMicrosPerSecond;
  uint32_t rounds = 199;
  uint64_t seed = 1;
  // The time span of all the marks: shifts wrap around within
  // [span_begin, span_begin + span_length + window).
  Micros span_begin = 0, span_length = 0;
};

// One account's marks: (key hash, time), sorted by key then time.
struct TimedKey {
  uint64_t key;
  Micros ts;
  uint64_t event;  // a hash of the event id
  bool operator<(const TimedKey& o) const { return key != o.key ? key < o.key : ts < o.ts; }
};

struct NullResult {
  uint64_t observed = 0;   // co-actions without any shift
  uint64_t a_events = 0;   // a's events with a co-action, and b's
  uint64_t b_events = 0;
  double expected = 0;     // mean co-actions over the shift rounds
  double p_value = 1;      // of the shift model
};

// One account's events under the popularity model: for each event, the sum of
// its keys' marks in all (n_1 + n_2 + ...), ascending, with prefix sums.
class EventLoads {
 public:
  EventLoads() = default;
  explicit EventLoads(std::vector<double> loads);
  // Expected events that share a key with an account of `marks` marks, when
  // there are `total` marks in all: sum of min(1, marks * load / total).
  double expected(uint64_t marks, uint64_t total) const;

 private:
  std::vector<double> loads_, prefix_;
};

// P(X >= k) for X Poisson with mean lambda.
double poisson_upper_tail(uint64_t k, double lambda);

// The shift of account `account_hash` in round `round`, in [-max_shift, +max_shift].
Micros null_shift(const NullParams& p, uint64_t account_hash, uint32_t round);

// The pair's test. `a` and `b` sorted as TimedKey orders them.
NullResult null_test(const NullParams& p, uint64_t a_hash, const std::vector<TimedKey>& a, uint64_t b_hash,
                     const std::vector<TimedKey>& b);

// The hash that names an account to null_shift (XXH3-64 of its name as written).
uint64_t account_hash(std::string_view name);

}  // namespace chorus

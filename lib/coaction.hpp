// coaction.hpp — the co-action sweep of chorus-join (SPEC §5): over the marks
// of one key in time order, two marks by different accounts at most `window`
// apart are a co-action. A sliding window holds the key's recent marks, so the
// work grows with the co-actions inside windows, never with the square of a
// key's sharers.
//
// Hot windows (viral content, breaking news, a flood): a mark whose window
// holds more than max_accounts accounts (counting its own), or more than 8 x
// max_accounts marks, is in a hot window. With kCap, the accounts already in
// the window go on pairing — each new mark of theirs with the max_accounts
// latest marks of other accounts — and an account new to the window pairs
// with nothing: a flood of 100,000 sharers in one window makes the co-actions
// of its first max_accounts accounts and stops there. With kSkip, no mark in
// a hot window pairs at all. Either way the mark is counted
// (SweepStats::hot_marks) and so are the co-actions it did not make
// (capped_coactions: those its window offered; the window never holds more
// than 8 x max_accounts marks — older ones could not be reached by a capped
// scan — so on a very busy key this is a lower bound). Memory is bounded
// whatever the key. max_accounts 0: no limit.
//
// Not thread-safe; one sweep per thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "timestamp.hpp"

namespace chorus {

enum class HotPolicy : uint8_t { kCap, kSkip };

struct SweepOptions {
  Micros window = 60 * Micros{1000000};
  uint32_t max_accounts = 1000;
  HotPolicy hot = HotPolicy::kCap;
};

struct SweepStats {
  uint64_t keys = 0, marks = 0, coactions = 0;
  uint64_t hot_keys = 0;          // keys with at least one hot window
  uint64_t hot_marks = 0;         // marks whose window was hot
  uint64_t capped_coactions = 0;  // co-actions not made in hot windows
};

class CoActionSweep {
 public:
  struct Side {
    Micros ts;
    uint32_t account;
    std::string_view event;
  };
  // Called for each co-action: the earlier-added mark, then the new one.
  using Emit = std::function<void(const Side& earlier, const Side& later)>;

  CoActionSweep(SweepOptions options, Emit emit);

  // Starts a key: the window empties.
  void begin_key();
  // The key's next mark; marks of a key must come in non-decreasing time.
  void add(Micros ts, uint32_t account, std::string_view event);

  const SweepStats& stats() const { return stats_; }

 private:
  struct Entry {
    Micros ts;
    uint32_t account;
    std::string event;
  };
  void pop_front();

  SweepOptions opt_;
  Emit emit_;
  std::deque<Entry> window_;
  std::unordered_map<uint32_t, uint32_t> in_window_;  // account -> its marks in the window
  bool key_hot_ = false;
  SweepStats stats_;
};

}  // namespace chorus

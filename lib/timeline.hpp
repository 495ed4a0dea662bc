// timeline.hpp — a network's activity over time: the events of its accounts
// counted in bins of an hour, coarsened (to days, weeks, then 4 weeks at a
// time) when more than kMaxTimelineBins distinct bins would be kept, and
// drawn as at most kTimelineBars bars of a round width (an hour, 6 hours, a
// day, a week, 4 weeks, a quarter, a year, then 4 years at a time).
// chorus-score counts it (networks.jsonl's "activity"); chorus-report draws it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "timestamp.hpp"

namespace chorus {

inline constexpr size_t kMaxTimelineBins = 4096;
inline constexpr size_t kTimelineBars = 120;

struct Timeline {
  Micros bin = int64_t{3600} * kMicrosPerSecond;  // the width of a bin
  std::map<int64_t, uint64_t> bins;               // bin start / bin -> events
  uint64_t events = 0;
  void add(Micros ts);
};

struct Bars {
  Micros width = 0, start = 0;  // start: of the first bar
  std::vector<uint64_t> counts;
};
Bars bars_of(const Timeline& t);

// "hour", "6 hours", "day", "week", "28 days" ...
std::string width_words(Micros width);

}  // namespace chorus

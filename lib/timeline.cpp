// timeline.cpp — see timeline.hpp.
#include "timeline.hpp"

namespace chorus {

namespace {
constexpr Micros kHour = int64_t{3600} * kMicrosPerSecond;
constexpr Micros kDay = 24 * kHour;
int64_t floor_div(int64_t a, int64_t d) { return a / d - (a % d < 0); }
}  // namespace

void Timeline::add(Micros ts) {
  ++events;
  ++bins[floor_div(ts, bin)];
  if (bins.size() <= kMaxTimelineBins) return;
  const int64_t factor = bin == kHour ? 24 : bin == kDay ? 7 : 4;  // hours -> days -> weeks -> 4 weeks ...
  std::map<int64_t, uint64_t> coarse;
  for (const auto& [b, count] : bins) coarse[floor_div(b, factor)] += count;
  bins.swap(coarse);
  bin *= factor;
}

Bars bars_of(const Timeline& t) {
  Bars b;
  if (t.bins.empty()) return b;
  const Micros lo = t.bins.begin()->first * t.bin, hi = t.bins.rbegin()->first * t.bin;  // first and last bin's start
  static constexpr Micros kWidths[] = {kHour, 6 * kHour, kDay, 7 * kDay, 28 * kDay, 91 * kDay, 364 * kDay};
  b.width = 0;
  for (Micros w : kWidths)
    if (w >= t.bin && w % t.bin == 0 && floor_div(hi, w) - floor_div(lo, w) < static_cast<int64_t>(kTimelineBars)) {
      b.width = w;
      break;
    }
  if (!b.width) {
    b.width = 364 * kDay;
    while (floor_div(hi, b.width) - floor_div(lo, b.width) >= static_cast<int64_t>(kTimelineBars)) b.width *= 4;
  }
  const int64_t first = floor_div(lo, b.width);
  b.start = first * b.width;
  b.counts.assign(static_cast<size_t>(floor_div(hi, b.width) - first + 1), 0);
  for (const auto& [bin, count] : t.bins) b.counts[static_cast<size_t>(floor_div(bin * t.bin, b.width) - first)] += count;
  return b;
}

std::string width_words(Micros w) {
  if (w == kHour) return "hour";
  if (w % kDay == 0) {
    int64_t d = w / kDay;
    if (d == 1) return "day";
    if (d == 7) return "week";
    return std::to_string(d) + " days";
  }
  return std::to_string(w / kHour) + " hours";
}

}  // namespace chorus

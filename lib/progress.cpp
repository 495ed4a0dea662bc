#include "progress.hpp"

#include <cstdio>

namespace chorus {

Progress::Progress(Diagnostics& diag, bool enabled, std::string unit)
    : diag_(diag), enabled_(enabled), unit_(std::move(unit)) {
  start_ = last_ = std::chrono::steady_clock::now();
}

void Progress::tick(uint64_t items, uint64_t bytes) {
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  std::string line = human_count(static_cast<double>(items)) + " " + unit_ + ", " +
                     human_bytes(static_cast<double>(bytes)) + ", " +
                     human_bytes(secs > 0 ? static_cast<double>(bytes) / secs : 0) + "/s";
  diag_.progress(line);
}

void Progress::finish() {
  if (enabled_) diag_.clear_progress();
}

std::string human_count(double n) {
  char buf[32];
  if (n >= 1e9) std::snprintf(buf, sizeof buf, "%.1fG", n / 1e9);
  else if (n >= 1e6) std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
  else if (n >= 1e4) std::snprintf(buf, sizeof buf, "%.0fk", n / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

std::string human_bytes(double n) {
  char buf[32];
  if (n >= 1e9) std::snprintf(buf, sizeof buf, "%.2f GB", n / 1e9);
  else if (n >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", n / 1e6);
  else if (n >= 1e3) std::snprintf(buf, sizeof buf, "%.1f kB", n / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f B", n);
  return buf;
}

}  // namespace chorus

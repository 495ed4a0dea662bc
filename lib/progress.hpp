// progress.hpp — a rate-limited progress line ("1.2M records, 410 MB, 380 MB/s")
// shown through Diagnostics when wanted. Cheap to call per record: it looks at
// the clock only every few thousand calls. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "diagnostics.hpp"

namespace chorus {

class Progress {
 public:
  Progress(Diagnostics& diag, bool enabled, std::string unit = "records");
  // For per-item calls: looks at the clock every 4096 calls.
  void update(uint64_t items, uint64_t bytes) {
    if (!enabled_ || ++calls_ % 4096 != 0) return;
    tick(items, bytes);
  }
  // For calls per block of work (a megabyte or so): looks at the clock each time.
  void update_block(uint64_t items, uint64_t bytes) {
    if (enabled_) tick(items, bytes);
  }
  void finish();

 private:
  void tick(uint64_t items, uint64_t bytes);
  Diagnostics& diag_;
  bool enabled_;
  std::string unit_;
  uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point start_, last_;
};

// "1.2M", "350k", "42"
std::string human_count(double n);
// "1.2 GB", "350 MB"
std::string human_bytes(double n);

}  // namespace chorus

// line_reader.hpp — one line at a time from an input (file, stdin, zstd), for
// the tab-separated streams between chorus's steps. Lines are numbered from 1;
// a line longer than max_line is reported as overlong instead of being kept
// (memory stays bounded by the block size and max_line). '\n' ends a line and
// is not part of it; a final '\r' is removed too. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "input.hpp"
#include "status.hpp"

namespace chorus {

class LineReader {
 public:
  enum class Kind { kLine, kOverlong, kEnd };
  LineReader(InputStream& in, size_t max_line = size_t{16} << 20);

  // The next line (valid until the next call), an overlong line's number, or
  // the end. An error: the input could not be read (corrupt zstd, I/O).
  Result<Kind> next(std::string_view& line);
  uint64_t line_number() const { return line_; }
  const std::string& name() const { return in_.name(); }

 private:
  InputStream& in_;
  LineBlockReader reader_;
  LineBlockReader::Block block_;
  size_t pos_ = 0;
  size_t next_overlong_ = 0;
  uint64_t line_ = 0;       // number of the line last returned
  uint64_t block_line_ = 0; // number of the line at pos_
  bool have_block_ = false, eof_ = false;
};

}  // namespace chorus

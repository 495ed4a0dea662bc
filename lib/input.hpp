// input.hpp — reading a named input: a file or standard input ("-"), plain or
// zstd-compressed (detected by the frame's magic bytes, never by the name).
// Multi-frame zstd streams, skippable frames and plain data are all read; a
// truncated or corrupt zstd stream is an error naming the input.
// ByteSource is the seam: tests read from memory, commands from descriptors.
// Not thread-safe: one reader per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "status.hpp"

namespace chorus {

// Raw bytes, before any decompression.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes; 0 means end of input.
  virtual Result<size_t> read(char* buf, size_t n) = 0;
};

std::unique_ptr<ByteSource> memory_source(std::string bytes);

class InputStream {
 public:
  // Opens `path` ("-" for standard input).
  static Result<std::unique_ptr<InputStream>> open(const std::string& path);
  // Wraps any source; `name` is what messages call it.
  static std::unique_ptr<InputStream> from_source(std::unique_ptr<ByteSource> src, std::string name);
  ~InputStream();

  // Reads up to n decompressed bytes; 0 means a clean end of input.
  Result<size_t> read(char* buf, size_t n);
  const std::string& name() const { return name_; }
  bool compressed() const { return zstd_; }
  uint64_t raw_bytes_read() const { return raw_total_; }

 private:
  InputStream(std::unique_ptr<ByteSource> src, std::string name);
  Result<size_t> fill_raw();
  Result<size_t> read_zstd(char* buf, size_t n);

  std::unique_ptr<ByteSource> src_;
  std::string name_;
  std::vector<char> raw_;     // compressed bytes read ahead
  size_t raw_pos_ = 0, raw_end_ = 0;
  bool raw_eof_ = false;
  bool sniffed_ = false;
  bool zstd_ = false;
  bool frame_open_ = false;   // inside a zstd frame that has not ended
  void* dctx_ = nullptr;      // ZSTD_DCtx*
  uint64_t raw_total_ = 0;
};

// Reads everything (for small side inputs such as label or config files).
Result<std::string> read_all(const std::string& path);

// Splits an input into blocks of whole lines, so a parser can work on many
// lines at once. Each block is followed by `padding` readable bytes. A line
// longer than max_line is not kept: its bytes are blanked (replaced by spaces
// inside a block, or discarded while streaming) and its number is listed in
// Block::overlong, so the caller can report it; memory stays bounded by
// max(block_size, max_line) whatever the input.
class LineBlockReader {
 public:
  struct Block {
    char* data = nullptr;
    size_t size = 0;              // bytes of whole lines (the last ends with '\n' or at EOF)
    uint64_t first_line = 1;      // number of the block's first line
    std::vector<uint64_t> overlong;  // numbers of lines that were too long
    // Offset of each '\n' in data[0, size), in order: line first_line + k ends
    // at newlines[k] (the last line may end at size instead, unterminated).
    std::vector<size_t> newlines;
  };
  // Blocks hold about block_size bytes; the buffer grows to max_line + 1 only
  // when one line needs it.
  LineBlockReader(InputStream& in, size_t block_size, size_t max_line, size_t padding);
  // Fills `block`; false at the end of input.
  Result<bool> next(Block& block);

 private:
  InputStream& in_;
  size_t block_size_, capacity_, max_line_, padding_;
  // Not a vector: its zero-filling would touch every page of a buffer sized
  // for the longest line, though ordinary blocks use only the first megabyte.
  std::unique_ptr<char[]> buf_;
  size_t tail_begin_ = 0, tail_end_ = 0;  // unfinished line after the last block
  Status pending_error_;
  uint64_t next_line_ = 1;
  bool eof_ = false;
};

}  // namespace chorus

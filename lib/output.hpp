// output.hpp — buffered output to standard output ("-") or a file, zstd-
// compressed when the file name ends in ".zst". Every write error is kept and
// returned by close(), so `>/dev/full` is an error and never a silent loss.
// SIGPIPE keeps its default action (see restore_sigpipe), so `| head` ends the
// writer quietly. Not thread-safe: one writer per thread.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <vector>
#include <string_view>

#include "status.hpp"

namespace chorus {

// Where bytes finally go; tests use a memory sink.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual Status write(const char* data, size_t n) = 0;
  virtual Status close() = 0;
};

class OutputStream {
 public:
  // "-" is standard output. A name ending in ".zst" is written zstd-compressed.
  static Result<std::unique_ptr<OutputStream>> open(const std::string& path, int zstd_level = 3);
  static std::unique_ptr<OutputStream> to_string(std::string* target);
  ~OutputStream();

  void write(std::string_view s) {
    if (s.empty()) return;  // its data() may be null, which memcpy must not see
    if (buf_.size() - used_ < s.size()) {
      spill(s);
      return;
    }
    std::memcpy(buf_.data() + used_, s.data(), s.size());
    used_ += s.size();
  }
  void put(char c) {
    if (used_ == buf_.size()) flush_buffer();
    buf_[used_++] = c;
  }
  // Direct access for formatters: reserve n bytes, write them, commit.
  char* reserve(size_t n) {
    if (buf_.size() - used_ < n) {
      flush_buffer();
      if (buf_.size() < n) buf_.resize(n);
    }
    return buf_.data() + used_;
  }
  void commit(size_t n) { used_ += n; }

  // Flushes, finishes the zstd frame, closes; the first error seen, if any.
  Status close();
  const std::string& name() const { return name_; }
  bool failed() const { return !error_.ok(); }

 private:
  OutputStream(std::unique_ptr<ByteSink> sink, std::string name, int zstd_level);
  void spill(std::string_view s);
  void flush_buffer();
  void emit(const char* data, size_t n, bool end);

  std::unique_ptr<ByteSink> sink_;
  std::string name_;
  std::string buf_;
  size_t used_ = 0;
  void* cctx_ = nullptr;  // ZSTD_CCtx* when compressing
  std::string zbuf_;
  Status error_;
  bool closed_ = false;
};

// Sets SIGPIPE to its default action, whatever the parent left it at.
void restore_sigpipe();

// Whether two paths name the same existing file ("-" is standard input or
// output: compared through descriptors 0 and 1). Used to refuse writing over an input.
bool same_file(const std::string& a, const std::string& b);

// A command's outputs: -o and its side files. Checks first that none of the
// named outputs is one of the inputs ("FILE: output file is also an input"),
// then opens each (an empty name: none, a null entry), so that a bad path
// fails before any work.
Result<std::vector<std::unique_ptr<OutputStream>>> open_outputs(const std::vector<std::string>& paths,
                                                                const std::vector<std::string>& inputs);

}  // namespace chorus

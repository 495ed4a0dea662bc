#include "line_reader.hpp"

#include <algorithm>
#include <cstring>

namespace chorus {

namespace {
constexpr size_t kBlockSize = size_t{1} << 20;
}

LineReader::LineReader(InputStream& in, size_t max_line) : in_(in), reader_(in, kBlockSize, max_line, 0) {}

Result<LineReader::Kind> LineReader::next(std::string_view& line) {
  for (;;) {
    if (!have_block_) {
      if (eof_) return Kind::kEnd;
      auto more = reader_.next(block_);
      if (!more) return more.status();
      if (!*more) {
        eof_ = true;
        return Kind::kEnd;
      }
      have_block_ = true;
      pos_ = 0;
      next_overlong_ = 0;
      block_line_ = block_.first_line;
    }
    // Overlong lines first (their numbers), then the block's lines, skipping
    // the blanked overlong ones.
    if (next_overlong_ < block_.overlong.size()) {
      line_ = block_.overlong[next_overlong_++];
      return Kind::kOverlong;
    }
    if (pos_ >= block_.size) {
      have_block_ = false;
      continue;
    }
    const char* s = block_.data + pos_;
    const char* nl = static_cast<const char*>(std::memchr(s, '\n', block_.size - pos_));
    size_t len = (nl ? nl : block_.data + block_.size) - s;
    pos_ += len + 1;
    line_ = block_line_++;
    if (std::binary_search(block_.overlong.begin(), block_.overlong.end(), line_)) continue;
    if (len > 0 && s[len - 1] == '\r') --len;
    line = std::string_view(s, len);
    return Kind::kLine;
  }
}

}  // namespace chorus

#include "input.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace chorus {
namespace {

// Appends the offset of every '\n' in s[0, n) to `out`. One pass of 64-byte
// compares: lines are a few hundred bytes, so a memchr call per line would
// cost more in calls than in scanning.
void index_newlines(const char* s, size_t n, std::vector<size_t>& out) {
  size_t i = 0;
#if defined(__AVX2__)
  const __m256i nl = _mm256_set1_epi8('\n');
  for (; i + 64 <= n; i += 64) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + 32));
    uint64_t m = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, nl))) |
                 (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, nl)))) << 32);
    while (m) {
      out.push_back(i + static_cast<size_t>(__builtin_ctzll(m)));
      m &= m - 1;
    }
  }
#endif
  for (const char* q = s + i; (q = static_cast<const char*>(std::memchr(q, '\n', s + n - q))) != nullptr; ++q)
    out.push_back(static_cast<size_t>(q - s));
}

class FdSource : public ByteSource {
 public:
  FdSource(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FdSource() override {
    if (owned_) ::close(fd_);
  }
  Result<size_t> read(char* buf, size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno == EINTR) continue;
      return Status::error(std::strerror(errno));
    }
  }

 private:
  int fd_;
  bool owned_;
};

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<size_t> read(char* buf, size_t n) override {
    size_t k = std::min(n, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

constexpr uint32_t kZstdMagic = 0xFD2FB528u;
constexpr uint32_t kSkippableMask = 0xFFFFFFF0u;
constexpr uint32_t kSkippableMagic = 0x184D2A50u;

uint32_t le32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;  // x86 and every Debian target chorus builds on is little-endian
}

}  // namespace

std::unique_ptr<ByteSource> memory_source(std::string bytes) {
  return std::make_unique<MemorySource>(std::move(bytes));
}

InputStream::InputStream(std::unique_ptr<ByteSource> src, std::string name)
    : src_(std::move(src)), name_(std::move(name)), raw_(1 << 17) {}

InputStream::~InputStream() {
  if (dctx_) ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(dctx_));
}

Result<std::unique_ptr<InputStream>> InputStream::open(const std::string& path) {
  if (path == "-") return from_source(std::make_unique<FdSource>(0, false), "(stdin)");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::error(path + ": " + std::strerror(errno));
  return from_source(std::make_unique<FdSource>(fd, true), path);
}

std::unique_ptr<InputStream> InputStream::from_source(std::unique_ptr<ByteSource> src, std::string name) {
  return std::unique_ptr<InputStream>(new InputStream(std::move(src), std::move(name)));
}

// Moves unread raw bytes to the front and reads more; returns bytes now buffered.
Result<size_t> InputStream::fill_raw() {
  if (raw_pos_ > 0) {
    std::memmove(raw_.data(), raw_.data() + raw_pos_, raw_end_ - raw_pos_);
    raw_end_ -= raw_pos_;
    raw_pos_ = 0;
  }
  while (!raw_eof_ && raw_end_ < raw_.size()) {
    auto r = src_->read(raw_.data() + raw_end_, raw_.size() - raw_end_);
    if (!r) return Status::error(name_ + ": read error: " + r.status().message());
    if (*r == 0) {
      raw_eof_ = true;
      break;
    }
    raw_end_ += *r;
    raw_total_ += *r;
    if (raw_end_ >= 8) break;  // enough to sniff; do not block for a full buffer on pipes
  }
  return raw_end_ - raw_pos_;
}

Result<size_t> InputStream::read(char* buf, size_t n) {
  if (n == 0) return size_t{0};  // else the zstd loop would wait for output that cannot come
  if (!sniffed_) {
    sniffed_ = true;
    while (!raw_eof_ && raw_end_ - raw_pos_ < 4) {
      auto r = fill_raw();
      if (!r) return r.status();
    }
    if (raw_end_ - raw_pos_ >= 4) {
      uint32_t m = le32(raw_.data() + raw_pos_);
      zstd_ = m == kZstdMagic || (m & kSkippableMask) == kSkippableMagic;
    }
    if (zstd_) dctx_ = ZSTD_createDCtx();
  }
  if (zstd_) return read_zstd(buf, n);
  if (raw_pos_ < raw_end_) {
    size_t k = std::min(n, raw_end_ - raw_pos_);
    std::memcpy(buf, raw_.data() + raw_pos_, k);
    raw_pos_ += k;
    return k;
  }
  if (raw_eof_) return size_t{0};
  auto r = src_->read(buf, n);
  if (!r) return Status::error(name_ + ": read error: " + r.status().message());
  if (*r == 0) raw_eof_ = true;
  raw_total_ += *r;
  return *r;
}

Result<size_t> InputStream::read_zstd(char* buf, size_t n) {
  auto* dctx = static_cast<ZSTD_DCtx*>(dctx_);
  for (;;) {
    if (raw_pos_ == raw_end_) {
      auto r = fill_raw();
      if (!r) return r.status();
      if (*r == 0) {
        if (frame_open_) return Status::error(name_ + ": truncated zstd stream");
        return size_t{0};
      }
    }
    if (!frame_open_) {
      // Between frames: what follows must be another frame, not garbage.
      while (!raw_eof_ && raw_end_ - raw_pos_ < 4) {
        auto r = fill_raw();
        if (!r) return r.status();
      }
      if (raw_end_ - raw_pos_ < 4) return Status::error(name_ + ": corrupt zstd stream: trailing garbage");
      uint32_t m = le32(raw_.data() + raw_pos_);
      if (m != kZstdMagic && (m & kSkippableMask) != kSkippableMagic)
        return Status::error(name_ + ": corrupt zstd stream: trailing garbage after frame");
      frame_open_ = true;
    }
    ZSTD_inBuffer in{raw_.data() + raw_pos_, raw_end_ - raw_pos_, 0};
    ZSTD_outBuffer out{buf, n, 0};
    size_t ret = ZSTD_decompressStream(dctx, &out, &in);
    raw_pos_ += in.pos;
    if (ZSTD_isError(ret)) return Status::error(name_ + ": corrupt zstd stream: " + ZSTD_getErrorName(ret));
    if (ret == 0) frame_open_ = false;
    if (out.pos > 0) return out.pos;
    if (in.pos == 0 && raw_eof_ && raw_pos_ == raw_end_ && frame_open_)
      return Status::error(name_ + ": truncated zstd stream");
  }
}

Result<std::string> read_all(const std::string& path) {
  auto in = InputStream::open(path);
  if (!in) return in.status();
  std::string s;
  char buf[1 << 16];
  for (;;) {
    auto r = (*in)->read(buf, sizeof buf);
    if (!r) return r.status();
    if (*r == 0) break;
    s.append(buf, *r);
  }
  return s;
}

LineBlockReader::LineBlockReader(InputStream& in, size_t block_size, size_t max_line, size_t padding)
    : in_(in), block_size_(block_size), capacity_(std::max(block_size, max_line + 1)), max_line_(max_line),
      padding_(padding) {
  buf_.reset(new char[capacity_ + padding_]);
}

Result<bool> LineBlockReader::next(Block& block) {
  block.overlong.clear();
  block.newlines.clear();
  // A read error after data arrived was held back so that data could be used first.
  if (!pending_error_.ok() && tail_begin_ == tail_end_) return pending_error_;
  // The previous block's unfinished last line moves to the front.
  if (tail_begin_ < tail_end_) std::memmove(buf_.get(), buf_.get() + tail_begin_, tail_end_ - tail_begin_);
  size_t end = tail_end_ - tail_begin_;
  tail_begin_ = tail_end_ = 0;
  for (;;) {
    // Read about block_size_ bytes; keep reading (up to capacity_) while the
    // block holds no whole line.
    while (!eof_ && end < capacity_) {
      size_t want = std::min(capacity_ - end, std::max(block_size_ > end ? block_size_ - end : 0, size_t{1} << 16));
      auto r = in_.read(buf_.get() + end, want);
      if (!r) {
        if (end == 0) return r.status();
        // Hand out the lines read so far (a corrupt zstd stream's good frames);
        // the error comes with the next call.
        pending_error_ = r.status();
        eof_ = true;
        break;
      }
      if (*r == 0) {
        eof_ = true;
        break;
      }
      end += *r;
      if (end >= block_size_ && memrchr(buf_.get(), '\n', end)) break;
    }
    if (end == 0) {
      if (block.overlong.empty()) return false;
      block.data = buf_.get();
      block.size = 0;
      block.first_line = next_line_;
      return true;  // only the overlong report; the next call ends
    }
    size_t cut = end;
    if (!eof_ || end == capacity_) {
      const char* p = static_cast<const char*>(memrchr(buf_.get(), '\n', end));
      if (p) {
        cut = p + 1 - buf_.get();
      } else if (end == capacity_) {
        // One line fills the whole buffer, so it is over max_line: drop it up to its newline.
        block.overlong.push_back(next_line_++);
        end = 0;
        while (!eof_) {
          auto r = in_.read(buf_.get(), capacity_);
          if (!r) return r.status();
          if (*r == 0) {
            eof_ = true;
            break;
          }
          const char* nl = static_cast<const char*>(std::memchr(buf_.get(), '\n', *r));
          if (nl) {
            end = *r - (nl + 1 - buf_.get());
            std::memmove(buf_.get(), nl + 1, end);
            break;
          }
        }
        continue;
      }
    }
    block.data = buf_.get();
    block.size = cut;
    block.first_line = next_line_;
    // Index the newlines and blank the lines longer than max_line (spaces are
    // JSON whitespace). A block no longer than max_line cannot hold such a line.
    char* s = buf_.get();
    uint64_t line = next_line_;
    index_newlines(s, cut, block.newlines);
    if (cut > max_line_) {
      size_t start = 0;
      for (size_t k = 0; k <= block.newlines.size() && start < cut; ++k) {
        size_t le = k < block.newlines.size() ? block.newlines[k] : cut;
        if (le - start > max_line_) {
          block.overlong.push_back(line + k);
          std::memset(s + start, ' ', le - start);
        }
        start = le + 1;
      }
    }
    line += block.newlines.size();
    if (cut > 0 && s[cut - 1] != '\n') ++line;  // the last line, unterminated at the end of input
    next_line_ = line;
    // The parser reads (and ignores) `padding_` bytes past the block: past the
    // unfinished tail they would be uninitialised, so define them.
    std::memset(buf_.get() + end, ' ', padding_);
    tail_begin_ = cut;
    tail_end_ = end;
    return true;
  }
}

}  // namespace chorus

#include "output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <csignal>

namespace chorus {
namespace {

class FdSink : public ByteSink {
 public:
  FdSink(int fd, bool owned, std::string name) : fd_(fd), owned_(owned), name_(std::move(name)) {}
  ~FdSink() override {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  Status write(const char* data, size_t n) override {
    while (n > 0) {
      ssize_t w = ::write(fd_, data, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return Status::error(name_ + ": write error: " + std::strerror(errno));
      }
      data += w;
      n -= static_cast<size_t>(w);
    }
    return {};
  }
  Status close() override {
    if (!owned_ || fd_ < 0) return {};
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return Status::error(name_ + ": close error: " + std::strerror(errno));
    return {};
  }

 private:
  int fd_;
  bool owned_;
  std::string name_;
};

class StringSink : public ByteSink {
 public:
  explicit StringSink(std::string* t) : t_(t) {}
  Status write(const char* data, size_t n) override {
    t_->append(data, n);
    return {};
  }
  Status close() override { return {}; }

 private:
  std::string* t_;
};

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

constexpr size_t kBufferSize = 1 << 18;

}  // namespace

OutputStream::OutputStream(std::unique_ptr<ByteSink> sink, std::string name, int zstd_level)
    : sink_(std::move(sink)), name_(std::move(name)) {
  buf_.resize(kBufferSize);
  if (zstd_level > 0) {
    auto* c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, zstd_level);
    cctx_ = c;
    zbuf_.resize(ZSTD_CStreamOutSize());
  }
}

OutputStream::~OutputStream() {
  if (!closed_) close();
  if (cctx_) ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(cctx_));
}

Result<std::unique_ptr<OutputStream>> OutputStream::open(const std::string& path, int zstd_level) {
  int level = ends_with(path, ".zst") ? zstd_level : 0;
  if (path == "-")
    return std::unique_ptr<OutputStream>(
        new OutputStream(std::make_unique<FdSink>(1, false, "(stdout)"), "(stdout)", 0));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return Status::error(path + ": " + std::strerror(errno));
  return std::unique_ptr<OutputStream>(new OutputStream(std::make_unique<FdSink>(fd, true, path), path, level));
}

std::unique_ptr<OutputStream> OutputStream::to_string(std::string* target) {
  return std::unique_ptr<OutputStream>(new OutputStream(std::make_unique<StringSink>(target), "(string)", 0));
}

void OutputStream::spill(std::string_view s) {
  flush_buffer();
  if (s.size() >= buf_.size()) {
    emit(s.data(), s.size(), false);
    return;
  }
  std::memcpy(buf_.data(), s.data(), s.size());
  used_ = s.size();
}

void OutputStream::flush_buffer() {
  if (used_ == 0) return;
  emit(buf_.data(), used_, false);
  used_ = 0;
}

void OutputStream::emit(const char* data, size_t n, bool end) {
  if (!error_.ok()) return;  // after the first error, drop output: close() reports it
  if (!cctx_) {
    if (n > 0) error_ = sink_->write(data, n);
    return;
  }
  auto* c = static_cast<ZSTD_CCtx*>(cctx_);
  ZSTD_inBuffer in{data, n, 0};
  for (;;) {
    ZSTD_outBuffer out{zbuf_.data(), zbuf_.size(), 0};
    size_t left = ZSTD_compressStream2(c, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left)) {
      error_ = Status::error(name_ + ": zstd: " + ZSTD_getErrorName(left));
      return;
    }
    if (out.pos > 0) {
      error_ = sink_->write(zbuf_.data(), out.pos);
      if (!error_.ok()) return;
    }
    if (end ? left == 0 : in.pos == in.size) return;
  }
}

Status OutputStream::close() {
  if (closed_) return error_;
  closed_ = true;
  flush_buffer();
  if (cctx_) emit(nullptr, 0, true);
  Status c = sink_->close();
  if (error_.ok()) error_ = c;
  return error_;
}

void restore_sigpipe() { std::signal(SIGPIPE, SIG_DFL); }

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  int ra = a == "-" ? ::fstat(0, &sa) : ::stat(a.c_str(), &sa);
  int rb = b == "-" ? ::fstat(1, &sb) : ::stat(b.c_str(), &sb);
  // Only regular files: /dev/null or a terminal as both input and output is fine.
  return ra == 0 && rb == 0 && S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

Result<std::vector<std::unique_ptr<OutputStream>>> open_outputs(const std::vector<std::string>& paths,
                                                                const std::vector<std::string>& inputs) {
  for (const auto& in : inputs)
    for (const auto& out : paths)
      if (!out.empty() && same_file(in, out)) return Status::error(out + ": output file is also an input");
  std::vector<std::unique_ptr<OutputStream>> outs;
  for (const auto& path : paths) {
    if (path.empty()) {
      outs.emplace_back();
      continue;
    }
    auto o = OutputStream::open(path);
    if (!o) return o.status();
    outs.push_back(std::move(*o));
  }
  return outs;
}

}  // namespace chorus

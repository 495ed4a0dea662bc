#include "diagnostics.hpp"

#include <algorithm>

namespace chorus {

std::string line_error(const std::string& file, uint64_t line, const std::string& message) {
  return file + ":" + std::to_string(line) + ": " + message;
}

Diagnostics::Diagnostics(std::string prog, std::FILE* sink) : prog_(std::move(prog)), sink_(sink) {}

void Diagnostics::emit(std::string_view text) {
  clear_progress();
  std::fwrite(text.data(), 1, text.size(), sink_);
  std::fflush(sink_);
}

void Diagnostics::error(std::string_view message) {
  ++errors_;
  std::string s = prog_ + ": ";
  s.append(message);
  s += '\n';
  emit(s);
}

void Diagnostics::error_at(std::string_view file, uint64_t line, std::string_view message) {
  ++errors_;
  std::string s = prog_ + ": ";
  s.append(file);
  if (line > 0) s += ':' + std::to_string(line);
  s += ": ";
  s.append(message);
  s += '\n';
  emit(s);
}

void Diagnostics::error_with_context(std::string_view file, uint64_t line, std::string_view message,
                                     std::string_view text, size_t column) {
  error_at(file, line, message);
  constexpr size_t kWidth = 72;
  size_t begin = 0;
  if (column > kWidth / 2) begin = std::min(column - kWidth / 2, text.size());
  std::string_view shown = text.substr(begin, kWidth);
  std::string s = "  ";
  for (char c : shown) s += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  s += '\n';
  if (column >= 1 && column - 1 >= begin && column - 1 - begin <= shown.size()) {
    s += "  ";
    s.append(column - 1 - begin, ' ');
    s += "^\n";
  }
  emit(s);
}

void Diagnostics::warning(std::string_view message) {
  std::string s = prog_ + ": warning: ";
  s.append(message);
  s += '\n';
  emit(s);
}

void Diagnostics::note(std::string_view message) {
  std::string s = prog_ + ": ";
  s.append(message);
  s += '\n';
  emit(s);
}

void Diagnostics::progress(std::string_view line) {
  std::string s = "\r" + prog_ + ": ";
  s.append(line);
  s += "\x1b[K";
  std::fwrite(s.data(), 1, s.size(), sink_);
  std::fflush(sink_);
  progress_shown_ = true;
}

void Diagnostics::clear_progress() {
  if (!progress_shown_) return;
  std::fputs("\r\x1b[K", sink_);
  progress_shown_ = false;
}

std::string display_name(std::string_view path) {
  if (path == "-") return "(stdin)";
  return std::string(path);
}

}  // namespace chorus

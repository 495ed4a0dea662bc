// diagnostics.hpp — the one reporter of messages to the user, in the GNU form
// `prog: file:line: message` (lower case, no final period). Lib code returns
// errors as values; commands hand them to a Diagnostics. Not thread-safe: one
// per command, used from the thread that owns standard error.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace chorus {

// "FILE:LINE: message", the form of every message about a line of input.
std::string line_error(const std::string& file, uint64_t line, const std::string& message);

class Diagnostics {
 public:
  // `sink` is where messages go (stderr in commands, a memstream in tests).
  explicit Diagnostics(std::string prog, std::FILE* sink = stderr);

  const std::string& prog() const { return prog_; }

  // `prog: message`
  void error(std::string_view message);
  // `prog: file:line: message`; line 0 omits the line number.
  void error_at(std::string_view file, uint64_t line, std::string_view message);
  // As error_at, then the offending text (cut short, control bytes shown as
  // '?') on a second line and, when column is known (>= 1), a caret under it.
  void error_with_context(std::string_view file, uint64_t line, std::string_view message,
                          std::string_view text, size_t column = 0);
  // `prog: warning: message`
  void warning(std::string_view message);
  // A line that is not an error: summaries, notes.
  void note(std::string_view message);

  // Progress line, overwritten in place ("\r...\x1b[K"); clear_progress()
  // erases it before any other message is printed.
  void progress(std::string_view line);
  void clear_progress();

  uint64_t errors_reported() const { return errors_; }

 private:
  void emit(std::string_view text);
  std::string prog_;
  std::FILE* sink_;
  bool progress_shown_ = false;
  uint64_t errors_ = 0;
};

// The user-facing name of an input: "-" is shown as "(stdin)".
std::string display_name(std::string_view path);

}  // namespace chorus

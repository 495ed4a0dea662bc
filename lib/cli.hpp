// cli.hpp — the one wrapper around CLI11 that every chorus command uses, so
// they all behave alike: --help and --version print to standard output and
// exit 0; any other command-line error prints `prog: message` and
// `Try 'prog --help'` to standard error and exits 2 (kExitUsageError).
// Also the options every command shares: input operands, -o, --progress,
// --quiet. Not thread-safe; used once at start-up.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string_view>

#include "status.hpp"

#include <string>
#include <vector>

namespace chorus {

struct CommonOptions {
  std::vector<std::string> inputs;  // operands; empty means standard input
  std::string output = "-";
  bool progress = false;  // force the progress line
  bool quiet = false;     // no progress line, no summary
};

// --strict, --max-errors and --max-line, shared by the commands that read
// lines, and the count of bad lines against them.
struct BadLinePolicy {
  bool strict = false;
  int64_t max_errors = -1;  // no limit
  std::string max_line_text;
  size_t max_line = 0;      // set by check_bad_line_options()
  int64_t bad = 0;          // bad lines so far
  // Counts one bad line; whether to go on.
  bool go_on() {
    ++bad;
    return !strict && !over();
  }
  // More bad lines than --max-errors allows (exit status 1).
  bool over() const { return max_errors >= 0 && bad > max_errors; }
};

class CommandLine {
 public:
  CommandLine(std::string prog, std::string description);
  CLI::App& app() { return app_; }
  const std::string& prog() const { return prog_; }

  // Adds the operands, -o/--output, --progress and --quiet.
  void add_common(CommonOptions& opts, bool with_inputs = true, bool with_output = true);

  // Adds --strict, --max-errors and --max-line (default `max_line`).
  void add_bad_line_options(BadLinePolicy& p, std::string max_line);
  // After parse(): reads --max-line into p.max_line (a usage error when it is
  // not a positive size).
  void check_bad_line_options(BadLinePolicy& p) const;

  // Parses; exits the process for --help, --version and usage errors.
  void parse(int argc, char** argv);

  // Prints `prog: message` + the try line and exits 2: for errors the
  // command finds after parsing (conflicting flags, bad values).
  [[noreturn]] void usage_error(const std::string& message) const;

 private:
  std::string prog_;
  CLI::App app_;
};

// Digits only: CLI11 2.1 reads "-1" into a uint64_t as 2^64 - 1.
CLI::Validator whole_number_validator();

// Whether to show a progress line: forced, suppressed, or when stderr is a terminal.
bool progress_wanted(const CommonOptions& opts);

}  // namespace chorus

namespace chorus {

// "250", "10k", "1.5M", "2G" (powers of 1000): counts of events, accounts, ...
Result<uint64_t> parse_count(std::string_view text);
// "4096", "64k", "16M", "2G", also "16MiB" (powers of 1024): sizes in bytes.
Result<uint64_t> parse_bytes(std::string_view text);
// "10", "10s", "5m", "2h", "1d", "0.5": a duration, in microseconds.
Result<int64_t> parse_duration(std::string_view text);

}  // namespace chorus

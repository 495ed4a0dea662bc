#include "cli.hpp"

#include <unistd.h>

#include <cstdio>
#include <cerrno>
#include <cstdlib>

#include "exit_status.hpp"

#ifndef CHORUS_VERSION
#define CHORUS_VERSION "0.0.0"
#endif

namespace chorus {

CommandLine::CommandLine(std::string prog, std::string description)
    : prog_(std::move(prog)), app_(std::move(description), prog_) {
  app_.set_version_flag("--version", prog_ + " (chorus) " CHORUS_VERSION);
  app_.get_formatter()->column_width(32);
}

void CommandLine::add_common(CommonOptions& opts, bool with_inputs, bool with_output) {
  if (with_inputs)
    app_.add_option("inputs", opts.inputs, "Input files ('-' or none: standard input); zstd is detected")
        ->type_name("FILE");
  if (with_output)
    app_.add_option("-o,--output", opts.output, "Write to FILE instead of standard output (zstd if it ends in .zst)")
        ->type_name("FILE");
  app_.add_flag("--progress", opts.progress, "Show a progress line on standard error even when it is not a terminal");
  app_.add_flag("-q,--quiet", opts.quiet, "No progress line and no summary (each error is still reported)");
}

void CommandLine::parse(int argc, char** argv) {
  try {
    app_.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app_.help().c_str(), stdout);
    std::exit(std::fflush(stdout) == 0 && !std::ferror(stdout) ? kExitSuccess : kExitUsageError);
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app_.help("", CLI::AppFormatMode::All).c_str(), stdout);
    std::exit(std::fflush(stdout) == 0 && !std::ferror(stdout) ? kExitSuccess : kExitUsageError);
  } catch (const CLI::CallForVersion&) {
    std::fputs((app_.version() + "\n").c_str(), stdout);
    std::exit(std::fflush(stdout) == 0 && !std::ferror(stdout) ? kExitSuccess : kExitUsageError);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (!msg.empty() && msg.back() == '\n') msg.pop_back();
    // CLI11 capitalises its messages; ours are lower case.
    if (!msg.empty() && msg[0] >= 'A' && msg[0] <= 'Z' && !(msg.size() > 1 && msg[1] >= 'A' && msg[1] <= 'Z'))
      msg[0] = static_cast<char>(msg[0] - 'A' + 'a');
    usage_error(msg);
  }
}

void CommandLine::add_bad_line_options(BadLinePolicy& p, std::string max_line) {
  p.max_line_text = std::move(max_line);
  app_.add_flag("--strict", p.strict, "Stop at the first bad line (exit status 1)");
  app_.add_option("--max-errors", p.max_errors, "Stop with exit status 1 after more than N bad lines (default: no limit)")
      ->type_name("N");
  app_.add_option("--max-line", p.max_line_text, "Longest line accepted, in bytes (k, M, G suffixes)")
      ->type_name("BYTES")
      ->capture_default_str();
}

void CommandLine::check_bad_line_options(BadLinePolicy& p) const {
  auto limit = parse_bytes(p.max_line_text);
  if (!limit || *limit == 0) usage_error("--max-line: " + (limit ? "must be positive" : limit.status().message()));
  p.max_line = *limit;
}

void CommandLine::usage_error(const std::string& message) const {
  std::fprintf(stderr, "%s: %s\nTry '%s --help' for more information.\n", prog_.c_str(), message.c_str(),
               prog_.c_str());
  std::exit(kExitUsageError);
}

CLI::Validator whole_number_validator() {
  return CLI::Validator(
      [](std::string& s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos ? "" : "'" + s + "' is not a whole number";
      },
      "");
}

bool progress_wanted(const CommonOptions& opts) {
  if (opts.quiet) return false;
  return opts.progress || ::isatty(2);
}

}  // namespace chorus

namespace chorus {
namespace {

Result<uint64_t> parse_scaled(std::string_view text, double base, const char* what) {
  std::string t(text);
  // Decimal only: strtod would also take hex ("0x10", "0x1p4"), "inf" and leading blanks.
  if (t.empty() || !((t[0] >= '0' && t[0] <= '9') || t[0] == '.') || t.rfind("0x", 0) == 0 || t.rfind("0X", 0) == 0)
    return Status::error("'" + t + "' is not a valid " + what);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || errno != 0 || !(v >= 0)) return Status::error("'" + t + "' is not a valid " + what);
  std::string suffix(end);
  double m = 1;
  if (suffix == "" ) m = 1;
  else if (suffix == "k" || suffix == "K" || suffix == "KiB" || suffix == "kB") m = base;
  else if (suffix == "M" || suffix == "MiB" || suffix == "MB") m = base * base;
  else if (suffix == "G" || suffix == "GiB" || suffix == "GB") m = base * base * base;
  else return Status::error("'" + t + "' is not a valid " + what + " (suffixes: k, M, G)");
  double r = v * m;
  if (r > 9.0e18) return Status::error("'" + t + "' is too large");
  return static_cast<uint64_t>(r + 0.5);
}

}  // namespace

Result<uint64_t> parse_count(std::string_view text) { return parse_scaled(text, 1000.0, "count"); }
Result<uint64_t> parse_bytes(std::string_view text) { return parse_scaled(text, 1024.0, "size"); }

Result<int64_t> parse_duration(std::string_view text) {
  std::string t(text);
  const std::string err = "'" + t + "' is not a duration (seconds, or a number with s, m, h or d)";
  if (t.empty() || !((t[0] >= '0' && t[0] <= '9') || t[0] == '.') || t.rfind("0x", 0) == 0 || t.rfind("0X", 0) == 0)
    return Status::error(err);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || errno != 0 || !(v >= 0)) return Status::error(err);
  std::string suffix(end);
  double unit = suffix.empty() || suffix == "s" ? 1 : suffix == "m" ? 60 : suffix == "h" ? 3600 : suffix == "d" ? 86400 : 0;
  if (unit == 0) return Status::error(err);
  double us = v * unit * 1e6;
  if (us > 9.0e18) return Status::error("'" + t + "' is too long");
  return static_cast<int64_t>(us + 0.5);
}

}  // namespace chorus

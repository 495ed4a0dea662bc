// chorus-track — today's networks matched to earlier runs kept in a state
// directory: stable network ids, and the accounts of removed networks that
// come back. Flags, then the lock and the state, then today's networks and
// profiles, then the output, and only then the state's atomic commit, so a run
// killed midway leaves the previous state as it was. See man/chorus-track.1.
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "output.hpp"
#include "track.hpp"

using namespace chorus;

namespace {
std::string today_utc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}
}  // namespace

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-track", "Track networks across runs: stable ids, and accounts of removed networks that return.");
  CommonOptions common;
  cli.add_common(common);
  std::string state_dir, run, accounts_path;
  double min_overlap = 0.3;
  BadLinePolicy lines;
  auto& app = cli.app();
  app.add_option("--state", state_dir, "State directory (created when missing; holds the lock and the state)")
      ->type_name("DIR")
      ->required();
  app.add_option("--run", run, "Name of this run (default: today's UTC date, YYYY-MM-DD)")->type_name("NAME");
  app.add_option("--min-overlap", min_overlap, "Least Jaccard index of the accounts for a network to keep its id")
      ->type_name("J")
      ->capture_default_str();
  app.add_option("--accounts", accounts_path, "Today's account profiles (JSON lines): handles and names that link accounts")
      ->type_name("FILE");
  cli.add_bad_line_options(lines, "1M");
  cli.parse(argc, argv);

  Diagnostics diag(cli.prog());
  if (!(min_overlap > 0 && min_overlap <= 1)) cli.usage_error("--min-overlap: must be in (0, 1]");
  if (run.empty()) run = today_utc();
  if (run.size() > 200) cli.usage_error("--run: at most 200 bytes");
  for (unsigned char c : run)
    if (c < 0x20 || c == 0x7f) cli.usage_error("--run: no control characters");
  cli.check_bad_line_options(lines);
  if (common.inputs.empty()) common.inputs.push_back("-");
  int stdin_users = accounts_path == "-";
  for (const auto& p : common.inputs) stdin_users += p == "-";
  if (stdin_users > 1) cli.usage_error("standard input ('-') can be only one of the inputs");

  StateDir dir;
  if (Status st = dir.open(state_dir); !st) {
    diag.error(st.message());
    return kExitUsageError;
  }
  auto text = dir.read();
  if (!text) {
    diag.error(text.status().message());
    return kExitUsageError;
  }
  auto before = parse_track_state(*text, dir.state_path());
  if (!before) {
    diag.error(before.status().message());
    return kExitDataError;
  }
  for (const auto& r : before->runs)
    if (r == run) {
      diag.error("run '" + run + "' is already in " + dir.state_path() + "; give another --run");
      return kExitUsageError;
    }

  std::vector<std::string> all_inputs = common.inputs;
  if (!accounts_path.empty()) all_inputs.push_back(accounts_path);
  auto outs = open_outputs({common.output}, all_inputs);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  std::unique_ptr<OutputStream> out = std::move((*outs)[0]);
  Tracker tracker(
      [&](const std::string& file, uint64_t line, const std::string& message) {
        diag.error_at(file, line, message);
        return lines.go_on();
      },
      lines.max_line);
  using Reader = Status (Tracker::*)(InputStream&);
  std::vector<std::pair<std::string, Reader>> steps;
  for (const auto& path : common.inputs) steps.emplace_back(path, &Tracker::add_networks);
  if (!accounts_path.empty()) steps.emplace_back(accounts_path, &Tracker::add_accounts);
  for (const auto& [path, read] : steps) {
    auto in = InputStream::open(path);
    if (!in) {
      diag.error(in.status().message());
      return kExitUsageError;
    }
    if (Status st = (tracker.*read)(**in); !st) {
      diag.error(st.message());
      return tracker.data_error() ? kExitDataError : kExitUsageError;
    }
    if (tracker.stopped()) {
      diag.note("stopped after " + std::to_string(lines.bad) + " bad lines; no networks written, state unchanged");
      return kExitDataError;
    }
  }

  auto outcome = tracker.run(*before, run, min_overlap);
  out->write(outcome.output);
  if (Status c = out->close(); !c) {
    diag.error(c.message() + "; state unchanged");
    return kExitUsageError;
  }
  // A test hook (tests/scripts/track_runs.sh): die as a crash would, after the
  // new state is written and synced but before it replaces the old one.
  const char* kill_hook = std::getenv("CHORUS_TRACK_TEST_KILL_BEFORE_RENAME");
  if (Status st = dir.commit(format_track_state(outcome.state),
                             [&] {
                               if (kill_hook && *kill_hook) std::raise(SIGKILL);
                             });
      !st) {
    diag.error(st.message() + "; state unchanged");
    return kExitUsageError;
  }
  if (!common.quiet) {
    for (const auto& r : outcome.outside)
      diag.note("returning account in no network: " + r.account + " (" +
                (r.via == "account" ? std::string("same account") : "linked by " + r.via + " to " + r.removed_account) +
                ", removed with " + r.removed_network + " in run " + r.removed_run + ")");
    diag.note("run " + run + ": " + std::to_string(outcome.tracked + outcome.fresh) + " networks (" +
              std::to_string(outcome.tracked) + " tracked, " + std::to_string(outcome.fresh) + " new); " +
              std::to_string(outcome.same + outcome.linked) + " returning accounts in them (" + std::to_string(outcome.same) +
              " same, " + std::to_string(outcome.linked) + " linked), " + std::to_string(outcome.outside.size()) +
              " in no network");
    if (tracker.bad_lines()) diag.note("skipped " + std::to_string(tracker.bad_lines()) + " bad lines");
  }
  if (lines.over()) return kExitDataError;
  return kExitSuccess;
}

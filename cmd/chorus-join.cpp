// chorus-join — marks to edges: pairs of accounts that acted on the same key
// within a time window, with the evidence behind each edge. Flags, then the
// inputs into one Joiner, then its edges (or, for a shard, its partial
// stream), the summary and a named exit status. See man/chorus-join.1.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "join.hpp"
#include "output.hpp"

using namespace chorus;

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-join", "Turn marks into co-action edges between accounts, with their evidence.");
  CommonOptions common;
  cli.add_common(common);
  std::string shard, window = "60", weight = "coactions", hot = "cap", memory = "1G", evidence_path;
  JoinOptions opt;
  bool partial = false, merge = false;
  BadLinePolicy lines;
  auto& app = cli.app();
  const CLI::Validator whole_number = whole_number_validator();
  app.add_option("-w,--window", window, "Longest time between two co-actions: seconds, or with a unit (10s, 5m, 2h, 1d)")
      ->type_name("TIME")
      ->capture_default_str();
  app.add_option("--weight", weight, "Edge weight: coactions (CooRTweet), keys (CooRnet) or own-events (coordination-network-toolkit)")
      ->check(CLI::IsMember({"coactions", "keys", "own-events"}))
      ->type_name("KIND")
      ->capture_default_str();
  app.add_option("--min-repeat", opt.min_repeat, "Keep pairs that co-acted on at least N distinct keys")
      ->type_name("N")
      ->check(whole_number)
      ->capture_default_str();
  app.add_option("--min-participation", opt.min_participation,
                 "CooRTweet's rule: accounts need N marks, and N marks of events in co-actions (0: off)")
      ->type_name("N")
      ->check(whole_number)
      ->capture_default_str();
  app.add_option("--max-accounts", opt.sweep.max_accounts,
                 "A window with more accounts (or 8 times more marks) is hot: capped or skipped (0: no limit)")
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--hot", hot, "In a hot window: cap (pair with the N latest marks) or skip (pair with none)")
      ->check(CLI::IsMember({"cap", "skip"}))
      ->type_name("POLICY")
      ->capture_default_str();
  app.add_option("--evidence", evidence_path, "Write every co-action behind the kept edges to FILE")->type_name("FILE");
  app.add_option("--memory", memory, "Memory for sorting (k, M, G suffixes); beyond it, sorted runs spill to $TMPDIR")
      ->type_name("BYTES")
      ->capture_default_str();
  app.add_option("--temp-dir", opt.temp_dir, "Directory for spilled runs [default: $TMPDIR, else /tmp]")->type_name("DIR");
  app.add_flag("--sorted", opt.sorted, "Input is sorted by key then time (LC_ALL=C sort): stream it");
  app.add_option("--shard", shard, "Join only the keys of shard I of N (by key hash), for a later --merge")
      ->type_name("I/N");
  app.add_flag("--partial", partial, "Write a partial stream (a shard's co-actions) for a later --merge");
  app.add_flag("--merge", merge, "Inputs are partial streams: merge them into the edges");
  cli.add_bad_line_options(lines, "1M");
  cli.parse(argc, argv);

  Diagnostics diag(cli.prog());
  auto w = parse_duration(window);
  if (!w) cli.usage_error("--window: " + w.status().message());
  opt.sweep.window = *w;
  opt.sweep.hot = hot == "skip" ? HotPolicy::kSkip : HotPolicy::kCap;
  opt.weight = weight == "keys" ? WeightKind::kKeys : weight == "own-events" ? WeightKind::kOwnEvents : WeightKind::kCoActions;
  auto mem = parse_bytes(memory);
  if (!mem) cli.usage_error("--memory: " + mem.status().message());
  opt.memory = *mem;
  cli.check_bad_line_options(lines);
  opt.max_line = lines.max_line;
  if (!shard.empty()) {
    unsigned i = 0, n = 0;
    char extra = 0;
    if (std::sscanf(shard.c_str(), "%u/%u%c", &i, &n, &extra) != 2 || n == 0 || i >= n)
      cli.usage_error("--shard: '" + shard + "' is not I/N with 0 <= I < N");
    opt.shard = i;
    opt.shards = n;
    if (!partial) cli.usage_error("--shard writes a partial stream: add --partial (and --merge the shards)");
  }
  // Checked here, not by CLI::PositiveNumber, whose message is a range of doubles up to 1.8e308.
  if (opt.min_repeat == 0) cli.usage_error("--min-repeat: must be at least 1");
  if (partial && merge) cli.usage_error("--partial and --merge exclude each other");
  if (partial && !evidence_path.empty()) cli.usage_error("--evidence goes with the --merge that makes the edges, not --partial");
  if (merge && opt.sorted) cli.usage_error("--sorted is for marks; --merge reads partial streams");
  if (common.inputs.empty()) common.inputs.push_back("-");

  auto outs = open_outputs({common.output, evidence_path}, common.inputs);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  std::unique_ptr<OutputStream> out = std::move((*outs)[0]), evidence = std::move((*outs)[1]);
  Joiner joiner(opt, [&](const std::string& file, uint64_t line, const std::string& message) {
    diag.error_at(file, line, message);
    return lines.go_on();
  });
  for (const auto& path : common.inputs) {
    auto in = InputStream::open(path);
    if (!in) {
      diag.error(in.status().message());
      return kExitUsageError;
    }
    Status st = merge ? joiner.add_partial(**in) : joiner.add_marks(**in);
    if (!st) {  // a data error (wrong stream, order) is 1; an input that cannot be read, 2
      diag.error(st.message());
      return joiner.data_error() ? kExitDataError : kExitUsageError;
    }
    if (joiner.stopped()) break;
  }
  if (joiner.stopped()) {
    diag.note("stopped after " + std::to_string(lines.bad) + " bad lines; no edges written");
    return kExitDataError;
  }
  Status st = partial ? joiner.write_partial(*out) : joiner.write_edges(*out, evidence.get());
  if (!st) {
    diag.error(st.message());
    return joiner.data_error() ? kExitDataError : kExitUsageError;
  }
  for (OutputStream* o : {out.get(), evidence.get()}) {
    if (!o) continue;
    if (Status c = o->close(); !c) {
      diag.error(c.message());
      return kExitUsageError;
    }
  }
  const JoinStats& s = joiner.stats();
  if (!common.quiet) {
    if (s.bad_lines) diag.note("skipped " + std::to_string(s.bad_lines) + " bad lines");
    if (s.sweep.hot_keys)
      diag.note(std::to_string(s.sweep.hot_keys) + " hot keys (" + std::to_string(s.sweep.hot_marks) + " marks in hot windows, " +
                std::to_string(s.sweep.capped_coactions) + " co-actions " + (hot == "skip" ? "skipped" : "capped") + ")");
  }
  if (lines.over()) return kExitDataError;
  return kExitSuccess;
}

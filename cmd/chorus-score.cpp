// chorus-score — clustered edges to scored networks: per cluster the
// features of its edges, accounts and events, a score in [0, 1], a verdict and
// the reasons. Flags, then the clusters, then the side inputs in a fixed
// order, then the networks, the summary and a named exit status. See
// man/chorus-score.1 (the model is documented there).
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "output.hpp"
#include "score.hpp"

using namespace chorus;

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-score", "Score clustered edges: one network per cluster, with a verdict and its reasons.");
  CommonOptions common;
  cli.add_common(common);
  std::string evidence_path, labels_path, accounts_path, events_path;
  ScoreOptions opt;
  BadLinePolicy lines;
  auto& app = cli.app();
  app.add_option("--evidence", evidence_path, "chorus-join's evidence: the keys and events of each network")->type_name("FILE");
  app.add_option("--labels", labels_path, "chorus-hash's labels: a readable label for each top key")->type_name("FILE");
  app.add_option("--accounts", accounts_path, "Account profiles (JSON lines): creation, followers, handles, countries")
      ->type_name("FILE");
  app.add_option("--events", events_path, "Canonical events (JSON lines): activity, duplication, audiences")->type_name("FILE");
  app.add_option("--top", opt.top, "Top keys per network")->type_name("N")->capture_default_str();
  app.add_option("--coordinated", opt.coordinated, "Score from which the verdict is coordinated")
      ->type_name("S")
      ->capture_default_str();
  app.add_option("--review", opt.review, "Score from which the verdict is review")->type_name("S")->capture_default_str();
  cli.add_bad_line_options(lines, "1M");
  cli.parse(argc, argv);

  Diagnostics diag(cli.prog());
  if (!(opt.review >= 0 && opt.review <= 1)) cli.usage_error("--review: must be in [0, 1]");
  if (!(opt.coordinated >= 0 && opt.coordinated <= 1)) cli.usage_error("--coordinated: must be in [0, 1]");
  if (opt.review > opt.coordinated) cli.usage_error("--review must not be above --coordinated");
  if (opt.top > 1000) cli.usage_error("--top: at most 1000");
  cli.check_bad_line_options(lines);
  if (common.inputs.empty()) common.inputs.push_back("-");
  // Standard input can feed one input only.
  int stdin_users = 0;
  for (const auto& p : common.inputs) stdin_users += p == "-";
  for (const auto* p : {&evidence_path, &labels_path, &accounts_path, &events_path}) stdin_users += *p == "-";
  if (stdin_users > 1) cli.usage_error("standard input ('-') can be only one of the inputs");

  std::vector<std::string> all_inputs = common.inputs;
  for (const auto* p : {&evidence_path, &labels_path, &accounts_path, &events_path})
    if (!p->empty()) all_inputs.push_back(*p);
  auto outs = open_outputs({common.output}, all_inputs);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  std::unique_ptr<OutputStream> out = std::move((*outs)[0]);
  Scorer scorer(opt,
                [&](const std::string& file, uint64_t line, const std::string& message) {
                  diag.error_at(file, line, message);
                  return lines.go_on();
                },
                lines.max_line);
  using Reader = Status (Scorer::*)(InputStream&);
  std::vector<std::pair<std::string, Reader>> steps;
  for (const auto& path : common.inputs) steps.emplace_back(path, &Scorer::add_clusters);
  if (!evidence_path.empty()) steps.emplace_back(evidence_path, &Scorer::add_evidence);
  if (!labels_path.empty()) steps.emplace_back(labels_path, &Scorer::add_labels);
  if (!accounts_path.empty()) steps.emplace_back(accounts_path, &Scorer::add_accounts);
  if (!events_path.empty()) steps.emplace_back(events_path, &Scorer::add_events);
  for (const auto& [path, read] : steps) {
    auto in = InputStream::open(path);
    if (!in) {
      diag.error(in.status().message());
      return kExitUsageError;
    }
    if (Status st = (scorer.*read)(**in); !st) {  // a refused stream is 1; an unreadable input, 2
      diag.error(st.message());
      return scorer.data_error() ? kExitDataError : kExitUsageError;
    }
    if (scorer.stopped()) {
      diag.note("stopped after " + std::to_string(lines.bad) + " bad lines; no networks written");
      return kExitDataError;
    }
  }
  if (Status st = scorer.write(*out); !st) {
    diag.error(st.message());
    return kExitUsageError;
  }
  if (Status c = out->close(); !c) {
    diag.error(c.message());
    return kExitUsageError;
  }
  if (!common.quiet && scorer.stats().bad_lines) diag.note("skipped " + std::to_string(scorer.stats().bad_lines) + " bad lines");
  if (lines.over()) return kExitDataError;
  return kExitSuccess;
}

// chorus-eval — networks found against the networks planted: flags, then the
// ground truth, then the networks into one Evaluator, then its report (a
// table or a JSON line, and the JSON line to a side file), the summary and a
// named exit status. See man/chorus-eval.1.
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "eval.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "output.hpp"

using namespace chorus;

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-eval", "Score the networks found against the ground truth: precision, recall, F1, adjusted Rand index.");
  CommonOptions common;
  cli.add_common(common);
  std::string truth_path, verdict = "coordinated", format = "table", json_path;
  BadLinePolicy lines;
  auto& app = cli.app();
  app.add_option("--truth", truth_path, "Ground truth: CSV account,network,tactic (chorus-gen --truth-out)")
      ->type_name("FILE")
      ->required();
  app.add_option("--verdict", verdict, "Networks counted as flagged: coordinated, review (or coordinated) or any")
      ->check(CLI::IsMember({"coordinated", "review", "any"}))
      ->type_name("VERDICT")
      ->capture_default_str();
  app.add_option("--format", format, "Output: a readable table, or one JSON line")
      ->check(CLI::IsMember({"table", "json"}))
      ->type_name("FORMAT")
      ->capture_default_str();
  app.add_option("--json", json_path, "Also write the JSON line to FILE")->type_name("FILE");
  cli.add_bad_line_options(lines, "64M");
  cli.parse(argc, argv);

  Diagnostics diag(cli.prog());
  EvalOptions opt;
  opt.verdict = verdict == "any" ? VerdictFilter::kAny : verdict == "review" ? VerdictFilter::kReview : VerdictFilter::kCoordinated;
  cli.check_bad_line_options(lines);
  opt.max_line = lines.max_line;
  if (common.inputs.empty()) common.inputs.push_back("-");
  if (truth_path == "-")
    for (const auto& in : common.inputs)
      if (in == "-") cli.usage_error("--truth and the networks cannot both be standard input");

  std::vector<std::string> inputs = common.inputs;
  inputs.push_back(truth_path);
  auto outs = open_outputs({common.output, json_path}, inputs);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  std::unique_ptr<OutputStream> out = std::move((*outs)[0]), json = std::move((*outs)[1]);
  Evaluator eval(opt, [&](const std::string& file, uint64_t line, const std::string& message) {
    diag.error_at(file, line, message);
    return lines.go_on();
  });
  {
    auto in = InputStream::open(truth_path);
    if (!in) {
      diag.error(in.status().message());
      return kExitUsageError;
    }
    if (Status st = eval.read_truth(**in); !st) {
      diag.error(st.message());
      return eval.data_error() ? kExitDataError : kExitUsageError;
    }
  }
  for (const auto& path : common.inputs) {
    auto in = InputStream::open(path);
    if (!in) {
      diag.error(in.status().message());
      return kExitUsageError;
    }
    if (Status st = eval.add_networks(**in); !st) {
      diag.error(st.message());
      return eval.data_error() ? kExitDataError : kExitUsageError;
    }
    if (eval.stopped()) break;
  }
  if (eval.stopped()) {
    diag.note("stopped after " + std::to_string(lines.bad) + " bad lines; no report written");
    return kExitDataError;
  }
  const EvalReport report = eval.report();
  const std::string json_line = format_eval_json(report);
  out->write(format == "json" ? json_line : format_eval_table(report));
  if (json) json->write(json_line);
  for (OutputStream* o : {out.get(), json.get()}) {
    if (!o) continue;
    if (Status c = o->close(); !c) {
      diag.error(c.message());
      return kExitUsageError;
    }
  }
  if (!common.quiet) {
    if (report.bad_lines) diag.note("skipped " + std::to_string(report.bad_lines) + " bad lines");
    if (report.overlapping)
      diag.warning(std::to_string(report.overlapping) + " accounts are in more than one counted network (each counted in the first)");
  }
  if (lines.over()) return kExitDataError;
  return kExitSuccess;
}

// chorus-parse — platform exports (JSON-lines or CSV) to canonical events.
// Flags, then one EventParser over every input in turn, then the summary and
// a named exit status. See man/chorus-parse.1.
#include <simdjson.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "event_parser.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "parse_report.hpp"
#include "output.hpp"
#include "progress.hpp"

using namespace chorus;

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-parse", "Turn platform exports (JSON-lines or CSV) into canonical chorus events.");
  CommonOptions common;
  cli.add_common(common);
  std::string preset_name = "canonical", format, accounts_out, max_line = "16M", platform;
  std::vector<std::string> maps;
  bool keep_extra = false, strict = false, list_presets = false;
  int64_t max_errors = -1;
  auto& app = cli.app();
  std::string presets;
  for (const auto& n : preset_names()) presets += (presets.empty() ? "" : ", ") + n;
  app.add_option("-p,--preset", preset_name, "Input schema: " + presets)->type_name("NAME")->capture_default_str();
  app.add_option("-m,--map", maps, "Map a field to paths in the record: FIELD=/json/pointer[|/alternative] (repeatable)")
      ->type_name("FIELD=PATH")
      ->allow_extra_args(false);  // one value per --map: `--map a=/x file` leaves `file` an operand
  app.add_option("--format", format, "Input format, overriding the preset's: json or csv")
      ->check(CLI::IsMember({"json", "csv"}))
      ->type_name("FORMAT");
  app.add_option("--platform", platform, "Platform of records that name none")->type_name("NAME");
  app.add_option("--accounts-out", accounts_out, "Write the account profiles found in the records (the latest of each) to FILE")
      ->type_name("FILE");
  app.add_flag("--keep-extra", keep_extra, "Keep the record's unmapped top-level fields in \"extra\"");
  app.add_flag("--strict", strict, "Stop at the first bad record (exit status 1)");
  app.add_option("--max-errors", max_errors, "Stop with exit status 1 after more than N bad records (default: no limit)")
      ->type_name("N");
  app.add_option("--max-line", max_line, "Longest record accepted, in bytes (k, M, G suffixes)")
      ->type_name("BYTES")
      ->capture_default_str();
  app.add_flag("--list-presets", list_presets, "Print every preset's field map and exit");
  cli.parse(argc, argv);

  if (list_presets) {
    std::string s;
    for (const auto& n : preset_names()) s += (s.empty() ? "" : "\n") + preset(n)->describe();
    std::fputs(s.c_str(), stdout);
    return std::fflush(stdout) == 0 ? kExitSuccess : kExitUsageError;
  }
  Diagnostics diag(cli.prog());
  ParseOptions opt;
  auto map = preset(preset_name);
  if (!map) cli.usage_error(map.status().message());
  opt.map = std::move(*map);
  for (const auto& m : maps)
    if (Status st = opt.map.apply(m); !st) cli.usage_error(st.message());
  if (format == "csv") opt.map.format = InputFormat::kCsv;
  if (format == "json") opt.map.format = InputFormat::kJson;
  auto line_limit = parse_bytes(max_line);
  if (!line_limit || *line_limit == 0) cli.usage_error("--max-line: " + (line_limit ? "must be positive" : line_limit.status().message()));
  opt.max_line = *line_limit;
  if (!platform.empty()) opt.platform = platform;
  opt.keep_extra = keep_extra;
  opt.want_accounts = !accounts_out.empty();
  if (common.inputs.empty()) common.inputs.push_back("-");

  // Opened now, so a bad path fails before any work, not after it.
  auto outs = open_outputs({common.output, accounts_out}, common.inputs);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  std::unique_ptr<OutputStream> out = std::move((*outs)[0]), accounts = std::move((*outs)[1]);
  Progress progress(diag, progress_wanted(common));
  BadRecordPolicy policy{strict, max_errors};
  EventParser parser(std::move(opt), *out, report_bad_records(diag, policy), [&](const ParseStats& s) {
    progress.update_block(s.records, s.bytes);
  });
  int status = parse_inputs(parser, common.inputs, diag);
  progress.finish();
  if (Status st = out->close(); !st) {
    diag.error(st.message());
    return kExitUsageError;
  }
  if (accounts) {
    parser.write_accounts(*accounts);
    if (Status st = accounts->close(); !st) {
      diag.error(st.message());
      return kExitUsageError;
    }
  }
  const ParseStats& s = parser.stats();
  if (std::string summary = skip_summary(s, parser.stopped()); !summary.empty() && !common.quiet) diag.note(summary);
  if (status != kExitSuccess) return status;
  return data_exit_status(s, policy);
}

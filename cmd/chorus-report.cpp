// chorus-report — chorus-score's networks (+ clustered edges, profiles,
// events) to a transparency report: Markdown, one self-contained HTML page,
// JSON, GraphML and GEXF, several at once from one reading of the inputs.
// Flags, then the networks, then each optional input, then the outputs, the
// summary and a named exit status. See man/chorus-report.1.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "output.hpp"
#include "report.hpp"

using namespace chorus;

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-report",
                  "A transparency report from chorus-score's networks: Markdown, HTML, JSON; GraphML and GEXF for Gephi.");
  CommonOptions common;
  cli.add_common(common);
  std::string format = "md", clusters_path, accounts_path, events_path, verdicts;
  std::string md_path, html_path, json_path, graphml_path, gexf_path;
  ReportOptions opt;
  uint64_t top = opt.top, max_nodes = opt.max_nodes;
  BadLinePolicy lines;
  auto& app = cli.app();
  auto* o_format = app.add_option("-f,--format", format, "What standard output (or -o) gets")
                       ->check(CLI::IsMember({"md", "html", "json", "graphml", "gexf"}))
                       ->type_name("FORMAT")
                       ->capture_default_str();
  app.add_option("--markdown", md_path, "Also write the Markdown report to FILE")->type_name("FILE");
  app.add_option("--html", html_path, "Also write the HTML page to FILE")->type_name("FILE");
  app.add_option("--json", json_path, "Also write the JSON report to FILE")->type_name("FILE");
  app.add_option("--graphml", graphml_path, "Also write the graph as GraphML to FILE")->type_name("FILE");
  app.add_option("--gexf", gexf_path, "Also write the graph as GEXF to FILE")->type_name("FILE");
  app.add_option("--clusters", clusters_path, "chorus-cluster's clustered edges: the edges drawn and exported")->type_name("FILE");
  app.add_option("--accounts", accounts_path, "Account profiles (JSON lines): node attributes")->type_name("FILE");
  app.add_option("--events", events_path, "Canonical events (JSON lines): timelines and the texts of shared posts")->type_name("FILE");
  app.add_option("--verdict", verdicts, "Report only these verdicts (comma-separated: coordinated, review, benign)")->type_name("LIST");
  app.add_option("--title", opt.title, "The report's title")->type_name("TEXT")->capture_default_str();
  app.add_option("--top", top, "Top texts, links and hashtags listed per network")
      ->type_name("N")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1000}))
      ->capture_default_str();
  app.add_option("--max-nodes", max_nodes, "Accounts drawn per network in the HTML page, those with the most co-actions")
      ->type_name("N")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1000}))
      ->capture_default_str();
  app.add_option("--seed", opt.seed, "Seed of the graph layout")->type_name("N")->capture_default_str();
  cli.add_bad_line_options(lines, "64M");
  cli.parse(argc, argv);

  Diagnostics diag(cli.prog());
  cli.check_bad_line_options(lines);
  opt.top = top;
  opt.max_nodes = max_nodes;
  if (!verdicts.empty()) {
    std::stringstream ss(verdicts);
    std::string v;
    while (std::getline(ss, v, ',')) {
      if (v != "coordinated" && v != "review" && v != "benign")
        cli.usage_error("--verdict: '" + v + "' is not coordinated, review or benign");
      opt.verdicts.insert(v);
    }
  }
  if (common.inputs.empty()) common.inputs.push_back("-");
  int stdin_users = 0;
  for (const auto& in : common.inputs) stdin_users += in == "-";
  for (const auto* p : {&clusters_path, &accounts_path, &events_path}) stdin_users += *p == "-";
  if (stdin_users > 1) cli.usage_error("standard input ('-') can be only one of the inputs");

  // Standard output (or -o) gets --format unless only the side files are asked for.
  const bool side_files = !(md_path.empty() && html_path.empty() && json_path.empty() && graphml_path.empty() && gexf_path.empty());
  const bool main_out = !side_files || o_format->count() || common.output != "-";
  std::vector<std::string> inputs = common.inputs;
  for (const auto* p : {&clusters_path, &accounts_path, &events_path})
    if (!p->empty()) inputs.push_back(*p);
  auto outs = open_outputs({main_out ? common.output : std::string(), md_path, html_path, json_path, graphml_path, gexf_path}, inputs);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  Reporter reporter(opt,
                    [&](const std::string& file, uint64_t line, const std::string& message) {
                      diag.error_at(file, line, message);
                      return lines.go_on();
                    },
                    lines.max_line);
  using Reader = Status (Reporter::*)(InputStream&);
  std::vector<std::pair<std::string, Reader>> steps;
  for (const auto& in : common.inputs) steps.emplace_back(in, &Reporter::add_networks);
  if (!clusters_path.empty()) steps.emplace_back(clusters_path, &Reporter::add_clusters);
  if (!accounts_path.empty()) steps.emplace_back(accounts_path, &Reporter::add_accounts);
  if (!events_path.empty()) steps.emplace_back(events_path, &Reporter::add_events);
  for (const auto& [path, read] : steps) {
    auto in = InputStream::open(path);
    if (!in) {
      diag.error(in.status().message());
      return kExitUsageError;
    }
    if (Status st = (reporter.*read)(**in); !st) {  // a wrong stream is 1; an unreadable input, 2
      diag.error(st.message());
      return reporter.data_error() ? kExitDataError : kExitUsageError;
    }
    if (reporter.stopped()) {
      diag.note("stopped after " + std::to_string(lines.bad) + " bad lines; no report written");
      return kExitDataError;
    }
  }
  using Writer = void (Reporter::*)(OutputStream&) const;
  const Writer by_format = format == "html" ? &Reporter::write_html
                           : format == "json" ? &Reporter::write_json
                           : format == "graphml" ? &Reporter::write_graphml
                           : format == "gexf" ? &Reporter::write_gexf
                                                : &Reporter::write_markdown;
  const Writer writers[] = {by_format, &Reporter::write_markdown, &Reporter::write_html, &Reporter::write_json,
                            &Reporter::write_graphml, &Reporter::write_gexf};
  for (size_t i = 0; i < std::size(writers); ++i) {
    OutputStream* o = (*outs)[i].get();
    if (!o) continue;
    (reporter.*writers[i])(*o);
    if (Status c = o->close(); !c) {
      diag.error(c.message());
      return kExitUsageError;
    }
  }
  if (!common.quiet) {
    const auto& s = reporter.stats();
    std::string m = std::to_string(s.networks) + " of " + std::to_string(s.networks_read) + " networks reported";
    if (!clusters_path.empty()) m += ", " + std::to_string(s.edges) + " edges";
    if (!accounts_path.empty()) m += ", " + std::to_string(s.profiles) + " profiles";
    if (!events_path.empty()) m += ", " + std::to_string(s.events) + " events of their accounts";
    diag.note(m);
    if (s.unknown_edges)
      diag.warning(std::to_string(s.unknown_edges) + " clustered edges join a reported network's account to an account outside it (left out)");
    if (s.bad_lines) diag.note("skipped " + std::to_string(s.bad_lines) + " bad lines");
  }
  if (lines.over()) return kExitDataError;
  return kExitSuccess;
}

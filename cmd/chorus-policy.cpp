// chorus-policy — account profiles, events and networks to enforcement
// actions: label state-affiliated accounts, keep those that reach audiences
// abroad out of recommendations and foreign ads, remove the accounts of
// coordinated networks. Flags (over the rules file), then the inputs in a
// fixed order, then the actions, the summary and a named exit status. See
// man/chorus-policy.1.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "output.hpp"
#include "policy.hpp"

using namespace chorus;

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-policy",
                  "Enforcement actions from account profiles, events and networks: labels, exclusions, removals.");
  CommonOptions common;
  cli.add_common(common, /*with_inputs=*/false);
  std::string accounts_path, events_path, networks_path, rules_path;
  PolicyOptions flags;
  bool no_label = false, no_abroad = false, no_remove = false;
  BadLinePolicy lines;
  auto& app = cli.app();
  app.add_option("--accounts", accounts_path, "Account profiles (JSON lines): who is state-affiliated")->type_name("FILE");
  app.add_option("--events", events_path, "Canonical events (JSON lines): the audiences they reached (needs --accounts)")
      ->type_name("FILE");
  app.add_option("--networks", networks_path, "chorus-score's networks (JSON lines): verdicts and reasons")->type_name("FILE");
  app.add_option("--rules", rules_path, "Rules file: 'key = value' lines setting what the flags set (the flags win)")
      ->type_name("FILE");
  auto* o_events = app.add_option("--min-foreign-events", flags.min_foreign_events,
                                  "state-media-abroad: events to a foreign audience, at least")
                       ->type_name("N")
                       ->capture_default_str();
  auto* o_share = app.add_option("--min-foreign-share", flags.min_foreign_share,
                                 "state-media-abroad: share of the events with an audience that are foreign, at least")
                      ->type_name("F")
                      ->capture_default_str();
  auto* o_score = app.add_option("--min-score", flags.min_score, "coordinated-network: the network's score, at least")
                      ->type_name("S")
                      ->capture_default_str();
  app.add_flag("--no-label", no_label, "Switch the rule state-affiliated-label off");
  app.add_flag("--no-abroad", no_abroad, "Switch the rule state-media-abroad off");
  app.add_flag("--no-remove", no_remove, "Switch the rule coordinated-network off");
  cli.add_bad_line_options(lines, "1M");
  cli.parse(argc, argv);

  Diagnostics diag(cli.prog());
  if (accounts_path.empty() && networks_path.empty())
    cli.usage_error(events_path.empty() ? "no input: give --accounts, --networks or both" : "--events needs --accounts");
  if (!events_path.empty() && accounts_path.empty()) cli.usage_error("--events needs --accounts");
  cli.check_bad_line_options(lines);
  int stdin_users = 0;
  for (const auto* p : {&accounts_path, &events_path, &networks_path, &rules_path}) stdin_users += *p == "-";
  if (stdin_users > 1) cli.usage_error("standard input ('-') can be only one of the inputs");

  // The rules file first, then the flags given over it.
  PolicyOptions opt;
  if (!rules_path.empty()) {
    std::string text;
    if (rules_path == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream f(rules_path, std::ios::binary);
      if (!f) {
        diag.error(rules_path + ": " + std::strerror(errno));
        return kExitUsageError;
      }
      text.assign(std::istreambuf_iterator<char>(f), {});
      if (f.bad()) {
        diag.error(rules_path + ": cannot be read");
        return kExitUsageError;
      }
    }
    if (Status st = read_policy_config(text, display_name(rules_path), opt); !st) {
      diag.error(st.message());
      return kExitUsageError;
    }
  }
  if (o_events->count()) opt.min_foreign_events = flags.min_foreign_events;
  if (o_share->count()) opt.min_foreign_share = flags.min_foreign_share;
  if (o_score->count()) opt.min_score = flags.min_score;
  if (no_label) opt.label = false;
  if (no_abroad) opt.abroad = false;
  if (no_remove) opt.remove = false;
  if (Status st = check_policy_options(opt); !st) cli.usage_error(st.message());

  std::vector<std::string> inputs;
  for (const auto* p : {&accounts_path, &events_path, &networks_path, &rules_path})
    if (!p->empty()) inputs.push_back(*p);
  auto outs = open_outputs({common.output}, inputs);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  std::unique_ptr<OutputStream> out = std::move((*outs)[0]);
  PolicyEngine engine(opt,
                      [&](const std::string& file, uint64_t line, const std::string& message) {
                        diag.error_at(file, line, message);
                        return lines.go_on();
                      },
                      lines.max_line);
  using Reader = Status (PolicyEngine::*)(InputStream&);
  std::vector<std::pair<std::string, Reader>> steps;
  if (!accounts_path.empty()) steps.emplace_back(accounts_path, &PolicyEngine::add_accounts);
  if (!events_path.empty()) steps.emplace_back(events_path, &PolicyEngine::add_events);
  if (!networks_path.empty()) steps.emplace_back(networks_path, &PolicyEngine::add_networks);
  for (const auto& [path, read] : steps) {
    auto in = InputStream::open(path);
    if (!in) {
      diag.error(in.status().message());
      return kExitUsageError;
    }
    if (Status st = (engine.*read)(**in); !st) {  // a chorus stream is 1; an unreadable input, 2
      diag.error(st.message());
      return engine.data_error() ? kExitDataError : kExitUsageError;
    }
    if (engine.stopped()) {
      diag.note("stopped after " + std::to_string(lines.bad) + " bad lines; no actions written");
      return kExitDataError;
    }
  }
  if (Status st = engine.write(*out); !st) {
    diag.error(st.message());
    return kExitUsageError;
  }
  if (Status c = out->close(); !c) {
    diag.error(c.message());
    return kExitUsageError;
  }
  if (!common.quiet) {
    const auto& s = engine.stats();
    std::ostringstream m;
    uint64_t total = 0;
    const char* sep = "";
    for (const char* a : {"label_state_affiliated", "exclude_from_recommendations", "block_foreign_ads", "remove"}) {
      auto it = s.actions.find(a);
      uint64_t n = it == s.actions.end() ? 0 : it->second;
      total += n;
      m << sep << n << ' ' << a;
      sep = ", ";
    }
    diag.note(std::to_string(total) + " actions: " + m.str());
    if (s.bad_lines) diag.note("skipped " + std::to_string(s.bad_lines) + " bad lines");
  }
  if (lines.over()) return kExitDataError;
  return kExitSuccess;
}

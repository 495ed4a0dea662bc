#include "demo.hpp"

#include <simdjson.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "progress.hpp"
#include "run.hpp"
#include "timestamp.hpp"


extern char** environ;

namespace chorus {
namespace {

// What the parsed events hold: counts by type and platform, accounts, span, top hashtags.
struct EventSummary {
  uint64_t events = 0;
  std::map<std::string, uint64_t> by_type, by_platform, hashtags;
  std::set<std::string> accounts;
  Micros first = INT64_MAX, last = INT64_MIN;
};

Status summarise(const std::string& path, EventSummary& s) {
  auto text = read_all(path);
  if (!text) return text.status();
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(*text);
  simdjson::ondemand::document_stream docs;
  if (parser.iterate_many(json).get(docs)) return Status::error(path + ": cannot read events");
  for (auto doc : docs) {
    simdjson::ondemand::object o;
    if (doc.get_object().get(o)) return Status::error(path + ": not canonical events");
    ++s.events;
    for (auto f : o) {
      std::string_view key;
      if (f.unescaped_key().get(key)) continue;
      if (key == "account") {
        std::string_view v;
        if (!f.value().get_string().get(v)) s.accounts.emplace(v);
      } else if (key == "ts") {
        double v;
        if (!f.value().get_double().get(v)) {
          Micros t = static_cast<Micros>(v * 1e6);
          s.first = std::min(s.first, t);
          s.last = std::max(s.last, t);
        }
      } else if (key == "type" || key == "platform") {
        std::string_view v;
        if (!f.value().get_string().get(v)) ++(key == "type" ? s.by_type : s.by_platform)[std::string(v)];
      } else if (key == "hashtags") {
        simdjson::ondemand::array a;
        if (f.value().get_array().get(a)) continue;
        for (auto e : a) {
          std::string_view v;
          if (!e.get_string().get(v)) ++s.hashtags[std::string(v)];
        }
      }
    }
  }
  return {};
}

std::string commas(uint64_t n) {
  std::string digits = std::to_string(n), s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

// "a 1, b 2" from a name -> count map.
void append_listing(std::string& out, const std::string& name, uint64_t count) {
  if (!out.empty()) out.append(", ");
  out.append(name);
  out.push_back(' ');
  out.append(commas(count));
}

// A program found on PATH, or "".
std::string on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  size_t pos = 0;
  while (pos <= p.size()) {
    size_t end = p.find(':', pos);
    if (end == std::string::npos) end = p.size();
    std::string cand = (end > pos ? p.substr(pos, end - pos) : std::string(".")) + "/" + name;
    if (::access(cand.c_str(), X_OK) == 0) return cand;
    pos = end + 1;
  }
  return "";
}

// Runs argv[0] (a path) with the args, waits; its exit status, or -1.
int spawn_wait(const std::vector<std::string>& args, bool quiet_output) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (quiet_output) {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  }
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The report's HTML in Chromium: a window when there is a display, else a
// headless screenshot (report.png). What was done, as a line; "" when no
// Chromium is installed.
std::string show_in_chromium(const std::string& dir) {
  std::string chromium;
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
    if (chromium = on_path(name); !chromium.empty()) break;
  if (chromium.empty()) return "";
  const std::string html = dir + "/report.html", url = "file://" + html;
  const bool display = std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY");
  if (display) {
    std::vector<std::string> args = {chromium, "--new-window", url};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid;
    if (posix_spawn(&pid, chromium.c_str(), nullptr, nullptr, argv.data(), environ) == 0)
      return "shown in Chromium (" + chromium + ")";
    return "";
  }
  const std::string timeout = on_path("timeout");
  std::vector<std::string> args;
  if (!timeout.empty()) args = {timeout, "60"};
  const std::string profile = dir + "/.chromium-profile";
  for (const std::string& a : {chromium, std::string("--headless"), std::string("--no-sandbox"), std::string("--disable-gpu"),
                               std::string("--disable-dev-shm-usage"), std::string("--disable-background-networking"),
                               "--user-data-dir=" + profile,
                               std::string("--hide-scrollbars"), std::string("--window-size=1280,2400"),
                               "--screenshot=" + dir + "/report.png", url})
    args.push_back(a);
  int st = spawn_wait(args, true);
  std::error_code ec;
  std::filesystem::remove_all(profile, ec);
  if (st != 0 || !std::filesystem::exists(dir + "/report.png", ec)) return "";
  return "rendered by headless Chromium (no display): " + dir + "/report.png";
}

}  // namespace

int run_demo(int argc, char** argv, const std::string& bin_dir) {
  CommandLine cli("chorus demo", "Generate activity with planted influence networks, run chorus on it, print what was found.");
  std::string events = "200k", dir;
  uint64_t seed = 1;
  bool keep = false;
  auto& app = cli.app();
  app.add_option("-n,--events", events, "Events to generate (suffixes k, M)")->type_name("N")->capture_default_str();
  app.add_option("--seed", seed, "Seed of the generated data")->type_name("N")->capture_default_str();
  app.add_option("--dir", dir, "Keep the files in DIR (default: a temporary directory, removed at the end)")
      ->type_name("DIR");
  app.add_flag("--keep", keep, "Keep the temporary directory (else only the report, the networks and the actions are kept)");
  bool no_browser = false;
  app.add_flag("--no-browser", no_browser, "Do not show the report in Chromium");
  cli.parse(argc, argv);
  auto n = parse_count(events);
  if (!n || *n == 0) cli.usage_error("--events: " + (n ? std::string("must be positive") : n.status().message()));

  namespace fs = std::filesystem;
  bool temporary = dir.empty();
  if (temporary) {
    std::string tmpl = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) +
                       "/chorus-demo.XXXXXX";
    if (!mkdtemp(tmpl.data())) {
      std::fprintf(stderr, "chorus demo: cannot create a temporary directory in %s\n", tmpl.c_str());
      return kExitUsageError;
    }
    dir = tmpl;
  } else {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
      std::fprintf(stderr, "chorus demo: %s: %s\n", dir.c_str(), ec.message().c_str());
      return kExitUsageError;
    }
  }
  auto cleanup = [&] {
    if (temporary && !keep) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  };

  std::vector<Stage> stages;
  double secs = 0;
  std::printf("chorus demo: generating %s events (seed %llu) in %s\n", commas(*n).c_str(),
              static_cast<unsigned long long>(seed), dir.c_str());
  std::fflush(stdout);
  int st = run_stage(bin_dir, "chorus-gen",
                     {"--events", std::to_string(*n), "--seed", std::to_string(seed), "-o", dir + "/generated.jsonl",
                      "--accounts-out", dir + "/accounts.jsonl", "--truth-out", dir + "/truth.csv", "--quiet"},
                     secs);
  if (st != 0) {
    std::fprintf(stderr, "chorus demo: chorus-gen failed (status %d)\n", st);
    cleanup();
    return kExitUsageError;
  }
  stages.push_back({"chorus-gen", secs});
  // chorus run's defaults, with the generator's account profiles.
  PipelineOptions popt;
  popt.inputs = {dir + "/generated.jsonl"};
  popt.accounts = dir + "/accounts.jsonl";
  popt.dir = dir;
  popt.quiet = true;
  PipelineCounts counts;
  if (int rst = run_pipeline(bin_dir, popt, stages, counts)) {
    cleanup();
    return rst;
  }

  EventSummary s;
  if (Status e = summarise(dir + "/events.jsonl", s); !e) {
    std::fprintf(stderr, "chorus demo: %s\n", e.message().c_str());
    cleanup();
    return kExitUsageError;
  }
  // Ground truth: planted networks and reference accounts.
  std::map<std::string, std::pair<std::string, uint64_t>> networks;  // network -> (tactic, accounts)
  std::map<std::string, std::string> network_of;                     // account -> network
  if (auto truth = read_all(dir + "/truth.csv")) {
    size_t pos = truth->find('\n');  // skip the header
    while (pos != std::string::npos && pos + 1 < truth->size()) {
      size_t end = truth->find('\n', pos + 1);
      std::string line = truth->substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
      pos = end;
      size_t c1 = line.find(','), c2 = line.rfind(',');
      if (c1 == std::string::npos || c2 == c1) continue;
      network_of[line.substr(0, c1)] = line.substr(c1 + 1, c2 - c1 - 1);
      auto& entry = networks[line.substr(c1 + 1, c2 - c1 - 1)];
      entry.first = line.substr(c2 + 1);
      ++entry.second;
    }
  }

  std::printf("\nEvents      %s by %s accounts, %s .. %s\n", commas(s.events).c_str(), commas(s.accounts.size()).c_str(),
              s.events ? format_rfc3339(s.first).c_str() : "-", s.events ? format_rfc3339(s.last).c_str() : "-");
  std::string types;
  for (const auto& [k, v] : s.by_type) append_listing(types, k, v);
  std::printf("By type     %s\n", types.c_str());
  std::string platforms;
  for (const auto& [k, v] : s.by_platform) append_listing(platforms, k, v);
  std::printf("Platforms   %s\n", platforms.c_str());
  std::vector<std::pair<uint64_t, std::string>> top;
  for (const auto& [k, v] : s.hashtags) top.emplace_back(v, k);
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::string tags;
  for (size_t i = 0; i < top.size() && i < 5; ++i) append_listing(tags, "#" + top[i].second, top[i].first);
  std::printf("Top tags    %s\n", tags.c_str());
  std::printf("\nPlanted (ground truth in truth.csv):\n");
  for (const auto& [net, v] : networks)
    std::printf("  %-22s %-20s %4llu accounts\n", net.c_str(), v.first.c_str(), static_cast<unsigned long long>(v.second));
  std::printf("\nStages:\n");
  for (const auto& stage : stages)
    std::printf("  %-14s %7.2f s  %10s events/s\n", stage.name.c_str(), stage.seconds,
                human_count(stage.seconds > 0 ? static_cast<double>(s.events) / stage.seconds : 0).c_str());
  PipelineCounts again;
  std::string found = summarise_networks(dir + "/networks.jsonl", again, 20);
  std::printf("\nNetworks    %s found: %s coordinated (%s accounts), %s to review, %s benign\n",
              commas(counts.networks).c_str(), commas(counts.coordinated).c_str(),
              commas(counts.accounts_coordinated).c_str(), commas(counts.review).c_str(), commas(counts.benign).c_str());
  std::fputs(found.c_str(), stdout);
  std::printf("\nAgainst the ground truth (chorus-eval):\n");
  std::fflush(stdout);
  st = run_stage(bin_dir, "chorus-eval", {"--truth", dir + "/truth.csv", dir + "/networks.jsonl"}, secs);
  if (st != 0) {
    std::fprintf(stderr, "chorus demo: chorus-eval failed (status %d)\n", st);
    cleanup();
    return kExitUsageError;
  }

  // The report, and the actions.
  if (auto md = read_all(dir + "/report.md")) {
    size_t end = md->find("\n## Network ");
    std::printf("\nThe report (chorus-report; the whole of it, network by network, in %s/report.md and report.html):\n\n%s\n",
                dir.c_str(), md->substr(0, end).c_str());
  }
  std::printf("Actions (chorus-policy, actions.jsonl): %s\n", actions_summary(dir + "/actions.jsonl").substr(9).c_str());
  if (auto actions = read_all(dir + "/actions.jsonl")) {
    // Each label and exclusion; the removals by network.
    simdjson::dom::parser parser;
    size_t pos = 0, shown = 0, other = 0;
    std::map<std::string, uint64_t> removals;  // network -> accounts
    while (pos < actions->size()) {
      size_t end = actions->find('\n', pos);
      if (end == std::string::npos) end = actions->size();
      simdjson::dom::object o;
      std::string_view account, action, rule, network;
      if (!parser.parse(actions->data() + pos, end - pos).get(o) && !o["account"].get(account) && !o["action"].get(action) &&
          !o["rule"].get(rule)) {
        if (action == "remove") {
          if (o.at_pointer("/evidence/network").get(network)) network = "?";
          ++removals[std::string(network)];
        } else if (shown < 20) {
          ++shown;
          std::printf("  %-30.*s %-28.*s %.*s\n", static_cast<int>(action.size()), action.data(), static_cast<int>(account.size()),
                      account.data(), static_cast<int>(rule.size()), rule.data());
        } else {
          ++other;
        }
      }
      pos = end + 1;
    }
    if (other) std::printf("  ... and %zu more labels and exclusions\n", other);
    for (const auto& [network, n] : removals)
      std::printf("  %-30s %-28s coordinated-network\n", "remove",
                  (commas(n) + (n == 1 ? " account of " : " accounts of ") + network).c_str());
  }
  if (!no_browser) {
    std::string shown = show_in_chromium(dir);
    std::printf("\nReport HTML: %s/report.html%s%s\n", dir.c_str(), shown.empty() ? " (no Chromium found to show it)" : ", ",
                shown.c_str());
  } else {
    std::printf("\nReport HTML: %s/report.html\n", dir.c_str());
  }
  if (temporary && !keep) {
    // Keep what an analyst hands on; the streams behind it go.
    for (const char* f : {"generated.jsonl", "events.jsonl", "profiles.jsonl", "marks.tsv", "labels.tsv", "edges.tsv", "evidence.tsv"}) {
      std::error_code ec;
      fs::remove(dir + "/" + f, ec);
    }
    std::printf("Kept in %s: the report (report.md, report.html, report.json, graph.gexf, graph.graphml), networks.jsonl, "
                "clusters.tsv, actions.jsonl, accounts.jsonl, truth.csv\n",
                dir.c_str());
  } else {
    std::printf("Files kept in %s\n", dir.c_str());
  }
  return std::fflush(stdout) == 0 ? kExitSuccess : kExitUsageError;
}

}  // namespace chorus

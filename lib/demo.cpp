#include "demo.hpp"

#include <simdjson.h>
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
#include "timestamp.hpp"

extern char** environ;

namespace chorus {
namespace {

struct Stage {
  std::string name;
  double seconds = 0;
};

// Runs bin_dir/prog with args; returns its exit status (or -1 when it could not start).
int run(const std::string& bin_dir, const std::string& prog, std::vector<std::string> args, double& seconds) {
  std::string path = bin_dir + "/" + prog;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(prog.c_str()));
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid;
  if (posix_spawn(&pid, path.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

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

// What chorus-hash and chorus-join made: marks by kind, edges, and how the
// accounts of repeated edges (3 or more distinct keys) split between planted
// networks (truth.csv, which names accounts without their platform) and others.
struct MarkSummary {
  uint64_t marks = 0, edges = 0, repeated_edges = 0, repeated_planted = 0, repeated_other = 0;
  std::map<std::string, uint64_t> marks_by_kind;
};

Status summarise_marks(const std::string& marks_path, const std::string& edges_path,
                       const std::map<std::string, std::string>& network_of, MarkSummary& m) {
  auto marks = read_all(marks_path);
  if (!marks) return marks.status();
  for (size_t pos = 0; pos < marks->size();) {
    size_t nl = marks->find('\n', pos);
    if (nl == std::string::npos) nl = marks->size();
    if ((*marks)[pos] != '#') {
      ++m.marks;
      ++m.marks_by_kind[marks->substr(pos, marks->find(':', pos) - pos)];
    }
    pos = nl + 1;
  }
  auto edges = read_all(edges_path);
  if (!edges) return edges.status();
  std::set<std::string> accounts;
  for (size_t pos = 0; pos < edges->size();) {
    size_t nl = edges->find('\n', pos);
    if (nl == std::string::npos) nl = edges->size();
    std::string line = edges->substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    ++m.edges;
    std::vector<std::string> f;
    for (size_t a = 0;;) {
      size_t t = line.find('\t', a);
      f.push_back(line.substr(a, t == std::string::npos ? std::string::npos : t - a));
      if (t == std::string::npos) break;
      a = t + 1;
    }
    if (f.size() < 5 || std::stoull(f[4]) < 3) continue;
    ++m.repeated_edges;
    accounts.insert(f[0]);
    accounts.insert(f[1]);
  }
  for (const auto& a : accounts) {
    std::string bare = a.substr(a.find(':') + 1);  // "platform:account"
    ++(network_of.count(bare) ? m.repeated_planted : m.repeated_other);
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
  app.add_flag("--keep", keep, "Keep the temporary directory");
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
  int st = run(bin_dir, "chorus-gen",
               {"--events", std::to_string(*n), "--seed", std::to_string(seed), "-o", dir + "/generated.jsonl",
                "--accounts-out", dir + "/accounts.jsonl", "--truth-out", dir + "/truth.csv", "--quiet"},
               secs);
  if (st != 0) {
    std::fprintf(stderr, "chorus demo: chorus-gen failed (status %d)\n", st);
    cleanup();
    return kExitUsageError;
  }
  stages.push_back({"chorus-gen", secs});
  st = run(bin_dir, "chorus-parse",
           {dir + "/generated.jsonl", "-o", dir + "/events.jsonl", "--accounts-out", dir + "/profiles.jsonl"}, secs);
  if (st != 0) {
    std::fprintf(stderr, "chorus demo: chorus-parse failed (status %d)\n", st);
    cleanup();
    return kExitUsageError;
  }
  stages.push_back({"chorus-parse", secs});
  st = run(bin_dir, "chorus-hash",
           {dir + "/events.jsonl", "-o", dir + "/marks.tsv", "--labels", dir + "/labels.tsv", "--quiet"}, secs);
  if (st != 0) {
    std::fprintf(stderr, "chorus demo: chorus-hash failed (status %d)\n", st);
    cleanup();
    return kExitUsageError;
  }
  stages.push_back({"chorus-hash", secs});
  // An hour: paraphrased copies come hours apart, copies and shares within minutes.
  st = run(bin_dir, "chorus-join",
           {dir + "/marks.tsv", "--window", "1h", "-o", dir + "/edges.tsv", "--evidence", dir + "/evidence.tsv", "--quiet"},
           secs);
  if (st != 0) {
    std::fprintf(stderr, "chorus demo: chorus-join failed (status %d)\n", st);
    cleanup();
    return kExitUsageError;
  }
  stages.push_back({"chorus-join", secs});

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
  MarkSummary m;
  if (Status e = summarise_marks(dir + "/marks.tsv", dir + "/edges.tsv", network_of, m); !e) {
    std::fprintf(stderr, "chorus demo: %s\n", e.message().c_str());
    cleanup();
    return kExitUsageError;
  }
  std::string kinds;
  for (const auto& [k, v] : m.marks_by_kind) append_listing(kinds, k, v);
  std::printf("\nMarks       %s (%s)\n", commas(m.marks).c_str(), kinds.c_str());
  std::printf("Edges       %s account pairs co-acted within an hour; %s of them on 3 or more distinct keys\n",
              commas(m.edges).c_str(), commas(m.repeated_edges).c_str());
  std::printf("            accounts in those repeated edges: %s planted (of %s), %s others\n",
              commas(m.repeated_planted).c_str(), commas(network_of.size()).c_str(), commas(m.repeated_other).c_str());
  std::printf("\nNext stages of the pipeline (cluster, score, report) are not built yet;\n"
              "edges.tsv, evidence.tsv, labels.tsv and truth.csv are their input.\n");
  if (!temporary || keep) std::printf("Files kept in %s\n", dir.c_str());
  cleanup();
  return std::fflush(stdout) == 0 ? kExitSuccess : kExitUsageError;
}

}  // namespace chorus

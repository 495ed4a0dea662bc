// run.cpp — see run.hpp.
#include "run.hpp"

#include <simdjson.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "output.hpp"

extern char** environ;

namespace chorus {

int run_stage(const std::string& bin_dir, const std::string& prog, std::vector<std::string> args, double& seconds) {
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

int run_pipeline(const std::string& bin_dir, const PipelineOptions& opt, std::vector<Stage>& stages,
                 PipelineCounts& counts) {
  const std::string& d = opt.dir;
  auto stage = [&](const std::string& prog, std::vector<std::string> args) {
    if (opt.quiet) args.insert(args.begin(), "--quiet");
    double secs = 0;
    int st = run_stage(bin_dir, prog, std::move(args), secs);
    if (st != 0) {
      std::fprintf(stderr, "chorus run: %s %s (status %d)\n", prog.c_str(),
                   st < 0 ? "could not start" : "failed", st);
      return st < 0 ? kExitUsageError : st;
    }
    stages.push_back({prog, secs});
    return 0;
  };
  std::vector<std::string> parse = {"--preset", opt.preset, "-o", d + "/events.jsonl", "--accounts-out",
                                    d + "/profiles.jsonl"};
  for (const auto& m : opt.maps) {
    parse.push_back("--map");
    parse.push_back(m);
  }
  parse.push_back("--");  // an input named like a flag stays an input
  for (const auto& in : opt.inputs) parse.push_back(in);
  if (int st = stage("chorus-parse", parse)) return st;
  if (int st = stage("chorus-hash", {d + "/events.jsonl", "-o", d + "/marks.tsv", "--labels", d + "/labels.tsv"})) return st;
  if (int st = stage("chorus-join", {d + "/marks.tsv", "--window", opt.window, "--min-repeat", opt.min_repeat, "--memory",
                                     opt.memory, "-o", d + "/edges.tsv", "--evidence", d + "/evidence.tsv"}))
    return st;
  std::vector<std::string> cluster = {d + "/edges.tsv", "--marks", d + "/marks.tsv", "--alpha", opt.alpha,
                                      "--method", opt.method, "-o", d + "/clusters.tsv"};
  if (!opt.seeds.empty()) {
    cluster.push_back("--seeds");
    cluster.push_back(opt.seeds);
  }
  if (int st = stage("chorus-cluster", cluster)) return st;
  const std::string accounts = opt.accounts.empty() ? d + "/profiles.jsonl" : opt.accounts;
  if (int st = stage("chorus-score", {d + "/clusters.tsv", "--evidence", d + "/evidence.tsv", "--labels", d + "/labels.tsv",
                                      "--accounts", accounts, "--events", d + "/events.jsonl", "-o", d + "/networks.jsonl"}))
    return st;
  std::string networks = d + "/networks.jsonl";
  if (!opt.state.empty()) {
    std::vector<std::string> track = {"--state", opt.state, "--accounts", accounts, "-o", d + "/tracked.jsonl"};
    if (!opt.run_name.empty()) {
      track.push_back("--run");
      track.push_back(opt.run_name);
    }
    track.push_back(networks);
    if (int st = stage("chorus-track", track)) return st;
    networks = d + "/tracked.jsonl";
  }
  if (int st = stage("chorus-policy", {"--accounts", accounts, "--events", d + "/events.jsonl", "--networks", networks, "-o",
                                       d + "/actions.jsonl"}))
    return st;
  std::vector<std::string> report = {networks, "--clusters", d + "/clusters.tsv", "--accounts", accounts, "--events",
                                     d + "/events.jsonl", "--markdown", d + "/report.md", "--html", d + "/report.html",
                                     "--json", d + "/report.json", "--gexf", d + "/graph.gexf", "--graphml", d + "/graph.graphml"};
  if (!opt.title.empty()) {
    report.push_back("--title");
    report.push_back(opt.title);
  }
  if (int st = stage("chorus-report", report)) return st;
  summarise_networks(networks, counts, 0);
  return 0;
}

std::string actions_summary(const std::string& actions_path) {
  auto text = read_all(actions_path);
  if (!text) return "actions: " + actions_path + " cannot be read";
  std::map<std::string, uint64_t> by_action;
  uint64_t total = 0;
  simdjson::dom::parser parser;
  size_t pos = 0;
  while (pos < text->size()) {
    size_t end = text->find('\n', pos);
    if (end == std::string::npos) end = text->size();
    simdjson::dom::object o;
    std::string_view action;
    if (!parser.parse(text->data() + pos, end - pos).get(o) && !o["action"].get(action)) {
      ++by_action[std::string(action)];
      ++total;
    }
    pos = end + 1;
  }
  std::string s = "actions: " + std::to_string(total);
  const char* sep = " (";
  for (const auto& [a, n] : by_action) {
    s += sep + std::to_string(n) + " " + a;
    sep = ", ";
  }
  return s + (by_action.empty() ? "" : ")");
}

std::string summarise_networks(const std::string& networks_path, PipelineCounts& counts, size_t max_lines) {
  counts = {};
  auto text = read_all(networks_path);
  if (!text) return "";
  simdjson::ondemand::parser parser;
  simdjson::padded_string json(*text);
  simdjson::ondemand::document_stream docs;
  if (parser.iterate_many(json).get(docs)) return "";
  std::string lines;
  size_t shown = 0;
  for (auto doc : docs) {
    simdjson::ondemand::object o;
    if (doc.get_object().get(o)) continue;
    std::string id, verdict, reason;
    uint64_t size = 0;
    double score = 0;
    for (auto f : o) {
      std::string_view key, v;
      if (f.unescaped_key().get(key)) continue;
      if (key == "id" && !f.value().get_string().get(v)) id = v;
      else if (key == "size") {
        if (f.value().get_uint64().get(size)) size = 0;
      } else if (key == "score") {
        if (f.value().get_double().get(score)) score = 0;
      }
      else if (key == "verdict" && !f.value().get_string().get(v)) verdict = v;
      else if (key == "reasons") {
        simdjson::ondemand::array a;
        if (f.value().get_array().get(a)) continue;
        for (auto r : a) {
          if (!r.get_string().get(v)) reason = v;
          break;
        }
      }
    }
    ++counts.networks;
    if (verdict == "coordinated") {
      ++counts.coordinated;
      counts.accounts_coordinated += size;
    } else if (verdict == "review") {
      ++counts.review;
    } else {
      ++counts.benign;
    }
    if (shown < max_lines && verdict != "benign") {
      ++shown;
      char head[128];
      std::snprintf(head, sizeof head, "  %-8s %5llu accounts  score %.2f  %-11s ", id.c_str(),
                    static_cast<unsigned long long>(size), score, verdict.c_str());
      if (reason.size() > 90) {
        size_t cut = 90;
        while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
        reason = reason.substr(0, cut) + "...";
      }
      lines += head + reason + "\n";
    }
  }
  return lines;
}

int run_command(int argc, char** argv, const std::string& bin_dir) {
  CommandLine cli("chorus run", "Run the whole pipeline on activity files: events to scored networks, in one directory.");
  PipelineOptions opt;
  auto& app = cli.app();
  app.add_option("inputs", opt.inputs, "Activity files (JSON-lines or CSV; zstd is detected)")->type_name("FILE")->required();
  app.add_option("-o,--output", opt.dir, "Directory for the streams, the networks and the summary")->type_name("DIR")->required();
  app.add_option("-p,--preset", opt.preset, "chorus-parse's input schema")->type_name("NAME")->capture_default_str();
  app.add_option("-m,--map", opt.maps, "chorus-parse's field map FIELD=PATH (repeatable)")->type_name("FIELD=PATH");
  app.add_option("--accounts", opt.accounts, "Account profiles (JSON-lines) [default: those found in the records]")
      ->type_name("FILE");
  app.add_option("-w,--window", opt.window, "chorus-join's window")->type_name("TIME")->capture_default_str();
  app.add_option("--min-repeat", opt.min_repeat, "chorus-join's least number of distinct keys per edge")
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--alpha", opt.alpha, "chorus-cluster's significance level")->type_name("A")->capture_default_str();
  app.add_option("--method", opt.method, "chorus-cluster's clustering: components or leiden")
      ->check(CLI::IsMember({"components", "leiden"}))
      ->type_name("METHOD")
      ->capture_default_str();
  app.add_option("--seeds", opt.seeds, "Start from these accounts (chorus-cluster --seeds)")->type_name("FILE");
  app.add_option("--memory", opt.memory, "chorus-join's memory for sorting")->type_name("BYTES")->capture_default_str();
  app.add_option("--state", opt.state, "Track networks across runs in DIR (chorus-track): stable ids, returning accounts")
      ->type_name("DIR");
  app.add_option("--run", opt.run_name, "Name of this run in the state (chorus-track --run; default: today's UTC date)")
      ->type_name("NAME");
  app.add_option("--title", opt.title, "The report's title (chorus-report --title)")->type_name("TEXT");
  app.add_flag("-q,--quiet", opt.quiet, "No summaries from the stages; the final summary is still printed");
  cli.parse(argc, argv);
  if (!opt.run_name.empty() && opt.state.empty()) cli.usage_error("--run needs --state");

  std::error_code ec;
  std::filesystem::create_directories(opt.dir, ec);
  if (ec) {
    std::fprintf(stderr, "chorus run: %s: %s\n", opt.dir.c_str(), ec.message().c_str());
    return kExitUsageError;
  }
  std::vector<Stage> stages;
  PipelineCounts counts;
  if (int st = run_pipeline(bin_dir, opt, stages, counts)) return st;
  std::string summary = "chorus run: " + std::to_string(counts.networks) + " networks: " + std::to_string(counts.coordinated) +
                        " coordinated (" + std::to_string(counts.accounts_coordinated) + " accounts), " +
                        std::to_string(counts.review) + " to review, " + std::to_string(counts.benign) + " benign\n";
  PipelineCounts again;
  const std::string networks = opt.dir + (opt.state.empty() ? "/networks.jsonl" : "/tracked.jsonl");
  summary += summarise_networks(networks, again, 50);
  summary += "stages:";
  for (const auto& s : stages) {
    char b[96];
    std::snprintf(b, sizeof b, " %s %.2f s;", s.name.c_str() + 7, s.seconds);
    summary += b;
  }
  summary += "\n" + actions_summary(opt.dir + "/actions.jsonl") + "\n";
  summary += "files in " + opt.dir + ": events.jsonl profiles.jsonl marks.tsv labels.tsv edges.tsv evidence.tsv clusters.tsv networks.jsonl" +
             (opt.state.empty() ? "" : " tracked.jsonl") +
             " actions.jsonl report.md report.html report.json graph.gexf graph.graphml summary.txt\n";
  auto out = OutputStream::open(opt.dir + "/summary.txt");
  if (!out) {
    std::fprintf(stderr, "chorus run: %s\n", out.status().message().c_str());
    return kExitUsageError;
  }
  (*out)->write(summary);
  if (Status st = (*out)->close(); !st) {
    std::fprintf(stderr, "chorus run: %s\n", st.message().c_str());
    return kExitUsageError;
  }
  std::fputs(summary.c_str(), stdout);
  return std::fflush(stdout) == 0 ? kExitSuccess : kExitUsageError;
}

}  // namespace chorus

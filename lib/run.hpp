// run.hpp — `chorus run`: the whole pipeline on a file, with sensible
// defaults, as separate processes (the executables beside `chorus`), writing
// every stream and a summary into one directory:
//
//   events.jsonl  profiles.jsonl  marks.tsv  labels.tsv  edges.tsv
//   evidence.tsv  clusters.tsv  networks.jsonl  actions.jsonl  report.md
//   report.html  report.json  graph.gexf  graph.graphml  summary.txt
//
// With a state directory, networks.jsonl goes through chorus-track first
// (stable ids, returning accounts) and the actions and report use its ids.
//
// `chorus demo` runs it on chorus-gen data. Not thread-safe (spawns and
// waits for child processes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chorus {

struct Stage {
  std::string name;
  double seconds = 0;
};

// Runs bin_dir/prog with args and waits; its exit status (128 + signal when
// killed, -1 when it could not start). `seconds` is its wall time.
int run_stage(const std::string& bin_dir, const std::string& prog, std::vector<std::string> args, double& seconds);

struct PipelineOptions {
  std::vector<std::string> inputs;
  std::string preset = "canonical";
  std::vector<std::string> maps;  // chorus-parse --map
  std::string accounts;           // profiles; default: those chorus-parse found
  std::string dir;
  std::string window = "1h";
  std::string min_repeat = "2";
  std::string alpha = "0.02";
  std::string method = "leiden";
  std::string seeds;              // chorus-cluster --seeds
  std::string memory = "1G";
  std::string state;              // chorus-track --state; empty: no tracking
  std::string run_name;           // chorus-track --run; empty: its default
  std::string title;              // chorus-report --title; empty: its default
  bool quiet = false;
};

struct PipelineCounts {
  uint64_t networks = 0, coordinated = 0, review = 0, benign = 0;
  uint64_t accounts_coordinated = 0;
};

// Runs parse, hash, join, cluster, score (track), policy and report into opt.dir (which must exist);
// appends to `stages`; returns 0 or the failed stage's status (a message is
// printed to stderr).
int run_pipeline(const std::string& bin_dir, const PipelineOptions& opt, std::vector<Stage>& stages,
                 PipelineCounts& counts);

// The summary of networks.jsonl: counts by verdict and one line per network.
std::string summarise_networks(const std::string& networks_path, PipelineCounts& counts, size_t max_lines);

// "actions: N (n1 action1, n2 action2, ...)" from actions.jsonl.
std::string actions_summary(const std::string& actions_path);

// `chorus run FILE... -o DIR`.
int run_command(int argc, char** argv, const std::string& bin_dir);

}  // namespace chorus

// chorus — the dispatcher: `chorus CMD ARGS...` runs chorus-CMD (found beside
// this executable, then on PATH); `chorus demo` runs the pipeline on data that
// chorus-gen makes. See man/chorus.1.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "demo.hpp"
#include "run.hpp"
#include "exit_status.hpp"

using namespace chorus;

namespace {

const char* kUsage =
    "Usage: chorus COMMAND [ARGS...]\n"
    "Find coordinated networks of accounts in social-media activity.\n\n"
    "Commands:\n"
    "  parse    platform exports (JSON-lines, CSV) to canonical events\n"
    "  hash     canonical events to marks: one line per (event, fingerprint key)\n"
    "  join     marks to co-action edges between accounts, with their evidence\n"
    "  cluster  edges to clusters: filters, significance, components or Leiden\n"
    "  score    clusters to scored networks, with their reasons and evidence\n"
    "  eval     networks against ground truth: precision, recall, F1, adjusted Rand index\n"
    "  report   networks to a transparency report (Markdown, HTML, JSON) and graphs (GraphML, GEXF)\n"
    "  policy   accounts, events, networks to enforcement actions: labels, exclusions, removals\n"
    "  track    networks matched to earlier runs: stable ids, returning accounts\n"
    "  gen      synthetic activity with planted networks, and its ground truth\n"
    "  run      the whole pipeline on a file, into one directory\n"
    "  demo     generate a data set, run the pipeline on it, print what was found\n\n"
    "'chorus COMMAND --help' shows a command's options; man chorus(1) the whole toolkit.\n";

std::string self_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string p(buf, static_cast<size_t>(n));
  return p.substr(0, p.rfind('/'));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kExitUsageError;
  }
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return std::fflush(stdout) == 0 ? kExitSuccess : kExitUsageError;
  }
  if (cmd == "--version") {
    std::puts("chorus " CHORUS_VERSION);
    return std::fflush(stdout) == 0 ? kExitSuccess : kExitUsageError;
  }
  if (cmd == "demo") return run_demo(argc - 1, argv + 1, self_dir());
  if (cmd == "run") return run_command(argc - 1, argv + 1, self_dir());
  if (cmd.empty() || cmd[0] == '-' || cmd.find('/') != std::string::npos) {
    std::fprintf(stderr, "chorus: unknown command '%s'\nTry 'chorus --help' for more information.\n", cmd.c_str());
    return kExitUsageError;
  }
  std::string name = "chorus-" + cmd;
  std::vector<char*> args;
  args.push_back(name.data());
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  std::string beside = self_dir() + "/" + name;
  if (::access(beside.c_str(), X_OK) == 0) ::execv(beside.c_str(), args.data());
  ::execvp(name.c_str(), args.data());
  std::fprintf(stderr, "chorus: unknown command '%s'\nTry 'chorus --help' for more information.\n", cmd.c_str());
  return kExitUsageError;
}

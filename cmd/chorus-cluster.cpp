// chorus-cluster — edges to clusters: the filters (weight, quantile,
// significance against the null model), the neighbourhood of seed accounts,
// then connected components or seeded Leiden. See man/chorus-cluster.1.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "cluster.hpp"
#include "diagnostics.hpp"
#include "exit_status.hpp"
#include "input.hpp"
#include "line_reader.hpp"
#include "output.hpp"

using namespace chorus;

namespace {

// One account per line; blank lines and lines starting with '#' are skipped.
Status read_seeds(const std::string& path, std::vector<std::string>& seeds) {
  auto in = InputStream::open(path);
  if (!in) return in.status();
  LineReader reader(**in, size_t{1} << 16);
  std::string_view line;
  for (;;) {
    auto kind = reader.next(line);
    if (!kind) return kind.status();
    if (*kind == LineReader::Kind::kEnd) break;
    if (*kind == LineReader::Kind::kOverlong)
      return Status::error(path + ":" + std::to_string(reader.line_number()) + ": line too long for an account");
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line[0] == '#') continue;
    seeds.emplace_back(line);
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  restore_sigpipe();
  CommandLine cli("chorus-cluster", "Filter co-action edges and group the accounts into clusters.");
  CommonOptions common;
  cli.add_common(common);
  ClusterOptions opt;
  std::string method = "components", rule = "gt", max_shift, marks_path, seeds_path;
  double quantile = -1, alpha = -1;
  BadLinePolicy lines;
  auto& app = cli.app();
  const CLI::Validator whole_number = whole_number_validator();
  app.add_option("--min-weight", opt.min_weight, "Keep edges of weight at least N")
      ->type_name("N")
      ->check(whole_number)
      ->capture_default_str();
  app.add_option("--quantile", quantile, "Keep edges whose weight passes the Q quantile of the weights (R's type 7)")
      ->type_name("Q");
  app.add_option("--quantile-rule", rule, "gt keeps weight > the quantile (CooRTweet), ge keeps weight >= it")
      ->check(CLI::IsMember({"gt", "ge"}))
      ->type_name("RULE")
      ->capture_default_str();
  app.add_option("--marks", marks_path, "The marks the edges were joined from, for the null model")->type_name("FILE");
  app.add_option("--alpha", alpha, "Keep edges whose co-actions are significant at level A against the null model")
      ->type_name("A");
  app.add_option("--rounds", opt.null.rounds, "Rounds of the null model (random shifts)")
      ->type_name("N")
      ->check(whole_number)
      ->capture_default_str();
  app.add_option("--max-shift", max_shift,
                 "Largest shift of an account's activity in the null model [default: the marks' whole span]")
      ->type_name("TIME");
  app.add_option("--method", method, "components, or leiden (modularity, seeded)")
      ->check(CLI::IsMember({"components", "leiden"}))
      ->type_name("METHOD")
      ->capture_default_str();
  app.add_option("--resolution", opt.resolution, "Leiden's resolution: higher gives smaller clusters")
      ->type_name("R")
      ->capture_default_str();
  app.add_option("--seed", opt.seed, "Seed of the null model's shifts and of Leiden")
      ->type_name("N")
      ->check(whole_number)
      ->capture_default_str();
  app.add_option("--seeds", seeds_path, "Start from these accounts (one per line): keep the network around them")
      ->type_name("FILE");
  app.add_option("--hops", opt.hops, "With --seeds: how many edges out from a seed the network reaches")
      ->type_name("N")
      ->check(whole_number)
      ->capture_default_str();
  app.add_option("--min-size", opt.min_size, "Drop clusters of fewer accounts")
      ->type_name("N")
      ->check(whole_number)
      ->capture_default_str();
  cli.add_bad_line_options(lines, "1M");
  cli.parse(argc, argv);

  Diagnostics diag(cli.prog());
  if (app.count("--quantile")) {
    if (!(quantile >= 0 && quantile <= 1)) cli.usage_error("--quantile: must be between 0 and 1");
    opt.quantile = quantile;
  }
  opt.quantile_ge = rule == "ge";
  if (app.count("--alpha")) {
    if (!(alpha > 0 && alpha <= 1)) cli.usage_error("--alpha: must be above 0 and at most 1");
    if (marks_path.empty()) cli.usage_error("--alpha needs --marks: the null model shifts the marks");
    opt.alpha = alpha;
  } else if (!marks_path.empty()) {
    cli.usage_error("--marks is for the null model: add --alpha");
  }
  if (opt.null.rounds == 0 || opt.null.rounds > 100000) cli.usage_error("--rounds: must be from 1 to 100000");
  // The smallest p-value the shift can give is 1 / (rounds + 1).
  if (opt.alpha && *opt.alpha * (opt.null.rounds + 1.0) < 1)
    cli.usage_error("--alpha " + app.get_option("--alpha")->as<std::string>() + " is below 1/(rounds+1): no edge could pass; raise --rounds");
  if (!max_shift.empty()) {
    auto d = parse_duration(max_shift);
    if (!d) cli.usage_error("--max-shift: " + d.status().message());
    opt.null.max_shift = *d;
    opt.max_shift_given = true;
  }
  opt.null.seed = opt.seed;
  opt.method = method == "leiden" ? ClusterMethod::kLeiden : ClusterMethod::kComponents;
  if (!(opt.resolution > 0 && opt.resolution < 1e9)) cli.usage_error("--resolution: must be positive");
  if (app.count("--hops") && seeds_path.empty()) cli.usage_error("--hops goes with --seeds");
  cli.check_bad_line_options(lines);
  opt.max_line = lines.max_line;
  if (!seeds_path.empty()) {
    if (Status st = read_seeds(seeds_path, opt.seeds); !st) {
      diag.error(st.message());
      return kExitUsageError;
    }
    if (opt.seeds.empty()) cli.usage_error("--seeds: " + seeds_path + " names no account");
  }
  if (common.inputs.empty()) common.inputs.push_back("-");

  std::vector<std::string> readers = common.inputs;
  if (!marks_path.empty()) readers.push_back(marks_path);
  auto outs = open_outputs({common.output}, readers);
  if (!outs) {
    diag.error(outs.status().message());
    return kExitUsageError;
  }
  std::unique_ptr<OutputStream> out = std::move((*outs)[0]);
  Clusterer clusterer(opt, [&](const std::string& file, uint64_t line, const std::string& message) {
    diag.error_at(file, line, message);
    return lines.go_on();
  });
  auto fail = [&](const Status& st) {
    diag.error(st.message());
    return clusterer.data_error() ? kExitDataError : kExitUsageError;
  };
  auto stopped = [&] {
    diag.note("stopped after " + std::to_string(lines.bad) + " bad lines; no clusters written");
    return kExitDataError;
  };
  for (const auto& path : common.inputs) {
    auto in = InputStream::open(path);
    if (!in) return fail(in.status());
    if (Status st = clusterer.add_edges(**in); !st) return fail(st);
    if (clusterer.stopped()) return stopped();
  }
  clusterer.filter();
  if (!marks_path.empty()) {
    auto in = InputStream::open(marks_path);
    if (!in) return fail(in.status());
    if (Status st = clusterer.add_marks(**in); !st) return fail(st);
    if (clusterer.stopped()) return stopped();
  }
  if (Status st = clusterer.cluster(); !st) return fail(st);
  if (Status st = clusterer.write(*out); !st) return fail(st);
  if (Status c = out->close(); !c) {
    diag.error(c.message());
    return kExitUsageError;
  }
  for (const std::string& w : clusterer.warnings()) diag.warning(w);
  const ClusterStats& s = clusterer.stats();
  if (!common.quiet) {
    std::string summary = std::to_string(s.edges_in) + " edges in";
    auto dropped = [&](uint64_t n, const char* why) {
      if (n) summary += ", " + std::to_string(n) + " " + why;
    };
    dropped(s.below_weight, "under --min-weight");
    dropped(s.below_quantile, opt.quantile_ge ? "under the quantile" : "not above the quantile");
    dropped(s.not_significant, "not significant");
    dropped(s.outside_seeds, "beyond the seeds' reach");
    dropped(s.between_clusters, "between clusters");
    dropped(s.in_small_clusters, "in clusters under --min-size");
    summary += "; " + std::to_string(s.edges_out) + " edges out in " + std::to_string(s.clusters) + " clusters of " +
               std::to_string(s.accounts) + " accounts";
    diag.note(summary);
    if (s.bad_lines) diag.note("skipped " + std::to_string(s.bad_lines) + " bad lines");
  }
  if (lines.over()) return kExitDataError;
  return kExitSuccess;
}

// cluster.hpp — chorus-cluster's work: edges in, the edges that pass the
// filters tagged with their cluster out (SPEC §3, §6; chorus-formats(5)
// CLUSTERS).
//
// In order: absolute weight (--min-weight), a quantile of the weights with
// `>` (CooRTweet's rule) or `≥`, significance against the null model of
// null_model.hpp over the marks (--alpha), the neighbourhood of seed accounts
// (--seeds, --hops), then connected components or Leiden (igraph, seeded:
// repeatable byte for byte). Clusters are numbered 1, 2, ... by size, then
// total weight, then their smallest account name; clusters under min_size
// accounts are dropped.
//
// Memory: the edges (about 64 bytes each plus their text) and, with the null
// model, 24 bytes per mark of the accounts that are in candidate edges, a
// hash-set entry per distinct (key, account) pair and a count per key. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "account_table.hpp"
#include "input.hpp"
#include "null_model.hpp"
#include "output.hpp"
#include "status.hpp"

namespace chorus {

enum class ClusterMethod { kComponents, kLeiden };

struct ClusterOptions {
  uint64_t min_weight = 0;
  std::optional<double> quantile;  // in [0, 1]
  bool quantile_ge = false;        // keep weight >= the quantile (default >)
  std::optional<double> alpha;     // the null model's level; needs marks
  NullParams null;                 // window comes from the edges' header
  bool max_shift_given = false;    // else the marks' whole span
  ClusterMethod method = ClusterMethod::kComponents;
  double resolution = 1.0;
  uint64_t seed = 1;
  std::vector<std::string> seeds;  // account names as the edges write them
  uint32_t hops = 2;
  uint32_t min_size = 2;
  size_t max_line = size_t{1} << 20;
};

struct ClusterStats {
  uint64_t edges_in = 0, bad_lines = 0;
  uint64_t below_weight = 0, below_quantile = 0, not_significant = 0, outside_seeds = 0, between_clusters = 0,
           in_small_clusters = 0;
  uint64_t edges_out = 0, clusters = 0, accounts = 0;
  uint64_t marks_read = 0, marks_kept = 0;
  std::optional<double> threshold;  // the quantile's value
  uint64_t seeds_found = 0;
};

class Clusterer {
 public:
  // Called for each bad line; returns whether to go on.
  using BadLine = std::function<bool(const std::string& file, uint64_t line, const std::string& message)>;
  Clusterer(ClusterOptions opt, BadLine bad_line);

  // Reads an edges stream (chorus-join's). All edges before any marks.
  Status add_edges(InputStream& in);
  // The weight and quantile filters; then the accounts whose marks the null
  // model needs are known.
  void filter();
  // Reads a marks stream for the null model (after filter()).
  Status add_marks(InputStream& in);
  // The null model (when alpha is set), seeds, clustering.
  Status cluster();
  Status write(OutputStream& out) const;

  const ClusterStats& stats() const { return stats_; }
  // Things the user should know (ties at the quantile, seeds not found).
  const std::vector<std::string>& warnings() const { return warnings_; }
  bool stopped() const { return stopped_; }
  bool data_error() const { return data_error_; }

 private:
  struct Edge {
    uint32_t a, b;
    uint64_t weight;
    size_t text_begin;  // fields 4..13 (coactions .. signals), tab-joined, in text_
    uint32_t text_size;
    double p_value = -1, expected = -1;
    uint32_t cluster = 0;
    bool kept = true;
  };
  Status data_error(std::string message);
  Status run_null_model();
  void apply_seeds();
  std::vector<uint32_t> components(const std::vector<uint32_t>& nodes, const std::vector<size_t>& edges) const;
  Result<std::vector<uint32_t>> leiden(const std::vector<uint32_t>& nodes, const std::vector<size_t>& edges) const;

  ClusterOptions opt_;
  BadLine bad_line_;
  ClusterStats stats_;
  AccountTable accounts_;
  std::vector<Edge> edges_;
  std::string text_;
  std::string edges_params_;  // the edges header's JSON parameters
  bool header_seen_ = false;
  std::vector<std::vector<TimedKey>> marks_;  // by account id, for candidate accounts
  std::vector<uint8_t> candidate_;
  std::unordered_map<uint64_t, uint32_t> key_marks_;  // accounts per key (XXH3-64 of the key)
  std::unordered_set<uint64_t> key_accounts_seen_;    // (key, account) pairs seen
  uint64_t incidences_ = 0;                           // distinct (key, account) pairs
  Micros marks_begin_ = 0, marks_end_ = 0;
  bool marks_seen_ = false;
  std::vector<std::string> warnings_;
  bool stopped_ = false, data_error_ = false;
};

}  // namespace chorus

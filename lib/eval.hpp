// eval.hpp — how well the networks found match the networks planted: the
// ground truth (chorus-gen --truth-out, CSV account,network,tactic) and the
// networks (chorus-score's JSON lines: id, accounts, verdict) in, account-level
// precision, recall and F1, recall per planted network, the adjusted Rand
// index (Hubert & Arabie 1985) between the found clusters and the planted
// networks, and the reference accounts flagged, out; as one JSON line or a
// readable table. The definitions are in man/chorus-eval.1. No printing:
// errors are values, bad network lines go to a handler. Not thread-safe: one
// Evaluator per thread; the free functions are pure.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "input.hpp"
#include "status.hpp"

namespace chorus {

// Which networks count as flagged: verdict coordinated; coordinated or
// review; every network. A network without a verdict (or a null one) counts
// as coordinated: an unscored stream is evaluated as a whole.
enum class VerdictFilter { kCoordinated, kReview, kAny };
std::string_view verdict_filter_name(VerdictFilter f);

struct EvalOptions {
  VerdictFilter verdict = VerdictFilter::kCoordinated;
  size_t max_line = size_t{64} << 20;  // longest network line or truth row, in bytes
};

// One planted network's result.
struct PlantedResult {
  std::string network, tactic;  // tactic: its rows' tactics, distinct, comma-separated, first seen first
  uint64_t members = 0;         // accounts the truth lists for it
  uint64_t found = 0;           // of them, accounts in a counted network
  uint64_t clusters = 0;        // counted networks its found members are in
  std::string best;             // id of the counted network holding most of them ("" when none)
  uint64_t best_found = 0;      // its members in that network
  uint64_t best_size = 0;       // that network's accounts
};

// One group of reference accounts ("benign:publisher", "overt:state-outlet").
struct ReferenceResult {
  std::string group;
  uint64_t members = 0, flagged = 0;
};

struct EvalReport {
  VerdictFilter verdict = VerdictFilter::kCoordinated;
  uint64_t networks = 0;  // network lines read
  uint64_t coordinated = 0, review = 0, benign = 0, unscored = 0;  // of them, by verdict
  uint64_t counted = 0;   // networks that the verdict filter counts
  uint64_t flagged = 0;   // distinct accounts in counted networks
  uint64_t positives = 0; // accounts in planted networks
  uint64_t true_positives = 0, false_positives = 0, false_negatives = 0;
  uint64_t flagged_reference = 0, flagged_organic = 0;  // false_positives = their sum
  uint64_t overlapping = 0;  // accounts in more than one counted network (kept in the first)
  uint64_t bad_lines = 0;
  // Empty when undefined: precision with nothing flagged, recall with nothing
  // planted, F1 with neither, ARI over no account.
  std::optional<double> precision, recall, f1, ari;
  std::vector<PlantedResult> planted;      // by network name, byte order
  std::vector<ReferenceResult> reference;  // by group name, byte order
};

// Called for a bad network line; returns whether to go on.
using EvalLineErrorSink = std::function<bool(const std::string& file, uint64_t line, const std::string& message)>;

class Evaluator {
 public:
  Evaluator(EvalOptions options, EvalLineErrorSink on_error);

  // Reads the ground truth (once, before any network). An error is the
  // message, with "FILE:LINE: " when it is about a row; data_error() then
  // tells a malformed file (exit 1) from one that could not be read (2).
  Status read_truth(InputStream& in);

  // Reads networks, one JSON object per line; blank lines are skipped, a line
  // starting with '#' must be a networks stream header. A bad line goes to the
  // handler (and stopped() once it says stop); an error is an input that
  // could not be read, or another kind of stream (data_error()).
  Status add_networks(InputStream& in);

  bool stopped() const { return stopped_; }
  bool data_error() const { return data_error_; }

  EvalReport report() const;

  // The truth account that a network's account name stands for: the name
  // itself when the truth lists it, else, for "platform:account", the part
  // after the first ':' when the truth lists it and it holds no ':'. Empty
  // when the truth lists neither (an organic account).
  std::string_view truth_account(std::string_view name) const;

 private:
  struct Group {
    std::string name, tactic;
    bool planted = false;
    uint64_t members = 0;
  };
  Status parse_truth_row(const std::vector<std::string_view>& f, const std::string& where);
  Status parse_network(std::string_view line, std::string& error);

  EvalOptions opt_;
  EvalLineErrorSink on_error_;
  std::vector<Group> groups_;
  std::unordered_map<std::string, uint32_t> group_index_;    // group name -> groups_
  std::unordered_map<std::string, uint32_t> truth_;          // account -> groups_
  // Flagged accounts: the truth account (or, for an organic one, the name as
  // the network gives it) -> the counted network it is in (the first one).
  struct Flagged {
    uint32_t cluster;
    bool overlapping;  // also in a later counted network
  };
  std::unordered_map<std::string, Flagged> cluster_of_;
  std::vector<std::string> cluster_ids_;     // counted networks, in input order
  std::vector<uint64_t> cluster_sizes_;      // their distinct flagged accounts
  uint64_t networks_ = 0, coordinated_ = 0, review_ = 0, benign_ = 0, unscored_ = 0, overlapping_ = 0, bad_ = 0;
  simdjson::ondemand::parser parser_;
  std::string padded_;                       // a line with simdjson's padding
  std::vector<std::string> line_accounts_;   // the accounts of the line being read
  bool stopped_ = false, data_error_ = false;
};

// The adjusted Rand index from the pair counts of a contingency table over n
// items: sum_cells = Σ C(n_ij, 2), sum_rows = Σ C(a_i, 2), sum_cols =
// Σ C(b_j, 2). 1 when the two partitions are the same trivial one (all
// singletons, or one class: the index is then 0/0); empty for n = 0.
std::optional<double> adjusted_rand_index(uint64_t n, uint64_t sum_cells, uint64_t sum_rows, uint64_t sum_cols);
// The same from two labellings of the same items (labels[i] is item i's class).
std::optional<double> adjusted_rand_index(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// The report as one JSON line ('\n' included): fixed member order, ratios with
// 6 decimals (null when undefined), names with invalid UTF-8 shown as U+FFFD.
std::string format_eval_json(const EvalReport& r);
// The report as an aligned table: the totals, the reference groups, then one
// row per planted network; ratios with 3 decimals ("-" when undefined); names
// with control bytes, backslashes and invalid UTF-8 escaped (\xHH, \\).
std::string format_eval_table(const EvalReport& r);

}  // namespace chorus

// policy.hpp — the engine of chorus-policy (SPEC §7): account profiles,
// events and networks in, enforcement actions out, each naming its rule and
// the evidence for it.
//
// Three rules (ids as the actions' "rule"):
//   state-affiliated-label  label_state_affiliated for every account whose
//                           profile names a state (state_affiliated non-null);
//   state-media-abroad      exclude_from_recommendations and block_foreign_ads
//                           for a state-affiliated account whose events reach
//                           audiences other than its home country (the state
//                           it is affiliated with) often enough;
//   coordinated-network     remove for every account of a network whose
//                           verdict is "coordinated" and score >= min_score.
//
// Accounts are named as the networks name them: "platform:account", or
// "account" without a platform (the JSON strings, unescaped).
//
// Memory: the state-affiliated accounts (name and state) and, per such
// account, its audiences with their counts; the actions of the networks'
// removals. Other accounts and events are streamed and forgotten.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "input.hpp"
#include "output.hpp"
#include "status.hpp"

namespace chorus {

inline constexpr const char* kRuleLabel = "state-affiliated-label";
inline constexpr const char* kRuleAbroad = "state-media-abroad";
inline constexpr const char* kRuleRemove = "coordinated-network";

struct PolicyOptions {
  bool label = true;                // state-affiliated-label applies
  bool abroad = true;               // state-media-abroad applies
  bool remove = true;               // coordinated-network applies
  uint64_t min_foreign_events = 1;  // state-media-abroad: events to a foreign audience, at least (>= 1)
  double min_foreign_share = 0;     // ... and that share of the events with an audience, at least
  double min_score = 0;             // coordinated-network: the network's score, at least
};

// Reads a rules file: `key = value` lines, '#' comments, blank lines.
// Keys: the three rule ids (value on|off, yes|no, true|false, 1|0),
// min-foreign-events, min-foreign-share, min-score. Sets what it names in
// `opt`; `set` gets every key that was set. An error: "FILE:LINE: message".
Status read_policy_config(std::string_view text, const std::string& file, PolicyOptions& opt,
                          std::vector<std::string>* set = nullptr);
// Checks the thresholds' ranges; the message names the flag.
Status check_policy_options(const PolicyOptions& opt);

struct Action {
  std::string account, action, rule;
  std::string evidence;  // a JSON object
};
// The actions line ('\n' included): {"account","action","rule","evidence"}.
std::string action_json(const Action& a);

// The error sink: a bad line (file, line, message); returns false to stop.
using PolicyErrorSink = std::function<bool(const std::string& file, uint64_t line, const std::string& message)>;

struct PolicyStats {
  uint64_t bad_lines = 0, profiles = 0, state_affiliated = 0, events = 0, networks = 0;
  std::map<std::string, uint64_t> actions;  // action -> count
};

class PolicyEngine {
 public:
  PolicyEngine(PolicyOptions options, PolicyErrorSink on_error, size_t max_line = size_t{1} << 20);

  // In this order, each optional: profiles (JSON lines), events (JSON lines),
  // networks (chorus-score's JSON lines). An error: the input cannot be read,
  // or it is a chorus stream (a data error).
  Status add_accounts(InputStream& in);
  Status add_events(InputStream& in);
  Status add_networks(InputStream& in);
  // The actions, sorted by account, action, rule and evidence (bytes).
  std::vector<Action> actions();
  Status write(OutputStream& out);

  bool stopped() const { return stopped_; }
  bool data_error() const { return data_error_; }
  const PolicyStats& stats() const { return stats_; }

 private:
  struct StateAccount {
    std::string state;
    uint64_t with_audience = 0, foreign = 0;
    std::map<std::string, uint64_t> audiences;
  };
  Status data_error(std::string message);
  bool bad_line(const std::string& file, uint64_t line, const std::string& message);

  PolicyOptions opt_;
  PolicyErrorSink on_error_;
  size_t max_line_;
  PolicyStats stats_;
  bool stopped_ = false, data_error_ = false;
  std::unordered_map<std::string, StateAccount> states_;  // state-affiliated account -> what is known
  std::vector<Action> removals_;
};

}  // namespace chorus

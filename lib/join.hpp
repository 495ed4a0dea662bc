// join.hpp — the engine of chorus-join (SPEC §3, §5, §9): marks in, edges
// (and evidence) out, exactly, within a memory budget, and shardable.
//
// Flow. Marks are read (any order: they go through an ExternalSorter keyed by
// key, time, account, event; or, with `sorted`, streamed straight into the
// sweep while their order is checked). The co-action sweep (coaction.hpp)
// pairs marks of different accounts within the window; each co-action becomes
// an evidence record "a\tb\tkey\tts_a\tts_b\tevent_a\tevent_b" (a < b) in a
// second sorter. Reading that sorter back pair by pair gives the edges, and
// the evidence of the edges kept.
//
// CooRTweet's min_participation (detect_groups) is reproduced: accounts with
// fewer marks than N take no part (their co-actions are dropped); then an
// account needs N marks (rows, as CooRTweet counts: an event with two marks
// counts twice) of its events that took part in co-actions, and a co-action
// stays when either of its accounts has them. (The first filter is
// applied to co-actions after the sweep, which is the same thing unless a hot
// window was capped.)
//
// Sharding (partial): a shard writes its co-actions and its accounts' mark
// counts as a partial stream; merge() reads any number of partials and writes
// what one process over all the marks would have written, byte for byte, as
// long as every key's marks went to one shard (split by key).
//
// Memory: --memory covers the sorters (marks / 2, co-actions / 2 or / 4, the
// participation facts / 4) and the account table, which grows with the input
// and is charged against the budget (the sorters' shares shrink; past it, an
// error says to raise --memory). One pair's co-actions take up to memory / 8
// (at least 1 MiB) while its edge is made; beyond, they go through small
// sorters. Besides: the sweep's window (bounded by max_accounts) and buffers.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "account_table.hpp"
#include "coaction.hpp"
#include "external_sort.hpp"
#include "input.hpp"
#include "output.hpp"
#include "status.hpp"

namespace chorus {

enum class WeightKind : uint8_t { kCoActions, kKeys, kOwnEvents };

struct JoinOptions {
  SweepOptions sweep;
  WeightKind weight = WeightKind::kCoActions;
  uint64_t min_repeat = 1;         // distinct keys a pair needs
  uint64_t min_participation = 0;  // CooRTweet's rule; 0: off
  size_t memory = size_t{1} << 30;
  std::string temp_dir;
  bool sorted = false;             // marks arrive sorted by key then time
  size_t max_line = size_t{1} << 20;
  // Take only the keys of shard `shard` of `shards` (by XXH3-64 of the key):
  // N processes over the same marks, one shard each, then a merge.
  uint32_t shard = 0, shards = 1;
};

struct JoinStats {
  uint64_t lines = 0, marks = 0, bad_lines = 0, accounts = 0;
  uint64_t other_shards = 0;  // marks left to the other shards
  SweepStats sweep;
  uint64_t edges = 0, evidence = 0;
  uint64_t pairs = 0;  // account pairs with a co-action, before the filters
};

// The error sink: a bad line (file, line, message); returns false to stop.
using LineErrorSink = std::function<bool(const std::string& file, uint64_t line, const std::string& message)>;

class Joiner {
 public:
  Joiner(JoinOptions options, LineErrorSink on_error);
  ~Joiner();

  // Reads one marks input. An error: the input cannot be read, it is another
  // kind of chorus stream, or (sorted) its marks are out of order — all fatal.
  Status add_marks(InputStream& in);
  // Reads one partial stream (written by write_partial()).
  Status add_partial(InputStream& in);
  bool stopped() const { return stopped_; }
  // Whether the last error was in the data (another kind of stream, marks
  // out of order, a malformed partial), not in reading or writing.
  bool data_error() const { return data_error_; }

  // After the inputs: the shard's partial stream.
  Status write_partial(OutputStream& out);
  // After the inputs: the edges stream, and the evidence stream when asked.
  Status write_edges(OutputStream& edges, OutputStream* evidence);

  const JoinStats& stats() const { return stats_; }
  static std::string_view weight_name(WeightKind w);

 private:
  uint32_t account_id(std::string_view name);
  Status data_error(std::string message);
  void charge_tables();
  class PairEdge;
  void start_key(std::string_view key);
  Status sweep_mark(std::string_view key, Micros ts, std::string_view account, std::string_view event);
  Status sweep_sorted_marks();
  Status add_coaction_record(std::string_view record);
  Status add_fact(uint32_t account, std::string_view event, char type, uint64_t payload);
  std::string sweep_params_json() const;
  std::string edges_params_json() const;
  Status compute_participation(std::vector<uint8_t>& kept);
  Status read_event_facts(const std::function<bool(uint32_t, uint32_t)>& counts,
                          const std::function<void(uint32_t, std::string_view, uint64_t, bool)>& visit);

  JoinOptions opt_;
  LineErrorSink on_error_;
  JoinStats stats_;
  bool stopped_ = false;
  bool data_error_ = false;
  bool swept_ = false;
  std::unique_ptr<ExternalSorter> marks_, coactions_, participation_;
  std::unique_ptr<CoActionSweep> sweep_;
  // Accounts: name <-> id, and each one's marks.
  AccountTable accounts_;
  std::vector<uint64_t> account_marks_;
  // The key being swept, and (sorted input) the last mark's key and time.
  std::string key_, last_key_;
  Micros last_ts_ = 0;
  bool have_last_ = false;
  std::string record_, fact_;
  Status pending_;  // an error inside the sweep's callback
  std::string marks_params_;  // the first marks header's parameters
  // Parameters read from partial streams (all must agree).
  std::string partial_params_;
  std::vector<uint8_t> shards_seen_;  // merge: partials read per shard
};

}  // namespace chorus

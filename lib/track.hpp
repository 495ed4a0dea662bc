// track.hpp — networks tracked across runs (chorus-track): the state kept
// between runs (networks with stable ids, accounts of removed networks), its
// versioned text form, matching today's networks to the known ones by account
// overlap (Jaccard, one-to-one, best first), returning accounts (the same
// account, or one linked by a normalised handle or name), and the state
// directory's lock and atomic commit. Format: man/chorus-track.1, STATE.
// Plain values and functions; a Tracker or a StateDir is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "input.hpp"
#include "status.hpp"

namespace chorus {

// A network known from earlier runs, with the accounts of its last run.
struct TrackedNetwork {
  int64_t number = 0;  // the stable id's number: CIB-000001 is 1
  std::string first_run, last_run;
  std::string removed_run;  // the first run in which it was coordinated, or empty
  int64_t runs = 0;         // runs it was seen in
  std::vector<std::string> accounts;  // sorted, unique
};

// An account of a removed (coordinated) network.
struct RemovedAccount {
  std::string network;  // stable id
  std::string run;
  std::vector<std::string> keys;  // link keys (link_keys), sorted, unique
};

struct TrackState {
  int64_t next_number = 1;
  std::vector<std::string> runs;        // committed runs, in order
  std::vector<TrackedNetwork> networks;  // by number
  std::map<std::string, RemovedAccount> removed;
};

// "CIB-000001".
std::string stable_id(int64_t number);

// The state file's text: `#chorus-track-state v1 {...}`, then one JSON line
// per network (by id) and per removed account (by name). Byte-deterministic.
std::string format_track_state(const TrackState& state);
// Parses it back; an error names `name:line`. Empty text is the empty state.
Result<TrackState> parse_track_state(std::string_view text, const std::string& name);

// The keys that link two accounts: "handle:" and "name:" + the handle or
// name lower-cased (ASCII), with digits, '@', '_', '.', '-' and spaces
// removed; a key of fewer than 3 bytes after that is none.
std::vector<std::string> link_keys(std::string_view handle, std::string_view name);

// One of today's networks, as read from chorus-score's output.
struct TodayNetwork {
  std::string cluster;                // its "id"
  std::vector<std::string> accounts;  // sorted, unique
  bool coordinated = false;
  std::vector<std::pair<std::string, std::string>> members;  // key -> minified JSON value, in order
};

struct NetworkMatch {
  int64_t known = -1;   // index into the known networks, or -1: a new network
  double overlap = 0;   // Jaccard index of the accounts
};

// One match per today's network: pairs whose Jaccard index is >= min_overlap,
// taken one-to-one, the highest index first (then the most shared accounts,
// then today's input order, then the lowest stable id).
std::vector<NetworkMatch> match_networks(const std::vector<TrackedNetwork>& known, const std::vector<TodayNetwork>& today,
                                         double min_overlap);

struct Returning {
  std::string account;
  std::string via;  // "account" (the same account), "handle" or "name" (linked)
  std::string removed_account, removed_network, removed_run;
};

// Today's networks and profiles, and what a run makes of them.
class Tracker {
 public:
  // Called per bad line; returns whether to go on.
  using ErrorHandler = std::function<bool(const std::string& file, uint64_t line, const std::string& message)>;
  Tracker(ErrorHandler on_error, size_t max_line);

  // chorus-score's networks (JSON lines). An error: unreadable input or the
  // wrong stream (data_error() then says so).
  Status add_networks(InputStream& in);
  // Account profiles (JSON lines): their link keys.
  Status add_accounts(InputStream& in);
  bool stopped() const { return stopped_; }
  bool data_error() const { return data_error_; }
  uint64_t bad_lines() const { return bad_lines_; }
  const std::vector<TodayNetwork>& networks() const { return today_; }

  struct Outcome {
    std::string output;    // today's networks with stable ids and "track"
    TrackState state;      // the state after the run
    uint64_t tracked = 0, fresh = 0, same = 0, linked = 0;
    std::vector<Returning> outside;  // returning accounts among the profiles in no network
  };
  Outcome run(const TrackState& before, const std::string& run, double min_overlap) const;

 private:
  bool bad_line(const std::string& file, uint64_t line, const std::string& message);
  Status refuse(std::string message);
  ErrorHandler on_error_;
  size_t max_line_;
  std::vector<TodayNetwork> today_;
  std::map<std::string, std::vector<std::string>> profile_keys_;  // account -> link keys
  uint64_t bad_lines_ = 0;
  bool stopped_ = false, data_error_ = false;
};

// The state directory: DIR/lock (flock, not waiting), DIR/state, and
// DIR/state.tmp while a commit is written.
class StateDir {
 public:
  StateDir() = default;
  StateDir(const StateDir&) = delete;
  StateDir& operator=(const StateDir&) = delete;
  ~StateDir();
  // Creates DIR when missing (not its parents) and takes the lock; an error
  // when another run holds it.
  Status open(const std::string& dir);
  // The state text; empty when there is none yet.
  Result<std::string> read() const;
  // Writes DIR/state.tmp, fsyncs it, renames it over DIR/state, fsyncs DIR.
  // `before_rename` runs between the fsync and the rename (a test hook).
  Status commit(const std::string& text, const std::function<void()>& before_rename = {}) const;
  std::string state_path() const { return dir_ + "/state"; }

 private:
  std::string dir_;
  int lock_fd_ = -1;
};

}  // namespace chorus

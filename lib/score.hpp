// score.hpp — the engine of chorus-score (SPEC §3, §6): clustered edges in,
// one scored network per cluster out, with the features that explain it.
//
// Two layers. The model is pure: a Network (what the streams said about one
// cluster: its edges, and what --evidence, --accounts and --events added)
// goes to assess(), which computes the Features, the score, the verdict and
// the reasons; network_json() writes the networks line. Both work on values
// and are tested without I/O. The Scorer reads the streams into Networks:
// the clustered edges first (held in memory: they are the output of
// clustering, bounded), then the side inputs, each streamed and filtered to
// the accounts and keys of the networks.
//
// Memory: the clusters' edges and account names; per network the evidence's
// keys (one entry per distinct key, with the distinct accounts on it) and a
// 64-bit hash per distinct coordinated event; the profiles of network
// accounts; per network event 8 bytes (its text's hash) and 8 per shared
// parent or link; the labels of the top keys only; and, to tell which items
// are state-affiliated, 8 bytes per event of a state-affiliated account.
// Nothing grows with the rest of the events, accounts, evidence or labels.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <simdjson.h>

#include "input.hpp"
#include "output.hpp"
#include "status.hpp"
#include "timeline.hpp"
#include "timestamp.hpp"

namespace chorus {

// One line of the clustered edges: "cluster a b weight coactions keys a_first
// b_first first last median_dt a_events b_events signals p_value expected".
// a and b stay as the stream writes them (TSV-escaped).
struct ClusterEdge {
  std::string a, b;
  uint64_t weight = 0, coactions = 0, keys = 0, a_first = 0, b_first = 0, a_events = 0, b_events = 0;
  Micros first = 0, last = 0, median_dt = 0;
  std::vector<std::pair<std::string, uint64_t>> signals;  // kind -> co-actions, as written
  std::optional<double> p_value, expected;                // "-": none
};

// Splits and checks one line (without '\n'); `cluster` gets the first field.
Status parse_cluster_edge(std::string_view line, std::string& cluster, ClusterEdge& edge);

// What --accounts said about an account.
struct Profile {
  std::optional<Micros> created;
  std::optional<int64_t> followers;
  std::optional<bool> verified;
  std::string handle, country, state_affiliated;  // empty: unknown / none
};
// The profile of an account-profile JSON object (created: RFC 3339 or epoch
// seconds; what is absent or unreadable stays unknown).
Profile profile_of(simdjson::dom::object o);

// One shared key of a network, from the evidence.
struct KeyStat {
  std::string key;  // "kind:hash", as written
  uint64_t coactions = 0, accounts = 0;
  std::optional<std::string> label;  // unescaped, from --labels
};

// Everything known about one cluster.
struct Network {
  std::string id;                     // "000001"
  std::vector<std::string> accounts;  // as the streams write them, sorted
  std::vector<ClusterEdge> edges;
  // --evidence
  bool has_evidence = false;
  uint64_t distinct_keys = 0, coordinated_events = 0;
  std::vector<KeyStat> top_keys;  // by co-actions, then accounts, then key
  // --accounts: parallel to `accounts`; nullopt for an account without a profile
  bool has_profiles = false;
  std::vector<std::optional<Profile>> profiles;
  // --events
  bool has_events = false;
  uint64_t events = 0;
  uint64_t texts = 0, repeated_texts = 0;         // events with text; those whose text another repeats
  uint64_t audience_known = 0, foreign = 0;       // events with an audience and a profile country; elsewhere
  uint64_t state_amplifying = 0;                  // events that share or link a state-affiliated account's item
  std::map<std::string, uint64_t> audiences;      // audience -> events
  std::map<std::string, uint64_t> amplified_states;  // state -> events amplifying it
  Timeline activity;                                 // the events over time
};

struct ScoreOptions {
  double coordinated = 0.7;  // verdict thresholds on the score
  double review = 0.4;
  size_t top = 5;            // top_keys per network
  double window = 0;         // the edges' window, seconds (0: unknown)
  int64_t burst_days = 7;    // the creation burst's window
};

// The features of one network; a feature that the inputs do not give is nullopt.
struct Features {
  size_t n = 0, edges = 0;
  uint64_t coactions = 0;
  double density = 0;
  Micros first_seen = 0, last_seen = 0, median_dt = 0;
  double per_edge_coactions = 0, per_edge_keys = 0;
  std::optional<double> synchrony;            // 1 - median_dt / window
  std::optional<double> chance;               // 1 - expected / observed co-actions
  double expected = 0, observed_tested = 0;
  std::optional<double> significant;          // share of edges with p <= 0.05
  size_t significant_edges = 0, tested_edges = 0;
  std::optional<double> lead;                 // share of ordered co-actions led by the top leader (n >= 3)
  size_t leader = 0;                          // index into accounts
  uint64_t leader_led = 0, ordered = 0;
  // accounts
  size_t profiles = 0;
  std::optional<double> burst, young, low_followers, verified, handle_digits, shared_prefix;
  size_t burst_count = 0, with_created = 0, young_count = 0, low_count = 0, verified_count = 0, with_verified = 0;
  size_t with_followers = 0, with_handle = 0, digit_handles = 0, prefix_count = 0;
  Micros burst_first = 0, burst_last = 0, created_first = 0, created_last = 0;
  int64_t followers = 0;
  std::string prefix;
  std::map<std::string, uint64_t> countries, states;  // country -> accounts; state -> affiliated accounts
  // events
  std::optional<double> foreign, state_amplification, activity, duplication;
  uint64_t coordinated_events = 0;
  bool publisher = false;  // the openly syndicated publisher rule matched
};

// The model's weights (documented in chorus-score(1), MODEL).
struct Weight {
  const char* name;
  double weight;
  double center;  // the feature's neutral value: the term is weight * (feature - center)
};
extern const double kScoreBias;
extern const Weight kScoreWeights[];
extern const size_t kScoreWeightCount;

struct Assessment {
  Features f;
  double score = 0;
  std::string verdict;  // "coordinated", "review", "benign"
  std::vector<std::string> reasons;
};

Features compute_features(const Network& net, const ScoreOptions& opt);
Assessment assess(const Network& net, const ScoreOptions& opt);
// The networks line ('\n' included). `params` is the JSON object for "params".
std::string network_json(const Network& net, const Assessment& a, std::string_view params);

// Numbers as the reasons write them: "1,930"; and decimals rounded to
// `digits`, trailing zeros trimmed: "0.5", "12", "0.333".
std::string with_commas(uint64_t n);
std::string format_decimal(double v, int digits);
// A handle's owner prefix: up to and including its first '_' when at least 3
// characters come before it ("dailynews_east" -> "dailynews_"), else empty.
std::string_view handle_prefix(std::string_view handle);
// Whether a handle ends in 4 or more digits after a letter ("annlee20417733").
bool handle_has_digits(std::string_view handle);

// The error sink: a bad line (file, line, message); returns false to stop.
using ScoreErrorSink = std::function<bool(const std::string& file, uint64_t line, const std::string& message)>;

struct ScoreStats {
  uint64_t bad_lines = 0, networks = 0, edges = 0;
  uint64_t evidence = 0, labels = 0, profiles = 0, events = 0;  // lines used from each side input
};

class Scorer {
 public:
  Scorer(ScoreOptions options, ScoreErrorSink on_error, size_t max_line = size_t{1} << 20);
  ~Scorer();

  // The clustered edges (every input before any side input). An error: the
  // input cannot be read, or it is another kind of stream (a data error).
  Status add_clusters(InputStream& in);
  // The side inputs, in this order: evidence, labels, accounts, events (each
  // optional). Each must be called once at most.
  Status add_evidence(InputStream& in);
  Status add_labels(InputStream& in);
  Status add_accounts(InputStream& in);
  Status add_events(InputStream& in);
  // The networks, in cluster order.
  Status write(OutputStream& out);

  bool stopped() const { return stopped_; }
  bool data_error() const { return data_error_; }
  const ScoreStats& stats() const { return stats_; }

 private:
  struct Where {
    uint32_t net, index;
  };
  Status data_error(std::string message);
  bool bad_line(const std::string& file, uint64_t line, const std::string& message);
  void order_networks();
  void finish_keys();
  std::string params_json() const;

  ScoreOptions opt_;
  ScoreErrorSink on_error_;
  size_t max_line_;
  ScoreStats stats_;
  bool stopped_ = false, data_error_ = false, ordered_ = false;
  std::unordered_map<std::string, uint32_t> cluster_index_;  // cluster id -> network, while reading
  std::vector<Network> nets_;
  std::unordered_map<std::string, Where> where_;  // account (as written) -> network, index
  std::unordered_set<std::string> pairs_;          // "a\tb" of every kept edge
  std::string clusters_params_, evidence_params_;
  bool read_evidence_ = false, read_labels_ = false, read_accounts_ = false, read_events_ = false;
  // Evidence, per network: key -> index into keys_, its accounts; the coordinated events' hashes.
  struct KeyAgg {
    uint64_t coactions = 0;
    std::vector<uint32_t> accounts;
  };
  std::vector<std::unordered_map<std::string, KeyAgg>> keys_;
  std::vector<std::vector<uint64_t>> event_hashes_;
  std::unordered_map<std::string, std::vector<std::pair<uint32_t, size_t>>> wanted_labels_;  // key -> (net, top index)
  // Events: state-affiliated accounts (from --accounts); hashes of their items -> state.
  std::unordered_map<std::string, std::string> state_accounts_;
  std::unordered_map<uint64_t, std::string> state_items_;
  std::vector<std::vector<uint64_t>> text_hashes_;  // per network
  struct Reference {
    uint32_t net;
    uint64_t event;  // sequence number of the network event
    uint64_t item;   // hash of its parent or link
  };
  std::vector<Reference> references_;
};

}  // namespace chorus

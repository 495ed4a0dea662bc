// report.hpp — the engine of chorus-report (SPEC §7): chorus-score's networks
// (+ clustered edges, account profiles, events) in; the transparency report
// out as Markdown, one self-contained HTML page, JSON, GraphML and GEXF.
//
// Every figure of a network is a field of its networks line (size,
// followers, first_seen/last_seen, countries, audiences, signals, coactions,
// score, verdict, reasons, top_keys, activity) and the totals are their
// sums; the drawing and the exports take their edges from the clustered
// edges (--clusters), their node attributes from the profiles (--accounts),
// and the texts of shared posts come from the events (--events).
//
// Adversaries write the texts, names and labels: every such string goes
// through one of the escapers below (invalid UTF-8 as U+FFFD, control
// characters dropped, bidirectional controls shown as "[U+202E]", long texts
// cut); the HTML page has no script and a Content-Security-Policy that loads
// nothing from anywhere, and links are never made clickable.
//
// Memory: the networks, their accounts' profiles, their edges, and the
// texts of the shared posts named in top_keys. Other accounts, edges and events are streamed.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "input.hpp"
#include "output.hpp"
#include "score.hpp"
#include "status.hpp"
#include "timeline.hpp"
#include "timestamp.hpp"

namespace chorus {

struct ReportOptions {
  std::string title = "Coordinated inauthentic behaviour report";
  std::set<std::string> verdicts;  // reported verdicts; empty: all
  size_t top = 5;                  // top texts, links and hashtags per network
  size_t max_nodes = 150;          // accounts drawn per network (HTML)
  uint64_t seed = 1;               // layout seed
};

// ---- Escaping (exposed for the tests) ----

// Cleans user text for display: invalid UTF-8 bytes become U+FFFD, control
// characters (tab and newline too) a space, bidirectional controls (U+200E,
// U+200F, U+202A..U+202E, U+2066..U+2069, U+061C) the visible "[U+XXXX]",
// U+FFFE/U+FFFF U+FFFD; cut to `max_chars` code points with "…" appended.
std::string clean_text(std::string_view s, size_t max_chars = 280);
// clean_text, then & < > " ' as HTML character references.
std::string html_text(std::string_view s, size_t max_chars = 280);
// clean_text, then & < > " ' as XML character references (XML 1.0 safe).
std::string xml_text(std::string_view s, size_t max_chars = 280);
// clean_text, then Markdown's punctuation backslash-escaped and & < > as
// character references, so nothing becomes a link, an image, code or HTML.
std::string markdown_text(std::string_view s, size_t max_chars = 280);

// ---- What is read ----

struct ReportKey {
  std::string key, kind, label;  // label unescaped ("" when none)
  uint64_t coactions = 0, accounts = 0;
};

struct ReportEdge {
  uint32_t a = 0, b = 0;  // indices into the network's accounts
  ClusterEdge e;
};

// A network's "activity", as chorus-score counted it (bars of a timeline).
struct Activity {
  bool present = false;  // the networks line has it (chorus-score read events)
  uint64_t events = 0;
  Micros width = 0;      // of a bar
  Micros start = 0;      // of the first bar
  std::vector<uint64_t> counts;
};

struct ReportNetwork {
  std::string id, verdict;
  double score = 0;
  std::vector<std::string> accounts;  // unescaped, as in the networks line
  uint64_t size = 0, edges = 0, coactions = 0;
  double density = 0;
  std::vector<std::pair<std::string, uint64_t>> signals, countries, audiences, state_affiliated;
  std::string first_seen, last_seen;  // as written
  std::optional<double> median_dt;
  std::optional<int64_t> followers;
  std::string created_first, created_last;
  std::vector<std::string> reasons;
  std::vector<ReportKey> top_keys;
  uint64_t window = 0;  // params.window, seconds
  std::string method;   // params.clusters.method
  std::optional<double> alpha;
  // chorus-track's "track", when the networks went through it
  std::string track_first_run;
  uint64_t track_runs = 0;
  std::vector<std::string> returning;  // one sentence per returning account
  // --clusters
  std::vector<ReportEdge> edge_list;
  Activity activity;
};

struct ReportStats {
  uint64_t bad_lines = 0, networks_read = 0, networks = 0, edges = 0, profiles = 0, events = 0;
  uint64_t unknown_edges = 0;  // clustered edges naming an account outside their network
};

using ReportErrorSink = std::function<bool(const std::string& file, uint64_t line, const std::string& message)>;

inline constexpr size_t kMaxSharedTexts = 4096;  // shared posts whose text is kept

class Reporter {
 public:
  Reporter(ReportOptions options, ReportErrorSink on_error, size_t max_line = size_t{1} << 20);

  // Networks first (all files), then each optional input once.
  Status add_networks(InputStream& in);
  Status add_clusters(InputStream& in);
  Status add_accounts(InputStream& in);
  Status add_events(InputStream& in);

  void write_markdown(OutputStream& out) const;
  void write_html(OutputStream& out) const;
  void write_json(OutputStream& out) const;
  void write_graphml(OutputStream& out) const;
  void write_gexf(OutputStream& out) const;

  const std::vector<ReportNetwork>& networks() const { return nets_; }
  const ReportStats& stats() const { return stats_; }
  bool stopped() const { return stopped_; }
  bool data_error() const { return data_error_; }

 private:
  struct Where {
    uint32_t net, index;
  };
  struct Totals {
    uint64_t networks = 0, accounts = 0, coactions = 0, followers = 0, edges = 0;
    bool followers_known = false;
    std::map<std::string, uint64_t> verdicts;                  // by name (JSON)
    std::vector<std::pair<std::string, uint64_t>> by_verdict;  // coordinated, review, benign, others
    std::string first, last;
  };
  Status data_error(std::string message);
  bool bad_line(const std::string& file, uint64_t line, const std::string& message);
  void index_accounts();
  Totals totals() const;
  std::string detection(const ReportNetwork& n) const;
  std::string tactics(const ReportNetwork& n) const;
  std::string shared_text(const ReportKey& k) const;
  std::string timeline_svg(const ReportNetwork& n) const;
  std::string graph_svg(const ReportNetwork& n) const;
  template <typename NodeWriter, typename EdgeWriter>
  void for_each_node_edge(NodeWriter&& node, EdgeWriter&& edge) const;

  ReportOptions opt_;
  ReportErrorSink on_error_;
  size_t max_line_;
  ReportStats stats_;
  bool stopped_ = false, data_error_ = false, indexed_ = false;
  bool have_clusters_ = false, have_accounts_ = false, have_events_ = false;
  std::vector<ReportNetwork> nets_;
  std::unordered_map<std::string, Where> where_;          // escaped stream name -> network, index
  std::unordered_map<std::string, Profile> profiles_;     // escaped stream name -> profile
  std::unordered_map<std::string, std::string> shared_;   // shared post id -> its text ("" until seen)
  std::unordered_map<std::string, std::string> shared_by_;  // shared post id -> its author
};

}  // namespace chorus

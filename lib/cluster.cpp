// cluster.cpp — see cluster.hpp.
#include "cluster.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <simdjson.h>
#include <unordered_set>
#include <xxhash.h>

#include <igraph/igraph.h>

#include "line_reader.hpp"
#include "marks.hpp"
#include "stream_header.hpp"
#include "tsv.hpp"

namespace chorus {

namespace {

bool parse_u64(std::string_view s, uint64_t& v) {
  return !s.empty() && std::from_chars(s.data(), s.data() + s.size(), v).ptr == s.data() + s.size();
}

// A number without trailing zeros, at most `digits` decimals: 0.005, 12.3, 4.
std::string decimal(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

// The edges header's parameters without the counts of the sweep (they
// differ between two runs of chorus-join with the same options).
std::string join_params(const std::string& params) {
  size_t counts = params.find(",\"marks\":");
  return counts == std::string::npos ? params : params.substr(0, counts);
}

std::string cluster_id(uint32_t n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06u", n);
  return buf;
}

struct UnionFind {
  std::vector<uint32_t> parent;
  explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(uint32_t x, uint32_t y) {
    x = find(x);
    y = find(y);
    if (x != y) parent[std::max(x, y)] = std::min(x, y);
  }
};

}  // namespace

Clusterer::Clusterer(ClusterOptions opt, BadLine bad_line) : opt_(std::move(opt)), bad_line_(std::move(bad_line)) {}

Status Clusterer::data_error(std::string message) {
  data_error_ = true;
  return Status::error(std::move(message));
}

Status Clusterer::add_edges(InputStream& in) {
  LineReader reader(in, opt_.max_line);
  std::string_view line;
  std::unordered_set<uint64_t> pairs;
  for (const Edge& e : edges_) pairs.insert(uint64_t{e.a} << 32 | e.b);
  auto bad = [&](const std::string& message) {
    ++stats_.bad_lines;
    if (!bad_line_(in.name(), reader.line_number(), message)) stopped_ = true;
  };
  for (;;) {
    auto kind = reader.next(line);
    if (!kind) return kind.status();
    if (*kind == LineReader::Kind::kEnd) break;
    // Every input opens with the edges header (line 1; the reader reports
    // an overlong line ahead of the shorter ones of its block, so go by the
    // line's number); the inputs' parameters must agree.
    if (reader.line_number() == 1) {
      if (*kind == LineReader::Kind::kOverlong)
        return data_error(in.name() + ":1: not an edges stream (first line too long for a header)");
      auto header = parse_stream_header(line, "edges");
      if (!header) return data_error(in.name() + ":1: " + header.status().message());
      if (!header_seen_) {
        edges_params_ = header->params;
        simdjson::dom::parser parser;
        simdjson::dom::element doc;
        double window = 0;
        if (parser.parse(simdjson::padded_string(header->params)).get(doc) || doc["window"].get(window) ||
            !(window >= 0) || window > 1e9)
          return data_error(in.name() + ":1: edges header without a window");
        opt_.null.window = static_cast<Micros>(std::llround(window * 1e6));
        header_seen_ = true;
      } else if (join_params(header->params) != join_params(edges_params_)) {
        return data_error(in.name() + ":1: edges made with other parameters than the first input's");
      }
      continue;
    }
    if (*kind == LineReader::Kind::kOverlong) {
      bad("line longer than " + std::to_string(opt_.max_line) + " bytes");
      if (stopped_) return {};
      continue;
    }
    if (line.empty()) continue;  // as chorus-join
    std::string_view f[13];
    size_t pos = 0, n = 0;
    bool more = false;
    while (n < 13) {
      size_t tab = line.find('\t', pos);
      f[n++] = line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos);
      if (tab == std::string_view::npos) break;
      pos = tab + 1;
      more = n == 13;  // a tab after the 13th field
    }
    uint64_t weight = 0;
    std::string problem;
    if (n != 13 || more)
      problem = "an edge has 13 tab-separated fields";
    else if (f[0].empty() || f[1].empty())
      problem = "empty account";
    else if (!(f[0] < f[1]))
      problem = "accounts not in order (a must sort before b)";
    else if (!parse_u64(f[2], weight))
      problem = "weight is not a whole number";
    if (problem.empty()) {
      uint32_t a = accounts_.intern(f[0]), b = accounts_.intern(f[1]);
      if (!pairs.insert(uint64_t{a} << 32 | b).second) {
        problem = "pair given twice";
      } else {
        Edge e{};
        e.a = a;
        e.b = b;
        e.weight = weight;
        e.text_begin = text_.size();
        std::string_view rest = line.substr(static_cast<size_t>(f[3].data() - line.data()));
        text_.append(rest);
        e.text_size = static_cast<uint32_t>(rest.size());
        e.kept = true;
        edges_.push_back(e);
        ++stats_.edges_in;
      }
    }
    if (!problem.empty()) {
      bad(problem);
      if (stopped_) return {};
    }
  }
  return {};
}

void Clusterer::filter() {
  for (Edge& e : edges_)
    if (e.weight < opt_.min_weight) {
      e.kept = false;
      ++stats_.below_weight;
    }
  if (opt_.quantile) {
    std::vector<uint64_t> w;
    for (const Edge& e : edges_)
      if (e.kept) w.push_back(e.weight);
    if (!w.empty()) {
      std::sort(w.begin(), w.end());
      // R's quantile(type = 7), as CooRTweet takes it, with R's own
      // arithmetic (stats::quantile.default): index = 1 + (n - 1) q, 1-based;
      // the lower value alone unless the index has a fraction and the two
      // values differ. (Computing (n - 1) q first can differ in the last bit:
      // 25 * 0.28 is 7.000000000000001, 1 + 25 * 0.28 is 8.)
      const double index = 1.0 + static_cast<double>(w.size() - 1) * *opt_.quantile;
      const size_t lo = static_cast<size_t>(std::floor(index)), hi = static_cast<size_t>(std::ceil(index));
      double t = static_cast<double>(w[lo - 1]);
      const double h = index - static_cast<double>(lo);
      if (index > static_cast<double>(lo) && w[std::min(hi, w.size()) - 1] != w[lo - 1])
        t = (1 - h) * static_cast<double>(w[lo - 1]) + h * static_cast<double>(w[hi - 1]);
      stats_.threshold = t;
      uint64_t gt = 0, ge = 0, ties = 0;
      for (uint64_t x : w) {
        gt += static_cast<double>(x) > t;
        ge += static_cast<double>(x) >= t;
        ties += static_cast<double>(x) == t;
      }
      for (Edge& e : edges_) {
        if (!e.kept) continue;
        const double x = static_cast<double>(e.weight);
        if (opt_.quantile_ge ? x < t : x <= t) {
          e.kept = false;
          ++stats_.below_quantile;
        }
      }
      // Ties: when many edges sit exactly at the threshold, the rule decides
      // more than the quantile does.
      if (ties * 10 >= w.size() && ties > 0) {
        auto pct = [&](uint64_t k) { return decimal(100.0 * static_cast<double>(k) / static_cast<double>(w.size()), 1); };
        warnings_.push_back(std::to_string(ties) + " of " + std::to_string(w.size()) + " edges (" + pct(ties) +
                            "%) have weight " + decimal(t, 3) + ", the " + decimal(*opt_.quantile, 6) +
                            " quantile: '>' keeps " + std::to_string(gt) + " (" + pct(gt) + "%), '>=' keeps " +
                            std::to_string(ge) + " (" + pct(ge) + "%)");
      }
    }
  }
  candidate_.assign(accounts_.size(), 0);
  for (const Edge& e : edges_)
    if (e.kept) candidate_[e.a] = candidate_[e.b] = 1;
  marks_.assign(opt_.alpha ? accounts_.size() : 0, {});
}

Status Clusterer::add_marks(InputStream& in) {
  LineReader reader(in, opt_.max_line);
  std::string_view line;
  Mark m;
  auto bad = [&](const std::string& message) {
    ++stats_.bad_lines;
    if (!bad_line_(in.name(), reader.line_number(), message)) stopped_ = true;
  };
  for (;;) {
    auto kind = reader.next(line);
    if (!kind) return kind.status();
    if (*kind == LineReader::Kind::kEnd) break;
    if (reader.line_number() == 1) {
      if (*kind == LineReader::Kind::kOverlong) return data_error(in.name() + ":1: not a marks stream");
      auto header = parse_stream_header(line, "marks");
      if (!header) return data_error(in.name() + ":1: " + header.status().message());
      continue;
    }
    if (*kind == LineReader::Kind::kOverlong) {
      bad("line longer than " + std::to_string(opt_.max_line) + " bytes");
      if (stopped_) return {};
      continue;
    }
    if (line.empty()) continue;
    if (Status st = parse_mark(line, m); !st) {
      bad(st.message());
      if (stopped_) return {};
      continue;
    }
    ++stats_.marks_read;
    if (!marks_seen_ || m.ts < marks_begin_) marks_begin_ = m.ts;
    if (!marks_seen_ || m.ts > marks_end_) marks_end_ = m.ts;
    marks_seen_ = true;
    if (marks_.empty()) continue;
    const uint64_t key = XXH3_64bits(m.key.data(), m.key.size());
    // Distinct accounts per key: count a (key, account) the first time.
    if (key_accounts_seen_.insert(key ^ (XXH3_64bits(m.account.data(), m.account.size()) * 0x9e3779b97f4a7c15ULL)).second) {
      ++key_marks_[key];
      ++incidences_;
    }
    auto id = accounts_.find(m.account);
    if (!id || !candidate_[*id]) continue;
    marks_[*id].push_back({key, m.ts, XXH3_64bits(m.event.data(), m.event.size())});
    ++stats_.marks_kept;
  }
  return {};
}

Status Clusterer::run_null_model() {
  NullParams p = opt_.null;
  p.span_begin = marks_begin_;
  p.span_length = marks_end_ - marks_begin_;
  // By default a shift is uniform over the whole circle: the marks' span.
  if (!opt_.max_shift_given) p.max_shift = p.span_length + p.window + 1;
  opt_.null.max_shift = p.max_shift;
  for (auto& v : marks_) std::sort(v.begin(), v.end());
  // The popularity model: each candidate account's events and their loads.
  std::vector<EventLoads> loads(accounts_.size());
  std::vector<std::pair<uint64_t, uint64_t>> by_event;  // (event, key)
  for (uint32_t id = 0; id < accounts_.size(); ++id) {
    if (marks_[id].empty()) continue;
    by_event.clear();
    for (const TimedKey& m : marks_[id]) by_event.emplace_back(m.event, m.key);
    std::sort(by_event.begin(), by_event.end());
    std::vector<double> event_loads;
    for (size_t i = 0; i < by_event.size();) {
      double load = 0;
      size_t j = i;
      for (; j < by_event.size() && by_event[j].first == by_event[i].first; ++j) load += key_marks_[by_event[j].second];
      event_loads.push_back(load);
      i = j;
    }
    loads[id] = EventLoads(std::move(event_loads));
  }
  key_marks_ = {};
  key_accounts_seen_ = {};
  // Distinct keys per account (its marks are sorted by key).
  std::vector<uint64_t> distinct(accounts_.size(), 0);
  for (uint32_t id = 0; id < accounts_.size(); ++id)
    for (size_t i = 0; i < marks_[id].size(); ++i) distinct[id] += i == 0 || marks_[id][i].key != marks_[id][i - 1].key;
  const uint64_t total = incidences_;
  std::vector<uint64_t> hashes(accounts_.size());
  for (uint32_t i = 0; i < accounts_.size(); ++i) hashes[i] = account_hash(accounts_.name(i));
  NullParams first_look = p;
  first_look.rounds = 0;
  std::vector<size_t> tested;
  for (size_t i = 0; i < edges_.size(); ++i) {
    Edge& e = edges_[i];
    if (!e.kept) continue;
    NullResult r = null_test(first_look, hashes[e.a], marks_[e.a], hashes[e.b], marks_[e.b]);
    if (r.observed == 0)
      return data_error("the marks have no co-action of " + std::string(accounts_.name(e.a)) + " and " +
                        std::string(accounts_.name(e.b)) + ": give --marks the marks the edges were joined from");
    // Popularity, both ways round.
    const double ea = loads[e.a].expected(distinct[e.b], total);
    const double eb = loads[e.b].expected(distinct[e.a], total);
    const double pa = poisson_upper_tail(r.a_events, ea), pb = poisson_upper_tail(r.b_events, eb);
    e.expected = pa >= pb ? ea : eb;
    e.p_value = std::max(pa, pb);
    tested.push_back(i);
  }
  // Many edges are tested at once: Benjamini-Hochberg's adjusted p-values
  // (q-values) keep the expected share of false discoveries at alpha.
  std::stable_sort(tested.begin(), tested.end(), [&](size_t x, size_t y) { return edges_[x].p_value < edges_[y].p_value; });
  const double m = static_cast<double>(tested.size());
  double running = 1;
  for (size_t k = tested.size(); k-- > 0;) {
    Edge& e = edges_[tested[k]];
    running = std::min(running, e.p_value * m / static_cast<double>(k + 1));
    e.p_value = running;
  }
  // Then, only for what passes, the shift (its p-value is per edge: it
  // cannot go below 1 / (rounds + 1), so it confirms rather than discovers).
  for (size_t i : tested) {
    Edge& e = edges_[i];
    if (e.p_value <= *opt_.alpha) {
      NullResult r = null_test(p, hashes[e.a], marks_[e.a], hashes[e.b], marks_[e.b]);
      e.p_value = std::max(e.p_value, r.p_value);
    }
    if (e.p_value > *opt_.alpha) {
      e.kept = false;
      ++stats_.not_significant;
    }
  }
  return {};
}

void Clusterer::apply_seeds() {
  // Seeds are names as the edges write them; a name without a platform
  // ("u123") also finds "twitter:u123".
  std::vector<uint8_t> is_seed(accounts_.size(), 0);
  for (const std::string& s : opt_.seeds) {
    bool found = false;
    for (uint32_t i = 0; i < accounts_.size(); ++i) {
      std::string_view n = accounts_.name(i);
      size_t colon = n.find(':');
      if (n == s || (s.find(':') == std::string::npos && colon != std::string_view::npos && n.substr(colon + 1) == s)) {
        found = true;
        is_seed[i] = 1;
      }
    }
    if (!found) warnings_.push_back("seed " + s + " is in no edge");
  }
  stats_.seeds_found = static_cast<uint64_t>(std::count(is_seed.begin(), is_seed.end(), 1));
  // Breadth-first over the kept edges, `hops` steps out.
  std::vector<std::vector<uint32_t>> adj(accounts_.size());
  for (const Edge& e : edges_)
    if (e.kept) {
      adj[e.a].push_back(e.b);
      adj[e.b].push_back(e.a);
    }
  std::vector<uint32_t> dist(accounts_.size(), UINT32_MAX), frontier;
  for (uint32_t i = 0; i < accounts_.size(); ++i)
    if (is_seed[i]) {
      dist[i] = 0;
      frontier.push_back(i);
    }
  for (uint32_t d = 1; d <= opt_.hops && !frontier.empty(); ++d) {
    std::vector<uint32_t> next;
    for (uint32_t x : frontier)
      for (uint32_t y : adj[x])
        if (dist[y] == UINT32_MAX) {
          dist[y] = d;
          next.push_back(y);
        }
    frontier = std::move(next);
  }
  for (Edge& e : edges_)
    if (e.kept && (dist[e.a] == UINT32_MAX || dist[e.b] == UINT32_MAX)) {
      e.kept = false;
      ++stats_.outside_seeds;
    }
  candidate_ = std::move(is_seed);  // reused below: clusters must hold a seed
}

std::vector<uint32_t> Clusterer::components(const std::vector<uint32_t>& nodes, const std::vector<size_t>& edges) const {
  std::vector<uint32_t> local(accounts_.size(), 0);
  for (uint32_t i = 0; i < nodes.size(); ++i) local[nodes[i]] = i;
  UnionFind uf(nodes.size());
  for (size_t k : edges) uf.unite(local[edges_[k].a], local[edges_[k].b]);
  std::vector<uint32_t> membership(nodes.size());
  for (uint32_t i = 0; i < nodes.size(); ++i) membership[i] = uf.find(i);
  return membership;
}

Result<std::vector<uint32_t>> Clusterer::leiden(const std::vector<uint32_t>& nodes, const std::vector<size_t>& edges) const {
  std::vector<uint32_t> local(accounts_.size(), 0);
  for (uint32_t i = 0; i < nodes.size(); ++i) local[nodes[i]] = i;
  igraph_set_error_handler(igraph_error_handler_printignore);
  igraph_vector_int_t el;
  igraph_vector_int_init(&el, static_cast<igraph_integer_t>(2 * edges.size()));
  igraph_vector_t w, strength;
  igraph_vector_init(&w, static_cast<igraph_integer_t>(edges.size()));
  igraph_vector_init(&strength, static_cast<igraph_integer_t>(nodes.size()));
  double total = 0;
  for (size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges_[edges[i]];
    VECTOR(el)[2 * i] = local[e.a];
    VECTOR(el)[2 * i + 1] = local[e.b];
    VECTOR(w)[i] = static_cast<double>(e.weight);
    VECTOR(strength)[local[e.a]] += static_cast<double>(e.weight);
    VECTOR(strength)[local[e.b]] += static_cast<double>(e.weight);
    total += static_cast<double>(e.weight);
  }
  igraph_t g;
  igraph_vector_int_t membership;
  igraph_vector_int_init(&membership, 0);
  igraph_integer_t nb = 0;
  igraph_real_t quality = 0;
  std::vector<uint32_t> out;
  // Nothing to cluster: every node alone (igraph 0.10.2's Leiden would not
  // return on a graph without weight).
  if (edges.empty() || total <= 0) {
    for (uint32_t i = 0; i < nodes.size(); ++i) out.push_back(i);
    igraph_vector_int_destroy(&membership);
    igraph_vector_destroy(&strength);
    igraph_vector_destroy(&w);
    igraph_vector_int_destroy(&el);
    return out;
  }
  igraph_error_t err = igraph_create(&g, &el, static_cast<igraph_integer_t>(nodes.size()), IGRAPH_UNDIRECTED);
  if (err == IGRAPH_SUCCESS) {
    // Modularity with a resolution: node weights are the strengths and the
    // resolution is divided by twice the total weight (igraph's convention).
    // Iterated here until an iteration changes nothing (at most 100): in
    // igraph 0.10.2 a negative n_iterations stops at the first iteration
    // that changes the partition instead (igraph issue #2798).
    igraph_rng_seed(igraph_rng_default(), opt_.seed);
    const double resolution = opt_.resolution / (2 * total);
    err = igraph_community_leiden(&g, &w, &strength, resolution, 0.01, false, 1, &membership, &nb, &quality);
    std::vector<igraph_integer_t> before;
    for (int round = 0; err == IGRAPH_SUCCESS && round < 100; ++round) {
      before.assign(VECTOR(membership), VECTOR(membership) + igraph_vector_int_size(&membership));
      err = igraph_community_leiden(&g, &w, &strength, resolution, 0.01, true, 1, &membership, &nb, &quality);
      if (err == IGRAPH_SUCCESS &&
          std::equal(before.begin(), before.end(), VECTOR(membership), VECTOR(membership) + igraph_vector_int_size(&membership)))
        break;
    }
    if (err == IGRAPH_SUCCESS)
      for (igraph_integer_t i = 0; i < igraph_vector_int_size(&membership); ++i)
        out.push_back(static_cast<uint32_t>(VECTOR(membership)[i]));
    igraph_destroy(&g);
  }
  igraph_vector_int_destroy(&membership);
  igraph_vector_destroy(&strength);
  igraph_vector_destroy(&w);
  igraph_vector_int_destroy(&el);
  if (err != IGRAPH_SUCCESS) return Status::error(std::string("Leiden clustering failed: ") + igraph_strerror(err));
  return out;
}

Status Clusterer::cluster() {
  if (opt_.alpha)
    if (Status st = run_null_model(); !st) return st;
  if (!opt_.seeds.empty()) apply_seeds();
  // The graph of kept edges; nodes in order of their names.
  std::vector<size_t> kept;
  std::vector<uint8_t> in_graph(accounts_.size(), 0);
  for (size_t i = 0; i < edges_.size(); ++i)
    if (edges_[i].kept) {
      kept.push_back(i);
      in_graph[edges_[i].a] = in_graph[edges_[i].b] = 1;
    }
  std::vector<uint32_t> nodes;
  for (uint32_t i = 0; i < accounts_.size(); ++i)
    if (in_graph[i]) nodes.push_back(i);
  std::sort(nodes.begin(), nodes.end(), [&](uint32_t x, uint32_t y) { return accounts_.name(x) < accounts_.name(y); });
  std::sort(kept.begin(), kept.end(), [&](size_t x, size_t y) {
    const Edge &p = edges_[x], &q = edges_[y];
    return p.a != q.a ? accounts_.name(p.a) < accounts_.name(q.a) : accounts_.name(p.b) < accounts_.name(q.b);
  });
  std::vector<uint32_t> membership;
  if (opt_.method == ClusterMethod::kLeiden) {
    auto m = leiden(nodes, kept);
    if (!m) return m.status();
    membership = std::move(*m);
  } else {
    membership = components(nodes, kept);
  }
  // Group: size, weight, smallest name (the first node, as nodes are sorted).
  struct Group {
    uint32_t size = 0, first = UINT32_MAX;
    uint64_t weight = 0;
    bool has_seed = false;
    uint32_t number = 0;
  };
  std::vector<uint32_t> local(accounts_.size(), 0);
  for (uint32_t i = 0; i < nodes.size(); ++i) local[nodes[i]] = i;
  uint32_t groups_n = 0;
  for (uint32_t m : membership) groups_n = std::max(groups_n, m + 1);
  std::vector<Group> groups(groups_n);
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    Group& g = groups[membership[i]];
    ++g.size;
    g.first = std::min(g.first, i);
    if (!opt_.seeds.empty() && candidate_[nodes[i]]) g.has_seed = true;
  }
  for (size_t k : kept) {
    Edge& e = edges_[k];
    uint32_t ga = membership[local[e.a]], gb = membership[local[e.b]];
    if (ga != gb) {
      e.kept = false;
      ++stats_.between_clusters;
    } else {
      groups[ga].weight += e.weight;
    }
  }
  std::vector<uint32_t> order;
  for (uint32_t g = 0; g < groups_n; ++g)
    if (groups[g].size >= std::max<uint32_t>(opt_.min_size, 2) && groups[g].weight > 0 &&
        (opt_.seeds.empty() || groups[g].has_seed))
      order.push_back(g);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const Group &p = groups[x], &q = groups[y];
    if (p.size != q.size) return p.size > q.size;
    if (p.weight != q.weight) return p.weight > q.weight;
    return p.first < q.first;
  });
  for (uint32_t i = 0; i < order.size(); ++i) groups[order[i]].number = i + 1;
  stats_.clusters = order.size();
  for (uint32_t g : order) stats_.accounts += groups[g].size;
  for (size_t k : kept) {
    Edge& e = edges_[k];
    if (!e.kept) continue;
    const Group& g = groups[membership[local[e.a]]];
    e.cluster = g.number;
    if (e.cluster == 0) {
      e.kept = false;
      ++(!opt_.seeds.empty() && !g.has_seed ? stats_.outside_seeds : stats_.in_small_clusters);
    } else {
      ++stats_.edges_out;
    }
  }
  return {};
}

Status Clusterer::write(OutputStream& out) const {
  std::string h = "{\"edges\":" + (edges_params_.empty() ? std::string("null") : edges_params_);
  h += ",\"min_weight\":" + std::to_string(opt_.min_weight);
  h += ",\"quantile\":" + (opt_.quantile ? decimal(*opt_.quantile, 6) : "null");
  h += std::string(",\"quantile_rule\":\"") + (opt_.quantile_ge ? "ge" : "gt") + "\"";
  h += ",\"threshold\":" + (stats_.threshold ? decimal(*stats_.threshold, 6) : "null");
  h += ",\"alpha\":" + (opt_.alpha ? decimal(*opt_.alpha, 6) : "null");
  if (opt_.alpha) {
    h += ",\"rounds\":" + std::to_string(opt_.null.rounds);
    h += ",\"max_shift\":" + decimal(static_cast<double>(opt_.null.max_shift) / 1e6, 6);
  }
  h += std::string(",\"method\":\"") + (opt_.method == ClusterMethod::kLeiden ? "leiden" : "components") + "\"";
  if (opt_.method == ClusterMethod::kLeiden) {
    h += ",\"resolution\":" + decimal(opt_.resolution, 6);
  }
  if (opt_.alpha || opt_.method == ClusterMethod::kLeiden) h += ",\"seed\":" + std::to_string(opt_.seed);
  if (!opt_.seeds.empty()) {
    h += ",\"seeds\":" + std::to_string(opt_.seeds.size());
    h += ",\"hops\":" + std::to_string(opt_.hops);
  }
  h += ",\"min_size\":" + std::to_string(std::max<uint32_t>(opt_.min_size, 2));
  h += ",\"edges_in\":" + std::to_string(stats_.edges_in);
  h += ",\"edges_out\":" + std::to_string(stats_.edges_out);
  h += ",\"clusters\":" + std::to_string(stats_.clusters);
  h += ",\"accounts\":" + std::to_string(stats_.accounts) + "}";
  out.write(format_stream_header("clusters", 1, h));

  std::vector<size_t> order;
  for (size_t i = 0; i < edges_.size(); ++i)
    if (edges_[i].kept) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Edge &p = edges_[x], &q = edges_[y];
    if (p.cluster != q.cluster) return p.cluster < q.cluster;
    return p.a != q.a ? accounts_.name(p.a) < accounts_.name(q.a) : accounts_.name(p.b) < accounts_.name(q.b);
  });
  std::string line;
  for (size_t i : order) {
    const Edge& e = edges_[i];
    line = cluster_id(e.cluster);
    line += '\t';
    line += accounts_.name(e.a);
    line += '\t';
    line += accounts_.name(e.b);
    line += '\t';
    line += std::to_string(e.weight);
    line += '\t';
    line.append(text_, e.text_begin, e.text_size);
    line += '\t';
    line += e.p_value < 0 ? "-" : decimal(e.p_value, 6);
    line += '\t';
    line += e.expected < 0 ? "-" : decimal(e.expected, 3);
    line += '\n';
    out.write(line);
  }
  return {};
}

}  // namespace chorus

// Tests for lib/null_model and lib/cluster: the null models on a planted
// synchronous pair and on two busy, independent sharers of the same viral
// posts; R's type-7 quantile and its ties; seeds; Leiden's repeatability;
// bad lines. Expected values are worked out by hand in the comments.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "cluster.hpp"
#include "input.hpp"
#include "join.hpp"
#include "null_model.hpp"
#include "output.hpp"

using namespace chorus;

namespace {

std::string hex_key(const char* kind, uint64_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s:%032llx", kind, static_cast<unsigned long long>(n));
  return buf;
}

std::string mark(const std::string& key, int64_t ts, const std::string& account, const std::string& event) {
  char t[32];
  std::snprintf(t, sizeof t, "%010lld", static_cast<long long>(ts));
  return key + "\t" + t + "\t" + account + "\t" + event + "\n";
}

const char* kMarksHeader = "#chorus-marks v1 {}\n";

// Joins marks into edges with the library's Joiner (window in seconds).
std::string join(const std::string& marks, int64_t window) {
  JoinOptions opt;
  opt.sweep.window = window * kMicrosPerSecond;
  opt.sweep.max_accounts = 0;
  Joiner j(opt, [](const std::string&, uint64_t, const std::string& m) {
    BOOST_TEST_MESSAGE("join: " << m);
    return true;
  });
  auto in = InputStream::from_source(memory_source(marks), "marks");
  BOOST_REQUIRE(j.add_marks(*in).ok());
  std::string edges;
  auto out = OutputStream::to_string(&edges);
  BOOST_REQUIRE(j.write_edges(*out, nullptr).ok());
  BOOST_REQUIRE(out->close().ok());
  return edges;
}

struct Clustered {
  std::string text;
  std::vector<std::string> errors, warnings;
  Status status;
};

Clustered run_cluster(const std::string& edges, ClusterOptions opt, const std::string* marks = nullptr) {
  Clustered r;
  Clusterer c(opt, [&](const std::string& f, uint64_t l, const std::string& m) {
    r.errors.push_back(f + ":" + std::to_string(l) + ": " + m);
    return true;
  });
  auto in = InputStream::from_source(memory_source(edges), "edges");
  r.status = c.add_edges(*in);
  if (!r.status.ok()) return r;
  c.filter();
  if (marks) {
    auto m = InputStream::from_source(memory_source(*marks), "marks");
    r.status = c.add_marks(*m);
    if (!r.status.ok()) return r;
  }
  r.status = c.cluster();
  if (!r.status.ok()) return r;
  auto out = OutputStream::to_string(&r.text);
  BOOST_REQUIRE(c.write(*out).ok());
  BOOST_REQUIRE(out->close().ok());
  r.warnings = c.warnings();
  return r;
}

// The data lines (no header), each as "cluster a b".
std::vector<std::string> heads(const std::string& clustered) {
  std::vector<std::string> v;
  size_t pos = 0;
  while (pos < clustered.size()) {
    size_t nl = clustered.find('\n', pos);
    std::string line = clustered.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1), t3 = line.find('\t', t2 + 1);
    v.push_back(line.substr(0, t1) + " " + line.substr(t1 + 1, t2 - t1 - 1) + " " + line.substr(t2 + 1, t3 - t2 - 1));
  }
  return v;
}

bool has_pair(const std::string& clustered, const std::string& a, const std::string& b) {
  for (const std::string& h : heads(clustered))
    if (h.find(" " + a + " " + b) != std::string::npos) return true;
  return false;
}

// An edges stream written by hand: pairs with weights (other fields filler).
std::string edges_of(const std::vector<std::tuple<std::string, std::string, int>>& pairs) {
  std::string s = "#chorus-edges v1 {\"window\":60}\n";
  for (const auto& [a, b, w] : pairs)
    s += a + "\t" + b + "\t" + std::to_string(w) + "\t" + std::to_string(w) + "\t1\t0\t0\t0000000001\t0000000001\t0\t1\t1\ttext:" +
         std::to_string(w) + "\n";
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(null_model)

BOOST_AUTO_TEST_CASE(poisson_tail_by_hand) {
  // P(X >= 1 | 1) = 1 - e^-1; P(X >= 3 | 0.5) = 1 - e^-0.5 (1 + 0.5 + 0.125).
  BOOST_TEST(std::fabs(poisson_upper_tail(1, 1.0) - (1 - std::exp(-1.0))) < 1e-12);
  BOOST_TEST(std::fabs(poisson_upper_tail(3, 0.5) - (1 - std::exp(-0.5) * 1.625)) < 1e-12);
  BOOST_TEST(poisson_upper_tail(0, 3.0) == 1.0);
  BOOST_TEST(poisson_upper_tail(5, 0.0) == 0.0);
  // Far in the tail: P(X >= 50 | 1) ~ e^-1 / 50! ~ 1.2e-65, positive and tiny.
  double t = poisson_upper_tail(50, 1.0);
  BOOST_TEST(t > 0);
  BOOST_TEST(t < 1e-60);
}

BOOST_AUTO_TEST_CASE(event_loads_by_hand) {
  // Loads 1, 10, 100; b has 50 keys of 1000 incidences: c = 0.05.
  // min(1, 0.05) + min(1, 0.5) + min(1, 5) = 0.05 + 0.5 + 1 = 1.55.
  EventLoads l({100, 1, 10});
  BOOST_TEST(std::fabs(l.expected(50, 1000) - 1.55) < 1e-12);
  BOOST_TEST(l.expected(0, 1000) == 0.0);
}

BOOST_AUTO_TEST_CASE(shift_is_seeded_and_bounded) {
  NullParams p;
  p.max_shift = 100 * kMicrosPerSecond;
  for (uint32_t r = 0; r < 1000; ++r) {
    Micros s = null_shift(p, 42, r);
    BOOST_TEST(s >= -p.max_shift);
    BOOST_TEST(s <= p.max_shift);
    BOOST_TEST(s == null_shift(p, 42, r));
  }
  NullParams q = p;
  q.seed = 2;
  int same = 0;
  for (uint32_t r = 0; r < 100; ++r) same += null_shift(p, 42, r) == null_shift(q, 42, r);
  BOOST_TEST(same < 5);
}

// A pair that posts within 10 s of each other on 15 keys, at random times
// over 30 days; and two busy accounts that each share the same 100 viral
// posts, with 300 other sharers each, at their own times within the posts'
// first 30 minutes. Window 60 s.
struct Scenario {
  std::string marks;
  NullParams params;
};

Scenario scenario() {
  std::mt19937_64 rng(7);
  const int64_t t0 = 1700000000, span = 30 * 86400;
  std::uniform_int_distribution<int64_t> when(t0, t0 + span), delay(0, 1800), close(0, 10);
  std::uniform_int_distribution<int> organic(0, 1999);
  std::string marks = kMarksHeader;
  int event = 0;
  auto ev = [&] {
    std::string id = std::to_string(event++);
    id.insert(id.begin(), 'e');
    return id;
  };
  for (int k = 0; k < 15; ++k) {
    int64_t t = when(rng);
    std::string key = hex_key("text", 1000 + static_cast<uint64_t>(k));
    marks += mark(key, t, "p1", ev());
    marks += mark(key, t + close(rng), "p2", ev());
  }
  for (int v = 0; v < 100; ++v) {
    int64_t t = when(rng);
    std::string key = hex_key("share", 5000 + static_cast<uint64_t>(v));
    marks += mark(key, t + delay(rng), "h1", ev());
    marks += mark(key, t + delay(rng), "h2", ev());
    for (int i = 0; i < 300; ++i) {
      std::string who = std::to_string(organic(rng));
      who.insert(who.begin(), 'o');
      marks += mark(key, t + delay(rng), who, ev());
    }
  }
  // Everyone also posts things nobody else does.
  for (const char* a : {"p1", "p2", "h1", "h2"})
    for (int i = 0; i < 30; ++i) marks += mark(hex_key("text", 100000 + static_cast<uint64_t>(event)), when(rng), a, ev());
  Scenario s;
  s.marks = marks;
  s.params.window = 60 * kMicrosPerSecond;
  s.params.span_begin = t0 * kMicrosPerSecond;
  s.params.span_length = (span + 1800) * kMicrosPerSecond;
  s.params.max_shift = s.params.span_length;
  return s;
}

BOOST_AUTO_TEST_CASE(synchronous_pair_significant_viral_sharers_not) {
  Scenario s = scenario();
  std::string edges = join(s.marks, 60);
  BOOST_REQUIRE(edges.find("h1\th2\t") != std::string::npos);  // they did co-act, by chance
  BOOST_REQUIRE(edges.find("p1\tp2\t15\t") != std::string::npos);

  ClusterOptions opt;
  opt.alpha = 0.01;
  Clustered c = run_cluster(edges, opt, &s.marks);
  BOOST_REQUIRE(c.status.ok());
  BOOST_TEST(has_pair(c.text, "p1", "p2"));
  BOOST_TEST(!has_pair(c.text, "h1", "h2"));
  // No busy organic sharer of the viral posts is kept either.
  for (const std::string& h : heads(c.text)) BOOST_TEST(h.find(" o") == std::string::npos, h);
}

BOOST_AUTO_TEST_CASE(shift_alone_sees_the_viral_sharers_as_synchronous) {
  // Why the popularity model is there: shifted over the whole span, the two
  // busy sharers lose their chance co-actions too, so the shift alone
  // rejects them; the pair's 15 keys survive it as well.
  Scenario s = scenario();
  std::vector<TimedKey> h1, h2, p1, p2;
  size_t pos = s.marks.find('\n') + 1;
  while (pos < s.marks.size()) {
    size_t nl = s.marks.find('\n', pos);
    std::string line = s.marks.substr(pos, nl - pos);
    pos = nl + 1;
    size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1), t3 = line.find('\t', t2 + 1);
    std::string key = line.substr(0, t1), acc = line.substr(t2 + 1, t3 - t2 - 1);
    TimedKey k{account_hash(key), std::stoll(line.substr(t1 + 1, t2 - t1 - 1)) * kMicrosPerSecond,
               account_hash(line.substr(t3 + 1))};
    if (acc == "h1") h1.push_back(k);
    if (acc == "h2") h2.push_back(k);
    if (acc == "p1") p1.push_back(k);
    if (acc == "p2") p2.push_back(k);
  }
  for (auto* v : {&h1, &h2, &p1, &p2}) std::sort(v->begin(), v->end());
  NullResult h = null_test(s.params, 1, h1, 2, h2), p = null_test(s.params, 3, p1, 4, p2);
  BOOST_TEST(h.observed > 0u);
  BOOST_TEST(h.p_value <= 0.05);
  BOOST_TEST(p.observed == 15u);
  BOOST_TEST(p.a_events == 15u);
  BOOST_TEST(p.p_value <= 0.01);
  // A shift no longer than the window leaves the pair as it was: not significant.
  NullParams tiny = s.params;
  tiny.max_shift = 0;
  BOOST_TEST(null_test(tiny, 3, p1, 4, p2).p_value == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(clustering)

BOOST_AUTO_TEST_CASE(quantile_type7_and_ties) {
  // Weights 1 1 1 2 3: R's quantile(type 7, 0.5) is the middle one, 1.
  // '>' keeps the 2 and the 3; '>=' keeps all five, and 3 ties of 5 warn.
  std::string e = edges_of({{"a", "b", 1}, {"c", "d", 1}, {"e", "f", 1}, {"g", "h", 2}, {"i", "j", 3}});
  ClusterOptions opt;
  opt.quantile = 0.5;
  Clustered gt = run_cluster(e, opt);
  BOOST_REQUIRE(gt.status.ok());
  BOOST_TEST(heads(gt.text).size() == 2u);
  BOOST_TEST(has_pair(gt.text, "g", "h"));
  BOOST_TEST(has_pair(gt.text, "i", "j"));
  BOOST_REQUIRE(gt.warnings.size() == 1u);
  BOOST_TEST(gt.warnings[0].find("3 of 5 edges") != std::string::npos, gt.warnings[0]);
  opt.quantile_ge = true;
  BOOST_TEST(heads(run_cluster(e, opt).text).size() == 5u);
  // Weights 1 2 3 4: h = 3 * 0.5 = 1.5, quantile 2.5: '>' keeps 3 and 4.
  std::string f = edges_of({{"a", "b", 1}, {"c", "d", 2}, {"e", "f", 3}, {"g", "h", 4}});
  opt.quantile_ge = false;
  Clustered q = run_cluster(f, opt);
  BOOST_TEST(heads(q.text).size() == 2u);
  BOOST_TEST(q.warnings.empty());
  BOOST_TEST(q.text.find("\"threshold\":2.5") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(components_numbered_by_size) {
  // {x1 x2 x3} (weights 1, 1) and {a b} (weight 5): the larger by accounts is 1.
  std::string e = edges_of({{"a", "b", 5}, {"x1", "x2", 1}, {"x2", "x3", 1}});
  Clustered c = run_cluster(e, ClusterOptions{});
  std::vector<std::string> want = {"000001 x1 x2", "000001 x2 x3", "000002 a b"};
  BOOST_TEST(heads(c.text) == want, boost::test_tools::per_element());
  ClusterOptions big;
  big.min_size = 3;
  BOOST_TEST(heads(run_cluster(e, big).text).size() == 2u);
}

BOOST_AUTO_TEST_CASE(seeds_and_hops) {
  // A chain s - n1 - n2 - n3 and a separate pair z1 z2. Seed s, 2 hops:
  // s n1 n2 reached; n2-n3 leaves the reach; z1 z2 hold no seed.
  std::string e = edges_of({{"n1", "s", 3}, {"n1", "n2", 3}, {"n2", "n3", 3}, {"z1", "z2", 9}});
  ClusterOptions opt;
  opt.seeds = {"s"};
  opt.hops = 2;
  Clustered c = run_cluster(e, opt);
  std::vector<std::string> want = {"000001 n1 n2", "000001 n1 s"};
  BOOST_TEST(heads(c.text) == want, boost::test_tools::per_element());
  opt.hops = 1;
  BOOST_TEST(heads(run_cluster(e, opt).text) == std::vector<std::string>{"000001 n1 s"}, boost::test_tools::per_element());
  // A seed without its platform finds the account with one.
  std::string p = edges_of({{"tw:s", "tw:t", 2}});
  opt.seeds = {"s", "nobody"};
  Clustered q = run_cluster(p, opt);
  BOOST_TEST(heads(q.text).size() == 1u);
  BOOST_REQUIRE(q.warnings.size() == 1u);
  BOOST_TEST(q.warnings[0] == "seed nobody is in no edge");
}

BOOST_AUTO_TEST_CASE(leiden_splits_two_cliques_repeatably) {
  // Two 5-cliques of weight 10, joined by one edge of weight 1: modularity
  // splits them; the same seed gives the same bytes.
  std::vector<std::tuple<std::string, std::string, int>> pairs;
  for (char g : {'a', 'b'})
    for (int i = 0; i < 5; ++i)
      for (int j = i + 1; j < 5; ++j) pairs.emplace_back(std::string(1, g) + std::to_string(i), std::string(1, g) + std::to_string(j), 10);
  pairs.emplace_back("a0", "b0", 1);
  std::string e = edges_of(pairs);
  ClusterOptions opt;
  opt.method = ClusterMethod::kLeiden;
  opt.seed = 17;
  Clustered one = run_cluster(e, opt), two = run_cluster(e, opt);
  BOOST_REQUIRE(one.status.ok());
  BOOST_TEST(one.text == two.text);
  std::vector<std::string> h = heads(one.text);
  BOOST_TEST(h.size() == 20u);  // the bridge is between clusters
  for (const std::string& x : h) BOOST_TEST((x.substr(0, 6) == "000001" ? x[7] == 'a' : x[7] == 'b'), x);
  BOOST_TEST(!has_pair(one.text, "a0", "b0"));
  // Components keep the bridge: one cluster of 10.
  BOOST_TEST(heads(run_cluster(e, ClusterOptions{}).text).size() == 21u);
}

BOOST_AUTO_TEST_CASE(bad_lines_named_and_skipped) {
  std::string e = "#chorus-edges v1 {\"window\":60}\n"
                  "b\ta\t1\t1\t1\t0\t0\t1\t1\t0\t1\t1\ttext:1\n"   // out of order
                  "a\tb\tx\t1\t1\t0\t0\t1\t1\t0\t1\t1\ttext:1\n"   // weight
                  "a\tb\t1\t1\n"                                    // fields
                  "a\tb\t2\t2\t1\t0\t0\t1\t1\t0\t1\t1\ttext:2\n"
                  "a\tb\t2\t2\t1\t0\t0\t1\t1\t0\t1\t1\ttext:2\n";  // twice
  Clustered c = run_cluster(e, ClusterOptions{});
  std::vector<std::string> want = {"edges:2: accounts not in order (a must sort before b)",
                                   "edges:3: weight is not a whole number", "edges:4: an edge has 13 tab-separated fields",
                                   "edges:6: pair given twice"};
  BOOST_TEST(c.errors == want, boost::test_tools::per_element());
  BOOST_TEST(heads(c.text) == std::vector<std::string>{"000001 a b"}, boost::test_tools::per_element());
  // Another stream is refused.
  Clustered w = run_cluster("#chorus-marks v1 {}\n", ClusterOptions{});
  BOOST_TEST(!w.status.ok());
}

BOOST_AUTO_TEST_SUITE_END()

// Tests of lib/eval.hpp: the adjusted Rand index against hand-computed values
// and against an independent formula (the pair confusion matrix, counted pair
// by pair); precision, recall, F1, per-network recall and the reference
// accounts on a small example worked out by hand (the same as the e2e case
// eval-hand-example); the platform-prefix matching; the verdict filter;
// accounts in two networks; bad network lines; malformed ground truth; the
// JSON line and the table, hostile names included.
#include "eval.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "input.hpp"

namespace {

using chorus::EvalOptions;
using chorus::EvalReport;
using chorus::Evaluator;
using chorus::InputStream;
using chorus::VerdictFilter;

std::unique_ptr<InputStream> text(const std::string& s, const std::string& name) {
  return InputStream::from_source(chorus::memory_source(s), name);
}

struct BadLine {
  std::string file;
  uint64_t line;
  std::string message;
};

// An Evaluator over `truth` and `networks`, bad lines collected.
struct Run {
  std::vector<BadLine> bad;
  std::unique_ptr<Evaluator> eval;
  Run(const std::string& truth, const std::string& networks, VerdictFilter verdict = VerdictFilter::kCoordinated,
      bool stop_at_first = false) {
    EvalOptions opt;
    opt.verdict = verdict;
    eval = std::make_unique<Evaluator>(opt, [this, stop_at_first](const std::string& f, uint64_t l, const std::string& m) {
      bad.push_back({f, l, m});
      return !stop_at_first;
    });
    auto t = text(truth, "truth.csv");
    chorus::Status st = eval->read_truth(*t);
    BOOST_TEST_REQUIRE(st.ok(), st.message());
    auto n = text(networks, "networks.jsonl");
    st = eval->add_networks(*n);
    BOOST_TEST_REQUIRE(st.ok(), st.message());
  }
  EvalReport report() const { return eval->report(); }
};

// The hand example (also tests/e2e/cases/eval-hand-example and the man page).
const std::string kTruth =
    "account,network,tactic\n"
    "u1,net01,copy-paste\nu2,net01,copy-paste\nu3,net01,copy-paste\nu4,net01,copy-paste\n"
    "u5,net02,share-ring\nu6,net02,share-ring\nu7,net02,share-ring\n"
    "p1,benign:publisher,syndication\np2,benign:publisher,syndication\n"
    "s1,overt:state-outlet,state-affiliated\n";
const std::string kNetworks =
    R"({"id":"000001","accounts":["twitter:u1","twitter:u2","twitter:u3","twitter:x1","twitter:x2"],"size":5,"verdict":"coordinated"})"
    "\n"
    R"({"id":"000002","accounts":["tiktok:u5","tiktok:u6","twitter:p1"],"size":3,"verdict":"coordinated"})"
    "\n"
    R"({"id":"000003","accounts":["twitter:u4","u7"],"size":2,"verdict":"review"})"
    "\n"
    R"({"id":"000004","accounts":["twitter:p2","twitter:s1"],"size":2,"verdict":"benign"})"
    "\n";

void check_close(const std::optional<double>& got, double want) {
  BOOST_TEST_REQUIRE(got.has_value());
  BOOST_TEST(std::fabs(*got - want) < 1e-12, *got << " != " << want);
}

// sklearn's formula from the pair confusion matrix, each pair of items
// looked at: an independent route to the same index.
double ari_by_pairs(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  double tp = 0, fp = 0, fn = 0, tn = 0;
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = i + 1; j < a.size(); ++j) {
      bool same_a = a[i] == a[j], same_b = b[i] == b[j];
      if (same_a && same_b) ++tp;
      else if (same_b) ++fp;
      else if (same_a) ++fn;
      else ++tn;
    }
  if (fn == 0 && fp == 0) return 1.0;
  return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(eval)

// The textbook example (scikit-learn's documentation): true 0 0 0 1 1 1,
// found 0 0 1 1 2 2. Contingency: class 0 -> {2 in 0, 1 in 1}, class 1 ->
// {1 in 1, 2 in 2}; Σ C(nij,2) = 1 + 1 = 2; rows 3, 3 -> 3 + 3 = 6; columns
// 2, 2, 2 -> 3; C(6,2) = 15; expected 6·3/15 = 1.2; max (6 + 3)/2 = 4.5;
// ARI = (2 - 1.2)/(4.5 - 1.2) = 0.8/3.3 = 0.242424...
BOOST_AUTO_TEST_CASE(ari_textbook_example) {
  check_close(chorus::adjusted_rand_index({0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 2, 2}), 0.8 / 3.3);
  check_close(chorus::adjusted_rand_index(6, 2, 6, 3), 0.8 / 3.3);
}

BOOST_AUTO_TEST_CASE(ari_special_cases) {
  // The same partition, labelled differently: 1.
  check_close(chorus::adjusted_rand_index({0, 0, 1, 1, 2}, {7, 7, 3, 3, 9}), 1.0);
  // All singletons both sides, one class both sides, one item: 1 (0/0 by the formula).
  check_close(chorus::adjusted_rand_index({0, 1, 2, 3}, {3, 2, 1, 0}), 1.0);
  check_close(chorus::adjusted_rand_index({5, 5, 5}, {1, 1, 1}), 1.0);
  check_close(chorus::adjusted_rand_index({0}, {0}), 1.0);
  // One class against all singletons: Σ cells 0, rows 6, columns 0 -> 0/3 = 0.
  check_close(chorus::adjusted_rand_index({0, 0, 0, 0}, {0, 1, 2, 3}), 0.0);
  // Worse than chance is negative: true {0,1},{2,3}, found {0,2},{1,3}:
  // cells 0, rows 2, columns 2, C(4,2) = 6, expected 4/6, max 2 -> -(2/3)/(4/3) = -0.5.
  check_close(chorus::adjusted_rand_index({0, 0, 1, 1}, {0, 1, 0, 1}), -0.5);
  BOOST_TEST(!chorus::adjusted_rand_index(0, 0, 0, 0).has_value());
}

BOOST_AUTO_TEST_CASE(ari_matches_pair_counting) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 300; ++round) {
    size_t n = 1 + rng() % 30;
    uint64_t ka = 1 + rng() % 6, kb = 1 + rng() % 6;
    std::vector<uint64_t> a(n), b(n);
    for (size_t i = 0; i < n; ++i) {
      a[i] = rng() % ka;
      b[i] = rng() % 3 == 0 ? a[i] : rng() % kb;  // partly agreeing
    }
    check_close(chorus::adjusted_rand_index(a, b), ari_by_pairs(a, b));
  }
}

// --verdict coordinated counts 000001 and 000002. Flagged: u1 u2 u3 x1 x2
// u5 u6 p1 = 8; planted: u1..u7 = 7; true positives u1 u2 u3 u5 u6 = 5; false
// positives x1 x2 (organic) p1 (reference) = 3; false negatives u4 u7 = 2.
// P = 5/8, R = 5/7, F1 = 2·5/(2·5 + 3 + 2) = 10/15.
// ARI over the 10 accounts flagged or planted: planted classes {u1..u4},
// {u5 u6 u7}, the rest singletons: rows C(4,2) + C(3,2) = 9; found classes
// 000001 (5), 000002 (3), u4 and u7 singletons: columns 10 + 3 = 13; cells
// {u1 u2 u3} and {u5 u6}: 3 + 1 = 4; C(10,2) = 45; expected 9·13/45 = 2.6;
// max 11; ARI = 1.4/8.4 = 1/6.
BOOST_AUTO_TEST_CASE(hand_example_coordinated) {
  Run run(kTruth, kNetworks);
  BOOST_TEST(run.bad.empty());
  EvalReport r = run.report();
  BOOST_TEST(r.networks == 4u);
  BOOST_TEST(r.coordinated == 2u);
  BOOST_TEST(r.review == 1u);
  BOOST_TEST(r.benign == 1u);
  BOOST_TEST(r.counted == 2u);
  BOOST_TEST(r.flagged == 8u);
  BOOST_TEST(r.positives == 7u);
  BOOST_TEST(r.true_positives == 5u);
  BOOST_TEST(r.false_positives == 3u);
  BOOST_TEST(r.false_negatives == 2u);
  BOOST_TEST(r.flagged_reference == 1u);
  BOOST_TEST(r.flagged_organic == 2u);
  check_close(r.precision, 5.0 / 8);
  check_close(r.recall, 5.0 / 7);
  check_close(r.f1, 10.0 / 15);
  check_close(r.ari, 1.4 / 8.4);
  BOOST_TEST_REQUIRE(r.planted.size() == 2u);
  BOOST_TEST(r.planted[0].network == "net01");
  BOOST_TEST(r.planted[0].tactic == "copy-paste");
  BOOST_TEST(r.planted[0].members == 4u);
  BOOST_TEST(r.planted[0].found == 3u);
  BOOST_TEST(r.planted[0].clusters == 1u);
  BOOST_TEST(r.planted[0].best == "000001");
  BOOST_TEST(r.planted[0].best_found == 3u);
  BOOST_TEST(r.planted[0].best_size == 5u);
  BOOST_TEST(r.planted[1].network == "net02");
  BOOST_TEST(r.planted[1].found == 2u);
  BOOST_TEST(r.planted[1].best == "000002");
  BOOST_TEST(r.planted[1].best_size == 3u);
  BOOST_TEST_REQUIRE(r.reference.size() == 2u);
  BOOST_TEST(r.reference[0].group == "benign:publisher");
  BOOST_TEST(r.reference[0].members == 2u);
  BOOST_TEST(r.reference[0].flagged == 1u);
  BOOST_TEST(r.reference[1].group == "overt:state-outlet");
  BOOST_TEST(r.reference[1].flagged == 0u);
}

// --verdict review adds 000003 {u4, u7}: flagged 10, true positives 7, false
// positives 3, false negatives 0: P = 0.7, R = 1, F1 = 14/17. Columns 10 + 3 +
// 1 = 14, cells still 4 (u4 and u7 are alone of their networks in 000003);
// expected 9·14/45 = 2.8, max 11.5: ARI = 1.2/8.7. Each planted network is
// now spread over 2 found networks.
// --verdict any adds 000004 {p2, s1}: flagged 12, false positives 5 (3
// reference): P = 7/12, F1 = 14/19; n = 12, C(12,2) = 66, columns 15,
// expected 135/66, max 12: ARI = (4 - 135/66)/(12 - 135/66) = 129/657.
BOOST_AUTO_TEST_CASE(hand_example_review_and_any) {
  EvalReport r = Run(kTruth, kNetworks, VerdictFilter::kReview).report();
  BOOST_TEST(r.counted == 3u);
  BOOST_TEST(r.flagged == 10u);
  BOOST_TEST(r.false_negatives == 0u);
  check_close(r.precision, 0.7);
  check_close(r.recall, 1.0);
  check_close(r.f1, 14.0 / 17);
  check_close(r.ari, 1.2 / 8.7);
  BOOST_TEST(r.planted[0].clusters == 2u);
  BOOST_TEST(r.planted[0].best == "000001");
  BOOST_TEST(r.planted[1].clusters == 2u);

  r = Run(kTruth, kNetworks, VerdictFilter::kAny).report();
  BOOST_TEST(r.counted == 4u);
  BOOST_TEST(r.flagged == 12u);
  BOOST_TEST(r.false_positives == 5u);
  BOOST_TEST(r.flagged_reference == 3u);
  check_close(r.precision, 7.0 / 12);
  check_close(r.f1, 14.0 / 19);
  check_close(r.ari, 129.0 / 657);
  BOOST_TEST(r.reference[0].flagged == 2u);
  BOOST_TEST(r.reference[1].flagged == 1u);
}

BOOST_AUTO_TEST_CASE(platform_prefix_matching) {
  Run run("account,network,tactic\nu1,net01,t\nb:c,net01,t\ntwitter:u9,net02,t\n", "");
  const Evaluator& e = *run.eval;
  BOOST_TEST(e.truth_account("u1") == "u1");
  BOOST_TEST(e.truth_account("twitter:u1") == "u1");
  BOOST_TEST(e.truth_account("tiktok:u1") == "u1");  // any platform
  BOOST_TEST(e.truth_account("twitter:u2").empty());
  BOOST_TEST(e.truth_account("u1x").empty());
  BOOST_TEST(e.truth_account("twitter:").empty());
  // A truth account with a colon matches only itself.
  BOOST_TEST(e.truth_account("b:c") == "b:c");
  BOOST_TEST(e.truth_account("a:b:c").empty());
  BOOST_TEST(e.truth_account("twitter:u9") == "twitter:u9");
  BOOST_TEST(e.truth_account("u9").empty());
  BOOST_TEST(e.truth_account("tiktok:u9").empty());
}

// The same truth account under two platforms, and in two networks: one
// account, flagged once, in the first network.
BOOST_AUTO_TEST_CASE(account_in_two_networks) {
  Run run("account,network,tactic\nu1,net01,t\nu2,net01,t\n",
          "{\"id\":\"a\",\"accounts\":[\"twitter:u1\",\"tiktok:u1\",\"u1\"]}\n"
          "{\"id\":\"b\",\"accounts\":[\"twitter:u1\",\"twitter:u2\",\"twitter:u2\"]}\n");
  EvalReport r = run.report();
  BOOST_TEST(r.flagged == 2u);
  BOOST_TEST(r.overlapping == 1u);
  BOOST_TEST(r.true_positives == 2u);
  BOOST_TEST(r.planted[0].clusters == 2u);
  BOOST_TEST(r.planted[0].best == "a");  // a tie (1 and 1): the first
  BOOST_TEST(r.planted[0].best_size == 1u);
  // Found {u1}, {u2} against planted {u1, u2}: rows 1, columns 0, cells 0: ARI 0.
  check_close(r.ari, 0.0);
}

BOOST_AUTO_TEST_CASE(verdict_filter) {
  const std::string truth = "account,network,tactic\nc,n,t\nr,n,t\nb,n,t\nx,n,t\nz,n,t\n";
  const std::string nets = R"({"id":"1","accounts":["c"],"verdict":"coordinated"})"
                           "\n"
                           R"({"id":"2","accounts":["r"],"verdict":"review"})"
                           "\n"
                           R"({"id":"3","accounts":["b"],"verdict":"benign"})"
                           "\n"
                           R"({"id":"4","accounts":["x"]})"
                           "\n"
                           R"({"id":"5","accounts":["z"],"verdict":null})"
                           "\n";
  EvalReport r = Run(truth, nets, VerdictFilter::kCoordinated).report();
  BOOST_TEST(r.unscored == 2u);
  BOOST_TEST(r.counted == 3u);  // c, and the two without a verdict
  BOOST_TEST(r.flagged == 3u);
  BOOST_TEST(Run(truth, nets, VerdictFilter::kReview).report().flagged == 4u);
  BOOST_TEST(Run(truth, nets, VerdictFilter::kAny).report().flagged == 5u);
}

BOOST_AUTO_TEST_CASE(nothing_flagged_nothing_planted) {
  EvalReport r = Run("account,network,tactic\n", "").report();
  BOOST_TEST(!r.precision.has_value());
  BOOST_TEST(!r.recall.has_value());
  BOOST_TEST(!r.f1.has_value());
  BOOST_TEST(!r.ari.has_value());
  BOOST_TEST(chorus::format_eval_json(r).find(R"("precision":null,"recall":null,"f1":null,"ari":null)") != std::string::npos);
  r = Run("account,network,tactic\nu1,n,t\n", "").report();
  BOOST_TEST(!r.precision.has_value());
  check_close(r.recall, 0.0);
  check_close(r.f1, 0.0);
  check_close(r.ari, 1.0);  // one account, alone on both sides
}

BOOST_AUTO_TEST_CASE(bad_network_lines) {
  Run run("account,network,tactic\nu1,n,t\n",
          "#chorus-networks v1 {}\n"
          "{\"id\":\"1\",\"accounts\":[\"u1\"]\n"          // 2: unfinished
          "[1]\n"                                        // 3: not an object
          "{\"accounts\":[\"u1\"]}\n"                    // 4: no id
          "{\"id\":\"1\"}\n"                             // 5: no accounts
          "{\"id\":\"1\",\"accounts\":[2]}\n"            // 6: not a string
          "{\"id\":\"1\",\"accounts\":[\"u1\"],\"verdict\":\"maybe\"}\n"  // 7
          "{\"id\":\"1\",\"accounts\":[\"u1\"]} x\n"     // 8: content after it
          "{\"id\":\"1\",\"accounts\":[\"u1\"],\"z\":[1,,2]}\n"  // 9: a bad member not needed
          "\n"
          "{\"id\":\"1\",\"accounts\":[\"u1\"],\"z\":[1e999,123456789012345678901234567890]}\n");  // 11: good
  BOOST_TEST_REQUIRE(run.bad.size() == 8u);
  const uint64_t lines[] = {2, 3, 4, 5, 6, 7, 8, 9};
  for (size_t i = 0; i < 8; ++i) {
    BOOST_TEST(run.bad[i].file == "networks.jsonl");
    BOOST_TEST(run.bad[i].line == lines[i]);
  }
  BOOST_TEST(run.bad[2].message == "missing required member 'id'");
  BOOST_TEST(run.bad[5].message == "unknown verdict 'maybe' (coordinated, review or benign)");
  BOOST_TEST(run.bad[6].message == "invalid JSON: content after the network");
  EvalReport r = run.report();
  BOOST_TEST(r.networks == 1u);
  BOOST_TEST(r.bad_lines == 8u);
  BOOST_TEST(r.true_positives == 1u);

  Run first("account,network,tactic\n", "[1]\n{\"id\":\"1\",\"accounts\":[]}\n[2]\n", VerdictFilter::kCoordinated, true);
  BOOST_TEST(first.eval->stopped());
  BOOST_TEST(first.bad.size() == 1u);
}

BOOST_AUTO_TEST_CASE(wrong_stream) {
  Evaluator e(EvalOptions{}, [](const std::string&, uint64_t, const std::string&) { return true; });
  auto t = text("account,network,tactic\n", "t.csv");
  BOOST_TEST_REQUIRE(e.read_truth(*t).ok());
  auto n = text("#chorus-edges v1 {}\n", "edges.tsv");
  chorus::Status st = e.add_networks(*n);
  BOOST_TEST(!st.ok());
  BOOST_TEST(e.data_error());
  BOOST_TEST(st.message().rfind("edges.tsv:1: a chorus edges stream", 0) == 0, st.message());
}

BOOST_AUTO_TEST_CASE(malformed_truth) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "t.csv: no header line account,network,tactic (empty ground truth)"},
      {"account,network\n", "t.csv:1: the first line must be the header account,network,tactic"},
      {"account,network,tactic\nu1,n\n", "t.csv:2: expected 3 fields (account,network,tactic), found 2"},
      {"account,network,tactic\nu1,n,t,x\n", "t.csv:2: expected 3 fields (account,network,tactic), found 4"},
      {"account,network,tactic\n,n,t\n", "t.csv:2: empty account"},
      {"account,network,tactic\nu1,,t\n", "t.csv:2: empty network"},
      {"account,network,tactic\n\nu1,n,t\nu1,m,t\n", "t.csv:4: account 'u1' is listed twice"},
      {"account,network,tactic\n\"u1,n,t\n", "t.csv:2: unterminated quoted field"},
      {"account,network,tactic\nu\x1b\xff,n,t\nu\x1b\xff,n,t\n", "t.csv:3: account 'u\\x1b\\xff' is listed twice"},
  };
  for (const auto& [csv, message] : cases) {
    Evaluator e(EvalOptions{}, [](const std::string&, uint64_t, const std::string&) { return true; });
    auto in = text(csv, "t.csv");
    chorus::Status st = e.read_truth(*in);
    BOOST_TEST(!st.ok());
    BOOST_TEST(e.data_error());
    BOOST_TEST(st.message() == message);
  }
  // CRLF, quoted fields and blank lines are fine; tactics of one network gathered.
  Run run("account,network,tactic\r\n\r\n\"u,1\",net01,a\r\nu2,net01,b\r\nu3,net01,a\r\n", "");
  EvalReport r = run.report();
  BOOST_TEST_REQUIRE(r.planted.size() == 1u);
  BOOST_TEST(r.planted[0].members == 3u);
  BOOST_TEST(r.planted[0].tactic == "a,b");
}

BOOST_AUTO_TEST_CASE(json_line_is_fixed) {
  EvalReport r = Run(kTruth, kNetworks).report();
  BOOST_TEST(chorus::format_eval_json(r) ==
             R"({"version":1,"verdict":"coordinated","networks":4,"verdicts":{"coordinated":2,"review":1,"benign":1,"none":0},)"
             R"("counted":2,"flagged":8,"positives":7,"true_positives":5,"false_positives":3,"false_negatives":2,)"
             R"("flagged_reference":1,"flagged_organic":2,"overlapping":0,"bad_lines":0,)"
             R"("precision":0.625000,"recall":0.714286,"f1":0.666667,"ari":0.166667,"planted":[)"
             R"({"network":"net01","tactic":"copy-paste","members":4,"found":3,"recall":0.750000,"clusters":1,"best":"000001","best_found":3,"best_size":5},)"
             R"({"network":"net02","tactic":"share-ring","members":3,"found":2,"recall":0.666667,"clusters":1,"best":"000002","best_found":2,"best_size":3}],)"
             R"("reference":[{"group":"benign:publisher","members":2,"flagged":1},{"group":"overt:state-outlet","members":1,"flagged":0}]})"
             "\n");
}

BOOST_AUTO_TEST_CASE(hostile_names_are_escaped) {
  Run run("account,network,tactic\nu1,n\xff\x1b[2J,t\\x\nq1,ref:\xe2\x80\xae,x\n",
          R"({"id":"i\u001b\u202e\u0085","accounts":["u1","q1"]})"
          "\n");
  EvalReport r = run.report();
  std::string json = chorus::format_eval_json(r);
  BOOST_TEST(json.find(R"("network":"n)" "\xef\xbf\xbd" R"(\u001b[2J")") != std::string::npos, json);
  BOOST_TEST(json.find(R"("best":"i\u001b)" "\xe2\x80\xae\xc2\x85" "\"") != std::string::npos, json);
  std::string table = chorus::format_eval_table(r);
  BOOST_TEST(table.find("n\\xff\\x1b[2J") != std::string::npos, table);
  BOOST_TEST(table.find("t\\\\x") != std::string::npos, table);
  BOOST_TEST(table.find("ref:\\u202e") != std::string::npos, table);
  BOOST_TEST(table.find("i\\x1b\\u202e\\xc2\\x85 (1 of 2)") != std::string::npos, table);
  for (char c : table) BOOST_TEST((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
}

BOOST_AUTO_TEST_CASE(table_layout) {
  std::string table = chorus::format_eval_table(Run(kTruth, kNetworks).report());
  BOOST_TEST(table ==
             "verdicts counted     coordinated\n"
             "networks             4 (2 coordinated, 1 review, 1 benign, 0 without verdict)\n"
             "networks counted     2\n"
             "accounts flagged     8\n"
             "planted accounts     7\n"
             "true positives       5\n"
             "false positives      3 (1 reference, 2 organic)\n"
             "false negatives      2\n"
             "in several networks  0\n"
             "precision            0.625\n"
             "recall               0.714\n"
             "F1                   0.667\n"
             "adjusted Rand index  0.167\n"
             "\n"
             "reference group     accounts  flagged\n"
             "benign:publisher           2        1\n"
             "overt:state-outlet         1        0\n"
             "\n"
             "network  tactic      accounts  found  recall  clusters  best\n"
             "net01    copy-paste         4      3   0.750         1  000001 (3 of 5)\n"
             "net02    share-ring         3      2   0.667         1  000002 (2 of 3)\n");
}

BOOST_AUTO_TEST_SUITE_END()

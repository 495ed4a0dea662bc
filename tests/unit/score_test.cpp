// Tests of lib/score.hpp: the features on small hand-made networks (density,
// synchrony, the creation burst, handles, lead), the model's verdicts (a bot
// network is coordinated, an openly syndicated publisher is not, edges alone
// still score), the reasons' numbers, the networks line, and the Scorer over
// in-memory streams (wrong stream, bad lines, evidence, labels, accounts,
// events, hostile bytes).
#include "score.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "input.hpp"
#include "output.hpp"

using namespace chorus;

namespace {

constexpr Micros kS = 1000000;
constexpr Micros kDay = 86400 * kS;
const Micros kT0 = 1700000000 * kS;  // 2023-11-14T22:13:20Z

ClusterEdge edge(std::string a, std::string b, uint64_t coactions, uint64_t keys, Micros median_dt, uint64_t a_first = 0,
                 uint64_t b_first = 0) {
  ClusterEdge e;
  e.a = std::move(a);
  e.b = std::move(b);
  e.weight = e.coactions = coactions;
  e.keys = keys;
  e.a_first = a_first;
  e.b_first = b_first;
  e.first = kT0;
  e.last = kT0 + 10 * kDay;
  e.median_dt = median_dt;
  e.a_events = e.b_events = coactions;
  e.signals = {{"text", coactions}};
  return e;
}

// A clique of n accounts "bot01".. with `coactions` co-actions per pair.
Network clique(size_t n, uint64_t coactions, uint64_t keys, Micros dt) {
  Network net;
  net.id = "000001";
  for (size_t i = 0; i < n; ++i) net.accounts.push_back("bot" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) net.edges.push_back(edge(net.accounts[i], net.accounts[j], coactions, keys, dt));
  return net;
}

bool has_reason(const Assessment& a, const std::string& text) {
  for (const auto& r : a.reasons)
    if (r.find(text) != std::string::npos) return true;
  return false;
}

std::string all_reasons(const Assessment& a) {
  std::string s;
  for (const auto& r : a.reasons) s += r + " | ";
  return s;
}

ScoreOptions options() {
  ScoreOptions o;
  o.window = 3600;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(score)

BOOST_AUTO_TEST_CASE(numbers) {
  BOOST_TEST(with_commas(0) == "0");
  BOOST_TEST(with_commas(999) == "999");
  BOOST_TEST(with_commas(1930) == "1,930");
  BOOST_TEST(with_commas(1234567) == "1,234,567");
  BOOST_TEST(format_decimal(0.5, 3) == "0.5");
  BOOST_TEST(format_decimal(1.0 / 3, 3) == "0.333");
  BOOST_TEST(format_decimal(12, 3) == "12");
  BOOST_TEST(format_decimal(-0.0001, 3) == "0");
  BOOST_TEST(handle_prefix("dailynews_east") == "dailynews_");
  BOOST_TEST(handle_prefix("jo_smith") == "");
  BOOST_TEST(handle_prefix("annlee") == "");
  BOOST_TEST(handle_has_digits("annlee20417733"));
  BOOST_TEST(handle_has_digits("bob1984"));
  BOOST_TEST(!handle_has_digits("bob84"));
  BOOST_TEST(!handle_has_digits("12345678"));
}

BOOST_AUTO_TEST_CASE(parse_edge_line) {
  std::string cluster;
  ClusterEdge e;
  BOOST_TEST(parse_cluster_edge("000001\tann\tbob\t2\t2\t2\t2\t0\t1700000001\t1700000003\t2\t1\t1\tshare:1,text:1\t0.005\t0.12",
                                cluster, e)
                 .ok());
  BOOST_TEST(cluster == "000001");
  BOOST_TEST(e.coactions == 2u);
  BOOST_TEST(e.median_dt == 2 * kS);
  BOOST_TEST(e.signals.size() == 2u);
  BOOST_TEST(*e.p_value == 0.005);
  BOOST_TEST(*e.expected == 0.12);
  BOOST_TEST(parse_cluster_edge("000001\tann\tbob\t2\t2\t2\t2\t0\t1700000001\t1700000003\t6.75\t1\t1\tshare:2\t-\t-", cluster, e)
                 .ok());
  BOOST_TEST(!e.p_value.has_value());
  BOOST_TEST(e.median_dt == 6750000);
  // 13 fields (plain edges), b before a, a bad count, a p-value above 1.
  BOOST_TEST(!parse_cluster_edge("ann\tbob\t2\t2\t2\t2\t0\t1700000001\t1700000003\t2\t1\t1\tshare:2", cluster, e).ok());
  BOOST_TEST(!parse_cluster_edge("000001\tbob\tann\t2\t2\t2\t2\t0\t1\t1\t2\t1\t1\tshare:2\t-\t-", cluster, e).ok());
  BOOST_TEST(!parse_cluster_edge("000001\tann\tbob\tx\t2\t2\t2\t0\t1\t1\t2\t1\t1\tshare:2\t-\t-", cluster, e).ok());
  BOOST_TEST(!parse_cluster_edge("000001\tann\tbob\t2\t2\t2\t2\t0\t1\t1\t2\t1\t1\tshare:2\t1.5\t-", cluster, e).ok());
}

BOOST_AUTO_TEST_CASE(density_synchrony_and_median) {
  // A path a-b-c-d: 3 of 6 pairs; median of 10, 20, 30 s is 20 s.
  Network net;
  net.id = "000001";
  net.accounts = {"a", "b", "c", "d"};
  net.edges = {edge("a", "b", 4, 2, 10 * kS), edge("b", "c", 4, 2, 20 * kS), edge("c", "d", 4, 2, 30 * kS)};
  Features f = compute_features(net, options());
  BOOST_TEST(f.density == 0.5);
  BOOST_TEST(f.median_dt == 20 * kS);
  BOOST_TEST(f.coactions == 12u);
  BOOST_TEST(*f.synchrony == 1.0 - 20.0 / 3600);
  // Even count: the mean of the middle two.
  net.edges.push_back(edge("a", "d", 4, 2, 40 * kS));
  BOOST_TEST(compute_features(net, options()).median_dt == 25 * kS);
  // No window known: no synchrony.
  BOOST_TEST(!compute_features(net, ScoreOptions()).synchrony.has_value());
}

BOOST_AUTO_TEST_CASE(lead_concentration) {
  Network net;
  net.id = "000001";
  net.accounts = {"a", "b", "c"};
  net.edges = {edge("a", "b", 10, 5, 5 * kS, 9, 1), edge("a", "c", 10, 5, 5 * kS, 8, 2), edge("b", "c", 2, 2, 5 * kS, 1, 1)};
  Features f = compute_features(net, options());
  BOOST_TEST(f.leader == 0u);
  BOOST_TEST(f.leader_led == 17u);
  BOOST_TEST(f.ordered == 22u);
  Assessment a = assess(net, options());
  BOOST_TEST(has_reason(a, "a was first in 17 of 22 co-actions (77 %): it seeds the network"), all_reasons(a));
}

BOOST_AUTO_TEST_CASE(creation_burst) {
  Network net = clique(5, 20, 10, 30 * kS);
  net.has_profiles = true;
  // Four created within 3 days (2023-01-01 .. 2023-01-03 12:00), one years earlier.
  const Micros base = 1672531200 * kS;  // 2023-01-01T00:00:00Z
  std::vector<Micros> created = {base, base + kDay, base + 2 * kDay + kDay / 2, base + 3600 * kS, base - 2000 * kDay};
  for (Micros c : created) {
    Profile p;
    p.created = c;
    p.followers = 10;
    p.verified = false;
    p.handle = "bot";
    net.profiles.push_back(p);
  }
  Features f = compute_features(net, options());
  BOOST_TEST(f.burst_count == 4u);
  BOOST_TEST(*f.burst == 0.75);  // (4 - 1) / (5 - 1)
  BOOST_TEST(f.burst_first == base);
  BOOST_TEST(f.burst_last == base + 2 * kDay + kDay / 2);
  BOOST_TEST(f.young_count == 4u);  // all but the old one: within a year of 2023-11-14
  Assessment a = assess(net, options());
  BOOST_TEST(has_reason(a, "4 of 5 accounts created within 3 days (2023-01-01 to 2023-01-03)"), all_reasons(a));
  BOOST_TEST(has_reason(a, "5 of 5 accounts with under 1,000 followers (50 followers in all)"), all_reasons(a));
}

BOOST_AUTO_TEST_CASE(bot_network_is_coordinated) {
  // 12 accounts created in two days, unverified, few followers, suggested
  // handles, posting abroad, most of their activity co-actions; 40
  // co-actions a pair on 20 keys, 15 s apart.
  Network net = clique(12, 40, 20, 15 * kS);
  net.has_profiles = net.has_events = net.has_evidence = true;
  for (size_t i = 0; i < 12; ++i) {
    Profile p;
    p.created = kT0 - 100 * kDay + static_cast<Micros>(i) * 3600 * kS;
    p.followers = 50 + static_cast<int64_t>(i);
    p.verified = false;
    p.handle = "annlee" + std::to_string(20417700 + i);
    p.country = "RU";
    net.profiles.push_back(p);
  }
  net.events = 1000;
  net.coordinated_events = 880;
  net.distinct_keys = 120;
  net.audiences = {{"US", 950}, {"GB", 50}};
  net.audience_known = 1000;
  net.foreign = 1000;
  net.texts = 600;
  net.repeated_texts = 420;
  Assessment a = assess(net, options());
  BOOST_TEST(a.verdict == "coordinated");
  BOOST_TEST(a.score >= 0.99);
  BOOST_TEST(has_reason(a, "2,640 co-actions on 120 keys among 12 accounts, 66 pairs, median 15 s apart (window 60 min)"),
             all_reasons(a));
  BOOST_TEST(has_reason(a, "12 of 12 accounts created within 1 day"), all_reasons(a));
  BOOST_TEST(has_reason(a, "12 of 12 handles are a name followed by 4 or more digits"), all_reasons(a));
  BOOST_TEST(has_reason(a, "operated mostly from RU; 1,000 of 1,000 events (100 %) shown to audiences in other countries (US 950, GB 50)"),
             all_reasons(a));
  BOOST_TEST(has_reason(a, "880 of 1,000 events (88 %) were co-actions"), all_reasons(a));
  BOOST_TEST(has_reason(a, "420 of 600 texts posted by the network repeat another of its texts"), all_reasons(a));
  // Edges alone still score (for review: a dense, fast clique), and say what they lack.
  Network bare = clique(12, 40, 20, 15 * kS);
  Assessment b = assess(bare, options());
  BOOST_TEST(b.verdict == "review", b.score);
  BOOST_TEST(has_reason(b, "no --accounts"));
  BOOST_TEST(has_reason(b, "no --events"));
  BOOST_TEST(has_reason(b, "no --evidence"));
}

BOOST_AUTO_TEST_CASE(publisher_is_not_coordinated) {
  // Six regional accounts of one publisher posting the same headline within
  // seconds: as coordinated as can be, but old, verified, one owner's handles.
  Network net = clique(6, 300, 300, 3 * kS);
  net.has_profiles = net.has_events = net.has_evidence = true;
  const char* regions[] = {"east", "west", "north", "south", "central", "metro"};
  for (int i = 0; i < 6; ++i) {
    Profile p;
    p.created = 1235865600 * kS + i * 211 * kDay;  // 2009-03-01, then every 211 days
    p.followers = 500000;
    p.verified = true;
    p.handle = std::string("dailynews_") + regions[i];
    p.country = "US";
    net.profiles.push_back(p);
  }
  net.events = net.coordinated_events = 600;
  net.texts = net.repeated_texts = 600;
  Assessment a = assess(net, options());
  BOOST_TEST(a.f.publisher);
  BOOST_TEST(a.verdict != "coordinated");
  BOOST_TEST(has_reason(a, "6 of 6 accounts verified and created 2009\xe2\x80\x93" "2012, handles share the prefix dailynews_: "
                           "an openly syndicated publisher"),
             all_reasons(a));
  // The same accounts unverified and new are not a publisher.
  for (auto& p : net.profiles) p->verified = false, p->created = kT0 - 30 * kDay;
  Assessment b = assess(net, options());
  BOOST_TEST(!b.f.publisher);
  BOOST_TEST(b.verdict == "coordinated");
}

BOOST_AUTO_TEST_CASE(organic_pair_is_benign) {
  // Two old verified accounts that shared three viral items 20 minutes apart.
  Network net = clique(2, 3, 3, 1200 * kS);
  net.has_profiles = true;
  for (int i = 0; i < 2; ++i) {
    Profile p;
    p.created = kT0 - (1000 + 900 * i) * kDay;
    p.followers = 20000;
    p.verified = true;
    p.handle = i ? "maria_lopez" : "johnsmith";
    p.country = "US";
    net.profiles.push_back(p);
  }
  Assessment a = assess(net, options());
  BOOST_TEST(a.verdict == "benign", a.score);
}

BOOST_AUTO_TEST_CASE(network_line) {
  Network net;
  net.id = "000007";
  net.accounts = {"twitter:a\\tb", "twitter:c"};
  net.edges = {edge("twitter:a\\tb", "twitter:c", 2, 2, 3 * kS, 2, 0)};
  net.has_evidence = true;
  net.distinct_keys = 2;
  net.top_keys = {KeyStat{"text:00ff", 1, 2, std::string("Vote \"NO\"\n")}, KeyStat{"url:11aa", 1, 2, std::nullopt}};
  Assessment a = assess(net, options());
  std::string line = network_json(net, a, "{}");
  BOOST_TEST(line.find("{\"id\":\"000007\",\"accounts\":[\"twitter:a\\tb\",\"twitter:c\"],\"size\":2,\"edges\":1,"
                       "\"density\":1,\"coactions\":2,\"signals\":{\"text\":2},\"first_seen\":\"2023-11-14T22:13:20Z\","
                       "\"last_seen\":\"2023-11-24T22:13:20Z\",\"median_dt\":3,\"followers\":null,\"created_span\":null,"
                       "\"countries\":null,\"audiences\":null,\"activity\":null,\"state_affiliated\":null,\"score\":") == 0,
             line);
  BOOST_TEST(line.find("\"top_keys\":[{\"key\":\"text:00ff\",\"kind\":\"text\",\"label\":\"Vote \\\"NO\\\"\\n\",\"coactions\":1,"
                       "\"accounts\":2},{\"key\":\"url:11aa\",\"kind\":\"url\",\"label\":null,\"coactions\":1,\"accounts\":2}],"
                       "\"params\":{}}\n") != std::string::npos,
             line);
}

namespace {
std::unique_ptr<InputStream> mem(std::string text, std::string name) {
  return InputStream::from_source(memory_source(std::move(text)), std::move(name));
}
}  // namespace

BOOST_AUTO_TEST_CASE(scorer_streams) {
  std::vector<std::string> errors;
  Scorer s(options(), [&](const std::string& file, uint64_t line, const std::string& m) {
    errors.push_back(file + ":" + std::to_string(line) + ": " + m);
    return true;
  });
  auto clusters = mem(
      "#chorus-clusters v1 {\"edges\":{\"window\":60}}\n"
      "000001\tx:ann\tx:bob\t2\t2\t2\t2\t0\t1700000001\t1700000003\t2\t1\t1\tshare:1,text:1\t-\t-\n"
      "000001\tx:ann\tx:cy\t1\t1\t1\t1\t0\t1700000004\t1700000004\t4\t1\t1\tshare:1\t-\t-\n"
      "garbage\n"
      "000002\tx:ann\tx:dee\t1\t1\t1\t1\t0\t1700000004\t1700000004\t4\t1\t1\tshare:1\t-\t-\n",
      "c.tsv");
  BOOST_TEST(s.add_clusters(*clusters).ok());
  BOOST_TEST(errors.size() == 2u);
  BOOST_TEST(errors[0] == "c.tsv:4: expected 16 tab-separated fields (clustered edges)");
  BOOST_TEST(errors[1] == "c.tsv:5: account x:ann is in clusters 000001 and 000002");
  auto evidence = mem(
      "#chorus-evidence v1 {}\n"
      "x:ann\tx:bob\tshare:p1\t1700000000\t1700000003\ta1\tb1\n"
      "x:ann\tx:bob\ttext:t1\t1700000000\t1700000001\ta1\tb1\n"
      "x:ann\tx:cy\tshare:p1\t1700000000\t1700000004\ta1\tc1\n"
      "x:bob\tx:cy\tshare:p1\t1700000003\t1700000004\tb1\tc1\n",  // not a kept edge: ignored
      "ev.tsv");
  BOOST_TEST(s.add_evidence(*evidence).ok());
  auto labels = mem("#chorus-labels v1 {}\nshare:p1\tp\\xff1\ntext:zz\tunused\n", "l.tsv");
  BOOST_TEST(s.add_labels(*labels).ok());
  auto accounts = mem(
      "{\"account\":\"ann\",\"platform\":\"x\",\"created\":\"2023-01-01T00:00:00Z\",\"followers\":5,\"verified\":false}\n"
      "{\"account\":\"zed\",\"platform\":\"x\",\"state_affiliated\":\"RU\"}\n"
      "{not json\n",
      "a.jsonl");
  BOOST_TEST(s.add_accounts(*accounts).ok());
  auto events = mem(
      "{\"id\":\"z1\",\"account\":\"zed\",\"platform\":\"x\",\"text\":\"state news\",\"urls\":[\"https://s.example/1\"]}\n"
      "{\"id\":\"a1\",\"account\":\"ann\",\"platform\":\"x\",\"text\":\"Same  text\",\"audience\":\"US\"}\n"
      "{\"id\":\"b1\",\"account\":\"bob\",\"platform\":\"x\",\"text\":\"same text\",\"parent\":\"z1\"}\n"
      "{\"id\":\"c1\",\"account\":\"cy\",\"platform\":\"x\",\"text\":\"other\",\"urls\":[\"https://s.example/1\"]}\n"
      "{\"id\":\"c2\",\"account\":\"cy\",\"platform\":\"x\"}\n",
      "e.jsonl");
  BOOST_TEST(s.add_events(*events).ok());
  BOOST_TEST(errors.size() == 3u);
  BOOST_TEST(errors[2] == "a.jsonl:3: invalid JSON or not an object (account profiles)");
  std::string text;
  auto out = OutputStream::to_string(&text);
  BOOST_TEST(s.write(*out).ok());
  BOOST_TEST(out->close().ok());
  BOOST_TEST(text.find("\"top_keys\":[{\"key\":\"share:p1\",\"kind\":\"share\",\"label\":\"p\xef\xbf\xbd" "1\",\"coactions\":2,"
                       "\"accounts\":3},{\"key\":\"text:t1\",\"kind\":\"text\",\"label\":null,\"coactions\":1,\"accounts\":2}]") !=
                 std::string::npos,
             text);
  BOOST_TEST(text.find("\"3 of 4 events (75 %) were co-actions\"") != std::string::npos, text);
  BOOST_TEST(text.find("\"2 of 3 texts posted by the network repeat another of its texts\"") != std::string::npos, text);
  BOOST_TEST(text.find("\"2 of 4 events share or link items of state-affiliated accounts (RU 2)\"") != std::string::npos, text);
  BOOST_TEST(text.find("\"audiences\":{\"US\":1}") != std::string::npos, text);
  BOOST_TEST(text.find("\"followers\":5") != std::string::npos, text);
  BOOST_TEST(s.stats().networks == 1u);
}

BOOST_AUTO_TEST_CASE(wrong_stream) {
  Scorer s(options(), [](const std::string&, uint64_t, const std::string&) { return true; });
  auto edges = mem("#chorus-edges v1 {}\nann\tbob\t1\t1\t1\t1\t0\t1\t1\t0\t1\t1\tshare:1\n", "edges.tsv");
  Status st = s.add_clusters(*edges);
  BOOST_TEST(!st.ok());
  BOOST_TEST(s.data_error());
  BOOST_TEST(st.message().find("edges.tsv:1: a chorus edges stream, expected a chorus clusters stream") == 0, st.message());
}

BOOST_AUTO_TEST_SUITE_END()

// Tests of lib/track.hpp: matching by account overlap (threshold, one-to-one,
// ties broken the same way every time), stable ids across runs, returning
// accounts (the same account, linked by handle or name), bad network lines,
// and the state's text round trip.
#include "track.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "input.hpp"

using namespace chorus;

namespace {

TrackedNetwork known(int64_t number, std::vector<std::string> accounts) {
  TrackedNetwork n;
  n.number = number;
  n.first_run = n.last_run = "r1";
  n.runs = 1;
  n.accounts = std::move(accounts);
  return n;
}

TodayNetwork today(std::string cluster, std::vector<std::string> accounts) {
  TodayNetwork n;
  n.cluster = std::move(cluster);
  n.accounts = std::move(accounts);
  return n;
}

std::unique_ptr<InputStream> mem(std::string text, std::string name) {
  return InputStream::from_source(memory_source(std::move(text)), std::move(name));
}

struct Run {
  std::vector<std::string> errors;
  Tracker tracker{[this](const std::string& f, uint64_t l, const std::string& m) {
                    errors.push_back(f + ":" + std::to_string(l) + ": " + m);
                    return true;
                  },
                  1 << 20};
};

}  // namespace

BOOST_AUTO_TEST_CASE(stable_ids_and_link_keys) {
  BOOST_TEST(stable_id(1) == "CIB-000001");
  BOOST_TEST(stable_id(1234567) == "CIB-1234567");
  BOOST_TEST((link_keys("@Ann_Lee2041", "Ann Lee") == std::vector<std::string>{"handle:annlee", "name:annlee"}));
  BOOST_TEST(link_keys("ab12", "x").empty());  // too short after normalising
}

BOOST_AUTO_TEST_CASE(matching_threshold_and_best_first) {
  std::vector<TrackedNetwork> k = {known(1, {"a", "b", "c", "d"}), known(2, {"x", "y"})};
  // t0 shares 3 of 5 with CIB-1 (0.6); t1 shares 1 of 4 with CIB-1 (0.25 < 0.3) and nothing else.
  std::vector<TodayNetwork> t = {today("000001", {"a", "b", "c", "e"}), today("000002", {"d", "p", "q"})};
  auto m = match_networks(k, t, 0.3);
  BOOST_TEST(m[0].known == 0);
  BOOST_TEST(m[0].overlap == 0.6);
  BOOST_TEST(m[1].known == -1);
}

BOOST_AUTO_TEST_CASE(matching_one_to_one_and_ties) {
  // A split: both halves overlap CIB-1 equally (Jaccard 0.5); the first in
  // input order keeps the id, the other is new.
  std::vector<TrackedNetwork> k = {known(1, {"a", "b", "c", "d"})};
  std::vector<TodayNetwork> t = {today("000001", {"a", "b"}), today("000002", {"c", "d"})};
  auto m = match_networks(k, t, 0.3);
  BOOST_TEST(m[0].known == 0);
  BOOST_TEST(m[1].known == -1);
  // The same halves in the other order: the tie goes to input order again.
  std::vector<TodayNetwork> u = {today("000001", {"c", "d"}), today("000002", {"a", "b"})};
  m = match_networks(k, u, 0.3);
  BOOST_TEST(m[0].known == 0);
  // A merge: one network overlapping two known ones equally takes the lower id.
  std::vector<TrackedNetwork> k2 = {known(1, {"a", "b"}), known(2, {"c", "d"})};
  std::vector<TodayNetwork> t2 = {today("000001", {"a", "b", "c", "d"})};
  m = match_networks(k2, t2, 0.3);
  BOOST_TEST(m[0].known == 0);
  BOOST_TEST(m[0].overlap == 0.5);
  // A better pair wins over input order: t1 overlaps CIB-1 fully.
  std::vector<TodayNetwork> t3 = {today("000001", {"a", "b", "c"}), today("000002", {"a", "b", "c", "d"})};
  m = match_networks(k, t3, 0.3);
  BOOST_TEST(m[1].known == 0);
  BOOST_TEST(m[0].known == -1);
}

BOOST_AUTO_TEST_CASE(tracker_runs_and_returning) {
  // Run 1: a coordinated network and a benign one, with profiles.
  Run r1;
  auto n1 = mem(
      "{\"id\":\"000001\",\"accounts\":[\"tw:a\",\"tw:b\",\"tw:c\"],\"score\":0.9,\"verdict\":\"coordinated\"}\n"
      "{\"id\":\"000002\",\"accounts\":[\"tw:x\",\"tw:y\"],\"score\":0.1,\"verdict\":\"benign\"}\n",
      "day1");
  BOOST_TEST(r1.tracker.add_networks(*n1).ok());
  auto p1 = mem("{\"account\":\"c\",\"platform\":\"tw\",\"handle\":\"NewsBot77\",\"name\":\"News Bot\"}\n", "acc1");
  BOOST_TEST(r1.tracker.add_accounts(*p1).ok());
  auto o1 = r1.tracker.run(TrackState{}, "day1", 0.3);
  BOOST_TEST(o1.fresh == 2u);
  BOOST_TEST(o1.output ==
                 "{\"id\":\"CIB-000001\",\"accounts\":[\"tw:a\",\"tw:b\",\"tw:c\"],\"score\":0.9,\"verdict\":\"coordinated\","
                 "\"track\":{\"run\":\"day1\",\"cluster\":\"000001\",\"first_run\":\"day1\",\"runs\":1,\"overlap\":null,"
                 "\"new_accounts\":[\"tw:a\",\"tw:b\",\"tw:c\"],\"returning\":[]}}\n"
                 "{\"id\":\"CIB-000002\",\"accounts\":[\"tw:x\",\"tw:y\"],\"score\":0.1,\"verdict\":\"benign\","
                 "\"track\":{\"run\":\"day1\",\"cluster\":\"000002\",\"first_run\":\"day1\",\"runs\":1,\"overlap\":null,"
                 "\"new_accounts\":[\"tw:x\",\"tw:y\"],\"returning\":[]}}\n",
             o1.output);
  BOOST_TEST(o1.state.removed.size() == 3u);
  BOOST_TEST((o1.state.removed.at("tw:c").keys == std::vector<std::string>{"handle:newsbot", "name:newsbot"}));

  // Run 2: the removed network returns (a, b + new d), in cluster 2 this
  // time; the benign one is cluster 1; tt:newsbot_1 (linked to tw:c) is in
  // no network; a line is bad.
  Run r2;
  auto n2 = mem(
      "{\"id\":\"000001\",\"accounts\":[\"tw:x\",\"tw:y\",\"tw:z\"],\"verdict\":\"benign\"}\n"
      "not json\n"
      "{\"id\":\"000002\",\"accounts\":[\"tw:a\",\"tw:b\",\"tw:d\"],\"verdict\":\"coordinated\",\"track\":{}}\n",
      "day2");
  BOOST_TEST(r2.tracker.add_networks(*n2).ok());
  BOOST_TEST(r2.errors.size() == 1u);
  BOOST_TEST(r2.errors[0] == "day2:2: invalid JSON or not an object (networks)");
  auto p2 = mem("{\"account\":\"d\",\"platform\":\"tw\",\"name\":\"NEWS BOT 2\"}\n"
                "{\"account\":\"newsbot_1\",\"platform\":\"tt\",\"handle\":\"newsbot_1\"}\n",
                "acc2");
  BOOST_TEST(r2.tracker.add_accounts(*p2).ok());
  auto o2 = r2.tracker.run(o1.state, "day2", 0.3);
  BOOST_TEST(o2.tracked == 2u);
  BOOST_TEST(o2.same == 2u);
  BOOST_TEST(o2.linked == 1u);
  auto second = o2.output.substr(o2.output.find('\n') + 1);
  BOOST_TEST(o2.output.rfind("{\"id\":\"CIB-000002\",", 0) == 0, o2.output);
  BOOST_TEST(second ==
                 "{\"id\":\"CIB-000001\",\"accounts\":[\"tw:a\",\"tw:b\",\"tw:d\"],\"verdict\":\"coordinated\","
                 "\"track\":{\"run\":\"day2\",\"cluster\":\"000002\",\"first_run\":\"day1\",\"runs\":2,\"overlap\":0.5,"
                 "\"new_accounts\":[\"tw:d\"],\"returning\":["
                 "{\"account\":\"tw:a\",\"how\":\"same\",\"via\":\"account\",\"removed_account\":\"tw:a\","
                 "\"removed_network\":\"CIB-000001\",\"removed_run\":\"day1\"},"
                 "{\"account\":\"tw:b\",\"how\":\"same\",\"via\":\"account\",\"removed_account\":\"tw:b\","
                 "\"removed_network\":\"CIB-000001\",\"removed_run\":\"day1\"},"
                 "{\"account\":\"tw:d\",\"how\":\"linked\",\"via\":\"name\",\"removed_account\":\"tw:c\","
                 "\"removed_network\":\"CIB-000001\",\"removed_run\":\"day1\"}]}}\n",
             second);
  BOOST_TEST(o2.outside.size() == 1u);
  BOOST_TEST(o2.outside[0].account == "tt:newsbot_1");
  BOOST_TEST(o2.outside[0].via == "handle");
  BOOST_TEST(o2.outside[0].removed_account == "tw:c");
  // tw:d is removed now, in run 2, with its own keys.
  BOOST_TEST(o2.state.removed.at("tw:d").run == "day2");
  BOOST_TEST(o2.state.removed.at("tw:a").run == "day1");
  BOOST_TEST(o2.state.networks.at(0).removed_run == "day1");
  BOOST_TEST((o2.state.runs == std::vector<std::string>{"day1", "day2"}));

  // The state survives its text form byte for byte.
  std::string text = format_track_state(o2.state);
  auto back = parse_track_state(text, "state");
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(format_track_state(*back) == text);
  BOOST_TEST(back->next_number == 3);
  BOOST_TEST(text.rfind("#chorus-track-state v1 {\"next\":3,\"runs\":[\"day1\",\"day2\"]}\n", 0) == 0, text);
}

BOOST_AUTO_TEST_CASE(state_errors) {
  BOOST_TEST(parse_track_state("", "s").ok());
  auto r = parse_track_state("#chorus-edges v1 {}\n", "s");
  BOOST_TEST(!r.ok());
  r = parse_track_state("#chorus-track-state v1 {\"next\":2,\"runs\":[\"a\"]}\n{\"network\":\"CIB-000001\"", "s");
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.status().message() == "s:2: truncated state (no final newline)");
  r = parse_track_state("#chorus-track-state v1 {\"next\":2,\"runs\":[\"a\"]}\n"
                        "{\"network\":\"CIB-000005\",\"first_run\":\"a\",\"last_run\":\"a\",\"runs\":1,\"accounts\":[]}\n",
                        "s");
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.status().message() == "s:2: bad or unordered network id");
}

BOOST_AUTO_TEST_CASE(tracker_refuses_a_stream) {
  Run r;
  auto in = mem("#chorus-edges v1 {}\n", "e");
  BOOST_TEST(!r.tracker.add_networks(*in).ok());
  BOOST_TEST(r.tracker.data_error());
}

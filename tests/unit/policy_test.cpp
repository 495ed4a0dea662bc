// Tests of lib/policy.hpp: each rule with positive and negative cases
// (state-affiliated or not; audiences abroad, at home only or none; the
// thresholds; coordinated, review and benign networks, --min-score), the
// switches, the order and form of the actions line, bad lines and a wrong
// stream, and the rules file (keys, values, comments, errors).
#include "policy.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "input.hpp"
#include "output.hpp"

using namespace chorus;

namespace {

std::unique_ptr<InputStream> mem(std::string text, std::string name) {
  return InputStream::from_source(memory_source(std::move(text)), std::move(name));
}

struct Run {
  std::vector<Action> actions;
  std::vector<std::string> errors;
};

Run run(const PolicyOptions& opt, const std::string& accounts, const std::string& events, const std::string& networks) {
  Run r;
  PolicyEngine e(opt, [&](const std::string& file, uint64_t line, const std::string& m) {
    r.errors.push_back(file + ":" + std::to_string(line) + ": " + m);
    return true;
  });
  if (!accounts.empty()) BOOST_REQUIRE(e.add_accounts(*mem(accounts, "accounts.jsonl")).ok());
  if (!events.empty()) BOOST_REQUIRE(e.add_events(*mem(events, "events.jsonl")).ok());
  if (!networks.empty()) BOOST_REQUIRE(e.add_networks(*mem(networks, "networks.jsonl")).ok());
  r.actions = e.actions();
  return r;
}

// "account action" of each action.
std::vector<std::string> summary(const Run& r) {
  std::vector<std::string> v;
  for (const auto& a : r.actions) v.push_back(a.account + " " + a.action);
  return v;
}

const std::string kAccounts =
    "{\"account\":\"rt\",\"platform\":\"x\",\"state_affiliated\":\"RU\",\"country\":\"RU\"}\n"
    "{\"account\":\"bbc\",\"platform\":\"x\",\"state_affiliated\":null,\"country\":\"GB\"}\n"
    "{\"account\":\"home\",\"platform\":\"x\",\"state_affiliated\":\"CN\"}\n"
    "{\"account\":\"quiet\",\"platform\":\"x\",\"state_affiliated\":\"IR\"}\n"
    "{\"account\":\"anna\",\"platform\":\"x\"}\n";

std::string event(const std::string& account, int id, const std::string& audience) {
  std::string s = "{\"id\":\"" + std::to_string(id) + "\",\"account\":\"" + account + "\",\"platform\":\"x\",\"ts\":1";
  if (!audience.empty()) s += ",\"audience\":\"" + audience + "\"";
  return s + "}\n";
}

// rt: 3 events to DE, 1 to US, 1 at home (RU), 1 without audience; home: CN
// only; bbc (not affiliated) abroad; quiet: no audience at all.
const std::string kEvents = event("rt", 1, "DE") + event("rt", 2, "US") + event("rt", 3, "DE") + event("rt", 4, "ru") +
                            event("rt", 5, "") + event("rt", 6, "DE") + event("home", 7, "CN") + event("home", 8, "CN") +
                            event("bbc", 9, "US") + event("quiet", 10, "") + event("anna", 11, "FR");

}  // namespace

BOOST_AUTO_TEST_SUITE(policy)

BOOST_AUTO_TEST_CASE(label_affiliated_and_not) {
  Run r = run(PolicyOptions{}, kAccounts, "", "");
  BOOST_TEST(r.errors.empty());
  std::vector<std::string> want = {"x:home label_state_affiliated", "x:quiet label_state_affiliated",
                                   "x:rt label_state_affiliated"};
  BOOST_TEST(summary(r) == want, boost::test_tools::per_element());
  BOOST_TEST(r.actions[2].rule == "state-affiliated-label");
  BOOST_TEST(r.actions[2].evidence == "{\"state_affiliated\":\"RU\",\"source\":\"profile\"}");
  // The last profile of an account counts: rt no longer affiliated.
  Run later = run(PolicyOptions{}, kAccounts + "{\"account\":\"rt\",\"platform\":\"x\",\"state_affiliated\":null}\n", kEvents, "");
  for (const auto& a : later.actions) BOOST_TEST(a.account != "x:rt");
  PolicyOptions off;
  off.label = false;
  BOOST_TEST(run(off, kAccounts, "", "").actions.empty());
}

BOOST_AUTO_TEST_CASE(abroad_home_and_no_audience) {
  Run r = run(PolicyOptions{}, kAccounts, kEvents, "");
  BOOST_TEST(r.errors.empty());
  std::vector<std::string> want = {"x:home label_state_affiliated", "x:quiet label_state_affiliated",
                                   "x:rt block_foreign_ads", "x:rt exclude_from_recommendations",
                                   "x:rt label_state_affiliated"};
  BOOST_TEST(summary(r) == want, boost::test_tools::per_element());
  // 5 events with an audience, "ru" is home (case folded), 4 foreign; audiences by count, then bytes.
  const std::string ev =
      "{\"home\":\"RU\",\"events_with_audience\":5,\"foreign_events\":4,\"foreign_share\":0.8,"
      "\"audiences\":{\"DE\":3,\"US\":1,\"ru\":1}}";
  BOOST_TEST(r.actions[2].evidence == ev);
  BOOST_TEST(r.actions[3].evidence == ev);
  BOOST_TEST(r.actions[2].rule == "state-media-abroad");
  PolicyOptions off;
  off.abroad = false;
  BOOST_TEST(run(off, kAccounts, kEvents, "").actions.size() == 3u);
}

BOOST_AUTO_TEST_CASE(abroad_thresholds) {
  PolicyOptions o;
  o.min_foreign_events = 4;
  BOOST_TEST(run(o, kAccounts, kEvents, "").actions.size() == 5u);  // 4 foreign events: enough
  o.min_foreign_events = 5;
  BOOST_TEST(run(o, kAccounts, kEvents, "").actions.size() == 3u);  // not enough
  o.min_foreign_events = 1;
  o.min_foreign_share = 0.8;
  BOOST_TEST(run(o, kAccounts, kEvents, "").actions.size() == 5u);  // 4 of 5
  o.min_foreign_share = 0.81;
  BOOST_TEST(run(o, kAccounts, kEvents, "").actions.size() == 3u);
}

BOOST_AUTO_TEST_CASE(remove_coordinated_only) {
  const std::string nets =
      "{\"id\":\"000001\",\"accounts\":[\"x:b\",\"x:a\",\"x:a\"],\"size\":2,\"score\":0.85,\"verdict\":\"coordinated\","
      "\"reasons\":[\"one\",\"two \\\"q\\\"\",\"three\",\"four\"]}\n"
      "{\"id\":\"000002\",\"accounts\":[\"x:c\",\"x:d\"],\"score\":0.5,\"verdict\":\"review\",\"reasons\":[]}\n"
      "{\"id\":\"000003\",\"accounts\":[\"x:e\",\"x:f\"],\"score\":0.1,\"verdict\":\"benign\",\"reasons\":[]}\n"
      "{\"id\":\"000004\",\"accounts\":[\"x:g\",\"x:h\"],\"score\":0.72,\"verdict\":\"coordinated\"}\n";
  Run r = run(PolicyOptions{}, "", "", nets);
  BOOST_TEST(r.errors.empty());
  std::vector<std::string> want = {"x:a remove", "x:b remove", "x:g remove", "x:h remove"};
  BOOST_TEST(summary(r) == want, boost::test_tools::per_element());
  BOOST_TEST(r.actions[0].rule == "coordinated-network");
  BOOST_TEST(r.actions[0].evidence ==
             "{\"network\":\"000001\",\"verdict\":\"coordinated\",\"score\":0.85,\"size\":2,"
             "\"reasons\":[\"one\",\"two \\\"q\\\"\",\"three\"]}");
  BOOST_TEST(r.actions[2].evidence ==
             "{\"network\":\"000004\",\"verdict\":\"coordinated\",\"score\":0.72,\"size\":2,\"reasons\":[]}");
  PolicyOptions o;
  o.min_score = 0.8;
  want = {"x:a remove", "x:b remove"};
  BOOST_TEST(summary(run(o, "", "", nets)) == want, boost::test_tools::per_element());
  o.remove = false;
  BOOST_TEST(run(o, "", "", nets).actions.empty());
}

BOOST_AUTO_TEST_CASE(all_rules_sorted_and_line) {
  const std::string nets = "{\"id\":\"7\",\"accounts\":[\"x:rt\",\"x:zed\"],\"score\":0.9,\"verdict\":\"coordinated\"}\n";
  Run r = run(PolicyOptions{}, kAccounts, kEvents, nets);
  std::vector<std::string> want = {"x:home label_state_affiliated", "x:quiet label_state_affiliated",
                                   "x:rt block_foreign_ads", "x:rt exclude_from_recommendations",
                                   "x:rt label_state_affiliated", "x:rt remove", "x:zed remove"};
  BOOST_TEST(summary(r) == want, boost::test_tools::per_element());
  Action a{"x:\"a\"\n", "remove", "coordinated-network", "{}"};
  BOOST_TEST(action_json(a) ==
             "{\"account\":\"x:\\\"a\\\"\\n\",\"action\":\"remove\",\"rule\":\"coordinated-network\",\"evidence\":{}}\n");
}

BOOST_AUTO_TEST_CASE(bad_lines_and_wrong_stream) {
  Run r = run(PolicyOptions{},
              "{\"account\":\"a\",\"state_affiliated\":\"RU\"}\nnot json\n\n{\"platform\":\"x\"}\n"
              "{\"account\":\"b\",\"state_affiliated\":7}\n",
              "{\"account\":\"a\",\"audience\":\"US\"}\n", "{\"id\":\"1\",\"accounts\":[3],\"score\":1,\"verdict\":\"coordinated\"}\n");
  std::vector<std::string> want = {
      "accounts.jsonl:2: invalid JSON or not an object (account profiles)",
      "accounts.jsonl:4: no \"account\" string (account profiles)",
      "accounts.jsonl:5: \"state_affiliated\" is neither a string nor null (account profiles)",
      "events.jsonl:1: no \"id\" and \"account\" strings (events)",
      "networks.jsonl:1: an account that is not a string (networks)"};
  BOOST_TEST(r.errors == want, boost::test_tools::per_element());
  BOOST_TEST(summary(r) == std::vector<std::string>{"a label_state_affiliated"}, boost::test_tools::per_element());

  PolicyEngine e(PolicyOptions{}, [](const std::string&, uint64_t, const std::string&) { return true; });
  Status st = e.add_networks(*mem("#chorus-edges v1 {}\n", "n"));
  BOOST_TEST(!st.ok());
  BOOST_TEST(e.data_error());
  BOOST_TEST(st.message() == "n:1: a chorus edges stream, expected networks (JSON lines)");
}

BOOST_AUTO_TEST_CASE(rules_file) {
  PolicyOptions o;
  std::vector<std::string> set;
  Status st = read_policy_config(
      "# policy\n\nmin-foreign-events = 3\nmin-foreign-share=0.5  # half\n min-score = 0.75\n"
      "coordinated-network = off\nstate-affiliated-label = yes\n",
      "rules.conf", o, &set);
  BOOST_TEST(st.ok(), st.message());
  BOOST_TEST(o.min_foreign_events == 3u);
  BOOST_TEST(o.min_foreign_share == 0.5);
  BOOST_TEST(o.min_score == 0.75);
  BOOST_TEST(!o.remove);
  BOOST_TEST(o.label);
  BOOST_TEST(o.abroad);
  BOOST_TEST(set.size() == 5u);

  auto error = [](const std::string& text) {
    PolicyOptions p;
    Status s = read_policy_config(text, "r", p);
    return s.ok() ? std::string("ok") : s.message();
  };
  BOOST_TEST(error("min-score 0.5\n") == "r:1: expected 'key = value'");
  BOOST_TEST(error("\n# x\nmin-score = \n") == "r:3: no value for 'min-score'");
  BOOST_TEST(error("min-score = 2\n") == "r:1: min-score: expected a number in [0, 1]");
  BOOST_TEST(error("min-score = -0.1\n") == "r:1: min-score: expected a number in [0, 1]");
  BOOST_TEST(error("min-foreign-events = 0\n") == "r:1: min-foreign-events: expected a whole number, at least 1");
  BOOST_TEST(error("min-foreign-share = 1.5\n") == "r:1: min-foreign-share: expected a number in [0, 1]");
  BOOST_TEST(error("state-media-abroad = maybe\n") == "r:1: state-media-abroad: expected on or off");
  BOOST_TEST(error("min_score = 1\n") == "r:1: unknown key 'min_score'");
  BOOST_TEST(error("") == "ok");

  PolicyOptions bad;
  bad.min_foreign_events = 0;
  BOOST_TEST(check_policy_options(bad).message() == "--min-foreign-events: must be at least 1");
  bad = PolicyOptions{};
  bad.min_score = 1.5;
  BOOST_TEST(check_policy_options(bad).message() == "--min-score: must be in [0, 1]");
  BOOST_TEST(check_policy_options(PolicyOptions{}).ok());
}

BOOST_AUTO_TEST_SUITE_END()

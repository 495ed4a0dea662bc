// Tests of lib/join.hpp (and the sweep of lib/coaction.hpp under it): the
// Joiner against an independent brute force written here from the documented
// semantics (SPEC §5, join.hpp, chorus-formats(5)) — every pair of marks,
// O(n²), no sliding window, no sorter, no participation facts:
//
//   co-action  two marks on one key by different accounts with different
//              event ids, |Δt| <= window
//   min_participation N (CooRTweet's detect_groups)  accounts with < N marks
//              take no part; then an account is kept when >= N of its marks
//              (rows) belong to events of it that are in co-actions; a
//              co-action stays when either of its accounts is kept
//   edge       a < b; weight (co-actions | distinct keys | a_events +
//              b_events); co-actions; keys; a_first / b_first (who was
//              strictly earlier); first / last (min / max over the co-actions
//              of the later mark's time); median |Δt| (the mean of the two
//              middle values for an even count, rounded down to the
//              microsecond); a_events / b_events (distinct events of each
//              side); signals ("kind:count", by kind); min_repeat on keys
//   evidence   the co-actions of the kept edges, in (a, b, key, ts_a, ts_b,
//              event_a, event_b) order
//
// Hundreds of random small inputs, then the same output byte for byte with a
// budget that spills, with sorted streaming, split by key into shards merged
// back, and as --shard I/N processes whose partials are merged concatenated;
// a larger input that really spills; hot windows capped and skipped (counted
// in the header); sorted input out of order; bad lines and wrong streams.
#include "join.hpp"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "input.hpp"
#include "output.hpp"

namespace {

using chorus::HotPolicy;
using chorus::InputStream;
using chorus::Joiner;
using chorus::JoinOptions;
using chorus::Micros;
using chorus::OutputStream;
using chorus::WeightKind;

constexpr Micros kSecond = 1000000;

struct TestMark {
  std::string key;
  Micros ts;
  std::string account, event;
};

// "0000000012.5": ten digits, then the fraction without trailing zeros.
std::string mark_time(Micros us) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%010" PRId64 ".%06" PRId64, us / kSecond, us % kSecond);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// "12.5", "0", "60": seconds without padding.
std::string seconds(Micros us) {
  std::string s = std::to_string(us / kSecond);
  if (us % kSecond) {
    std::string t = mark_time(us);
    s += t.substr(t.find('.'));
  }
  return s;
}

// A mark line as any writer might spell it: padded or not, with trailing
// zeros in the fraction or not.
std::string mark_line(const TestMark& m, std::mt19937& rng) {
  std::string t = std::uniform_int_distribution<int>(0, 1)(rng) ? mark_time(m.ts) : seconds(m.ts);
  if (m.ts % kSecond && std::uniform_int_distribution<int>(0, 3)(rng) == 0 && t.size() - t.find('.') < 7) t += '0';
  return m.key + "\t" + t + "\t" + m.account + "\t" + m.event + "\n";
}

const char* weight_name(WeightKind w) {
  return w == WeightKind::kCoActions ? "coactions" : w == WeightKind::kKeys ? "keys" : "own-events";
}

struct Joined {
  std::string edges, evidence;
};

// ---- The brute force ---------------------------------------------------

struct CoAction {
  std::string a, b, key;
  Micros ta, tb;
  std::string ea, eb;
  auto tie() const { return std::tie(a, b, key, ta, tb, ea, eb); }
  bool operator<(const CoAction& o) const { return tie() < o.tie(); }
};

// What the filters took away, so a test can see that its inputs reach them.
struct Dropped {
  uint64_t pre_filter = 0, participation = 0, min_repeat = 0;
};

Joined brute_force(const std::vector<TestMark>& marks, const JoinOptions& opt, Dropped* dropped = nullptr) {
  Dropped unused;
  if (!dropped) dropped = &unused;
  const Micros window = opt.sweep.window;
  // Every pair of marks of a key.
  std::map<std::string, std::vector<const TestMark*>> by_key;
  for (const TestMark& m : marks) by_key[m.key].push_back(&m);
  std::vector<CoAction> all;
  for (const auto& [key, group] : by_key)
    for (size_t i = 0; i < group.size(); ++i)
      for (size_t j = i + 1; j < group.size(); ++j) {
      const TestMark &x = *group[i], &y = *group[j];
      if (x.account == y.account || x.event == y.event) continue;
      if ((x.ts > y.ts ? x.ts - y.ts : y.ts - x.ts) > window) continue;
      const TestMark &a = x.account < y.account ? x : y, &b = x.account < y.account ? y : x;
      all.push_back({a.account, b.account, a.key, a.ts, b.ts, a.event, b.event});
    }
  const uint64_t swept = all.size();

  // CooRTweet's min_participation.
  std::vector<CoAction> kept_coactions;
  if (const uint64_t n = opt.min_participation; n > 0) {
    std::map<std::string, uint64_t> marks_of;
    for (const TestMark& m : marks) ++marks_of[m.account];
    std::vector<CoAction> pre;
    for (const CoAction& c : all)
      if (marks_of[c.a] >= n && marks_of[c.b] >= n) pre.push_back(c);
    std::set<std::pair<std::string, std::string>> in_coaction;  // (account, event)
    for (const CoAction& c : pre) {
      in_coaction.emplace(c.a, c.ea);
      in_coaction.emplace(c.b, c.eb);
    }
    std::map<std::string, uint64_t> rows;
    for (const TestMark& m : marks)
      if (in_coaction.count({m.account, m.event})) ++rows[m.account];
    for (const CoAction& c : pre)
      if (rows[c.a] >= n || rows[c.b] >= n) kept_coactions.push_back(c);
    dropped->pre_filter += all.size() - pre.size();
    dropped->participation += pre.size() - kept_coactions.size();
  } else {
    kept_coactions = all;
  }
  std::sort(kept_coactions.begin(), kept_coactions.end());

  std::set<std::string> keys;
  for (const TestMark& m : marks) keys.insert(m.key);
  std::string params = "{\"window\":" + seconds(window) + ",\"max_accounts\":" + std::to_string(opt.sweep.max_accounts) +
                       ",\"hot\":\"" + (opt.sweep.hot == HotPolicy::kCap ? "cap" : "skip") + "\",\"weight\":\"" +
                       weight_name(opt.weight) + "\",\"min_repeat\":" + std::to_string(opt.min_repeat) +
                       ",\"min_participation\":" + std::to_string(opt.min_participation) +
                       ",\"marks\":" + std::to_string(marks.size()) + ",\"keys\":" + std::to_string(keys.size()) +
                       ",\"coactions\":" + std::to_string(swept) + ",\"hot_keys\":0,\"hot_marks\":0,\"capped_coactions\":0}";
  Joined out;
  out.edges = "#chorus-edges v1 " + params + "\n";
  out.evidence = "#chorus-evidence v1 " + params + "\n";

  for (size_t i = 0; i < kept_coactions.size();) {
    size_t end = i;
    while (end < kept_coactions.size() && kept_coactions[end].a == kept_coactions[i].a &&
           kept_coactions[end].b == kept_coactions[i].b)
      ++end;
    std::set<std::string> pair_keys, a_events, b_events;
    std::map<std::string, uint64_t> signals;
    std::vector<Micros> deltas;
    uint64_t a_first = 0, b_first = 0;
    Micros first = 0, last = 0;
    for (size_t k = i; k < end; ++k) {
      const CoAction& c = kept_coactions[k];
      pair_keys.insert(c.key);
      a_events.insert(c.ea);
      b_events.insert(c.eb);
      ++signals[c.key.substr(0, c.key.find(':'))];
      deltas.push_back(c.ta > c.tb ? c.ta - c.tb : c.tb - c.ta);
      a_first += c.ta < c.tb;
      b_first += c.tb < c.ta;
      const Micros later = std::max(c.ta, c.tb);
      first = k == i ? later : std::min(first, later);
      last = k == i ? later : std::max(last, later);
    }
    const uint64_t count = end - i;
    if (pair_keys.size() < opt.min_repeat) ++dropped->min_repeat;
    if (pair_keys.size() >= opt.min_repeat) {
      std::sort(deltas.begin(), deltas.end());
      const Micros median = count % 2 ? deltas[count / 2] : (deltas[count / 2 - 1] + deltas[count / 2]) / 2;
      const uint64_t weight = opt.weight == WeightKind::kCoActions ? count
                              : opt.weight == WeightKind::kKeys    ? pair_keys.size()
                                                                   : a_events.size() + b_events.size();
      std::string sig;
      for (const auto& [kind, n] : signals) sig += (sig.empty() ? "" : ",") + kind + ":" + std::to_string(n);
      const CoAction& c = kept_coactions[i];
      out.edges += c.a + "\t" + c.b + "\t" + std::to_string(weight) + "\t" + std::to_string(count) + "\t" +
                   std::to_string(pair_keys.size()) + "\t" + std::to_string(a_first) + "\t" + std::to_string(b_first) + "\t" +
                   mark_time(first) + "\t" + mark_time(last) + "\t" + seconds(median) + "\t" +
                   std::to_string(a_events.size()) + "\t" + std::to_string(b_events.size()) + "\t" + sig + "\n";
      for (size_t k = i; k < end; ++k) {
        const CoAction& e = kept_coactions[k];
        out.evidence += e.a + "\t" + e.b + "\t" + e.key + "\t" + mark_time(e.ta) + "\t" + mark_time(e.tb) + "\t" + e.ea +
                        "\t" + e.eb + "\n";
      }
    }
    i = end;
  }
  return out;
}

// ---- Driving the Joiner ------------------------------------------------

chorus::LineErrorSink error_sink(std::string* sink) {
  return [sink](const std::string& file, uint64_t line, const std::string& message) {
    *sink += file + ":" + std::to_string(line) + ": " + message + "\n";
    return true;
  };
}

Joined finish(Joiner& j) {
  Joined out;
  auto edges = OutputStream::to_string(&out.edges);
  auto evidence = OutputStream::to_string(&out.evidence);
  chorus::Status st = j.write_edges(*edges, evidence.get());
  BOOST_REQUIRE_MESSAGE(st.ok(), st.message());
  BOOST_REQUIRE(edges->close().ok());
  BOOST_REQUIRE(evidence->close().ok());
  return out;
}

// One Joiner over `inputs` (texts of marks streams).
Joined join_marks(const std::vector<std::string>& inputs, const JoinOptions& opt) {
  std::string errors;
  Joiner j(opt, error_sink(&errors));
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto in = InputStream::from_source(chorus::memory_source(inputs[i]), "in" + std::to_string(i));
    chorus::Status st = j.add_marks(*in);
    BOOST_REQUIRE_MESSAGE(st.ok(), st.message());
  }
  BOOST_REQUIRE_EQUAL(errors, "");
  return finish(j);
}

// Each shard's partial stream, then one merge of them all. `shards` are
// the inputs of the shard processes; with `by_option` every process reads the
// first of them and takes its own keys (JoinOptions::shard of shards, as
// --shard I/N). With `concatenated` the merge reads the partials as one input
// (`cat part-*`).
Joined join_sharded(const std::vector<std::string>& shards, const JoinOptions& opt, size_t by_option = 0,
                    bool concatenated = false) {
  std::vector<std::string> partials;
  const size_t processes = by_option ? by_option : shards.size();
  for (size_t s = 0; s < processes; ++s) {
    std::string errors;
    JoinOptions shard_opt = opt;
    if (by_option) {
      shard_opt.shard = static_cast<uint32_t>(s);
      shard_opt.shards = static_cast<uint32_t>(by_option);
    }
    Joiner j(shard_opt, error_sink(&errors));
    auto in = InputStream::from_source(chorus::memory_source(shards[by_option ? 0 : s]), "shard");
    chorus::Status st = j.add_marks(*in);
    BOOST_REQUIRE_MESSAGE(st.ok(), st.message());
    partials.emplace_back();
    auto out = OutputStream::to_string(&partials.back());
    st = j.write_partial(*out);
    BOOST_REQUIRE_MESSAGE(st.ok(), st.message());
    BOOST_REQUIRE(out->close().ok());
    BOOST_REQUIRE_EQUAL(errors, "");
  }
  if (concatenated) {
    std::string all;
    for (const std::string& p : partials) all += p;
    partials.assign(1, all);
  }
  std::string errors;
  Joiner merge(opt, error_sink(&errors));
  for (const std::string& p : partials) {
    auto in = InputStream::from_source(chorus::memory_source(p), "partial");
    chorus::Status st = merge.add_partial(*in);
    BOOST_REQUIRE_MESSAGE(st.ok(), st.message());
  }
  return finish(merge);
}

// The marks as one shuffled input (with a marks header now and then), with
// the smallest memory budget, as inputs sorted by key then time, split by key
// into three shards merged back, and as three --shard I/3 processes over all
// of them; every way must give `expected` byte for byte.
void check_all_ways(std::vector<TestMark> marks, JoinOptions opt, const Joined& expected, std::mt19937& rng,
                    const std::string& what) {
  auto require_same = [&](const Joined& got, const char* route) {
    BOOST_TEST_INFO(route);
    BOOST_REQUIRE_EQUAL(got.edges, expected.edges);
    BOOST_TEST_INFO(route);
    BOOST_REQUIRE_EQUAL(got.evidence, expected.evidence);
  };
  BOOST_TEST_CONTEXT(what) {
    std::shuffle(marks.begin(), marks.end(), rng);
    std::string text = std::uniform_int_distribution<int>(0, 2)(rng) == 0 ? "#chorus-marks v1 {\"test\":1}\n" : "";
    for (const TestMark& m : marks) text += mark_line(m, rng);

    Joined got = join_marks({text}, opt);
    require_same(got, "one process, in memory");

    JoinOptions tiny = opt;
    tiny.memory = 1;  // the sorters' floor: anything bigger spills
    got = join_marks({text}, tiny);
    require_same(got, "memory 1");

    // Sorted by key then time (ties in any order), cut into two inputs.
    std::stable_sort(marks.begin(), marks.end(),
                     [](const TestMark& x, const TestMark& y) { return std::tie(x.key, x.ts) < std::tie(y.key, y.ts); });
    std::vector<std::string> sorted(2);
    const size_t cut = std::uniform_int_distribution<size_t>(0, marks.size())(rng);
    for (size_t i = 0; i < marks.size(); ++i) sorted[i >= cut] += mark_line(marks[i], rng);
    JoinOptions streaming = opt;
    streaming.sorted = true;
    got = join_marks(sorted, streaming);
    require_same(got, "sorted");

    std::vector<std::string> shards(3);
    std::shuffle(marks.begin(), marks.end(), rng);
    for (const TestMark& m : marks) {
      size_t h = 0;
      for (unsigned char c : m.key) h = h * 31 + c;
      shards[h % 3] += mark_line(m, rng);
    }
    got = join_sharded(shards, opt);
    require_same(got, "three shards merged");

    got = join_sharded({text}, opt, 3, true);
    require_same(got, "shards 0/3, 1/3, 2/3 of all the marks, partials concatenated");
  }
}

template <typename T>
const T& pick(const std::vector<T>& v, std::mt19937& rng) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

std::string describe(const std::vector<TestMark>& marks, const JoinOptions& opt) {
  std::string s = "window " + seconds(opt.sweep.window) + " weight " + weight_name(opt.weight) + " min_repeat " +
                  std::to_string(opt.min_repeat) + " min_participation " + std::to_string(opt.min_participation) + "\n";
  for (const TestMark& m : marks) s += m.key + " " + mark_time(m.ts) + " " + m.account + " " + m.event + "\n";
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(join)

BOOST_AUTO_TEST_CASE(random_inputs_match_the_brute_force) {
  std::mt19937 rng(20240611);
  auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<std::string> key_pool = {"share:1", "share:2", "text:1", "url:x", "tag:y", "share:10"};
  const std::vector<std::string> account_pool = {"a", "ab", "b", "twitter:c", "d", "e"};
  const std::vector<Micros> windows = {0, kSecond, 3 * kSecond / 2, 2 * kSecond, 5 * kSecond, 10 * kSecond, 60 * kSecond};
  const std::vector<Micros> fractions = {0, 0, 0, 500000, 250000, 1, 999999};
  uint64_t edges_seen = 0, participation_cases = 0, empty_cases = 0;
  Dropped dropped;
  for (int iter = 0; iter < 600; ++iter) {
    const int n_keys = r(1, 4), n_accounts = r(2, 6), n_marks = r(0, pick(std::vector<int>{12, 40}, rng));
    const Micros base = r(0, 1) ? Micros{1600000000} * kSecond : 0;
    const bool unique_events = r(0, 2) == 0;
    const int spread = pick(std::vector<int>{3, 10, 30, 120, 400}, rng);
    std::vector<TestMark> marks;
    for (int i = 0; i < n_marks; ++i) {
      TestMark m;
      m.key = key_pool[r(0, n_keys - 1)];
      m.account = account_pool[r(0, n_accounts - 1)];
      m.ts = base + Micros{r(0, spread)} * kSecond + (r(0, 1) ? pick(fractions, rng) : 0);
      // Mostly an event of the account (one post may carry several keys;
      // or one event per mark); now and then an id shared by accounts, which
      // never pairs with itself.
      m.event = r(0, 6) ? m.account + "." : std::string("x");
      m.event += std::to_string(unique_events ? i : r(0, 4));
      marks.push_back(m);
      if (r(0, 9) == 0) marks.push_back(m);  // the same mark twice
    }
    JoinOptions opt;
    opt.sweep.window = pick(windows, rng);
    opt.sweep.max_accounts = 0;
    opt.sweep.hot = r(0, 1) ? HotPolicy::kCap : HotPolicy::kSkip;
    opt.weight = pick(std::vector<WeightKind>{WeightKind::kCoActions, WeightKind::kKeys, WeightKind::kOwnEvents}, rng);
    opt.min_repeat = r(1, 3) == 3 ? r(2, 3) : 1;
    opt.min_participation = r(0, 3);
    const Joined expected = brute_force(marks, opt, &dropped);
    edges_seen += std::count(expected.edges.begin(), expected.edges.end(), '\n') - 1;
    participation_cases += opt.min_participation > 0;
    empty_cases += expected.edges.find('\n') + 1 == expected.edges.size();
    check_all_ways(marks, opt, expected, rng, "case " + std::to_string(iter) + ": " + describe(marks, opt));
  }
  // The generator must reach both sides of every filter.
  BOOST_TEST_MESSAGE("random inputs: " << edges_seen << " edges; co-actions dropped by the pre-filter "
                                       << dropped.pre_filter << ", by participation " << dropped.participation
                                       << "; pairs dropped by min_repeat " << dropped.min_repeat << "; " << empty_cases
                                       << " inputs without edges");
  BOOST_TEST(edges_seen > 500);
  BOOST_TEST(participation_cases > 200);
  BOOST_TEST(empty_cases > 10);
  BOOST_TEST(dropped.pre_filter > 20);
  BOOST_TEST(dropped.participation > 10);
  BOOST_TEST(dropped.min_repeat > 20);
}

// A spot check of the brute force itself, by hand: a at 10 and 12.5, b at 11
// and 20 on one key, window 2. Co-actions: (a@10, b@11), (a@12.5, b@11).
BOOST_AUTO_TEST_CASE(the_brute_force_by_hand) {
  std::vector<TestMark> marks = {{"share:k", 10 * kSecond, "a", "a1"},
                                 {"share:k", 12 * kSecond + 500000, "a", "a2"},
                                 {"share:k", 11 * kSecond, "b", "b1"},
                                 {"share:k", 20 * kSecond, "b", "b2"}};
  JoinOptions opt;
  opt.sweep.window = 2 * kSecond;
  opt.sweep.max_accounts = 0;
  const Joined expected = brute_force(marks, opt);
  const std::string params =
      "{\"window\":2,\"max_accounts\":0,\"hot\":\"cap\",\"weight\":\"coactions\",\"min_repeat\":1,\"min_participation\":0,"
      "\"marks\":4,\"keys\":1,\"coactions\":2,\"hot_keys\":0,\"hot_marks\":0,\"capped_coactions\":0}";
  // median of |Δt| 1 and 1.5 is 1.25; first = min(11, 12.5), last = max.
  BOOST_TEST(expected.edges == "#chorus-edges v1 " + params + "\na\tb\t2\t2\t1\t1\t1\t0000000011\t0000000012.5\t1.25\t2\t1\tshare:2\n");
  BOOST_TEST(expected.evidence == "#chorus-evidence v1 " + params +
                                      "\na\tb\tshare:k\t0000000010\t0000000011\ta1\tb1\n"
                                      "a\tb\tshare:k\t0000000012.5\t0000000011\ta2\tb1\n");
  std::mt19937 rng(1);
  check_all_ways(marks, opt, expected, rng, "by hand");
}

// Big enough that both sorters spill many runs at the smallest budget.
BOOST_AUTO_TEST_CASE(spilling_input_matches_the_brute_force) {
  std::mt19937 rng(7);
  auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  std::vector<TestMark> marks;
  for (int i = 0; i < 24000; ++i) {
    const int account = r(0, 59);
    marks.push_back({"share:" + std::to_string(r(0, 199)), Micros{1600000000 + r(0, 3600)} * kSecond + r(0, 3) * 250000,
                     "acct" + std::to_string(account), "ev" + std::to_string(account) + "." + std::to_string(r(0, 999))});
  }
  for (auto [weight, mp] : {std::pair{WeightKind::kCoActions, 0}, {WeightKind::kOwnEvents, 3}}) {
    JoinOptions opt;
    opt.sweep.window = 60 * kSecond;
    opt.sweep.max_accounts = 0;
    opt.weight = weight;
    opt.min_participation = mp;
    opt.min_repeat = 2;
    const Joined expected = brute_force(marks, opt);
    BOOST_TEST_MESSAGE("spilling input: " << std::count(expected.evidence.begin(), expected.evidence.end(), '\n') - 1
                                          << " co-actions kept");
    // Marks and co-actions, as records, are many times the 128 KiB a sorter gets.
    BOOST_REQUIRE_GT(expected.evidence.size(), size_t{1} << 20);
    check_all_ways(marks, opt, expected, rng, std::string("spilling, weight ") + weight_name(weight));
  }
}

// 100 accounts in one window of one key (1 ms apart), max_accounts 10; and a
// cold key with 3 accounts beside it. Mark k (0-based) of the hot key sees k
// marks before it: the first 10 are not hot (at most 10 accounts in their
// window) and pair with all of them; from mark 10 on every window is hot.
// The window keeps at most 8 x 10 marks, so mark k >= 10 is offered
// min(k, 80) co-actions. Every hot mark is by an account new to its window,
// so cap and skip both pair it with none (cap lets only accounts already in
// the window go on). The header counts as capped what the trimmed window
// offered: 4715, a lower bound of the 4905 within 60 s (coaction.hpp). The
// test after this one has repeat marks of the first accounts.
BOOST_AUTO_TEST_CASE(hot_windows_are_capped_or_skipped) {
  std::string text;
  auto id = [](int k) {
    char b[8];
    std::snprintf(b, sizeof b, "%03d", k);
    return std::string(b);
  };
  for (int k = 0; k < 100; ++k)
    text += "share:hot\t1000." + id(k) + "\tacc" + id(k) + "\te" + id(k) + "\n";
  text += "share:cold\t5\tacc001\tc1\nshare:cold\t6\tacc002\tc2\nshare:cold\t7\tacc003\tc3\n";
  uint64_t skipped_offered = 0;
  for (int k = 10; k < 100; ++k) skipped_offered += std::min(k, 80);
  BOOST_REQUIRE_EQUAL(skipped_offered, 4715u);

  for (HotPolicy hot : {HotPolicy::kCap, HotPolicy::kSkip}) {
    BOOST_TEST_CONTEXT(std::string(hot == HotPolicy::kCap ? "cap" : "skip")) {
      JoinOptions opt;
      opt.sweep.max_accounts = 10;
      opt.sweep.hot = hot;
      Joined got = join_marks({text}, opt);
      // Whatever the budget or the sharding, the same hot windows.
      JoinOptions tiny = opt;
      tiny.memory = 1;
      const Joined spilled = join_marks({text}, tiny), sharded = join_sharded({text}, opt, 3);
      BOOST_TEST(spilled.edges == got.edges);
      BOOST_TEST(spilled.evidence == got.evidence);
      BOOST_TEST(sharded.edges == got.edges);
      BOOST_TEST(sharded.evidence == got.evidence);
      const bool cap = hot == HotPolicy::kCap;
      const uint64_t made = 45 + 3;
      const std::string counts = "\"marks\":103,\"keys\":2,\"coactions\":" + std::to_string(made) +
                                 ",\"hot_keys\":1,\"hot_marks\":90,\"capped_coactions\":" +
                                 std::to_string(skipped_offered) + "}";
      BOOST_TEST(got.edges.substr(0, got.edges.find('\n')).find(counts) != std::string::npos, got.edges.substr(0, 300));
      BOOST_TEST(got.edges.find("\"max_accounts\":10,\"hot\":\"" + std::string(cap ? "cap" : "skip") + "\"") !=
                 std::string::npos);
      // Each hot mark's partners, from the evidence: the later side of a
      // co-action is the mark that made it.
      std::map<int, std::vector<int>> partners;
      uint64_t rows = 0;
      size_t pos = got.evidence.find('\n') + 1;
      while (pos < got.evidence.size()) {
        size_t end = got.evidence.find('\n', pos);
        std::string line = got.evidence.substr(pos, end - pos);
        pos = end + 1;
        ++rows;
        std::vector<std::string> f;
        for (size_t s = 0, t; (t = line.find('\t', s)), true; s = t + 1) {
          f.push_back(line.substr(s, t == std::string::npos ? std::string::npos : t - s));
          if (t == std::string::npos) break;
        }
        BOOST_REQUIRE_EQUAL(f.size(), 7u);
        if (f[2] != "share:hot") continue;
        const int ea = std::stoi(f[5].substr(1)), eb = std::stoi(f[6].substr(1));
        partners[std::max(ea, eb)].push_back(std::min(ea, eb));
      }
      BOOST_TEST(rows == made);
      for (int k = 0; k < 100; ++k) {
        std::vector<int> want;
        if (k < 10)
          for (int p = 0; p < k; ++p) want.push_back(p);
        std::vector<int> have = partners[k];
        std::sort(have.begin(), have.end());
        BOOST_TEST_INFO("mark " + std::to_string(k));
        BOOST_TEST(have == want, boost::test_tools::per_element());
        BOOST_TEST(have.size() <= 10u);
      }
    }
  }
}

// Cap lets the accounts already in a hot window go on: 10 accounts fill the
// window of one key (45 co-actions), 50 newcomers flood it (nothing), then
// the first account posts again: with cap it pairs with the 10 latest marks
// of other accounts (the last 10 newcomers), with skip with none.
BOOST_AUTO_TEST_CASE(cap_lets_the_first_accounts_go_on) {
  std::string text;
  auto id = [](int k) {
    char b[8];
    std::snprintf(b, sizeof b, "%03d", k);
    return std::string(b);
  };
  for (int k = 0; k < 60; ++k) text += "share:hot\t1000." + id(k) + "\tacc" + id(k) + "\te" + id(k) + "\n";
  text += "share:hot\t1000.100\tacc000\te100\n";
  for (HotPolicy hot : {HotPolicy::kCap, HotPolicy::kSkip}) {
    JoinOptions opt;
    opt.sweep.max_accounts = 10;
    opt.sweep.hot = hot;
    Joined got = join_marks({text}, opt);
    std::vector<int> partners;
    size_t pos = got.evidence.find('\n') + 1, rows = 0;
    while (pos < got.evidence.size()) {
      size_t end = got.evidence.find('\n', pos);
      std::string line = got.evidence.substr(pos, end - pos);
      pos = end + 1;
      ++rows;
      std::vector<std::string> f;
      for (size_t a = 0;;) {
        size_t t = line.find('\t', a);
        f.push_back(line.substr(a, t == std::string::npos ? std::string::npos : t - a));
        if (t == std::string::npos) break;
        a = t + 1;
      }
      BOOST_REQUIRE_EQUAL(f.size(), 7u);
      if (f[5] == "e100") partners.push_back(std::stoi(f[6].substr(1)));
      if (f[6] == "e100") partners.push_back(std::stoi(f[5].substr(1)));
    }
    std::sort(partners.begin(), partners.end());
    std::vector<int> want;
    if (hot == HotPolicy::kCap)
      for (int k = 50; k < 60; ++k) want.push_back(k);
    BOOST_TEST(partners == want, boost::test_tools::per_element());
    BOOST_TEST(rows == 45 + want.size());
  }
}

BOOST_AUTO_TEST_CASE(sorted_input_out_of_order_is_an_error_at_its_line) {
  struct Case {
    std::string text, error;
  } cases[] = {
      {"#chorus-marks v1 {}\nshare:a\t5\tx\te1\nshare:a\t3\ty\te2\n", "m.tsv:3: marks out of order (after key share:a)"},
      {"share:b\t1\tx\te1\nshare:b\t2\ty\te2\nshare:a\t9\ty\te3\n", "m.tsv:3: marks out of order (after key share:b)"},
      {"share:a\t5.5\tx\te1\nshare:a\t5.25\ty\te2\n", "m.tsv:2: marks out of order (after key share:a)"},
  };
  for (const Case& c : cases) {
    JoinOptions opt;
    opt.sorted = true;
    std::string errors;
    Joiner j(opt, error_sink(&errors));
    auto in = InputStream::from_source(chorus::memory_source(c.text), "m.tsv");
    chorus::Status st = j.add_marks(*in);
    BOOST_REQUIRE(!st.ok());
    BOOST_TEST(st.message().rfind(c.error, 0) == 0, st.message());
    BOOST_TEST(st.message().find("LC_ALL=C sort") != std::string::npos);
  }
  // Equal times in any order, and a later key, are fine; so is the same
  // order across two inputs, but not a second input that starts over.
  JoinOptions opt;
  opt.sorted = true;
  std::string errors;
  Joiner j(opt, error_sink(&errors));
  auto one = InputStream::from_source(chorus::memory_source("share:a\t5\ty\te1\nshare:a\t5\tx\te2\nshare:b\t1\tx\te3\n"), "one");
  BOOST_REQUIRE(j.add_marks(*one).ok());
  auto two = InputStream::from_source(chorus::memory_source("share:b\t2\ty\te4\nshare:a\t1\tx\te5\n"), "two");
  chorus::Status st = j.add_marks(*two);
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.message().rfind("two:2: marks out of order", 0) == 0, st.message());
}

BOOST_AUTO_TEST_CASE(bad_lines_are_reported_and_skipped) {
  const std::string text =
      "#chorus-marks v1 {}\n"
      "share:a\t1\tx\te1\n"
      "share:a\t2\ty\n"
      "nokind\t2\ty\te2\n"
      "share:a\t2.1234567\ty\te2\n"
      "\n"
      "share:a\t2\ty\te2\n";
  std::string errors;
  JoinOptions opt;
  Joiner j(opt, error_sink(&errors));
  auto in = InputStream::from_source(chorus::memory_source(text), "m.tsv");
  BOOST_REQUIRE(j.add_marks(*in).ok());
  BOOST_TEST(errors ==
             "m.tsv:3: fewer than 4 tab-separated fields (key, ts, account, event_id)\n"
             "m.tsv:4: key 'nokind' is not kind:hash\n"
             "m.tsv:5: unreadable time '2.1234567'\n");
  BOOST_TEST(j.stats().bad_lines == 3u);
  BOOST_TEST(j.stats().marks == 2u);
  Joined got = finish(j);
  BOOST_TEST(got.edges.substr(got.edges.find('\n') + 1) == "x\ty\t1\t1\t1\t1\t0\t0000000002\t0000000002\t1\t1\t1\tshare:1\n");
}

BOOST_AUTO_TEST_CASE(another_stream_is_refused) {
  for (const char* text : {"#chorus-edges v1 {}\na\tb\t1\n", "share:a\t1\tx\te1\n#chorus-events v1 {}\n"}) {
    std::string errors;
    Joiner j(JoinOptions{}, error_sink(&errors));
    auto in = InputStream::from_source(chorus::memory_source(text), "e.tsv");
    chorus::Status st = j.add_marks(*in);
    BOOST_REQUIRE(!st.ok());
    BOOST_TEST(st.message().find("e.tsv:") == 0, st.message());
    BOOST_TEST(st.message().find("expected a chorus marks stream") != std::string::npos, st.message());
  }
  // A marks stream is no partial stream.
  std::string errors;
  Joiner j(JoinOptions{}, error_sink(&errors));
  auto in = InputStream::from_source(chorus::memory_source("#chorus-marks v1 {}\n"), "p");
  chorus::Status st = j.add_partial(*in);
  BOOST_REQUIRE(!st.ok());
  BOOST_TEST(st.message().find("p:1: a chorus marks stream, expected a chorus partial stream") == 0, st.message());
}

BOOST_AUTO_TEST_SUITE_END()

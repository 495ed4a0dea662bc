// Tests of the synthetic data generator (lib/gen.hpp, lib/gen_text.hpp):
// determinism, ordering, ids, each tactic's footprint, the truth and campaigns files, and
// the obfuscation and paraphrase edits.
//
// Constant memory is a property of the design, argued at the top of
// lib/gen.cpp (no per-account table, one slice buffer, a future queue bounded
// by capped campaign rates, fixed-size parent rings); it is measured with
// /usr/bin/time -v on 2M and 10M events rather than here, where it would be slow.
#include "gen.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gen_text.hpp"
#include "output.hpp"

namespace {

using chorus::Account;
using chorus::Event;
using chorus::EventType;
using chorus::GenConfig;
using chorus::Generator;
using chorus::Tactic;

GenConfig small_config(uint64_t events = 20000, uint64_t seed = 1) {
  GenConfig c;
  c.events = events;
  c.seed = seed;
  c.days = 3;
  BOOST_REQUIRE(chorus::resolve(c).ok());
  return c;
}

std::string events_text(const GenConfig& c) {
  std::string s;
  Generator gen(c);
  auto out = chorus::OutputStream::to_string(&s);
  chorus::write_events_jsonl(gen, *out);
  BOOST_REQUIRE(out->close().ok());
  return s;
}

std::string accounts_text(const GenConfig& c) {
  std::string s;
  Generator gen(c);
  auto out = chorus::OutputStream::to_string(&s);
  chorus::write_accounts_jsonl(gen, *out);
  BOOST_REQUIRE(out->close().ok());
  return s;
}

std::string truth_text(const GenConfig& c) {
  std::string s;
  Generator gen(c);
  auto out = chorus::OutputStream::to_string(&s);
  chorus::write_truth_csv(gen, *out);
  BOOST_REQUIRE(out->close().ok());
  return s;
}

// Everything one run produces, in memory.
struct Run {
  std::vector<Event> events;
  std::unordered_map<std::string, size_t> by_id;
  std::map<std::string, Account> accounts;
  std::vector<chorus::TruthRow> truth;
  std::map<std::string, std::string> network_of;  // account -> network
};

Run generate(const GenConfig& c) {
  Run r;
  Generator gen(c);
  gen.for_each_account([&](const Account& a) { r.accounts.emplace(a.account, a); });
  r.truth = gen.truth();
  for (const auto& row : r.truth) r.network_of[row.account] = row.network;
  gen.run([&](const Event& e, const chorus::CampaignRef*) {
    r.by_id[e.id] = r.events.size();
    r.events.push_back(e);
    return true;
  });
  return r;
}

// Undoes the copy-paste tactic's edits: zero-width characters out, Cyrillic
// look-alikes back to Latin, then only lower-case ASCII letters, digits and
// single spaces kept (emoji, punctuation and accents go).
std::string fold(std::string_view s) {
  static const std::pair<std::string_view, char> glyphs[] = {
      {"\xD0\xB0", 'a'}, {"\xD0\xB5", 'e'}, {"\xD0\xBE", 'o'}, {"\xD1\x80", 'p'}, {"\xD1\x81", 'c'},
      {"\xD1\x85", 'x'}, {"\xD1\x96", 'i'}, {"\xD0\x90", 'A'}, {"\xD0\x95", 'E'}, {"\xD0\x9E", 'O'},
      {"\xD0\xA0", 'P'}, {"\xD0\xA1", 'C'}, {"\xD0\xA5", 'X'}};
  std::string t;
  for (size_t i = 0; i < s.size();) {
    bool mapped = false;
    for (const auto& [cyr, latin] : glyphs)
      if (s.substr(i, 2) == cyr) {
        t += latin;
        i += 2;
        mapped = true;
        break;
      }
    if (!mapped) t += s[i++];
  }
  std::string out;
  for (char c : t) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep)
      out += c;
    else if (c == ' ' && !out.empty() && out.back() != ' ')
      out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> w;
  std::string f = fold(s);
  size_t i = 0;
  while (i < f.size()) {
    size_t j = f.find(' ', i);
    if (j == std::string::npos) j = f.size();
    w.push_back(f.substr(i, j - i));
    i = j + 1;
  }
  return w;
}

std::set<std::string> shingles(std::string_view text) {
  auto w = words_of(text);
  std::set<std::string> s;
  for (size_t i = 0; i + 2 < w.size(); ++i) s.insert(w[i] + " " + w[i + 1] + " " + w[i + 2]);
  return s;
}

// The share of the original's word 3-shingles that the copy still has.
double shingle_retention(const std::set<std::string>& original, const std::set<std::string>& copy) {
  if (original.empty()) return 0;
  size_t kept = 0;
  for (const auto& s : original) kept += copy.count(s);
  return static_cast<double>(kept) / static_cast<double>(original.size());
}
double shingle_retention(std::string_view original, std::string_view copy) {
  return shingle_retention(shingles(original), shingles(copy));
}

std::string url_key(std::string_view u) {
  // scheme, www., query, fragment and a trailing '/' dropped
  size_t p = u.find("://");
  if (p != std::string_view::npos) u.remove_prefix(p + 3);
  if (u.substr(0, 4) == "www.") u.remove_prefix(4);
  u = u.substr(0, u.find_first_of("?#"));
  if (!u.empty() && u.back() == '/') u.remove_suffix(1);
  return std::string(u);
}

// Events of one network's members.
std::vector<const Event*> network_events(const Run& r, const std::string& network) {
  std::vector<const Event*> out;
  for (const auto& e : r.events) {
    auto it = r.network_of.find(e.account);
    if (it != r.network_of.end() && it->second == network) out.push_back(&e);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gen)

BOOST_AUTO_TEST_CASE(parses_tactics_and_sizes) {
  auto all = chorus::parse_tactics("all");
  BOOST_REQUIRE(all.ok());
  BOOST_TEST(all->size() == std::size(chorus::kAllTactics));
  auto two = chorus::parse_tactics("share-ring,copy-paste,share-ring");
  BOOST_REQUIRE(two.ok());
  BOOST_TEST((*two == std::vector<Tactic>{Tactic::kShareRing, Tactic::kCopyPaste}));
  BOOST_TEST(!chorus::parse_tactics("copy-paste,bogus").ok());
  BOOST_TEST(!chorus::parse_tactics("").ok());
  for (Tactic t : chorus::kAllTactics) {
    auto one = chorus::parse_tactics(chorus::tactic_name(t));
    BOOST_REQUIRE(one.ok());
    BOOST_TEST((one->front() == t));
  }

  auto range = chorus::parse_size_range("10-40");
  BOOST_REQUIRE(range.ok());
  BOOST_TEST(range->first == 10u);
  BOOST_TEST(range->second == 40u);
  auto fixed = chorus::parse_size_range("25");
  BOOST_REQUIRE(fixed.ok());
  BOOST_TEST(fixed->first == 25u);
  BOOST_TEST(fixed->second == 25u);
  BOOST_TEST(!chorus::parse_size_range("40-10").ok());
  BOOST_TEST(!chorus::parse_size_range("1").ok());
  BOOST_TEST(!chorus::parse_size_range("ten").ok());
}

BOOST_AUTO_TEST_CASE(resolve_rejects_impossible_configs) {
  GenConfig c;
  c.days = 0;
  BOOST_TEST(!chorus::resolve(c).ok());
  c = GenConfig();
  c.accounts = 50;  // fewer than the networks need
  BOOST_TEST(!chorus::resolve(c).ok());
  c = GenConfig();
  c.events = 0;
  BOOST_TEST(!chorus::resolve(c).ok());
  c = GenConfig();
  BOOST_REQUIRE(chorus::resolve(c).ok());
  BOOST_TEST(c.tactics.size() == std::size(chorus::kAllTactics));
  BOOST_TEST(*c.networks == c.tactics.size());
  BOOST_TEST(c.accounts >= chorus::default_accounts(c.events));
}

BOOST_AUTO_TEST_CASE(same_seed_same_bytes_other_seed_other_bytes) {
  GenConfig a = small_config(20000, 42), b = small_config(20000, 42), c = small_config(20000, 43);
  std::string ea = events_text(a);
  BOOST_TEST(ea == events_text(b));
  BOOST_TEST(ea != events_text(c));
  BOOST_TEST(accounts_text(a) == accounts_text(b));
  BOOST_TEST(accounts_text(a) != accounts_text(c));
  BOOST_TEST(truth_text(a) == truth_text(b));
  BOOST_TEST(truth_text(a) != truth_text(c));
}

BOOST_AUTO_TEST_CASE(exact_count_time_order_and_ids) {
  GenConfig c = small_config(30000, 5);
  Run r = generate(c);
  BOOST_REQUIRE(r.events.size() == 30000u);
  chorus::Micros end = c.start + static_cast<chorus::Micros>(c.days * 86400) * 1000000;
  for (size_t i = 0; i < r.events.size(); ++i) {
    const Event& e = r.events[i];
    char want[32];
    std::snprintf(want, sizeof want, "e%09zu", i);
    BOOST_REQUIRE_EQUAL(e.id, want);  // ids in output order: unique and stable
    BOOST_REQUIRE(e.ts >= c.start && e.ts < end);
    if (i) BOOST_REQUIRE(e.ts >= r.events[i - 1].ts);
    BOOST_REQUIRE(r.accounts.count(e.account));
    if (e.parent) {
      auto it = r.by_id.find(*e.parent);
      BOOST_REQUIRE(it != r.by_id.end());
      BOOST_REQUIRE(it->second < i);  // an earlier event
      BOOST_TEST(*r.events[it->second].platform == *e.platform);
    }
    if (e.type == EventType::kShare) BOOST_REQUIRE(e.parent.has_value());
  }
}

BOOST_AUTO_TEST_CASE(accounts_and_truth_are_consistent) {
  GenConfig c = small_config(20000, 9);
  Run r = generate(c);
  BOOST_TEST(r.accounts.size() == c.accounts);
  std::set<std::string> handles;
  for (const auto& [id, a] : r.accounts) {
    BOOST_TEST(id.size() == 9u);  // one id scheme for everyone
    BOOST_TEST(id[0] == 'u');
    BOOST_TEST(handles.insert(*a.handle).second, "duplicate handle " << *a.handle);
    BOOST_TEST(a.created.has_value());
    if (a.state_affiliated) {
      BOOST_TEST(*a.state_affiliated == "RU");
      BOOST_TEST(r.network_of[id] == "overt:state-outlet");
    }
  }
  std::map<std::string, std::set<std::string>> tactics_of;
  std::map<std::string, std::vector<chorus::Micros>> created;
  for (const auto& row : r.truth) {
    BOOST_REQUIRE(r.accounts.count(row.account));
    tactics_of[row.network].insert(row.tactic);
    created[row.network].push_back(*r.accounts[row.account].created);
  }
  BOOST_TEST(tactics_of.size() == c.tactics.size() + 2);  // + publisher + outlet
  BOOST_TEST(tactics_of["benign:publisher"] == std::set<std::string>{"syndication"});
  for (const auto& [network, tactics] : tactics_of) {
    BOOST_TEST(tactics.size() == 1u);
    if (network.find(':') != std::string::npos) continue;
    // Created in a burst of at most three days.
    auto [lo, hi] = std::minmax_element(created[network].begin(), created[network].end());
    BOOST_TEST(*hi - *lo <= 3LL * 86400 * 1000000, network);
  }
  for (const auto& row : r.truth)
    if (row.network == "benign:publisher") {
      const Account& a = r.accounts[row.account];
      BOOST_TEST(*a.verified);
      BOOST_TEST(a.handle->rfind("dailynews_", 0) == 0);
    }
}

BOOST_AUTO_TEST_CASE(every_tactic_plants_its_network) {
  for (Tactic t : chorus::kAllTactics) {
    GenConfig c = small_config(20000, 3);
    c.tactics = {t};
    c.networks = 1;
    c.accounts = 0;
    BOOST_REQUIRE(chorus::resolve(c).ok());
    Run r = generate(c);
    std::string name(chorus::tactic_name(t));
    BOOST_TEST_CONTEXT("tactic " << name) {
      std::set<std::string> members;
      for (const auto& row : r.truth)
        if (row.network == "net01") {
          BOOST_TEST(row.tactic == name);
          members.insert(row.account);
        }
      BOOST_REQUIRE(members.size() >= c.network_size_min);
      auto events = network_events(r, "net01");
      BOOST_REQUIRE(!events.empty());

      size_t evidence = 0;  // co-actions of two different members that show the tactic
      switch (t) {
        case Tactic::kCopyPaste: {
          std::map<std::string, std::vector<const Event*>> by_fold;
          for (auto* e : events)
            if (e->type == EventType::kPost) by_fold[fold(e->text)].push_back(e);
          for (auto& [key, group] : by_fold)
            for (size_t i = 1; i < group.size(); ++i)
              if (group[i]->account != group[0]->account && group[i]->text != group[0]->text) ++evidence;
          break;
        }
        case Tactic::kLinkAmplification: {
          std::map<std::string, std::set<std::string>> variants, posters;
          size_t tracked = 0;
          for (auto* e : events)
            for (const auto& u : e->urls) {
              variants[url_key(u)].insert(u);
              posters[url_key(u)].insert(e->account);
              tracked += u.find("utm_") != std::string::npos || u.find("fbclid=") != std::string::npos ||
                         u.find("gclid=") != std::string::npos;
            }
          BOOST_TEST(tracked > 0u);
          for (auto& [key, v] : variants)
            if (v.size() >= 2 && posters[key].size() >= 2) evidence += v.size();
          break;
        }
        case Tactic::kShareRing: {
          for (auto* e : events) {
            if (e->type != EventType::kShare) continue;
            const Event& parent = r.events[r.by_id.at(*e->parent)];
            if (members.count(parent.account) && parent.account != e->account &&
                e->ts - parent.ts <= 15 * 60 * 1000000LL)
              ++evidence;
          }
          break;
        }
        case Tactic::kParaphrase: {
          std::vector<const Event*> long_posts;
          std::vector<std::set<std::string>> sets;
          for (auto* e : events)
            if (e->type == EventType::kPost && words_of(e->text).size() >= 20) {
              long_posts.push_back(e);
              sets.push_back(shingles(e->text));
            }
          size_t hours_apart = 0;
          for (size_t i = 0; i < long_posts.size(); ++i)
            for (size_t j = i + 1; j < long_posts.size(); ++j) {
              const Event *a = long_posts[i], *b = long_posts[j];
              if (a->account == b->account || a->text == b->text) continue;
              if (shingle_retention(sets[i], sets[j]) < 0.5) continue;
              ++evidence;
              hours_apart += b->ts - a->ts >= 3600LL * 1000000;
            }
          BOOST_TEST(hours_apart > 0u);
          break;
        }
        case Tactic::kHashtagChain: {
          std::map<std::vector<std::string>, std::set<std::string>> chains;
          for (auto* e : events)
            if (e->hashtags.size() >= 3) chains[e->hashtags].insert(e->account);
          for (auto& [chain, who] : chains) {
            BOOST_TEST(chain.size() <= 5u);
            if (who.size() >= 3) evidence += who.size();
          }
          break;
        }
        case Tactic::kStateMedia: {
          for (auto* e : events) {
            if (!e->audience || *e->audience == "RU") continue;
            std::string outlet;
            if (e->parent) outlet = r.events[r.by_id.at(*e->parent)].account;
            auto it = r.network_of.find(outlet);
            bool reshared = it != r.network_of.end() && it->second == "overt:state-outlet";
            bool linked = !e->urls.empty() && e->urls[0].find("vestnik-news.com/") != std::string::npos;
            if (reshared || linked) {
              BOOST_TEST(*r.accounts[e->account].country == "RU");  // run from home, shown abroad
              ++evidence;
            }
          }
          break;
        }
      }
      BOOST_TEST_MESSAGE(name << ": " << members.size() << " members, " << events.size() << " events, evidence "
                              << evidence);
      BOOST_TEST(evidence >= 10u, "evidence " << evidence);
    }
  }
}

BOOST_AUTO_TEST_CASE(campaigns_name_written_events) {
  GenConfig c = small_config(20000, 13);
  std::string events, campaigns;
  {
    Generator gen(c);
    auto out = chorus::OutputStream::to_string(&events);
    auto camp = chorus::OutputStream::to_string(&campaigns);
    BOOST_TEST(chorus::write_events_jsonl(gen, *out, nullptr, camp.get()) == c.events);
    BOOST_REQUIRE(out->close().ok());
    BOOST_REQUIRE(camp->close().ok());
  }
  BOOST_TEST(events == events_text(c));  // asking for the campaigns changes no event
  Run r = generate(c);

  struct Row {
    std::string event, network, tactic, campaign, role;
  };
  std::vector<Row> rows;
  size_t i = 0, line = 0;
  while (i < campaigns.size()) {
    size_t j = campaigns.find('\n', i);
    BOOST_REQUIRE(j != std::string::npos);  // every line ends in a newline
    std::string text = campaigns.substr(i, j - i);
    i = j + 1;
    if (line++ == 0) {
      BOOST_TEST(text == "event,network,tactic,campaign,role");
      continue;
    }
    std::vector<std::string> f;
    for (size_t a = 0;;) {
      size_t b = text.find(',', a);
      f.push_back(text.substr(a, b == std::string::npos ? std::string::npos : b - a));
      if (b == std::string::npos) break;
      a = b + 1;
    }
    BOOST_REQUIRE_EQUAL(f.size(), 5u);
    rows.push_back({f[0], f[1], f[2], f[3], f[4]});
  }
  BOOST_REQUIRE(!rows.empty());

  std::map<std::string, std::string> tactic_of;  // network -> tactic, from the truth
  for (const auto& row : r.truth) tactic_of[row.network] = row.tactic;
  // (network, campaign) -> its events, in order
  std::map<std::pair<std::string, int>, std::vector<std::pair<const Event*, std::string>>> by_campaign;
  size_t previous = 0;
  for (size_t k = 0; k < rows.size(); ++k) {
    const Row& row = rows[k];
    auto it = r.by_id.find(row.event);
    BOOST_REQUIRE_MESSAGE(it != r.by_id.end(), "row " << k + 1 << ": no event " << row.event);
    BOOST_REQUIRE(k == 0 || it->second > previous);  // event order, each event once
    previous = it->second;
    const Event& e = r.events[it->second];
    BOOST_REQUIRE_EQUAL(row.tactic, tactic_of[row.network]);
    BOOST_REQUIRE(row.role == "original" || row.role == "copy");
    int number = std::stoi(row.campaign);
    BOOST_REQUIRE(number >= 1);
    // Members do the campaign; only the state outlet's article is by someone else.
    std::string who = r.network_of.count(e.account) ? r.network_of[e.account] : "";
    if (row.tactic == "state-media" && row.role == "original")
      BOOST_TEST(who == "overt:state-outlet");
    else
      BOOST_TEST(who == row.network);
    by_campaign[{row.network, number}].push_back({&e, row.role});
  }

  std::map<std::string, size_t> campaigns_of;
  for (const auto& [key, group] : by_campaign) {
    const std::string& tactic = tactic_of[key.first];
    BOOST_TEST_CONTEXT(key.first << " campaign " << key.second << " (" << tactic << ")") {
      ++campaigns_of[tactic];
      size_t originals = 0;
      for (const auto& [e, role] : group) originals += role == "original";
      BOOST_TEST(originals <= 1u);
      if (tactic == "hashtag-chain" || tactic == "link-amplification") continue;
      // The original comes first (the others are delayed), then its copies.
      BOOST_REQUIRE(group.front().second == "original");
      const Event& original = *group.front().first;
      if (tactic == "copy-paste") BOOST_TEST(group.size() >= 2u);
      for (size_t k = 1; k < group.size(); ++k) {
        const Event& copy = *group[k].first;
        if (tactic == "copy-paste") BOOST_TEST(fold(copy.text) == fold(original.text));
        if (tactic == "share-ring") BOOST_TEST(copy.parent.value_or("") == original.id);
        if (tactic == "state-media")
          BOOST_TEST((copy.parent.value_or("") == original.id || copy.urls == original.urls));
        if (tactic == "paraphrase") BOOST_TEST(shingle_retention(original.text, copy.text) > 0.3);
      }
    }
  }
  BOOST_TEST(campaigns_of.size() == std::size(chorus::kAllTactics));
  for (const auto& [tactic, n] : campaigns_of) BOOST_TEST(n >= 5u, tactic << ": " << n << " campaigns");
}

BOOST_AUTO_TEST_CASE(no_networks_still_has_confounders) {
  GenConfig c = small_config(20000, 11);
  c.networks = 0;
  BOOST_REQUIRE(chorus::resolve(c).ok());
  Run r = generate(c);
  BOOST_TEST(r.events.size() == 20000u);
  size_t planted = 0, publisher = 0;
  for (const auto& row : r.truth) {
    planted += row.network.find(':') == std::string::npos;
    publisher += row.network == "benign:publisher";
  }
  BOOST_TEST(planted == 0u);
  BOOST_TEST(publisher > 0u);
  // Viral cascades: one parent shared by many accounts.
  std::map<std::string, std::set<std::string>> sharers;
  for (const auto& e : r.events)
    if (e.type == EventType::kShare) sharers[*e.parent].insert(e.account);
  size_t widest = 0;
  for (auto& [p, who] : sharers) widest = std::max(widest, who.size());
  BOOST_TEST(widest >= 20u);
  // Stock phrases posted by many unrelated accounts.
  std::set<std::string> morning;
  for (const auto& e : r.events)
    if (e.text == "good morning" || e.text == "gm") morning.insert(e.account);
  BOOST_TEST(morning.size() >= 5u);
}

BOOST_AUTO_TEST_CASE(obfuscated_copies_differ_but_fold_back) {
  using chorus::gen::Rng;
  Rng words(7);
  for (int i = 0; i < 500; ++i) {
    std::string original;
    chorus::gen::append_sentence(original, words, chorus::gen::Lang::kEn, 6, 20);
    Rng rng(static_cast<uint64_t>(i));
    std::string copy = chorus::gen::obfuscate(original, rng);
    BOOST_REQUIRE_NE(copy, original);
    BOOST_REQUIRE_EQUAL(fold(copy), fold(original));
  }
}

BOOST_AUTO_TEST_CASE(paraphrases_keep_most_shingles) {
  using chorus::gen::Rng;
  Rng rng(11);
  int kept = 0, total = 0;
  for (int i = 0; i < 400; ++i) {
    std::string original = chorus::gen::narrative(rng);
    std::string copy = chorus::gen::paraphrase(original, rng);
    BOOST_REQUIRE_NE(copy, original);
    kept += shingle_retention(original, copy) >= 0.7;
    ++total;
  }
  BOOST_TEST_MESSAGE(kept << " of " << total << " paraphrases keep 70 % of their 3-shingles");
  BOOST_TEST(kept >= total * 3 / 4, kept << " of " << total << " keep 70 % of their 3-shingles");
}

BOOST_AUTO_TEST_CASE(tracking_variants_share_one_article) {
  using chorus::gen::Rng;
  Rng rng(5);
  std::string article = "https://example-daily.net/2024/01/some-story-here";
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string v = chorus::gen::tracking_variant(article, rng);
    BOOST_REQUIRE_EQUAL(url_key(v), "example-daily.net/2024/01/some-story-here");
    seen.insert(v);
  }
  BOOST_TEST(seen.size() > 150u);
}

BOOST_AUTO_TEST_SUITE_END()

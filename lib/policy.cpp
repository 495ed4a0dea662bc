#include "policy.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>
#include <utility>

#include "json_writer.hpp"
#include "json_lines.hpp"
#include "line_reader.hpp"
#include "tsv.hpp"
#include "score.hpp"

namespace chorus {

namespace {

constexpr size_t kMaxAudiencesShown = 10;     // audiences in an evidence, the most events first
constexpr size_t kMaxAudiencesTracked = 1000; // distinct audiences counted per account (hostile input)
constexpr size_t kMaxReasons = 3;             // a network's reasons in a removal's evidence


std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}


// "platform:account", or "account" without a platform: the networks' names.
std::string account_name(simdjson::dom::object o, std::string_view account) {
  std::string_view platform = str_member(o, "platform");
  std::string s;
  if (!platform.empty()) {
    s.append(platform);
    s += ':';
  }
  s.append(account);
  return s;
}

// Country codes compare without regard to ASCII case ("ru" is "RU").
bool same_country(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

bool parse_switch(std::string_view v, bool& on) {
  if (v == "on" || v == "yes" || v == "true" || v == "1") on = true;
  else if (v == "off" || v == "no" || v == "false" || v == "0") on = false;
  else return false;
  return true;
}

bool parse_number(std::string_view v, double& d) {
  if (v.empty() || v.size() > 40 || !((v[0] >= '0' && v[0] <= '9') || v[0] == '.')) return false;
  auto r = std::from_chars(v.data(), v.data() + v.size(), d);
  return r.ec == std::errc() && r.ptr == v.data() + v.size() && std::isfinite(d);
}

bool parse_whole(std::string_view v, uint64_t& n) {
  if (v.empty() || v.size() > 19) return false;
  auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  return r.ec == std::errc() && r.ptr == v.data() + v.size();
}

}  // namespace

// --- Rules file -----------------------------------------------------------------

Status read_policy_config(std::string_view text, const std::string& file, PolicyOptions& opt, std::vector<std::string>* set) {
  uint64_t number = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++number;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    auto fail = [&](const std::string& m) { return Status::error(line_error(file, number, m)); };
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail("expected 'key = value'");
    std::string key(trim(line.substr(0, eq)));
    std::string_view value = trim(line.substr(eq + 1));
    if (key.size() > 40) key = key.substr(0, 40) + "...";
    for (char& c : key)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    if (value.empty()) return fail("no value for '" + key + "'");
    if (key == kRuleLabel || key == kRuleAbroad || key == kRuleRemove) {
      bool& on = key == kRuleLabel ? opt.label : key == kRuleAbroad ? opt.abroad : opt.remove;
      if (!parse_switch(value, on)) return fail(key + ": expected on or off");
    } else if (key == "min-foreign-events") {
      if (!parse_whole(value, opt.min_foreign_events) || opt.min_foreign_events < 1)
        return fail(key + ": expected a whole number, at least 1");
    } else if (key == "min-foreign-share") {
      if (!parse_number(value, opt.min_foreign_share) || opt.min_foreign_share > 1)
        return fail(key + ": expected a number in [0, 1]");
    } else if (key == "min-score") {
      if (!parse_number(value, opt.min_score) || opt.min_score > 1) return fail(key + ": expected a number in [0, 1]");
    } else {
      return fail("unknown key '" + key + "'");
    }
    if (set) set->push_back(key);
  }
  return {};
}

Status check_policy_options(const PolicyOptions& opt) {
  if (opt.min_foreign_events < 1) return Status::error("--min-foreign-events: must be at least 1");
  if (!(opt.min_foreign_share >= 0 && opt.min_foreign_share <= 1)) return Status::error("--min-foreign-share: must be in [0, 1]");
  if (!(opt.min_score >= 0 && opt.min_score <= 1)) return Status::error("--min-score: must be in [0, 1]");
  return {};
}

// --- Output ---------------------------------------------------------------------

std::string action_json(const Action& a) {
  std::string s = "{\"account\":";
  append_json_string(s, a.account);
  s += ",\"action\":";
  append_json_string(s, a.action);
  s += ",\"rule\":";
  append_json_string(s, a.rule);
  s += ",\"evidence\":";
  s += a.evidence;
  s += "}\n";
  return s;
}

// --- Engine ---------------------------------------------------------------------

PolicyEngine::PolicyEngine(PolicyOptions options, PolicyErrorSink on_error, size_t max_line)
    : opt_(options), on_error_(std::move(on_error)), max_line_(max_line) {}

Status PolicyEngine::data_error(std::string message) {
  data_error_ = true;
  return Status::error(std::move(message));
}

bool PolicyEngine::bad_line(const std::string& file, uint64_t line, const std::string& message) {
  ++stats_.bad_lines;
  if (!on_error_(file, line, message)) stopped_ = true;
  return !stopped_;
}

Status PolicyEngine::add_accounts(InputStream& in) {
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "account profiles", bad, [&](std::string m) { return data_error(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        std::string_view account;
        if (o["account"].get(account) || account.empty()) return bad(line, "no \"account\" string (account profiles)");
        simdjson::dom::element sa;
        std::string_view state;
        if (!o["state_affiliated"].get(sa) && !sa.is_null() && sa.get(state))
          return bad(line, "\"state_affiliated\" is neither a string nor null (account profiles)");
        ++stats_.profiles;
        std::string name = account_name(o, account);
        // The last profile of an account counts.
        if (state.empty())
          states_.erase(name);
        else
          states_[std::move(name)] = StateAccount{std::string(state), 0, 0, {}};
        return true;
      });
  stats_.state_affiliated = states_.size();
  return st;
}

Status PolicyEngine::add_events(InputStream& in) {
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "events", bad, [&](std::string m) { return data_error(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        std::string_view account, id;
        if (!event_ids(o, id, account)) return bad(line, kNoEventIds);
        ++stats_.events;
        if (states_.empty()) return true;
        auto it = states_.find(account_name(o, account));
        if (it == states_.end()) return true;
        std::string_view audience = str_member(o, "audience");
        if (audience.empty()) return true;
        StateAccount& s = it->second;
        ++s.with_audience;
        s.foreign += !same_country(audience, s.state);
        if (auto a = s.audiences.find(std::string(audience)); a != s.audiences.end())
          ++a->second;
        else if (s.audiences.size() < kMaxAudiencesTracked)
          s.audiences.emplace(std::string(audience), 1);
        return true;
      });
  return st;
}

Status PolicyEngine::add_networks(InputStream& in) {
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "networks", bad, [&](std::string m) { return data_error(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        std::string_view id, verdict;
        simdjson::dom::array accounts;
        double score = 0;
        if (o["id"].get(id) || o["accounts"].get(accounts) || o["verdict"].get(verdict) || o["score"].get(score))
          return bad(line, "no \"id\" string, \"accounts\" array, \"verdict\" string or \"score\" number (networks)");
        std::vector<std::string_view> names;
        for (auto a : accounts) {
          std::string_view name;
          if (a.get(name) || name.empty()) return bad(line, "an account that is not a string (networks)");
          names.push_back(name);
        }
        ++stats_.networks;
        if (!opt_.remove || verdict != "coordinated" || !(score >= opt_.min_score)) return true;
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        std::string ev = "{\"network\":";
        append_json_string(ev, id);
        ev += ",\"verdict\":\"coordinated\",\"score\":" + format_decimal(score, 3) + ",\"size\":" + std::to_string(names.size()) +
              ",\"reasons\":[";
        simdjson::dom::array reasons;
        if (!o["reasons"].get(reasons)) {
          size_t n = 0;
          for (auto r : reasons) {
            std::string_view text;
            if (r.get(text)) continue;
            if (n == kMaxReasons) break;
            if (n++) ev += ',';
            append_json_string(ev, text);
          }
        }
        ev += "]}";
        for (auto name : names) removals_.push_back(Action{std::string(name), "remove", kRuleRemove, ev});
        return true;
      });
  return st;
}

std::vector<Action> PolicyEngine::actions() {
  std::vector<Action> out = std::move(removals_);
  removals_.clear();
  for (const auto& [name, s] : states_) {
    if (opt_.label) {
      std::string ev = "{\"state_affiliated\":";
      append_json_string(ev, s.state);
      ev += ",\"source\":\"profile\"}";
      out.push_back(Action{name, "label_state_affiliated", kRuleLabel, std::move(ev)});
    }
    if (!opt_.abroad || s.foreign == 0 || s.foreign < opt_.min_foreign_events) continue;
    const double share = static_cast<double>(s.foreign) / static_cast<double>(s.with_audience);
    if (share < opt_.min_foreign_share) continue;
    std::vector<std::pair<std::string_view, uint64_t>> top(s.audiences.begin(), s.audiences.end());
    std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (top.size() > kMaxAudiencesShown) top.resize(kMaxAudiencesShown);
    std::string ev = "{\"home\":";
    append_json_string(ev, s.state);
    ev += ",\"events_with_audience\":" + std::to_string(s.with_audience) + ",\"foreign_events\":" + std::to_string(s.foreign) +
          ",\"foreign_share\":" + format_decimal(share, 3) + ",\"audiences\":{";
    for (size_t i = 0; i < top.size(); ++i) {
      if (i) ev += ',';
      append_json_string(ev, top[i].first);
      ev += ':' + std::to_string(top[i].second);
    }
    ev += "}}";
    out.push_back(Action{name, "exclude_from_recommendations", kRuleAbroad, ev});
    out.push_back(Action{name, "block_foreign_ads", kRuleAbroad, std::move(ev)});
  }
  std::sort(out.begin(), out.end(), [](const Action& a, const Action& b) {
    return std::tie(a.account, a.action, a.rule, a.evidence) < std::tie(b.account, b.action, b.rule, b.evidence);
  });
  return out;
}

Status PolicyEngine::write(OutputStream& out) {
  for (const Action& a : actions()) {
    out.write(action_json(a));
    ++stats_.actions[a.action];
  }
  return {};
}

}  // namespace chorus

#include "score.hpp"

#include <simdjson.h>
#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "json_writer.hpp"
#include "json_lines.hpp"
#include "line_reader.hpp"
#include "marks.hpp"
#include "stream_header.hpp"
#include "tsv.hpp"
#include "tsv_stream.hpp"

namespace chorus {

namespace {

constexpr Micros kDay = int64_t{86400} * 1000000;


bool parse_u64(std::string_view s, uint64_t& v) {
  if (s.empty() || s.size() > 19) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// "-" (none) or a finite number >= 0.
bool parse_optional_number(std::string_view s, std::optional<double>& v) {
  if (s == "-") {
    v.reset();
    return true;
  }
  double d = 0;
  if (s.empty() || s.size() > 40) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(d) || d < 0) return false;
  v = d;
  return true;
}


// Appends `bytes` as a JSON string, any invalid UTF-8 byte replaced by U+FFFD
// (the names and labels come from adversaries' data, unescaped from TSV).
void append_json_text(std::string& out, std::string_view bytes) {
  if (simdjson::validate_utf8(bytes.data(), bytes.size())) {
    append_json_string(out, bytes);
    return;
  }
  std::string clean;
  for (size_t i = 0; i < bytes.size();) {
    auto c = static_cast<unsigned char>(bytes[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len && i + len <= bytes.size() && simdjson::validate_utf8(bytes.data() + i, len)) {
      clean.append(bytes.data() + i, len);
      i += len;
    } else {
      clean += "\xef\xbf\xbd";
      ++i;
    }
  }
  append_json_string(out, clean);
}

// A name or label as JSON: TSV escapes undone first.
void append_json_field(std::string& out, std::string_view escaped) {
  std::string raw;
  if (!unescape_tsv_field(escaped, raw)) raw.assign(escaped);
  append_json_text(out, raw);
}

std::string display_account(std::string_view escaped) {
  std::string raw, out;
  if (!unescape_tsv_field(escaped, raw)) raw.assign(escaped);
  // For a sentence: control bytes as '?', cut short.
  for (char c : raw) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  if (out.size() > 80) out.resize(80);
  std::string j;
  append_json_text(j, out);  // to repair UTF-8 cut or broken
  std::string back;
  // j is a JSON string without escapes other than \" and \\ (no controls left).
  for (size_t i = 1; i + 1 < j.size(); ++i) {
    if (j[i] == '\\' && i + 2 < j.size()) ++i;
    back += j[i];
  }
  return back;
}

std::string percent(uint64_t part, uint64_t whole) {
  if (!whole) return "0 %";
  return std::to_string(static_cast<uint64_t>(std::llround(100.0 * static_cast<double>(part) / static_cast<double>(whole)))) + " %";
}

std::string date_of(Micros t) { return format_rfc3339(t).substr(0, 10); }

// Seconds as chorus-join writes median_dt: "12", "6.75".
std::string seconds_text(Micros us) {
  std::string s = std::to_string(us / 1000000);
  if (int64_t frac = us % 1000000) {
    char buf[8];
    for (int i = 5; i >= 0; --i, frac /= 10) buf[i] = static_cast<char>('0' + frac % 10);
    size_t n = 6;
    while (buf[n - 1] == '0') --n;
    s += '.';
    s.append(buf, n);
  }
  return s;
}

// A readable duration for a sentence: "12 s", "4.5 min", "2 h".
std::string duration_text(Micros us) {
  double s = static_cast<double>(us) / 1e6;
  if (s < 120) return format_decimal(s, 1) + " s";
  if (s < 7200) return format_decimal(s / 60, 1) + " min";
  return format_decimal(s / 3600, 1) + " h";
}

uint64_t hash_of(std::string_view a, std::string_view b) {
  std::string s;
  s.reserve(a.size() + b.size() + 1);
  s.append(a);
  s += '\x01';
  s.append(b);
  return XXH3_64bits(s.data(), s.size());
}

// Text for duplication: ASCII case folded, whitespace collapsed, trimmed.
uint64_t text_hash(std::string_view text) {
  std::string t;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !t.empty();
      continue;
    }
    if (space) t += ' ';
    space = false;
    t += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return XXH3_64bits(t.data(), t.size());
}


// Sorts and removes duplicates once a vector has doubled since its last pass.
template <typename T>
void compact(std::vector<T>& v, size_t& mark) {
  if (v.size() < 64 || v.size() < 2 * mark) return;
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  mark = v.size();
}

// What a header-like line is, for a message: "a chorus edges stream".

}  // namespace

// --- Numbers ------------------------------------------------------------------

std::string with_commas(uint64_t n) {
  std::string d = std::to_string(n), out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) out += ',';
    out += d[i];
  }
  return out;
}

std::string format_decimal(double v, int digits) {
  if (!std::isfinite(v)) v = 0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string_view handle_prefix(std::string_view handle) {
  size_t u = handle.find('_');
  if (u == std::string_view::npos || u < 3) return {};
  return handle.substr(0, u + 1);
}

bool handle_has_digits(std::string_view handle) {
  size_t i = handle.size();
  while (i > 0 && handle[i - 1] >= '0' && handle[i - 1] <= '9') --i;
  if (handle.size() - i < 4 || i == 0) return false;
  char c = handle[i - 1];
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// --- Parsing --------------------------------------------------------------------

Status parse_cluster_edge(std::string_view line, std::string& cluster, ClusterEdge& e) {
  std::string_view f[16];
  if (!split_tabs(line, f, 16)) return Status::error("expected 16 tab-separated fields (clustered edges)");
  if (f[0].empty() || f[0].size() > 12 || f[0].find_first_not_of("0123456789") != std::string_view::npos)
    return Status::error("cluster '" + std::string(f[0].substr(0, 20)) + "' is not a number");
  if (f[1].empty() || f[2].empty()) return Status::error("empty account");
  if (!(f[1] < f[2])) return Status::error("accounts not in byte order (a < b)");
  uint64_t* counts[] = {&e.weight, &e.coactions, &e.keys, &e.a_first, &e.b_first};
  for (int i = 0; i < 5; ++i)
    if (!parse_u64(f[3 + i], *counts[i])) return Status::error("field " + std::to_string(4 + i) + " is not a whole number");
  if (!parse_mark_time(f[8], e.first) || !parse_mark_time(f[9], e.last)) return Status::error("first/last is not a time");
  if (!parse_mark_time(f[10], e.median_dt)) return Status::error("median_dt is not seconds");
  if (!parse_u64(f[11], e.a_events) || !parse_u64(f[12], e.b_events)) return Status::error("a_events/b_events is not a whole number");
  if (e.coactions == 0) return Status::error("an edge without co-actions");
  e.signals.clear();
  std::string_view s = f[13];
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view item = s.substr(0, comma);
    size_t colon = item.rfind(':');
    uint64_t n = 0;
    if (colon == std::string_view::npos || colon == 0 || !parse_u64(item.substr(colon + 1), n))
      return Status::error("signals is not kind:count,...");
    e.signals.emplace_back(std::string(item.substr(0, colon)), n);
    if (comma == std::string_view::npos) break;
    s = s.substr(comma + 1);
  }
  if (!parse_optional_number(f[14], e.p_value) || (e.p_value && *e.p_value > 1))
    return Status::error("p_value is not '-' or a number in [0, 1]");
  if (!parse_optional_number(f[15], e.expected)) return Status::error("expected is not '-' or a number");
  cluster.assign(f[0]);
  e.a.assign(f[1]);
  e.b.assign(f[2]);
  return {};
}

// --- The model --------------------------------------------------------------------

// Edge features count from 0; the account and event features from a neutral
// value (`center`), so that a profile that looks authentic (old accounts,
// created apart, posting at home) lowers the score where one that looks
// manufactured raises it, and a feature not known does neither.
const double kScoreBias = -5.5;
const Weight kScoreWeights[] = {
    {"strength", 1.5, 0},           {"keys", 1.0, 0},           {"synchrony", 1.5, 0},
    {"density", 2.5, 0},            {"chance", 1.5, 0},         {"significance", 0.5, 0},
    {"lead", 0.5, 0},               {"burst", 2.5, 0.5},        {"young", 1.5, 0.5},
    {"low_followers", 0.5, 0.5},    {"verified", -2.0, 0},      {"handle_digits", 1.5, 0.3},
    {"foreign_audience", 1.5, 0.5}, {"state_amplification", 2.0, 0}, {"activity", 2.0, 0.3},
    {"duplication", 1.0, 0.2},
};
const size_t kScoreWeightCount = std::size(kScoreWeights);

namespace {
const Weight& weight_of(std::string_view name) {
  for (const auto& w : kScoreWeights)
    if (name == w.name) return w;
  static const Weight none{"", 0, 0};
  return none;
}
double saturate(double x, double half) { return x / (x + half); }
}  // namespace

Features compute_features(const Network& net, const ScoreOptions& opt) {
  Features f;
  f.n = net.accounts.size();
  f.edges = net.edges.size();
  if (f.n > 1) f.density = 2.0 * static_cast<double>(f.edges) / (static_cast<double>(f.n) * static_cast<double>(f.n - 1));
  f.first_seen = INT64_MAX;
  f.last_seen = INT64_MIN;
  std::vector<Micros> dts;
  uint64_t keys = 0;
  std::vector<uint64_t> led(f.n, 0), own_events(f.n, 0);
  auto index_of = [&](const std::string& name) {
    return static_cast<size_t>(std::lower_bound(net.accounts.begin(), net.accounts.end(), name) - net.accounts.begin());
  };
  for (const ClusterEdge& e : net.edges) {
    f.coactions += e.coactions;
    keys += e.keys;
    f.first_seen = std::min(f.first_seen, e.first);
    f.last_seen = std::max(f.last_seen, e.last);
    dts.push_back(e.median_dt);
    if (e.expected) {
      f.expected += *e.expected;
      // `expected` counts one side's events that co-act by chance (the
      // popularity model of chorus-cluster); the fewer of the two sides'
      // events observed is its conservative counterpart.
      f.observed_tested += static_cast<double>(std::min(e.a_events, e.b_events));
    }
    if (e.p_value) {
      ++f.tested_edges;
      f.significant_edges += *e.p_value <= 0.05;
    }
    size_t a = index_of(e.a), b = index_of(e.b);
    if (a < f.n && b < f.n) {
      led[a] += e.a_first;
      led[b] += e.b_first;
      own_events[a] = std::max(own_events[a], e.a_events);
      own_events[b] = std::max(own_events[b], e.b_events);
    }
    f.ordered += e.a_first + e.b_first;
  }
  if (f.edges == 0) f.first_seen = f.last_seen = 0;
  if (!dts.empty()) {
    std::sort(dts.begin(), dts.end());
    const size_t m = dts.size();
    f.median_dt = m % 2 ? dts[m / 2] : (dts[m / 2 - 1] + dts[m / 2]) / 2;
    f.per_edge_coactions = static_cast<double>(f.coactions) / static_cast<double>(m);
    f.per_edge_keys = static_cast<double>(keys) / static_cast<double>(m);
  }
  if (opt.window > 0 && f.edges)
    f.synchrony = std::clamp(1.0 - static_cast<double>(f.median_dt) / 1e6 / opt.window, 0.0, 1.0);
  if (f.observed_tested > 0) f.chance = 1.0 - std::min(1.0, f.expected / f.observed_tested);
  if (f.tested_edges) f.significant = static_cast<double>(f.significant_edges) / static_cast<double>(f.tested_edges);
  if (f.n >= 3 && f.ordered) {
    f.leader = static_cast<size_t>(std::max_element(led.begin(), led.end()) - led.begin());
    f.leader_led = led[f.leader];
    f.lead = static_cast<double>(f.leader_led) / static_cast<double>(f.ordered);
  }

  // Accounts.
  if (net.has_profiles) {
    std::vector<Micros> created;
    std::map<std::string, size_t> prefixes;
    for (const auto& p : net.profiles) {
      if (!p) continue;
      ++f.profiles;
      if (p->created) {
        created.push_back(*p->created);
        if (f.edges && *p->created >= f.first_seen - 365 * kDay) ++f.young_count;
      }
      if (p->followers) {
        ++f.with_followers;
        f.followers += std::clamp<int64_t>(*p->followers, 0, int64_t{1} << 40);  // no overflow, whatever the input
        f.low_count += *p->followers < 1000;
      }
      if (p->verified) {
        ++f.with_verified;
        f.verified_count += *p->verified;
      }
      if (!p->handle.empty()) {
        ++f.with_handle;
        f.digit_handles += handle_has_digits(p->handle);
        if (auto pre = handle_prefix(p->handle); !pre.empty()) ++prefixes[std::string(pre)];
      }
      if (!p->country.empty()) ++f.countries[p->country];
      if (!p->state_affiliated.empty()) ++f.states[p->state_affiliated];
    }
    f.with_created = created.size();
    if (!created.empty()) {
      std::sort(created.begin(), created.end());
      f.created_first = created.front();
      f.created_last = created.back();
      size_t lo = 0;
      for (size_t hi = 0; hi < created.size(); ++hi) {
        while (created[hi] - created[lo] > opt.burst_days * kDay) ++lo;
        if (hi - lo + 1 > f.burst_count) {
          f.burst_count = hi - lo + 1;
          f.burst_first = created[lo];
          f.burst_last = created[hi];
        }
      }
      // 0 when no two were created within the window, 1 when all were.
      if (created.size() >= 2)
        f.burst = static_cast<double>(f.burst_count - 1) / static_cast<double>(created.size() - 1);
      f.young = static_cast<double>(f.young_count) / static_cast<double>(created.size());
    }
    if (f.with_followers) f.low_followers = static_cast<double>(f.low_count) / static_cast<double>(f.with_followers);
    if (f.with_verified) f.verified = static_cast<double>(f.verified_count) / static_cast<double>(f.with_verified);
    if (f.with_handle) {
      f.handle_digits = static_cast<double>(f.digit_handles) / static_cast<double>(f.with_handle);
      for (const auto& [pre, count] : prefixes)
        if (count > f.prefix_count) f.prefix_count = count, f.prefix = pre;
      f.shared_prefix = static_cast<double>(f.prefix_count) / static_cast<double>(f.with_handle);
    }
    // The openly syndicated publisher: most accounts verified, old (two years
    // or more before the activity), and one owner's handle prefix.
    size_t old = 0;
    for (Micros c : created) old += f.edges && c <= f.first_seen - 730 * kDay;
    f.publisher = f.profiles >= 2 && 2 * f.verified_count > f.profiles && 2 * old >= f.profiles && f.prefix_count >= 2 &&
                  2 * f.prefix_count >= f.profiles;
  }

  // Events.
  f.coordinated_events = net.coordinated_events;
  if (!net.has_evidence) {
    f.coordinated_events = 0;
    for (uint64_t e : own_events) f.coordinated_events += e;
  }
  if (net.has_events) {
    if (net.events) {
      f.activity = std::min(1.0, static_cast<double>(f.coordinated_events) / static_cast<double>(net.events));
      if (net.has_profiles)
        f.state_amplification = static_cast<double>(net.state_amplifying) / static_cast<double>(net.events);
    }
    if (net.audience_known) f.foreign = static_cast<double>(net.foreign) / static_cast<double>(net.audience_known);
    if (net.texts) f.duplication = static_cast<double>(net.repeated_texts) / static_cast<double>(net.texts);
  }
  return f;
}

Assessment assess(const Network& net, const ScoreOptions& opt) {
  Assessment a;
  a.f = compute_features(net, opt);
  const Features& f = a.f;
  double z = kScoreBias;
  auto term = [&](const char* name, std::optional<double> value) {
    if (value) z += weight_of(name).weight * (*value - weight_of(name).center);
  };
  term("strength", f.edges ? std::optional<double>(saturate(f.per_edge_coactions, 20)) : std::nullopt);
  term("keys", f.edges ? std::optional<double>(saturate(f.per_edge_keys, 10)) : std::nullopt);
  term("synchrony", f.synchrony);
  // Density, or for a large network (where density falls as 1/n however
  // tight it is) the partners per account, saturating at 5: the larger.
  term("density", f.n >= 3 ? std::optional<double>(std::max(f.density, saturate(f.density * static_cast<double>(f.n - 1), 5)))
                           : std::nullopt);
  term("chance", f.chance);
  term("significance", f.significant);
  term("lead", f.lead);
  term("burst", f.burst);
  term("young", f.young);
  term("low_followers", f.low_followers);
  term("verified", f.verified);
  term("handle_digits", f.handle_digits);
  term("foreign_audience", f.foreign);
  term("state_amplification", f.state_amplification);
  term("activity", f.activity);
  term("duplication", f.duplication);
  a.score = 1.0 / (1.0 + std::exp(-z));
  // Rounded as written, so the verdict agrees with the number shown.
  a.score = std::round(a.score * 1000) / 1000;
  a.verdict = a.score >= opt.coordinated ? "coordinated" : a.score >= opt.review ? "review" : "benign";
  if (f.publisher && a.verdict == "coordinated") a.verdict = "review";

  auto& r = a.reasons;
  const uint64_t n = f.n;
  // Co-actions.
  {
    std::string s = with_commas(f.coactions) + " co-actions";
    if (net.has_evidence) s += " on " + with_commas(net.distinct_keys) + " keys";
    s += " among " + with_commas(n) + " accounts, " + with_commas(f.edges) + (f.edges == 1 ? " pair" : " pairs") +
         ", median " + duration_text(f.median_dt) + " apart";
    if (opt.window > 0) s += " (window " + duration_text(static_cast<Micros>(opt.window * 1e6)) + ")";
    if (f.observed_tested > 0)
      s += "; " + with_commas(static_cast<uint64_t>(std::min(f.observed_tested, 1e18))) +
           " events of the pairs co-acted where " + format_decimal(f.expected, 1) + " were expected by chance";
    r.push_back(s);
  }
  {
    std::string top;
    std::vector<std::pair<std::string, uint64_t>> sig;
    std::map<std::string, uint64_t> m;
    for (const auto& e : net.edges)
      for (const auto& [k, c] : e.signals) m[k] += c;
    for (auto& kv : m) sig.emplace_back(kv.first, kv.second);
    std::stable_sort(sig.begin(), sig.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    for (size_t i = 0; i < sig.size() && i < 3; ++i) top += (i ? ", " : "") + sig[i].first + " " + with_commas(sig[i].second);
    if (!top.empty()) r.push_back("co-actions by kind: " + top);
  }
  if (n >= 3)
    r.push_back(with_commas(f.edges) + " of " + with_commas(n * (n - 1) / 2) + " possible pairs co-acted (density " +
                format_decimal(f.density, 2) + ", " + format_decimal(f.density * static_cast<double>(n - 1), 1) +
                " partners per account)");
  if (f.significant)
    r.push_back(with_commas(f.significant_edges) + " of " + with_commas(f.tested_edges) +
                " pairs significant against the null model (p <= 0.05)");
  if (f.lead && *f.lead >= 0.5)
    r.push_back(display_account(net.accounts[f.leader]) + " was first in " + with_commas(f.leader_led) + " of " +
                with_commas(f.ordered) + " co-actions (" + percent(f.leader_led, f.ordered) + "): it seeds the network");
  if (net.has_profiles) {
    if (f.burst && 2 * f.burst_count >= f.with_created && f.burst_count >= 2) {
      int64_t days = std::max<int64_t>(1, (f.burst_last - f.burst_first + kDay - 1) / kDay);
      r.push_back(with_commas(f.burst_count) + " of " + with_commas(f.with_created) + " accounts created within " +
                  std::to_string(days) + (days == 1 ? " day" : " days") + " (" + date_of(f.burst_first) +
                  (date_of(f.burst_last) != date_of(f.burst_first) ? " to " + date_of(f.burst_last) : "") + ")");
    } else if (f.with_created >= 2) {
      r.push_back("accounts created from " + date_of(f.created_first) + " to " + date_of(f.created_last) + ", at most " +
                  with_commas(f.burst_count) + " of " + with_commas(f.with_created) + " within " +
                  std::to_string(opt.burst_days) + " days");
    }
    if (f.young && *f.young >= 0.5)
      r.push_back(with_commas(f.young_count) + " of " + with_commas(f.with_created) +
                  " accounts created less than a year before the activity");
    if (f.with_followers)
      r.push_back(with_commas(f.low_count) + " of " + with_commas(f.with_followers) + " accounts with under 1,000 followers (" +
                  with_commas(static_cast<uint64_t>(f.followers)) + " followers in all)");
    if (f.with_verified)
      r.push_back(with_commas(f.verified_count) + " of " + with_commas(f.with_verified) + " accounts verified");
    if (f.handle_digits && *f.handle_digits >= 0.5)
      r.push_back(with_commas(f.digit_handles) + " of " + with_commas(f.with_handle) +
                  " handles are a name followed by 4 or more digits, as sign-up forms suggest");
    if (f.prefix_count >= 2 && f.shared_prefix && *f.shared_prefix >= 0.5)
      r.push_back(with_commas(f.prefix_count) + " of " + with_commas(f.with_handle) + " handles share the prefix " + f.prefix);
    if (!f.states.empty()) {
      std::string s;
      uint64_t total = 0;
      for (const auto& [c, k] : f.states) s += (s.empty() ? "" : ", ") + c, total += k;
      r.push_back(with_commas(total) + " of " + with_commas(n) + " accounts state-affiliated (" + s + ")");
    }
  }
  if (net.has_events) {
    if (f.foreign && net.audience_known) {
      std::string origin;
      size_t best = 0;
      for (const auto& [c, k] : f.countries)
        if (k > best) best = k, origin = c;
      if (*f.foreign >= 0.5) {
        std::string aud;
        std::vector<std::pair<std::string, uint64_t>> v(net.audiences.begin(), net.audiences.end());
        std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
        for (size_t i = 0; i < v.size() && i < 3; ++i) aud += (i ? ", " : "") + v[i].first + " " + with_commas(v[i].second);
        r.push_back((origin.empty() ? std::string("operated") : "operated mostly from " + origin) + "; " +
                    with_commas(net.foreign) + " of " + with_commas(net.audience_known) + " events (" +
                    percent(net.foreign, net.audience_known) + ") shown to audiences in other countries (" + aud + ")");
      }
    }
    if (f.state_amplification && net.state_amplifying) {
      std::string s;
      for (const auto& [c, k] : net.amplified_states) s += (s.empty() ? "" : ", ") + c + " " + with_commas(k);
      r.push_back(with_commas(net.state_amplifying) + " of " + with_commas(net.events) +
                  " events share or link items of state-affiliated accounts (" + s + ")");
    }
    if (f.activity)
      r.push_back(with_commas(f.coordinated_events) + " of " + with_commas(net.events) + " events (" +
                  percent(std::min(f.coordinated_events, net.events), net.events) + ") were co-actions" +
                  (net.has_evidence ? "" : " (at least; exact with --evidence)"));
    if (f.duplication)
      r.push_back(with_commas(net.repeated_texts) + " of " + with_commas(net.texts) +
                  " texts posted by the network repeat another of its texts");
  }
  if (f.publisher) {
    // The years as RFC 3339 writes them (no exception, whatever the dates).
    std::string y0 = date_of(f.created_first), y1 = date_of(f.created_last);
    y0 = y0.substr(0, y0.find('-', 1));
    y1 = y1.substr(0, y1.find('-', 1));
    std::string years = y0 == y1 ? y0 : y0 + "\xe2\x80\x93" + y1;
    r.push_back(with_commas(f.verified_count) + " of " + with_commas(f.profiles) + " accounts verified and created " + years +
                ", handles share the prefix " + f.prefix +
                ": an openly syndicated publisher, coordinated but not inauthentic (verdict at most review)");
  }
  if (!net.has_evidence) r.push_back("no --evidence: keys, top keys and coordinated events not known");
  if (!net.has_profiles) r.push_back("no --accounts: creation, followers, verification, handles and countries not used");
  if (!net.has_events) r.push_back("no --events: activity share, duplication and audiences not used");
  r.push_back("score " + format_decimal(a.score, 3) + ": " + a.verdict + " (coordinated from " +
              format_decimal(opt.coordinated, 3) + ", review from " + format_decimal(opt.review, 3) + ")");
  return a;
}

std::string network_json(const Network& net, const Assessment& a, std::string_view params) {
  const Features& f = a.f;
  std::string o;
  o += "{\"id\":";
  append_json_string(o, net.id);
  o += ",\"accounts\":[";
  for (size_t i = 0; i < net.accounts.size(); ++i) {
    if (i) o += ',';
    append_json_field(o, net.accounts[i]);
  }
  o += "],\"size\":" + std::to_string(f.n) + ",\"edges\":" + std::to_string(f.edges) +
       ",\"density\":" + format_decimal(f.density, 3) + ",\"coactions\":" + std::to_string(f.coactions) + ",\"signals\":{";
  std::map<std::string, uint64_t> sig;
  for (const auto& e : net.edges)
    for (const auto& [k, c] : e.signals) sig[k] += c;
  bool first = true;
  for (const auto& [k, c] : sig) {
    if (!first) o += ',';
    first = false;
    append_json_text(o, k);
    o += ':' + std::to_string(c);
  }
  o += "},\"first_seen\":";
  append_json_string(o, format_rfc3339(f.first_seen));
  o += ",\"last_seen\":";
  append_json_string(o, format_rfc3339(f.last_seen));
  o += ",\"median_dt\":" + seconds_text(f.median_dt);
  o += ",\"followers\":" + (f.with_followers ? std::to_string(f.followers) : std::string("null"));
  o += ",\"created_span\":";
  if (f.with_created) {
    o += "{\"first\":";
    append_json_string(o, format_rfc3339(f.created_first));
    o += ",\"last\":";
    append_json_string(o, format_rfc3339(f.created_last));
    o += ",\"days\":" + format_decimal(static_cast<double>(f.created_last - f.created_first) / static_cast<double>(kDay), 1) + "}";
  } else {
    o += "null";
  }
  auto object = [&](const std::map<std::string, uint64_t>& m, bool known) {
    if (!known) {
      o += "null";
      return;
    }
    o += '{';
    bool any = false;
    for (const auto& [k, c] : m) {
      if (any) o += ',';
      any = true;
      append_json_text(o, k);
      o += ':' + std::to_string(c);
    }
    o += '}';
  };
  o += ",\"countries\":";
  object(f.countries, net.has_profiles);
  o += ",\"audiences\":";
  object(net.audiences, net.has_events);
  o += ",\"activity\":";
  if (!net.has_events) {
    o += "null";
  } else {
    const Bars b = bars_of(net.activity);
    o += "{\"events\":" + std::to_string(net.activity.events) + ",\"bin_seconds\":" + std::to_string(b.width / kMicrosPerSecond) +
         ",\"start\":";
    if (b.counts.empty()) o += "null";
    else append_json_string(o, format_rfc3339(b.start));
    o += ",\"counts\":[";
    for (size_t i = 0; i < b.counts.size(); ++i) {
      if (i) o += ',';
      o += std::to_string(b.counts[i]);
    }
    o += "]}";
  }
  o += ",\"state_affiliated\":";
  object(f.states, net.has_profiles);
  o += ",\"score\":" + format_decimal(a.score, 3) + ",\"verdict\":";
  append_json_string(o, a.verdict);
  o += ",\"reasons\":[";
  for (size_t i = 0; i < a.reasons.size(); ++i) {
    if (i) o += ',';
    append_json_text(o, a.reasons[i]);
  }
  o += "],\"top_keys\":[";
  for (size_t i = 0; i < net.top_keys.size(); ++i) {
    const KeyStat& k = net.top_keys[i];
    if (i) o += ',';
    o += "{\"key\":";
    append_json_field(o, k.key);
    o += ",\"kind\":";
    append_json_field(o, std::string_view(k.key).substr(0, k.key.find(':')));
    o += ",\"label\":";
    if (k.label) append_json_text(o, *k.label);
    else o += "null";
    o += ",\"coactions\":" + std::to_string(k.coactions) + ",\"accounts\":" + std::to_string(k.accounts) + '}';
  }
  o += "],\"params\":";
  o += params;
  o += "}\n";
  return o;
}

// --- Reading the streams ----------------------------------------------------------

Scorer::Scorer(ScoreOptions options, ScoreErrorSink on_error, size_t max_line)
    : opt_(std::move(options)), on_error_(std::move(on_error)), max_line_(max_line) {}

Scorer::~Scorer() = default;

Status Scorer::data_error(std::string message) {
  data_error_ = true;
  return Status::error(std::move(message));
}

bool Scorer::bad_line(const std::string& file, uint64_t line, const std::string& message) {
  ++stats_.bad_lines;
  if (!on_error_(file, line, message)) stopped_ = true;
  return !stopped_;
}

Status Scorer::add_clusters(InputStream& in) {
  std::string cluster;
  ClusterEdge edge;
  auto& index = cluster_index_;
  return read_tsv_stream(
      in, max_line_, "clusters", [&](uint64_t line_no, const std::string& m) { return bad_line(in.name(), line_no, m); },
      [&](std::string m) { return data_error(std::move(m)); },
      [&](const StreamHeader& header, uint64_t line_no) -> Status {
        simdjson::dom::parser parser;
        simdjson::dom::element doc;
        if (parser.parse(header.params).get(doc) || !doc.is_object())
          return data_error(line_error(in.name(), line_no, "malformed clusters header parameters"));
        double window = 0;
        if (!doc.at_pointer("/edges/window").get(window) && window > 0) opt_.window = window;
        if (clusters_params_.empty()) clusters_params_ = header.params;
        return {};
      },
      [&](std::string_view line, uint64_t line_no) -> bool {
        if (Status st = parse_cluster_edge(line, cluster, edge); !st) return bad_line(in.name(), line_no, st.message());
        auto [it, added] = index.try_emplace(cluster, static_cast<uint32_t>(nets_.size()));
        const uint32_t net = it->second;
        // Each account belongs to one cluster.
        bool clash = false;
        for (const std::string* name : {&edge.a, &edge.b}) {
          auto w = where_.find(*name);
          if (w != where_.end() && w->second.net != net) {
            std::string other = nets_[w->second.net].id;
            if (added) index.erase(it);
            if (!bad_line(in.name(), line_no,
                          "account " + display_account(*name) + " is in clusters " + other + " and " + cluster))
              return false;
            clash = true;
            break;
          }
        }
        if (clash) return true;
        std::string pair = edge.a + '\t' + edge.b;
        if (!pairs_.insert(pair).second) {
          if (added) index.erase(it);
          return bad_line(in.name(), line_no, "edge given twice");
        }
        if (added) {
          nets_.emplace_back();
          nets_.back().id = cluster;
        }
        Network& n = nets_[net];
        for (const std::string* name : {&edge.a, &edge.b})
          if (where_.try_emplace(*name, Where{net, 0}).second) n.accounts.push_back(*name);
        n.edges.push_back(std::move(edge));
        edge = ClusterEdge();
        ++stats_.edges;
        return true;
      });
}

// Once, before the first side input: networks in cluster order, accounts
// sorted, and each account's place.
void Scorer::order_networks() {
  if (ordered_) return;
  ordered_ = true;
  std::sort(nets_.begin(), nets_.end(), [](const Network& x, const Network& y) {
    return x.id.size() != y.id.size() ? x.id.size() < y.id.size() : x.id < y.id;
  });
  for (uint32_t i = 0; i < nets_.size(); ++i) {
    auto& acc = nets_[i].accounts;
    std::sort(acc.begin(), acc.end());
    for (uint32_t j = 0; j < acc.size(); ++j) where_[acc[j]] = Where{i, j};
  }
  cluster_index_.clear();
}

Status Scorer::add_evidence(InputStream& in) {
  order_networks();
  read_evidence_ = true;
  keys_.assign(nets_.size(), {});
  event_hashes_.assign(nets_.size(), {});
  std::vector<size_t> marks(nets_.size(), 0);
  for (auto& n : nets_) n.has_evidence = true;
  Status got = read_tsv_stream(
      in, max_line_, "evidence", [&](uint64_t line_no, const std::string& m) { return bad_line(in.name(), line_no, m); },
      [&](std::string m) { return data_error(std::move(m)); },
      [&](const StreamHeader& header, uint64_t) -> Status {
        if (evidence_params_.empty()) evidence_params_ = header.params;
        return {};
      },
      [&](std::string_view line, uint64_t line_no) -> bool {
        std::string_view f[7];
        Micros t = 0;
        if (!split_tabs(line, f, 7) || f[0].empty() || f[1].empty() || f[2].find(':') == std::string_view::npos ||
            f[2].find(':') == 0 || !parse_mark_time(f[3], t) || !parse_mark_time(f[4], t) || f[5].empty() || f[6].empty())
          return bad_line(in.name(), line_no, "expected 7 tab-separated fields (evidence: a b key ts_a ts_b event_a event_b)");
        std::string pair;
        pair.reserve(f[0].size() + f[1].size() + 1);
        pair.append(f[0]);
        pair += '\t';
        pair.append(f[1]);
        if (!pairs_.count(pair)) return true;  // an edge that clustering dropped
        const Where wa = where_.at(std::string(f[0])), wb = where_.at(std::string(f[1]));
        ++stats_.evidence;
        KeyAgg& k = keys_[wa.net][std::string(f[2])];
        ++k.coactions;
        k.accounts.push_back(wa.index);
        k.accounts.push_back(wb.index);
        if (k.accounts.size() >= 64 && (k.accounts.size() & (k.accounts.size() - 1)) == 0) {
          std::sort(k.accounts.begin(), k.accounts.end());
          k.accounts.erase(std::unique(k.accounts.begin(), k.accounts.end()), k.accounts.end());
        }
        auto& ev = event_hashes_[wa.net];
        ev.push_back(hash_of(f[0], f[5]));
        ev.push_back(hash_of(f[1], f[6]));
        compact(ev, marks[wa.net]);
        return true;
      });
  if (!got) return got;
  for (size_t i = 0; i < nets_.size(); ++i) {
    auto& ev = event_hashes_[i];
    std::sort(ev.begin(), ev.end());
    nets_[i].coordinated_events = static_cast<uint64_t>(std::unique(ev.begin(), ev.end()) - ev.begin());
    std::vector<uint64_t>().swap(ev);
  }
  finish_keys();
  return {};
}

// Turns the evidence's keys into each network's top keys, and notes which
// labels to keep.
void Scorer::finish_keys() {
  for (size_t i = 0; i < keys_.size(); ++i) {
    std::vector<KeyStat> all;
    all.reserve(keys_[i].size());
    for (auto& [key, agg] : keys_[i]) {
      std::sort(agg.accounts.begin(), agg.accounts.end());
      auto distinct = static_cast<uint64_t>(std::unique(agg.accounts.begin(), agg.accounts.end()) - agg.accounts.begin());
      all.push_back(KeyStat{key, agg.coactions, distinct, std::nullopt});
    }
    nets_[i].distinct_keys = all.size();
    auto better = [](const KeyStat& x, const KeyStat& y) {
      if (x.coactions != y.coactions) return x.coactions > y.coactions;
      if (x.accounts != y.accounts) return x.accounts > y.accounts;
      return x.key < y.key;
    };
    size_t keep = std::min(all.size(), opt_.top);
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(), better);
    all.resize(keep);
    nets_[i].top_keys = std::move(all);
    for (size_t j = 0; j < nets_[i].top_keys.size(); ++j)
      wanted_labels_[nets_[i].top_keys[j].key].emplace_back(static_cast<uint32_t>(i), j);
  }
  keys_.clear();
}

Status Scorer::add_labels(InputStream& in) {
  order_networks();
  read_labels_ = true;
  std::string label;
  return read_tsv_stream(
      in, max_line_, "labels", [&](uint64_t line_no, const std::string& m) { return bad_line(in.name(), line_no, m); },
      [&](std::string m) { return data_error(std::move(m)); },
      [&](const StreamHeader&, uint64_t) -> Status { return {}; },
      [&](std::string_view line, uint64_t line_no) -> bool {
        size_t tab = line.find('\t');
        if (tab == std::string_view::npos || tab == 0 || line.find('\t', tab + 1) != std::string_view::npos ||
            !unescape_tsv_field(line.substr(tab + 1), label))
          return bad_line(in.name(), line_no, "expected 2 tab-separated fields (labels: key label)");
        auto it = wanted_labels_.find(std::string(line.substr(0, tab)));
        if (it == wanted_labels_.end()) return true;
        ++stats_.labels;
        for (auto [net, j] : it->second)
          if (!nets_[net].top_keys[j].label) nets_[net].top_keys[j].label = label;
        return true;
      });
}

Profile profile_of(simdjson::dom::object o) {
  Profile p;
  p.handle = str_member(o, "handle");
  p.country = str_member(o, "country");
  p.state_affiliated = str_member(o, "state_affiliated");
  simdjson::dom::element c;
  if (!o["created"].get(c)) {
    std::string_view s;
    int64_t i = 0;
    double d = 0;
    if (!c.get(s)) {
      if (auto t = parse_timestamp(s)) p.created = *t;
    } else if (!c.get(i)) {
      if (i > -1e11 && i < 1e11) p.created = i * 1000000;
    } else if (!c.get(d) && d > -1e11 && d < 1e11) {
      p.created = static_cast<Micros>(d * 1e6);
    }
  }
  int64_t followers = 0;
  if (!o["followers"].get(followers)) p.followers = followers;
  bool verified = false;
  if (!o["verified"].get(verified)) p.verified = verified;
  return p;
}

Status Scorer::add_accounts(InputStream& in) {
  order_networks();
  read_accounts_ = true;
  for (auto& n : nets_) {
    n.has_profiles = true;
    n.profiles.assign(n.accounts.size(), std::nullopt);
  }
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "account profiles", bad, [&](std::string m) { return data_error(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        std::string_view account;
        if (o["account"].get(account) || account.empty()) return bad(line, "no \"account\" string (account profiles)");
        const std::string name = stream_name(str_member(o, "platform"), account);
        std::string_view state = str_member(o, "state_affiliated");
        if (!state.empty()) state_accounts_[name] = std::string(state);
        auto w = where_.find(name);
        if (w == where_.end()) return true;
        ++stats_.profiles;
        Profile p = profile_of(o);
        nets_[w->second.net].profiles[w->second.index] = std::move(p);
        return true;
      });
  return st;
}

Status Scorer::add_events(InputStream& in) {
  order_networks();
  read_events_ = true;
  text_hashes_.assign(nets_.size(), {});
  for (auto& n : nets_) n.has_events = true;
  uint64_t seq = 0;
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "events", bad, [&](std::string m) { return data_error(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        std::string_view account, id;
        if (!event_ids(o, id, account)) return bad(line, kNoEventIds);
        std::string_view platform = str_member(o, "platform");
        const std::string name = stream_name(platform, account);
        simdjson::dom::array urls;
        const bool has_urls = !o["urls"].get(urls);
        if (auto s = state_accounts_.find(name); s != state_accounts_.end()) {
          state_items_.try_emplace(hash_of(platform, id), s->second);
          if (has_urls)
            for (auto u : urls) {
              std::string_view url;
              if (!u.get(url)) state_items_.try_emplace(hash_of("\x02url", url), s->second);
            }
        }
        auto w = where_.find(name);
        if (w == where_.end()) return true;
        ++stats_.events;
        const uint32_t net = w->second.net;
        Network& n = nets_[net];
        ++n.events;
        if (auto ts = time_member(o, "ts")) n.activity.add(*ts);
        ++seq;
        std::string_view audience = str_member(o, "audience");
        if (!audience.empty()) {
          ++n.audiences[std::string(audience)];
          if (n.has_profiles) {
            const auto& p = n.profiles[w->second.index];
            if (p && !p->country.empty()) {
              ++n.audience_known;
              n.foreign += p->country != audience;
            }
          }
        }
        std::string_view text = str_member(o, "text");
        if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
          ++n.texts;
          text_hashes_[net].push_back(text_hash(text));
        }
        std::string_view parent = str_member(o, "parent");
        if (!parent.empty()) references_.push_back({net, seq, hash_of(platform, parent)});
        if (has_urls)
          for (auto u : urls) {
            std::string_view url;
            if (!u.get(url)) references_.push_back({net, seq, hash_of("\x02url", url)});
          }
        return true;
      });
  if (!st) return st;
  // Duplication: texts whose hash another text of the network has.
  for (size_t i = 0; i < nets_.size(); ++i) {
    auto& h = text_hashes_[i];
    std::sort(h.begin(), h.end());
    for (size_t j = 0; j < h.size();) {
      size_t k = j;
      while (k < h.size() && h[k] == h[j]) ++k;
      if (k - j >= 2) nets_[i].repeated_texts += k - j;
      j = k;
    }
    std::vector<uint64_t>().swap(h);
  }
  // Amplification: events that share or link a state-affiliated account's item.
  uint64_t last = 0;
  for (const Reference& r : references_) {
    auto it = state_items_.find(r.item);
    if (it == state_items_.end() || r.event == last) continue;
    last = r.event;
    ++nets_[r.net].state_amplifying;
    ++nets_[r.net].amplified_states[it->second];
  }
  std::vector<Reference>().swap(references_);
  return {};
}

std::string Scorer::params_json() const {
  std::string p = "{\"coordinated\":" + format_decimal(opt_.coordinated, 3) + ",\"review\":" + format_decimal(opt_.review, 3) +
                  ",\"top\":" + std::to_string(opt_.top) + ",\"burst_days\":" + std::to_string(opt_.burst_days) +
                  ",\"window\":" + format_decimal(opt_.window, 6) + ",\"clusters\":" +
                  (clusters_params_.empty() ? std::string("null") : clusters_params_) + ",\"evidence\":" +
                  (read_evidence_ ? "true" : "false") + ",\"labels\":" + (read_labels_ ? "true" : "false") +
                  ",\"accounts\":" + (read_accounts_ ? "true" : "false") + ",\"events\":" + (read_events_ ? "true" : "false") +
                  "}";
  return p;
}

Status Scorer::write(OutputStream& out) {
  order_networks();
  const std::string params = params_json();
  for (const Network& n : nets_) {
    Assessment a = assess(n, opt_);
    out.write(network_json(n, a, params));
    ++stats_.networks;
  }
  return {};
}

}  // namespace chorus

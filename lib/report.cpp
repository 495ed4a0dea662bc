// report.cpp — see report.hpp.
#include "report.hpp"

#include <igraph/igraph.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "diagnostics.hpp"
#include "json_lines.hpp"
#include "json_writer.hpp"
#include "line_reader.hpp"
#include "stream_header.hpp"
#include "tsv.hpp"
#include "tsv_stream.hpp"

namespace chorus {

namespace {

constexpr Micros kHour = int64_t{3600} * kMicrosPerSecond;
constexpr Micros kDay = 24 * kHour;
constexpr size_t kMaxSharedText = 4096;   // bytes of a shared post's text kept
constexpr size_t kMaxAccountsListed = 60;  // accounts named in Markdown and HTML
constexpr size_t kMaxActivityBars = 10000;           // bars of a networks line's activity, at most
constexpr uint64_t kMaxActivitySpan = 100000000000;  // seconds the bars span, at most (~3,000 years)

// ---- UTF-8 ----

// Decodes one code point at s[i]; its length in `len` (0: an invalid byte).
uint32_t decode(std::string_view s, size_t i, size_t& len) {
  auto c = static_cast<unsigned char>(s[i]);
  len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (!len || i + len > s.size() || !simdjson::validate_utf8(s.data() + i, len)) {
    len = 0;
    return 0;
  }
  if (len == 1) return c;
  uint32_t cp = c & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  return cp;
}

bool is_bidi_control(uint32_t cp) {
  return cp == 0x200e || cp == 0x200f || cp == 0x061c || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

template <typename Escape>
std::string escaped(std::string_view s, size_t max_chars, Escape&& esc) {
  std::string c = clean_text(s, max_chars), out;
  out.reserve(c.size() + 16);
  for (char ch : c) esc(out, ch);
  return out;
}

void html_char(std::string& out, char c) {
  switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
  }
}

// ---- Numbers and words ----

std::string commas(uint64_t n) { return with_commas(n); }
std::string commas_signed(int64_t n) { return n < 0 ? "-" + with_commas(static_cast<uint64_t>(-(n + 1)) + 1) : with_commas(n); }

std::string percent(uint64_t part, uint64_t whole) {
  if (!whole) return "0 %";
  if (part && 100 * part < whole) return "under 1 %";
  return format_decimal(100.0 * static_cast<double>(part) / static_cast<double>(whole), 0) + " %";
}

std::string duration_words(double seconds) {
  if (seconds < 120) return format_decimal(seconds, 0) + " s";
  if (seconds < 2 * 3600) return format_decimal(seconds / 60, 1) + " min";
  if (seconds < 2 * 86400) return format_decimal(seconds / 3600, 1) + " h";
  return format_decimal(seconds / 86400, 1) + " days";
}

std::string date_of(Micros t) { return format_rfc3339(t).substr(0, 10); }

std::optional<Micros> time_of(std::string_view s) {
  auto t = parse_timestamp(s);
  if (!t) return std::nullopt;
  return *t;
}

// What a kind of key is called, and what sharing it means.
struct KindWords {
  const char* kind;
  const char* group;   // the report's list it goes to
  const char* tactic;  // what the accounts did
};
constexpr KindWords kKinds[] = {
    {"text", "Top texts", "posted identical texts"},
    {"near", "Top texts", "posted near-identical texts (paraphrases and small edits)"},
    {"url", "Top links and sites", "shared the same links"},
    {"domain", "Top links and sites", "linked to the same sites"},
    {"tag", "Top hashtags", "used the same hashtags"},
    {"tagseq", "Top hashtags", "used the same sequences of hashtags"},
    {"mention", "Accounts mentioned", "mentioned the same accounts"},
    {"media", "Media", "posted the same images or videos"},
    {"share", "Posts shared", "reshared the same posts"},
    {"reply", "Posts replied to", "replied to the same posts"},
};
const KindWords* kind_words(std::string_view kind) {
  for (const auto& k : kKinds)
    if (kind == k.kind) return &k;
  return nullptr;
}
const char* kGroups[] = {"Top texts", "Top links and sites", "Top hashtags", "Accounts mentioned",
                         "Media", "Posts shared", "Posts replied to", "Other keys"};
const char* group_of(std::string_view kind) {
  const KindWords* w = kind_words(kind);
  return w ? w->group : "Other keys";
}

std::string verdict_order_key(const std::string& v) {
  return v == "coordinated" ? "0" : v == "review" ? "1" : v == "benign" ? "2" : "3" + v;
}

// Members of a {"name": count} object, in the order written.
bool count_members(simdjson::dom::object o, const char* name, std::vector<std::pair<std::string, uint64_t>>& out) {
  simdjson::dom::object m;
  if (o[name].get(m)) return true;  // absent or null: none
  for (auto field : m) {
    uint64_t v = 0;
    if (field.value.get(v)) return false;
    out.emplace_back(std::string(field.key), v);
  }
  return true;
}

// Sorted by count (most first), then name.
std::vector<std::pair<std::string, uint64_t>> by_count(std::vector<std::pair<std::string, uint64_t>> v) {
  std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  });
  return v;
}

uint64_t sum_counts(const std::vector<std::pair<std::string, uint64_t>>& v) {
  uint64_t s = 0;
  for (const auto& [k, n] : v) s += n;
  return s;
}

std::string unescaped(std::string_view field) {
  std::string raw;
  if (!unescape_tsv_field(field, raw)) raw.assign(field);
  return raw;
}

std::string escaped_name(std::string_view raw) {
  std::string s;
  append_tsv_field(s, raw);
  return s;
}

constexpr const char* kCss = R"(body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:0 0 8px}h3{font-size:15px;margin:16px 0 6px}
.sub{color:#5a6272;margin:0 0 18px}
section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:18px 20px;margin:18px 0}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.v{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;font-weight:600}
.v-coordinated{background:#fde2e1;color:#9b1c1c}.v-review{background:#fff1c2;color:#7a5200}.v-benign{background:#e3f4e6;color:#1f6b2e}.v-other{background:#e8eaee;color:#333}
dl{display:grid;grid-template-columns:170px 1fr;gap:4px 12px;margin:8px 0}dt{color:#5a6272}dd{margin:0}
ol,ul{margin:4px 0 4px 20px;padding:0}li{margin:2px 0;overflow-wrap:anywhere}
.k{color:#5a6272;font-size:13px}
.figs{display:flex;flex-wrap:wrap;gap:12px}.fig{flex:1 1 460px;min-width:0}
svg{max-width:100%;height:auto;background:#fbfcfd;border:1px solid #eceef2;border-radius:6px}
details{margin-top:8px}summary{cursor:pointer;color:#3b4a66}
.t{font-size:11px;fill:#5a6272}
)";

}  // namespace

// ---- Escaping ----

std::string clean_text(std::string_view s, size_t max_chars) {
  std::string out;
  out.reserve(std::min(s.size(), max_chars * 4) + 8);
  size_t chars = 0;
  for (size_t i = 0; i < s.size();) {
    if (chars == max_chars) {
      out += "\xe2\x80\xa6";  // …
      break;
    }
    size_t len = 0;
    uint32_t cp = decode(s, i, len);
    ++chars;
    if (!len) {
      out += "\xef\xbf\xbd";
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
      out += ' ';
    } else if (is_bidi_control(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "[U+%04X]", static_cast<unsigned>(cp));
      out += buf;
    } else if (cp == 0xfffe || cp == 0xffff) {
      out += "\xef\xbf\xbd";
    } else {
      out.append(s.data() + i, len);
    }
    i += len;
  }
  return out;
}

std::string html_text(std::string_view s, size_t max_chars) { return escaped(s, max_chars, html_char); }
std::string xml_text(std::string_view s, size_t max_chars) { return escaped(s, max_chars, html_char); }

std::string markdown_text(std::string_view s, size_t max_chars) {
  // What could make a link or an image ('[' ']'), emphasis, code, a table
  // cell or HTML: backslash-escaped, or a character reference; the ':' of
  // "scheme:/", the '.' of "www." and the '@' of an e-mail address too, so
  // that no URL or address becomes an autolink.
  std::string out;
  const std::string c = clean_text(s, max_chars);
  for (size_t i = 0; i < c.size(); ++i) {
    const char ch = c[i];
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~':
        out += '\\';
        out += ch;
        break;
      case ':':
        if (i + 1 < c.size() && c[i + 1] == '/') out += '\\';
        out += ch;
        break;
      case '@':  // an e-mail address would become a mailto: autolink
        if (i > 0 && std::isalnum(static_cast<unsigned char>(c[i - 1]))) out += '\\';
        out += ch;
        break;
      case '.':
        if (i >= 3 && (c[i - 1] | 0x20) == 'w' && (c[i - 2] | 0x20) == 'w' && (c[i - 3] | 0x20) == 'w') out += '\\';
        out += ch;
        break;
      default: out += ch;
    }
  }
  return out;
}

// ---- Reading ----

Reporter::Reporter(ReportOptions options, ReportErrorSink on_error, size_t max_line)
    : opt_(std::move(options)), on_error_(std::move(on_error)), max_line_(max_line) {}

Status Reporter::data_error(std::string message) {
  data_error_ = true;
  return Status::error(std::move(message));
}

bool Reporter::bad_line(const std::string& file, uint64_t line, const std::string& message) {
  ++stats_.bad_lines;
  if (on_error_ && on_error_(file, line, message)) return true;
  stopped_ = true;
  return false;
}

Status Reporter::add_networks(InputStream& in) {
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "networks", bad, [&](std::string m) { return data_error(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        ReportNetwork n;
        std::string_view id, verdict;
        simdjson::dom::array accounts;
        if (o["id"].get(id) || id.empty() || o["accounts"].get(accounts) || o["verdict"].get(verdict) ||
            o["score"].get(n.score))
          return bad(line, "no \"id\" string, \"accounts\" array, \"verdict\" string or \"score\" number (networks)");
        ++stats_.networks_read;
        if (!opt_.verdicts.empty() && !opt_.verdicts.count(std::string(verdict))) return true;
        n.id = id;
        n.verdict = verdict;
        for (auto a : accounts) {
          std::string_view name;
          if (a.get(name) || name.empty()) return bad(line, "an account that is not a string (networks)");
          n.accounts.emplace_back(name);
        }
        std::sort(n.accounts.begin(), n.accounts.end());
        n.accounts.erase(std::unique(n.accounts.begin(), n.accounts.end()), n.accounts.end());
        uint64_t u = 0;
        n.size = o["size"].get(u) ? n.accounts.size() : u;
        if (!o["edges"].get(u)) n.edges = u;
        if (!o["coactions"].get(u)) n.coactions = u;
        double d = 0;
        if (!o["density"].get(d)) n.density = d;
        if (!o["median_dt"].get(d)) n.median_dt = d;
        int64_t f = 0;
        if (!o["followers"].get(f)) n.followers = f;
        n.first_seen = str_member(o, "first_seen");
        n.last_seen = str_member(o, "last_seen");
        simdjson::dom::object cs;
        if (!o["created_span"].get(cs)) {
          n.created_first = str_member(cs, "first");
          n.created_last = str_member(cs, "last");
        }
        if (!count_members(o, "signals", n.signals) || !count_members(o, "countries", n.countries) ||
            !count_members(o, "audiences", n.audiences) || !count_members(o, "state_affiliated", n.state_affiliated))
          return bad(line, "a count in \"signals\", \"countries\", \"audiences\" or \"state_affiliated\" that is not a whole number (networks)");
        simdjson::dom::array reasons;
        if (!o["reasons"].get(reasons))
          for (auto r : reasons) {
            std::string_view text;
            if (!r.get(text)) n.reasons.emplace_back(text);
          }
        simdjson::dom::array keys;
        if (!o["top_keys"].get(keys))
          for (auto k : keys) {
            simdjson::dom::object ko;
            if (k.get(ko)) continue;
            ReportKey rk;
            rk.key = str_member(ko, "key");
            rk.kind = str_member(ko, "kind");
            if (rk.kind.empty()) rk.kind = rk.key.substr(0, rk.key.find(':'));
            rk.label = str_member(ko, "label");
            if (ko["coactions"].get(rk.coactions)) rk.coactions = 0;
            if (ko["accounts"].get(rk.accounts)) rk.accounts = 0;
            n.top_keys.push_back(std::move(rk));
          }
        simdjson::dom::object params;
        if (!o["params"].get(params)) {
          double w = 0;
          if (!params["window"].get(w) && w > 0) n.window = static_cast<uint64_t>(w);
          simdjson::dom::object cl;
          if (!params["clusters"].get(cl)) {
            n.method = str_member(cl, "method");
            double a = 0;
            if (!cl["alpha"].get(a)) n.alpha = a;
          }
        }
        simdjson::dom::object act;
        if (!o["activity"].get(act)) {
          Activity& a = n.activity;
          uint64_t width = 0;
          simdjson::dom::array counts;
          if (act["events"].get(a.events) || act["bin_seconds"].get(width) || act["counts"].get(counts))
            return bad(line, "an \"activity\" without whole \"events\", \"bin_seconds\" and \"counts\" (networks)");
          // chorus-score writes at most 120 bars; the span stays within +-3000 years.
          if (counts.size() > kMaxActivityBars || width * std::max<size_t>(counts.size(), 1) > kMaxActivitySpan)
            return bad(line, "an \"activity\" of more than " + std::to_string(kMaxActivityBars) + " bars or " +
                                 std::to_string(kMaxActivitySpan) + " seconds (networks)");
          a.width = static_cast<Micros>(width) * kMicrosPerSecond;
          for (auto c : counts) {
            uint64_t v = 0;
            if (c.get(v)) return bad(line, "an \"activity\" count that is not a whole number (networks)");
            a.counts.push_back(v);
          }
          std::string_view start = str_member(act, "start");
          auto t = time_of(start);
          if (!a.counts.empty() && (!t || !a.width))
            return bad(line, "an \"activity\" without a readable \"start\" and \"bin_seconds\" (networks)");
          if (t) a.start = *t;
          a.present = true;
        }
        simdjson::dom::object track;
        if (!o["track"].get(track)) {
          n.track_first_run = str_member(track, "first_run");
          if (track["runs"].get(n.track_runs)) n.track_runs = 0;
          simdjson::dom::array ret;
          if (!track["returning"].get(ret))
            for (auto r : ret) {
              simdjson::dom::object ro;
              if (r.get(ro)) continue;
              std::string line(str_member(ro, "account"));
              line += str_member(ro, "how") == "same" ? ", removed before" : ", linked to the removed account " + std::string(str_member(ro, "removed_account"));
              line += " (network " + std::string(str_member(ro, "removed_network")) + ", removed in run " + std::string(str_member(ro, "removed_run")) + ")";
              n.returning.push_back(std::move(line));
            }
        }
        nets_.push_back(std::move(n));
        ++stats_.networks;
        return true;
      });
  return st;
}

void Reporter::index_accounts() {
  if (indexed_) return;
  indexed_ = true;
  for (uint32_t i = 0; i < nets_.size(); ++i)
    for (uint32_t k = 0; k < nets_[i].accounts.size(); ++k)
      where_.try_emplace(escaped_name(nets_[i].accounts[k]), Where{i, k});
  for (const auto& n : nets_)
    for (const auto& k : n.top_keys)
      if ((k.kind == "share" || k.kind == "reply") && !k.label.empty() && shared_.size() < kMaxSharedTexts)
        shared_.try_emplace(k.label, std::string());
}

Status Reporter::add_clusters(InputStream& in) {
  index_accounts();
  have_clusters_ = true;
  std::string cluster;
  ClusterEdge edge;
  return read_tsv_stream(
      in, max_line_, "clusters", [&](uint64_t line_no, const std::string& m) { return bad_line(in.name(), line_no, m); },
      [&](std::string m) { return data_error(std::move(m)); },
      [&](const StreamHeader&, uint64_t) -> Status { return {}; },
      [&](std::string_view line, uint64_t line_no) -> bool {
        if (Status st = parse_cluster_edge(line, cluster, edge); !st) return bad_line(in.name(), line_no, st.message());
        // Names as chorus writes them (a field with raw control bytes, escaped).
        edge.a = escaped_name(unescaped(edge.a));
        edge.b = escaped_name(unescaped(edge.b));
        auto a = where_.find(edge.a), b = where_.find(edge.b);
        if (a == where_.end() && b == where_.end()) return true;  // a network not reported
        if (a == where_.end() || b == where_.end() || a->second.net != b->second.net) {
          ++stats_.unknown_edges;
          return true;
        }
        ReportEdge re;
        re.a = a->second.index;
        re.b = b->second.index;
        re.e = std::move(edge);
        edge = ClusterEdge();
        nets_[a->second.net].edge_list.push_back(std::move(re));
        ++stats_.edges;
        return true;
      });
}

Status Reporter::add_accounts(InputStream& in) {
  index_accounts();
  have_accounts_ = true;
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "account profiles", bad, [&](std::string m) { return data_error(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        std::string_view account;
        if (o["account"].get(account) || account.empty()) return bad(line, "no \"account\" string (account profiles)");
        std::string name = stream_name(str_member(o, "platform"), account);
        if (!where_.count(name)) return true;
        if (profiles_.insert_or_assign(std::move(name), profile_of(o)).second) ++stats_.profiles;
        return true;
      });
  return st;
}

Status Reporter::add_events(InputStream& in) {
  index_accounts();
  have_events_ = true;
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "events", bad, [&](std::string m) { return data_error(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        std::string_view account, id;
        if (!event_ids(o, id, account)) return bad(line, kNoEventIds);
        const std::string name = stream_name(str_member(o, "platform"), account);
        if (!shared_.empty()) {
          // The shared post's own text; until it is seen, the text of a
          // share of it (a retweet's "RT @author: ...").
          std::string_view text = str_member(o, "text");
          auto keep = [&](std::string& slot) {
            size_t cut = std::min(text.size(), kMaxSharedText);
            while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
            slot.assign(text.substr(0, cut));
          };
          if (auto s = shared_.find(std::string(id)); s != shared_.end() && !shared_by_.count(s->first)) {
            keep(s->second);
            if (s->second.empty()) s->second = " ";
            shared_by_[s->first] = unescaped(name);
          }
          std::string_view parent = str_member(o, "parent");
          if (!parent.empty() && text.find_first_not_of(" \t\r\n") != std::string_view::npos)
            if (auto s = shared_.find(std::string(parent)); s != shared_.end() && s->second.empty()) keep(s->second);
        }
        if (where_.count(name)) ++stats_.events;
        return true;
      });
  return st;
}

// ---- What the formats share ----

Reporter::Totals Reporter::totals() const {
  Totals t;
  for (const auto& n : nets_) {
    ++t.networks;
    ++t.verdicts[n.verdict];
    t.accounts += n.size;
    t.coactions += n.coactions;
    t.edges += n.edges;
    if (n.followers) {
      t.followers += static_cast<uint64_t>(std::max<int64_t>(0, *n.followers));
      t.followers_known = true;
    }
    if (!n.first_seen.empty() && (t.first.empty() || n.first_seen < t.first)) t.first = n.first_seen;
    if (!n.last_seen.empty() && (t.last.empty() || n.last_seen > t.last)) t.last = n.last_seen;
  }
  t.by_verdict.assign(t.verdicts.begin(), t.verdicts.end());
  std::sort(t.by_verdict.begin(), t.by_verdict.end(),
            [](const auto& a, const auto& b) { return verdict_order_key(a.first) < verdict_order_key(b.first); });
  return t;
}

std::string Reporter::detection(const ReportNetwork& n) const {
  std::string s = "Co-action analysis: accounts that acted on the same content";
  if (n.window) s += " within " + duration_words(static_cast<double>(n.window)) + " of each other";
  s += ", ";
  s += n.alpha ? "pairs kept when significant against chance (alpha " + format_decimal(*n.alpha, 3) + ")" : "pairs kept by weight";
  s += ", grouped by ";
  s += n.method.empty() ? "clustering" : n.method == "leiden" ? "Leiden community detection" : "connected components";
  return s;
}

std::string Reporter::tactics(const ReportNetwork& n) const {
  std::string s;
  auto sig = by_count(n.signals);
  const uint64_t total = sum_counts(sig);
  size_t shown = 0;
  for (const auto& [kind, count] : sig) {
    if (shown == 4) break;
    const KindWords* w = kind_words(kind);
    if (!s.empty()) s += "; ";
    s += w ? w->tactic : "co-acted on the same " + kind + " keys";
    s += " (" + commas(count) + (count == 1 ? " co-action, " : " co-actions, ") + percent(count, total) + ")";
    ++shown;
  }
  if (s.empty()) return "Not known (no signals in the networks line)";
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  if (n.median_dt) s += "; median " + duration_words(*n.median_dt) + " apart";
  return s;
}

// A shared post's text, when the events had it.
std::string Reporter::shared_text(const ReportKey& k) const {
  auto s = shared_.find(k.label);
  if (s == shared_.end() || s->second.empty()) return {};
  return s->second;
}

std::string Reporter::timeline_svg(const ReportNetwork& n) const {
  const Activity& b = n.activity;
  if (b.counts.empty()) return {};
  const double W = 720, H = 150, left = 44, right = 10, top = 10, bottom = 28;
  uint64_t max = *std::max_element(b.counts.begin(), b.counts.end());
  if (!max) max = 1;
  const double bw = (W - left - right) / static_cast<double>(b.counts.size());
  char buf[256];
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 150\" width=\"720\" height=\"150\" role=\"img\">";
  s += "<title>Events of the network's accounts per " + width_words(b.width) + "</title>";
  // The co-action period, shaded.
  auto f = time_of(n.first_seen), l = time_of(n.last_seen);
  const double span = static_cast<double>(b.width) * static_cast<double>(b.counts.size());
  if (f && l && *l >= *f) {
    double x0 = left + std::clamp(static_cast<double>(*f - b.start) / span, 0.0, 1.0) * (W - left - right);
    double x1 = left + std::clamp(static_cast<double>(*l + 1 - b.start) / span, 0.0, 1.0) * (W - left - right);
    std::snprintf(buf, sizeof buf, "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"#fde2e1\"/>", x0, top,
                  std::max(1.0, x1 - x0), H - top - bottom);
    s += buf;
  }
  for (size_t i = 0; i < b.counts.size(); ++i) {
    if (!b.counts[i]) continue;
    double h = (H - top - bottom) * static_cast<double>(b.counts[i]) / static_cast<double>(max);
    std::snprintf(buf, sizeof buf, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b5b92\">", left + i * bw,
                  H - bottom - h, std::max(0.8, bw - 1), h);
    s += buf;
    s += "<title>" + format_rfc3339(b.start + static_cast<Micros>(i) * b.width) + ": " + commas(b.counts[i]) + " events</title></rect>";
  }
  std::snprintf(buf, sizeof buf, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#8a93a3\"/>", left, H - bottom,
                W - right, H - bottom);
  s += buf;
  s += "<text class=\"t\" x=\"4\" y=\"" + std::to_string(static_cast<int>(top) + 8) + "\">" + commas(max) + "</text>";
  s += "<text class=\"t\" x=\"4\" y=\"" + std::to_string(static_cast<int>(H - bottom)) + "\">0</text>";
  s += "<text class=\"t\" x=\"" + std::to_string(static_cast<int>(left)) + "\" y=\"" + std::to_string(static_cast<int>(H) - 8) +
       "\">" + date_of(b.start) + "</text>";
  s += "<text class=\"t\" text-anchor=\"end\" x=\"" + std::to_string(static_cast<int>(W - right)) + "\" y=\"" +
       std::to_string(static_cast<int>(H) - 8) + "\">" + date_of(b.start + static_cast<Micros>(b.counts.size()) * b.width - 1) +
       "</text>";
  s += "</svg>";
  return s;
}

std::string Reporter::graph_svg(const ReportNetwork& n) const {
  if (n.edge_list.empty()) return {};
  // The accounts drawn: those with the most co-actions.
  std::vector<uint64_t> strength(n.accounts.size(), 0);
  for (const auto& e : n.edge_list) {
    strength[e.a] += e.e.weight;
    strength[e.b] += e.e.weight;
  }
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < n.accounts.size(); ++i)
    if (strength[i]) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return strength[x] != strength[y] ? strength[x] > strength[y] : n.accounts[x] < n.accounts[y];
  });
  const size_t total_nodes = order.size();
  if (order.size() > opt_.max_nodes) order.resize(opt_.max_nodes);
  std::sort(order.begin(), order.end());
  std::vector<int64_t> slot(n.accounts.size(), -1);
  for (size_t i = 0; i < order.size(); ++i) slot[order[i]] = static_cast<int64_t>(i);
  std::vector<const ReportEdge*> drawn;
  uint64_t max_w = 1;
  for (const auto& e : n.edge_list)
    if (slot[e.a] >= 0 && slot[e.b] >= 0) {
      drawn.push_back(&e);
      max_w = std::max(max_w, e.e.weight);
    }
  // Layout: igraph's Fruchterman-Reingold, seeded.
  igraph_t g;
  igraph_vector_int_t el;
  igraph_vector_t w;
  igraph_matrix_t pos;
  igraph_vector_int_init(&el, static_cast<igraph_integer_t>(2 * drawn.size()));
  igraph_vector_init(&w, static_cast<igraph_integer_t>(drawn.size()));
  for (size_t i = 0; i < drawn.size(); ++i) {
    VECTOR(el)[2 * i] = slot[drawn[i]->a];
    VECTOR(el)[2 * i + 1] = slot[drawn[i]->b];
    VECTOR(w)[i] = 1.0 + std::log1p(static_cast<double>(drawn[i]->e.weight));
  }
  igraph_matrix_init(&pos, 0, 0);
  igraph_create(&g, &el, static_cast<igraph_integer_t>(order.size()), IGRAPH_UNDIRECTED);
  igraph_rng_seed(igraph_rng_default(), opt_.seed);
  const bool laid = igraph_layout_fruchterman_reingold(&g, &pos, false, 500, std::sqrt(static_cast<double>(order.size())),
                                                       IGRAPH_LAYOUT_NOGRID, &w, nullptr, nullptr, nullptr, nullptr) == IGRAPH_SUCCESS;
  std::vector<std::pair<double, double>> xy(order.size(), {0, 0});
  if (laid) {
    double minx = 1e300, maxx = -1e300, miny = 1e300, maxy = -1e300;
    for (size_t i = 0; i < order.size(); ++i) {
      xy[i] = {MATRIX(pos, i, 0), MATRIX(pos, i, 1)};
      minx = std::min(minx, xy[i].first), maxx = std::max(maxx, xy[i].first);
      miny = std::min(miny, xy[i].second), maxy = std::max(maxy, xy[i].second);
    }
    const double sx = maxx > minx ? 440.0 / (maxx - minx) : 0, sy = maxy > miny ? 320.0 / (maxy - miny) : 0;
    for (auto& [x, y] : xy) {
      x = 20 + (sx ? (x - minx) * sx : 220);
      y = 20 + (sy ? (y - miny) * sy : 160);
    }
  }
  igraph_matrix_destroy(&pos);
  igraph_destroy(&g);
  igraph_vector_destroy(&w);
  igraph_vector_int_destroy(&el);
  if (!laid) return {};

  char buf[256];
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 360\" width=\"480\" height=\"360\" role=\"img\">";
  s += "<title>" + commas(order.size()) + " accounts and " + commas(drawn.size()) + " co-acting pairs</title>";
  for (const ReportEdge* e : drawn) {
    const auto& p = xy[static_cast<size_t>(slot[e->a])];
    const auto& q = xy[static_cast<size_t>(slot[e->b])];
    double op = 0.15 + 0.6 * static_cast<double>(e->e.weight) / static_cast<double>(max_w);
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#6b7a99\" stroke-opacity=\"%.2f\" stroke-width=\"%.1f\"/>",
                  p.first, p.second, q.first, q.second, op, 0.6 + 1.8 * static_cast<double>(e->e.weight) / static_cast<double>(max_w));
    s += buf;
  }
  const char* fill = n.verdict == "coordinated" ? "#c0392b" : n.verdict == "review" ? "#d68910" : "#3b5b92";
  uint64_t max_s = 1;
  for (uint32_t a : order) max_s = std::max(max_s, strength[a]);
  for (size_t i = 0; i < order.size(); ++i) {
    const uint32_t a = order[i];
    double r = 3 + 5 * std::sqrt(static_cast<double>(strength[a]) / static_cast<double>(max_s));
    std::snprintf(buf, sizeof buf, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.8\">",
                  xy[i].first, xy[i].second, r, fill);
    s += buf;
    std::string tip = n.accounts[a];
    if (auto p = profiles_.find(escaped_name(n.accounts[a])); p != profiles_.end()) {
      if (!p->second.handle.empty()) tip += " @" + p->second.handle;
      if (p->second.followers) tip += ", " + commas_signed(*p->second.followers) + " followers";
    }
    tip += ", " + commas(strength[a]) + " co-actions";
    s += "<title>" + html_text(tip, 200) + "</title></circle>";
  }
  s += "</svg>";
  if (total_nodes > order.size())
    s += "<p class=\"k\">The " + commas(order.size()) + " of " + commas(total_nodes) + " accounts with the most co-actions.</p>";
  return s;
}

// ---- Markdown ----

void Reporter::write_markdown(OutputStream& out) const {
  const Totals t = totals();
  std::string s = "# " + markdown_text(opt_.title, 200) + "\n\n";
  s += "From " + commas(t.networks) + " networks (chorus-score's networks.jsonl)";
  if (have_clusters_) s += ", their co-acting pairs";
  if (have_accounts_) s += ", account profiles";
  if (have_events_) s += ", the texts of the posts they shared";
  s += ". Every figure of a network is a field of its line in networks.jsonl, and the totals are their sums.\n\n";
  s += "## Summary\n\n| | |\n|---|---:|\n";
  std::string verdicts;
  for (const auto& [v, c] : t.by_verdict) verdicts += (verdicts.empty() ? "" : ", ") + commas(c) + " " + markdown_text(v, 40);
  s += "| Networks | " + commas(t.networks) + (verdicts.empty() ? "" : " (" + verdicts + ")") + " |\n";
  s += "| Accounts | " + commas(t.accounts) + " |\n";
  s += "| Followers | " + (t.followers_known ? commas(t.followers) : std::string("unknown")) + " |\n";
  s += "| Co-actions | " + commas(t.coactions) + " on " + commas(t.edges) + " pairs |\n";
  if (!t.first.empty()) s += "| Period | " + markdown_text(t.first, 40) + " to " + markdown_text(t.last, 40) + " |\n";
  s += "\n| Network | Verdict | Score | Accounts | Followers | Origin | Audience | Period |\n|---|---|---:|---:|---:|---|---|---|\n";
  for (const auto& n : nets_) {
    auto c = by_count(n.countries), a = by_count(n.audiences);
    s += "| " + markdown_text(n.id, 40) + " | " + markdown_text(n.verdict, 40) + " | " + format_decimal(n.score, 3) + " | " +
         commas(n.size) + " | " + (n.followers ? commas_signed(*n.followers) : std::string("unknown")) + " | " +
         (c.empty() ? std::string("unknown") : markdown_text(c[0].first, 20)) + " | " +
         (a.empty() ? std::string("unknown") : markdown_text(a[0].first, 20)) + " | " + markdown_text(n.first_seen.substr(0, 10), 20) +
         " to " + markdown_text(n.last_seen.substr(0, 10), 20) + " |\n";
  }
  out.write(s);
  for (const auto& n : nets_) {
    s = "\n## Network " + markdown_text(n.id, 40) + " — " + markdown_text(n.verdict, 40) + " (score " + format_decimal(n.score, 3) + ")\n\n";
    s += "- **Detection:** " + markdown_text(detection(n), 400) + "\n";
    auto c = by_count(n.countries);
    std::string origin;
    for (size_t i = 0; i < c.size() && i < 5; ++i)
      origin += (i ? ", " : "") + markdown_text(c[i].first, 20) + " " + commas(c[i].second);
    s += "- **Origin:** " + (origin.empty() ? std::string("unknown (no profile names a country)") : origin + " (accounts operated from)") + "\n";
    auto a = by_count(n.audiences);
    const uint64_t shown_to = sum_counts(a);
    std::string aud;
    for (size_t i = 0; i < a.size() && i < 5; ++i)
      aud += (i ? ", " : "") + markdown_text(a[i].first, 20) + " " + commas(a[i].second) + " (" + percent(a[i].second, shown_to) + ")";
    s += "- **Targeted audience:** " + (aud.empty() ? std::string("unknown (no event names an audience)") : aud + " of " + commas(shown_to) + " events") + "\n";
    if (!n.state_affiliated.empty()) {
      std::string sa;
      for (const auto& [st, cnt] : by_count(n.state_affiliated)) sa += (sa.empty() ? "" : ", ") + markdown_text(st, 20) + " " + commas(cnt);
      s += "- **State-affiliated accounts:** " + sa + "\n";
    }
    s += "- **Accounts:** " + commas(n.size);
    if (!n.created_first.empty())
      s += " (created " + markdown_text(n.created_first.substr(0, 10), 20) + " to " + markdown_text(n.created_last.substr(0, 10), 20) + ")";
    s += "\n- **Followers:** " + (n.followers ? commas_signed(*n.followers) : std::string("unknown")) + "\n";
    s += "- **Period active:** " + markdown_text(n.first_seen, 40) + " to " + markdown_text(n.last_seen, 40) + "\n";
    s += "- **Co-actions:** " + commas(n.coactions) + " on " + commas(n.edges) + " pairs (density " + format_decimal(n.density, 3) + ")\n";
    s += "- **Tactics:** " + markdown_text(tactics(n), 600) + "\n";
    if (!n.track_first_run.empty())
      s += "- **Tracked:** first seen in run " + markdown_text(n.track_first_run, 80) + ", in " + commas(n.track_runs) +
           (n.track_runs == 1 ? " run" : " runs") + "; " + commas(n.returning.size()) + " returning accounts of removed networks\n";
    if (n.activity.present) {
      const Activity& b = n.activity;
      if (!b.counts.empty()) {
        size_t peak = static_cast<size_t>(std::max_element(b.counts.begin(), b.counts.end()) - b.counts.begin());
        s += "- **Activity:** " + commas(b.events) + " events of its accounts, busiest " + width_words(b.width) + " " +
             format_rfc3339(b.start + static_cast<Micros>(peak) * b.width) + " with " + commas(b.counts[peak]) + "\n";
      } else {
        s += "- **Activity:** no events of its accounts\n";
      }
    }
    for (const char* group : kGroups) {
      std::string items;
      size_t k = 0;
      for (const auto& key : n.top_keys) {
        if (group_of(key.kind) != std::string_view(group) || k == opt_.top) continue;
        ++k;
        std::string what = key.label.empty() ? key.key : key.label;
        items += std::to_string(k) + ". " + markdown_text(what, 280);
        std::string text = shared_text(key);
        if (!text.empty()) items += ": “" + markdown_text(text, 280) + "”";
        items += " — " + commas(key.coactions) + " co-actions, " + commas(key.accounts) + " accounts\n";
      }
      if (!items.empty()) s += "\n**" + std::string(group) + "**\n\n" + items;
    }
    if (!n.returning.empty()) {
      s += "\n**Returning accounts**\n\n";
      for (size_t i = 0; i < n.returning.size() && i < kMaxAccountsListed; ++i) s += "- " + markdown_text(n.returning[i], 400) + "\n";
      if (n.returning.size() > kMaxAccountsListed) s += "- and " + commas(n.returning.size() - kMaxAccountsListed) + " more\n";
    }
    if (!n.reasons.empty()) {
      s += "\n**Why**\n\n";
      for (const auto& r : n.reasons) s += "- " + markdown_text(r, 600) + "\n";
    }
    s += "\n**Accounts**: ";
    for (size_t i = 0; i < n.accounts.size() && i < kMaxAccountsListed; ++i) s += (i ? ", " : "") + markdown_text(n.accounts[i], 120);
    if (n.accounts.size() > kMaxAccountsListed) s += " and " + commas(n.accounts.size() - kMaxAccountsListed) + " more";
    s += "\n";
    out.write(s);
  }
}

// ---- HTML ----

void Reporter::write_html(OutputStream& out) const {
  const Totals t = totals();
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  s += html_text(opt_.title, 200) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n<main>\n";
  s += "<h1>" + html_text(opt_.title, 200) + "</h1>\n<p class=\"sub\">From " + commas(t.networks) + " networks (chorus-score's networks.jsonl)";
  if (have_clusters_) s += ", their co-acting pairs";
  if (have_accounts_) s += ", account profiles";
  if (have_events_) s += ", the texts of the posts they shared";
  s += ". Every figure of a network is a field of its line in networks.jsonl; the totals are their sums.</p>\n";
  s += "<section id=\"summary\"><h2>Summary</h2>\n<table>\n";
  std::string verdicts;
  for (const auto& [v, c] : t.by_verdict) verdicts += (verdicts.empty() ? "" : ", ") + commas(c) + " " + html_text(v, 40);
  s += "<tr><th>Networks</th><td class=\"n\">" + commas(t.networks) + "</td><td>" + verdicts + "</td></tr>\n";
  s += "<tr><th>Accounts</th><td class=\"n\">" + commas(t.accounts) + "</td><td></td></tr>\n";
  s += "<tr><th>Followers</th><td class=\"n\">" + (t.followers_known ? commas(t.followers) : std::string("unknown")) + "</td><td></td></tr>\n";
  s += "<tr><th>Co-actions</th><td class=\"n\">" + commas(t.coactions) + "</td><td>on " + commas(t.edges) + " pairs</td></tr>\n";
  if (!t.first.empty())
    s += "<tr><th>Period</th><td></td><td>" + html_text(t.first, 40) + " to " + html_text(t.last, 40) + "</td></tr>\n";
  s += "</table>\n<h3>Networks</h3>\n<table>\n<tr><th>Network</th><th>Verdict</th><th class=\"n\">Score</th><th class=\"n\">Accounts</th>"
       "<th class=\"n\">Followers</th><th>Origin</th><th>Audience</th><th>Period</th></tr>\n";
  auto verdict_class = [](const std::string& v) {
    return std::string("v v-") + (v == "coordinated" || v == "review" || v == "benign" ? v : std::string("other"));
  };
  for (const auto& n : nets_) {
    auto c = by_count(n.countries), a = by_count(n.audiences);
    s += "<tr><td><bdi>" + html_text(n.id, 40) + "</bdi></td><td><span class=\"" + verdict_class(n.verdict) + "\">" + html_text(n.verdict, 40) +
         "</span></td><td class=\"n\">" + format_decimal(n.score, 3) + "</td><td class=\"n\">" + commas(n.size) + "</td><td class=\"n\">" +
         (n.followers ? commas_signed(*n.followers) : std::string("unknown")) + "</td><td>" +
         (c.empty() ? std::string("unknown") : "<bdi>" + html_text(c[0].first, 20) + "</bdi>") + "</td><td>" +
         (a.empty() ? std::string("unknown") : "<bdi>" + html_text(a[0].first, 20) + "</bdi>") + "</td><td>" +
         html_text(n.first_seen.substr(0, 10), 20) + " to " + html_text(n.last_seen.substr(0, 10), 20) + "</td></tr>\n";
  }
  s += "</table>\n</section>\n";
  out.write(s);
  for (const auto& n : nets_) {
    s = "<section class=\"network\">\n<h2>Network <bdi>" + html_text(n.id, 40) + "</bdi> <span class=\"" + verdict_class(n.verdict) + "\">" +
        html_text(n.verdict, 40) + "</span> <span class=\"k\">score " + format_decimal(n.score, 3) + "</span></h2>\n<dl>\n";
    auto dd = [&](const std::string& term, const std::string& html) { s += "<dt>" + term + "</dt><dd>" + html + "</dd>\n"; };
    dd("Detection", html_text(detection(n), 400));
    auto c = by_count(n.countries);
    std::string origin;
    for (size_t i = 0; i < c.size() && i < 5; ++i) origin += (i ? ", " : "") + ("<bdi>" + html_text(c[i].first, 20) + "</bdi> ") + commas(c[i].second);
    dd("Origin", origin.empty() ? "unknown (no profile names a country)" : origin + " (accounts operated from)");
    auto a = by_count(n.audiences);
    const uint64_t shown_to = sum_counts(a);
    std::string aud;
    for (size_t i = 0; i < a.size() && i < 5; ++i)
      aud += (i ? ", " : "") + ("<bdi>" + html_text(a[i].first, 20) + "</bdi> ") + commas(a[i].second) + " (" + percent(a[i].second, shown_to) + ")";
    dd("Targeted audience", aud.empty() ? "unknown (no event names an audience)" : aud + " of " + commas(shown_to) + " events");
    if (!n.state_affiliated.empty()) {
      std::string sa;
      for (const auto& [st, cnt] : by_count(n.state_affiliated))
        sa += (sa.empty() ? "" : ", ") + ("<bdi>" + html_text(st, 20) + "</bdi> ") + commas(cnt);
      dd("State-affiliated", sa);
    }
    std::string acc = commas(n.size);
    if (!n.created_first.empty())
      acc += " (created " + html_text(n.created_first.substr(0, 10), 20) + " to " + html_text(n.created_last.substr(0, 10), 20) + ")";
    dd("Accounts", acc);
    dd("Followers", n.followers ? commas_signed(*n.followers) : "unknown");
    dd("Period active", html_text(n.first_seen, 40) + " to " + html_text(n.last_seen, 40));
    dd("Co-actions", commas(n.coactions) + " on " + commas(n.edges) + " pairs (density " + format_decimal(n.density, 3) + ")");
    dd("Tactics", html_text(tactics(n), 600));
    if (!n.track_first_run.empty())
      dd("Tracked", "first seen in run <bdi>" + html_text(n.track_first_run, 80) + "</bdi>, in " + commas(n.track_runs) +
                        (n.track_runs == 1 ? " run" : " runs") + "; " + commas(n.returning.size()) + " returning accounts of removed networks");
    s += "</dl>\n";
    std::string timeline = timeline_svg(n), graph = graph_svg(n);
    if (!timeline.empty() || !graph.empty()) {
      s += "<div class=\"figs\">\n";
      if (!timeline.empty())
        s += "<div class=\"fig\"><h3>Activity</h3>" + timeline + "<p class=\"k\">Events of its accounts per " +
             width_words(n.activity.width) + " (" + commas(n.activity.events) + " in all); shaded: the period it co-acted.</p></div>\n";
      if (!graph.empty()) s += "<div class=\"fig\"><h3>Network</h3>" + graph + "</div>\n";
      s += "</div>\n";
    }
    for (const char* group : kGroups) {
      std::string items;
      size_t k = 0;
      for (const auto& key : n.top_keys) {
        if (group_of(key.kind) != std::string_view(group) || k == opt_.top) continue;
        ++k;
        items += "<li><bdi>" + html_text(key.label.empty() ? key.key : key.label, 280) + "</bdi>";
        std::string text = shared_text(key);
        if (!text.empty()) items += ": “<bdi>" + html_text(text, 280) + "</bdi>”";
        items += " <span class=\"k\">" + commas(key.coactions) + " co-actions, " + commas(key.accounts) + " accounts</span></li>\n";
      }
      if (!items.empty()) s += "<h3>" + std::string(group) + "</h3>\n<ol>\n" + items + "</ol>\n";
    }
    if (!n.returning.empty()) {
      s += "<h3>Returning accounts</h3>\n<ul>\n";
      for (size_t i = 0; i < n.returning.size() && i < kMaxAccountsListed; ++i) s += "<li><bdi>" + html_text(n.returning[i], 400) + "</bdi></li>\n";
      if (n.returning.size() > kMaxAccountsListed) s += "<li>and " + commas(n.returning.size() - kMaxAccountsListed) + " more</li>\n";
      s += "</ul>\n";
    }
    if (!n.reasons.empty()) {
      s += "<h3>Why</h3>\n<ul>\n";
      for (const auto& r : n.reasons) s += "<li><bdi>" + html_text(r, 600) + "</bdi></li>\n";
      s += "</ul>\n";
    }
    s += "<details><summary>Accounts (" + commas(n.accounts.size()) + ")</summary>\n<ul>\n";
    for (size_t i = 0; i < n.accounts.size() && i < kMaxAccountsListed; ++i) {
      s += "<li><bdi>" + html_text(n.accounts[i], 120) + "</bdi>";
      if (auto p = profiles_.find(escaped_name(n.accounts[i])); p != profiles_.end()) {
        std::string info;
        if (!p->second.handle.empty()) info += "@" + p->second.handle;
        if (p->second.followers) info += (info.empty() ? "" : ", ") + commas_signed(*p->second.followers) + " followers";
        if (!p->second.country.empty()) info += (info.empty() ? "" : ", ") + p->second.country;
        if (!info.empty()) s += " <span class=\"k\"><bdi>" + html_text(info, 200) + "</bdi></span>";
      }
      s += "</li>\n";
    }
    if (n.accounts.size() > kMaxAccountsListed) s += "<li>and " + commas(n.accounts.size() - kMaxAccountsListed) + " more</li>\n";
    s += "</ul>\n</details>\n</section>\n";
    out.write(s);
  }
  out.write("</main>\n</body>\n</html>\n");
}

// ---- JSON ----

void Reporter::write_json(OutputStream& out) const {
  const Totals t = totals();
  std::string s = "{\"title\":";
  append_json_string(s, clean_text(opt_.title, 200));
  s += ",\"totals\":{\"networks\":" + std::to_string(t.networks) + ",\"verdicts\":{";
  bool first = true;
  for (const auto& [v, c] : t.verdicts) {
    if (!first) s += ',';
    first = false;
    append_json_string(s, v);
    s += ':' + std::to_string(c);
  }
  s += "},\"accounts\":" + std::to_string(t.accounts) + ",\"followers\":" + (t.followers_known ? std::to_string(t.followers) : "null") +
       ",\"coactions\":" + std::to_string(t.coactions) + ",\"edges\":" + std::to_string(t.edges) + ",\"first_seen\":";
  t.first.empty() ? void(s += "null") : append_json_string(s, t.first);
  s += ",\"last_seen\":";
  t.last.empty() ? void(s += "null") : append_json_string(s, t.last);
  s += "},\"networks\":[";
  out.write(s);
  auto counts = [](std::string& o, const std::vector<std::pair<std::string, uint64_t>>& v) {
    o += '{';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) o += ',';
      append_json_string(o, v[i].first);
      o += ':' + std::to_string(v[i].second);
    }
    o += '}';
  };
  for (size_t ni = 0; ni < nets_.size(); ++ni) {
    const auto& n = nets_[ni];
    s = ni ? "," : "";
    s += "{\"id\":";
    append_json_string(s, n.id);
    s += ",\"verdict\":";
    append_json_string(s, n.verdict);
    s += ",\"score\":" + format_decimal(n.score, 3) + ",\"size\":" + std::to_string(n.size) +
         ",\"followers\":" + (n.followers ? std::to_string(*n.followers) : "null") + ",\"first_seen\":";
    append_json_string(s, n.first_seen);
    s += ",\"last_seen\":";
    append_json_string(s, n.last_seen);
    s += ",\"coactions\":" + std::to_string(n.coactions) + ",\"edges\":" + std::to_string(n.edges) + ",\"density\":" + format_decimal(n.density, 3);
    s += ",\"origin\":";
    counts(s, by_count(n.countries));
    s += ",\"audiences\":";
    counts(s, by_count(n.audiences));
    s += ",\"state_affiliated\":";
    counts(s, by_count(n.state_affiliated));
    s += ",\"signals\":";
    counts(s, by_count(n.signals));
    s += ",\"detection\":";
    append_json_string(s, detection(n));
    s += ",\"tactics\":";
    append_json_string(s, tactics(n));
    s += ",\"top\":{";
    bool fg = true;
    for (const char* group : kGroups) {
      std::string items;
      size_t k = 0;
      for (const auto& key : n.top_keys) {
        if (group_of(key.kind) != std::string_view(group) || k == opt_.top) continue;
        if (k++) items += ',';
        items += "{\"key\":";
        append_json_string(items, key.key);
        items += ",\"label\":";
        append_json_string(items, clean_text(key.label, 280));
        std::string text = shared_text(key);
        if (!text.empty()) {
          items += ",\"text\":";
          append_json_string(items, clean_text(text, 280));
          items += ",\"author\":";
          auto by = shared_by_.find(key.label);
          append_json_string(items, by == shared_by_.end() ? std::string() : clean_text(by->second, 200));
        }
        items += ",\"coactions\":" + std::to_string(key.coactions) + ",\"accounts\":" + std::to_string(key.accounts) + "}";
      }
      if (items.empty()) continue;
      if (!fg) s += ',';
      fg = false;
      append_json_string(s, group);
      s += ":[" + items + "]";
    }
    s += "},\"reasons\":";
    append_json_string_array(s, n.reasons);
    if (!n.track_first_run.empty()) {
      s += ",\"track\":{\"first_run\":";
      append_json_string(s, n.track_first_run);
      s += ",\"runs\":" + std::to_string(n.track_runs) + ",\"returning\":";
      append_json_string_array(s, n.returning);
      s += '}';
    }
    s += ",\"accounts\":";
    append_json_string_array(s, n.accounts);
    s += ",\"activity\":";
    if (!n.activity.present) {
      s += "null";
    } else {
      const Activity& b = n.activity;
      s += "{\"events\":" + std::to_string(b.events) + ",\"bin_seconds\":" + std::to_string(b.width / kMicrosPerSecond) + ",\"start\":";
      b.counts.empty() ? void(s += "null") : append_json_string(s, format_rfc3339(b.start));
      s += ",\"counts\":[";
      for (size_t i = 0; i < b.counts.size(); ++i) s += (i ? "," : "") + std::to_string(b.counts[i]);
      s += "]}";
    }
    s += ",\"drawn_edges\":" + (have_clusters_ ? std::to_string(n.edge_list.size()) : std::string("null")) + "}";
    out.write(s);
  }
  out.write("]}\n");
}

// ---- GraphML and GEXF ----

template <typename NodeWriter, typename EdgeWriter>
void Reporter::for_each_node_edge(NodeWriter&& node, EdgeWriter&& edge) const {
  uint64_t base = 0, eid = 0;
  for (const auto& n : nets_) {
    for (size_t i = 0; i < n.accounts.size(); ++i) {
      auto p = profiles_.find(escaped_name(n.accounts[i]));
      node(base + i, n, n.accounts[i], p == profiles_.end() ? nullptr : &p->second);
    }
    for (const auto& e : n.edge_list) edge(eid++, base + e.a, base + e.b, e.e);
    base += n.accounts.size();
  }
}

namespace {

struct Attr {
  const char* name;
  const char* graphml_type;
  const char* gexf_type;
};
constexpr Attr kNodeAttrs[] = {{"label", "string", "string"},        {"network", "string", "string"},
                               {"verdict", "string", "string"},      {"score", "double", "double"},
                               {"handle", "string", "string"},       {"followers", "long", "long"},
                               {"created", "string", "string"},      {"country", "string", "string"},
                               {"state_affiliated", "string", "string"}, {"verified", "boolean", "boolean"}};
constexpr Attr kEdgeAttrs[] = {{"weight", "double", "double"},     {"coactions", "long", "long"}, {"keys", "long", "long"},
                               {"median_dt", "double", "double"},  {"p_value", "double", "double"}, {"signals", "string", "string"},
                               {"first", "string", "string"},      {"last", "string", "string"}};

// The attribute values of a node and of an edge, as (index, text) with text escaped for XML.
std::vector<std::pair<size_t, std::string>> node_values(const ReportNetwork& n, const std::string& name, const Profile* p) {
  std::vector<std::pair<size_t, std::string>> v;
  v.emplace_back(0, xml_text(name, 1000));
  v.emplace_back(1, xml_text(n.id, 200));
  v.emplace_back(2, xml_text(n.verdict, 200));
  v.emplace_back(3, format_decimal(n.score, 3));
  if (p) {
    if (!p->handle.empty()) v.emplace_back(4, xml_text(p->handle, 1000));
    if (p->followers) v.emplace_back(5, std::to_string(*p->followers));
    if (p->created) v.emplace_back(6, format_rfc3339(*p->created));
    if (!p->country.empty()) v.emplace_back(7, xml_text(p->country, 200));
    if (!p->state_affiliated.empty()) v.emplace_back(8, xml_text(p->state_affiliated, 200));
    if (p->verified) v.emplace_back(9, *p->verified ? "true" : "false");
  }
  return v;
}
std::vector<std::pair<size_t, std::string>> edge_values(const ClusterEdge& e) {
  std::vector<std::pair<size_t, std::string>> v;
  v.emplace_back(0, std::to_string(e.weight));
  v.emplace_back(1, std::to_string(e.coactions));
  v.emplace_back(2, std::to_string(e.keys));
  v.emplace_back(3, format_decimal(static_cast<double>(e.median_dt) / kMicrosPerSecond, 6));
  if (e.p_value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", *e.p_value);
    v.emplace_back(4, buf);
  }
  std::string sig;
  for (const auto& [k, c] : e.signals) sig += (sig.empty() ? "" : ",") + k + ":" + std::to_string(c);
  v.emplace_back(5, xml_text(sig, 1000));
  v.emplace_back(6, format_rfc3339(e.first));
  v.emplace_back(7, format_rfc3339(e.last));
  return v;
}

}  // namespace

void Reporter::write_graphml(OutputStream& out) const {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n";
  for (size_t i = 0; i < std::size(kNodeAttrs); ++i)
    s += std::string("  <key id=\"v") + std::to_string(i) + "\" for=\"node\" attr.name=\"" + kNodeAttrs[i].name + "\" attr.type=\"" +
         kNodeAttrs[i].graphml_type + "\"/>\n";
  for (size_t i = 0; i < std::size(kEdgeAttrs); ++i)
    s += std::string("  <key id=\"e") + std::to_string(i) + "\" for=\"edge\" attr.name=\"" + kEdgeAttrs[i].name + "\" attr.type=\"" +
         kEdgeAttrs[i].graphml_type + "\"/>\n";
  s += "  <graph id=\"chorus\" edgedefault=\"undirected\">\n";
  out.write(s);
  for_each_node_edge(
      [&](uint64_t id, const ReportNetwork& n, const std::string& name, const Profile* p) {
        s = "    <node id=\"n" + std::to_string(id) + "\">";
        for (const auto& [k, v] : node_values(n, name, p)) s += "<data key=\"v" + std::to_string(k) + "\">" + v + "</data>";
        s += "</node>\n";
        out.write(s);
      },
      [&](uint64_t id, uint64_t a, uint64_t b, const ClusterEdge& e) {
        s = "    <edge id=\"e" + std::to_string(id) + "\" source=\"n" + std::to_string(a) + "\" target=\"n" + std::to_string(b) + "\">";
        for (const auto& [k, v] : edge_values(e)) s += "<data key=\"e" + std::to_string(k) + "\">" + v + "</data>";
        s += "</edge>\n";
        out.write(s);
      });
  out.write("  </graph>\n</graphml>\n");
}

void Reporter::write_gexf(OutputStream& out) const {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
      "  <meta>\n    <creator>chorus-report</creator>\n    <description>" +
      xml_text(opt_.title, 200) +
      "</description>\n  </meta>\n"
      "  <graph mode=\"static\" defaultedgetype=\"undirected\">\n    <attributes class=\"node\">\n";
  for (size_t i = 1; i < std::size(kNodeAttrs); ++i)  // label is the node's own attribute
    s += "      <attribute id=\"" + std::to_string(i) + "\" title=\"" + kNodeAttrs[i].name + "\" type=\"" + kNodeAttrs[i].gexf_type + "\"/>\n";
  s += "    </attributes>\n    <attributes class=\"edge\">\n";
  for (size_t i = 1; i < std::size(kEdgeAttrs); ++i)  // weight is the edge's own attribute
    s += "      <attribute id=\"" + std::to_string(i) + "\" title=\"" + kEdgeAttrs[i].name + "\" type=\"" + kEdgeAttrs[i].gexf_type + "\"/>\n";
  s += "    </attributes>\n    <nodes>\n";
  out.write(s);
  for_each_node_edge(
      [&](uint64_t id, const ReportNetwork& n, const std::string& name, const Profile* p) {
        auto v = node_values(n, name, p);
        s = "      <node id=\"n" + std::to_string(id) + "\" label=\"" + v[0].second + "\"><attvalues>";
        for (size_t i = 1; i < v.size(); ++i)
          s += "<attvalue for=\"" + std::to_string(v[i].first) + "\" value=\"" + v[i].second + "\"/>";
        s += "</attvalues></node>\n";
        out.write(s);
      },
      [&](uint64_t, uint64_t, uint64_t, const ClusterEdge&) {});
  out.write("    </nodes>\n    <edges>\n");
  for_each_node_edge([](uint64_t, const ReportNetwork&, const std::string&, const Profile*) {},
                     [&](uint64_t id, uint64_t a, uint64_t b, const ClusterEdge& e) {
                       auto v = edge_values(e);
                       s = "      <edge id=\"e" + std::to_string(id) + "\" source=\"n" + std::to_string(a) + "\" target=\"n" +
                           std::to_string(b) + "\" weight=\"" + v[0].second + "\"><attvalues>";
                       for (size_t i = 1; i < v.size(); ++i)
                         s += "<attvalue for=\"" + std::to_string(v[i].first) + "\" value=\"" + v[i].second + "\"/>";
                       s += "</attvalues></edge>\n";
                       out.write(s);
                     });
  out.write("    </edges>\n  </graph>\n</gexf>\n");
}

}  // namespace chorus

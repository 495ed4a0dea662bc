#include "eval.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <utility>

#include "csv.hpp"
#include "json_writer.hpp"
#include "line_reader.hpp"
#include "stream_header.hpp"

namespace chorus {

namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {

// The length of the valid UTF-8 sequence (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) at s[i], or 0 when the byte there does
// not start one.
size_t utf8_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
  if (c == 0xED && b(i + 1) > 0x9F) return 0;   // surrogate
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
  if (c == 0xF4 && b(i + 1) > 0x8F) return 0;   // above U+10FFFF
  return n;
}

void append_hex_byte(std::string& out, unsigned char c) {
  static const char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

// A name for a terminal: valid UTF-8 passes, except what could move the
// cursor or reorder the line — C0 and C1 controls, DEL, the bidirectional
// overrides and isolates — which is written \xHH (\u202e for the overrides);
// a backslash is doubled; a byte that is not UTF-8 is \xHH.
std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = utf8_length(s, i);
    if (n == 0 || c < 0x20 || c == 0x7f) {
      append_hex_byte(out, c);
      ++i;
      continue;
    }
    if (c == '\\') {
      out += "\\\\";
      ++i;
      continue;
    }
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {  // C1 control
      append_hex_byte(out, c);
      append_hex_byte(out, static_cast<unsigned char>(s[i + 1]));
      i += 2;
      continue;
    }
    if (n == 3 && c == 0xE2) {
      const unsigned b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
      const unsigned cp = 0x2000 + ((b1 & 0x3F) << 6) + (b2 & 0x3F);
      if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
        out += buf;
        i += 3;
        continue;
      }
    }
    out.append(s.data() + i, n);
    i += n;
  }
  return out;
}

// A name inside a message: terminal-safe and cut short.
std::string quoted(std::string_view s) {
  constexpr size_t kMax = 60;
  std::string t = terminal_safe(s.substr(0, kMax));
  if (s.size() > kMax) t += "...";
  return "'" + t + "'";
}

// Characters on a terminal, near enough for alignment: code points of a
// terminal_safe() string.
size_t display_width(std::string_view s) {
  size_t w = 0;
  for (char c : s) w += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return w;
}

// A JSON string of any bytes: valid UTF-8 as it is (escaped as JSON needs),
// each byte that is not UTF-8 as U+FFFD.
void append_json_name(std::string& out, std::string_view s) {
  if (simdjson::validate_utf8(s.data(), s.size())) {
    append_json_string(out, s);
    return;
  }
  std::string clean;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_length(s, i);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";
      ++i;
    } else {
      clean.append(s.data() + i, n);
      i += n;
    }
  }
  append_json_string(out, clean);
}

std::string json_error_message(error_code e) {
  switch (e) {
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::DEPTH_ERROR: return "JSON nested too deeply";
    default: {
      // simdjson's sentences, in our style: lower case, no final period.
      std::string m = simdjson::error_message(e);
      if (!m.empty() && m.back() == '.') m.pop_back();
      if (m.size() > 1 && m[0] >= 'A' && m[0] <= 'Z' && !(m[1] >= 'A' && m[1] <= 'Z')) m[0] = static_cast<char>(m[0] + 32);
      return "invalid JSON: " + m;
    }
  }
}

// RFC 8259's number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view t) {
  size_t i = 0;
  const auto digits = [&]() {
    size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') ++i;
  else if (!digits()) return false;
  if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// Reads a value to its end, so that a malformed member that the network
// does not need is still a bad line: On-Demand skips what it is not asked for
// without checking it. Recursion is bounded by the parser's depth limit.
error_code consume(od::value v) {
  od::json_type type;
  error_code e = v.type().get(type);
  if (e) return e;
  switch (type) {
    case od::json_type::object: {
      od::object o;
      if ((e = v.get_object().get(o))) return e;
      for (auto field : o) {
        std::string_view key;
        od::value member;
        if ((e = field.unescaped_key().get(key)) || (e = field.value().get(member)) || (e = consume(member))) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array a;
      if ((e = v.get_array().get(a))) return e;
      for (auto element : a) {
        od::value item;
        if ((e = element.get(item)) || (e = consume(item))) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      // Checked as text: a valid number may not fit a double or 64 bits.
      std::string_view t = v.raw_json_token();
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
      return is_json_number(t) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    }
    case od::json_type::string: {
      std::string_view str;
      return v.get_string().get(str);
    }
    case od::json_type::boolean: {
      bool b;
      return v.get_bool().get(b);
    }
    case od::json_type::null: {
      bool null;
      if ((e = v.is_null().get(null))) return e;
      return null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

// Where the object that opens `line` closes (string-aware bracket matching),
// or npos when it does not open with '{' or never closes.
size_t object_end(std::string_view line) {
  size_t i = line.find_first_not_of(" \t\r");
  if (i == std::string_view::npos || line[i] != '{') return std::string_view::npos;
  int depth = 0;
  bool in_string = false;
  for (; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Whether `line` is a valid JSON object followed by more text. On-Demand
// stops at the first problem it meets, which for an object followed by more
// text is not always named so; this tells it apart (on the error path only).
bool content_after_object(std::string_view line) {
  size_t end = object_end(line);
  if (end == std::string_view::npos || line.find_first_not_of(" \t\r", end) == std::string_view::npos) return false;
  od::parser parser;
  simdjson::padded_string object(line.substr(0, end));
  od::document doc;
  od::value value;
  return !parser.iterate(object).get(doc) && !doc.get_value().get(value) && !consume(value);
}

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

// C(n, 2) without overflow for any n whose result fits.
uint64_t pairs(uint64_t n) { return n < 2 ? 0 : n % 2 == 0 ? (n / 2) * (n - 1) : n * ((n - 1) / 2); }

enum class Verdict { kNone, kCoordinated, kReview, kBenign };

// `v` with `decimals` digits after the point ("0.714286"), never "-0.000000".
std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

}  // namespace

std::string_view verdict_filter_name(VerdictFilter f) {
  switch (f) {
    case VerdictFilter::kCoordinated: return "coordinated";
    case VerdictFilter::kReview: return "review";
    case VerdictFilter::kAny: return "any";
  }
  return "?";
}

Evaluator::Evaluator(EvalOptions options, EvalLineErrorSink on_error)
    : opt_(options), on_error_(std::move(on_error)) {}

// ---- ground truth ----------------------------------------------------------

Status Evaluator::read_truth(InputStream& in) {
  CsvReader csv(in, opt_.max_line);
  bool header = false;
  data_error_ = false;
  for (;;) {
    auto r = csv.next();
    if (!r) return r.status();  // unreadable: not a data error
    if (*r == CsvReader::Outcome::kEnd) break;
    const std::string where = in.name() + ":" + std::to_string(csv.line()) + ": ";
    data_error_ = true;
    if (*r == CsvReader::Outcome::kTooLong)
      return Status::error(where + "row longer than " + std::to_string(opt_.max_line) + " bytes");
    if (csv.unterminated_quote()) return Status::error(where + "unterminated quoted field");
    const auto& f = csv.fields();
    if (f.size() == 1 && is_blank(f[0])) {
      data_error_ = false;
      continue;
    }
    if (!header) {
      if (f.size() != 3 || f[0] != "account" || f[1] != "network" || f[2] != "tactic")
        return Status::error(where + "the first line must be the header account,network,tactic");
      header = true;
    } else if (Status st = parse_truth_row(f, where); !st) {
      return st;
    }
    data_error_ = false;
  }
  if (!header) {
    data_error_ = true;
    return Status::error(in.name() + ": no header line account,network,tactic (empty ground truth)");
  }
  return {};
}

Status Evaluator::parse_truth_row(const std::vector<std::string_view>& f, const std::string& where) {
  if (f.size() != 3)
    return Status::error(where + "expected 3 fields (account,network,tactic), found " + std::to_string(f.size()));
  if (f[0].empty()) return Status::error(where + "empty account");
  if (f[1].empty()) return Status::error(where + "empty network");
  auto [g, added] = group_index_.try_emplace(std::string(f[1]), static_cast<uint32_t>(groups_.size()));
  if (added) {
    Group group;
    group.name = std::string(f[1]);
    group.planted = f[1].find(':') == std::string_view::npos;
    groups_.push_back(std::move(group));
  }
  if (!truth_.try_emplace(std::string(f[0]), g->second).second)
    return Status::error(where + "account " + quoted(f[0]) + " is listed twice");
  Group& group = groups_[g->second];
  ++group.members;
  // The network's tactics, each once, in the order first seen (one, from chorus-gen).
  if (!f[2].empty()) {
    bool seen = false;
    for (size_t start = 0; start <= group.tactic.size() && !group.tactic.empty();) {
      size_t end = group.tactic.find(',', start);
      if (end == std::string::npos) end = group.tactic.size();
      if (std::string_view(group.tactic).substr(start, end - start) == f[2]) seen = true;
      start = end + 1;
    }
    if (!seen) {
      if (!group.tactic.empty()) group.tactic += ',';
      group.tactic.append(f[2]);
    }
  }
  return {};
}

std::string_view Evaluator::truth_account(std::string_view name) const {
  // Heterogeneous lookup needs C++20's transparent hashing set up; names are
  // short, so a copy per lookup is fine.
  auto it = truth_.find(std::string(name));
  if (it != truth_.end()) return it->first;
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view bare = name.substr(colon + 1);
  if (bare.empty() || bare.find(':') != std::string_view::npos) return {};
  it = truth_.find(std::string(bare));
  return it != truth_.end() ? std::string_view(it->first) : std::string_view();
}

// ---- networks --------------------------------------------------------------

Status Evaluator::add_networks(InputStream& in) {
  LineReader reader(in, opt_.max_line);
  std::string_view line;
  for (;;) {
    auto kind = reader.next(line);
    if (!kind) return kind.status();
    if (*kind == LineReader::Kind::kEnd) break;
    std::string message;
    if (*kind == LineReader::Kind::kOverlong) {
      message = "line longer than " + std::to_string(opt_.max_line) + " bytes";
    } else if (is_blank(line)) {
      continue;
    } else if (line[0] == '#') {
      auto header = parse_stream_header(line, "networks");
      if (!header) {
        data_error_ = true;
        return Status::error(in.name() + ":" + std::to_string(reader.line_number()) + ": " + header.status().message());
      }
      continue;
    } else if (Status st = parse_network(line, message); st) {
      continue;
    }
    ++bad_;
    if (!on_error_(in.name(), reader.line_number(), message)) {
      stopped_ = true;
      return {};
    }
  }
  return {};
}

// Reads one network line; on a bad line, `error` says why and nothing is kept.
Status Evaluator::parse_network(std::string_view line, std::string& error) {
  const auto bad = [&](std::string message) {
    error = std::move(message);
    return Status::error(error);
  };
  const auto invalid = [&](error_code e) {
    if (e != simdjson::UTF8_ERROR && e != simdjson::DEPTH_ERROR && content_after_object(line))
      return bad("invalid JSON: content after the network");
    return bad(json_error_message(e));
  };
  padded_.assign(line);
  padded_.append(simdjson::SIMDJSON_PADDING, ' ');
  od::document doc;
  error_code e = parser_.iterate(simdjson::padded_string_view(padded_.data(), line.size(), padded_.size())).get(doc);
  if (e) return invalid(e);
  od::object obj;
  if ((e = doc.get_object().get(obj))) return e == simdjson::INCORRECT_TYPE ? bad("network is not a JSON object") : invalid(e);
  std::string id;
  Verdict verdict = Verdict::kNone;
  bool have_id = false, have_accounts = false, have_verdict = false;
  line_accounts_.clear();
  for (auto field : obj) {
    std::string_view key;
    if ((e = field.unescaped_key().get(key))) return invalid(e);
    if (key == "id") {
      if (have_id) return bad("member 'id' given twice");
      have_id = true;
      std::string_view v;
      if ((e = field.value().get_string().get(v)))
        return e == simdjson::INCORRECT_TYPE ? bad("member 'id' is not a string") : invalid(e);
      if (v.empty()) return bad("empty id");
      id.assign(v);
    } else if (key == "accounts") {
      if (have_accounts) return bad("member 'accounts' given twice");
      have_accounts = true;
      od::array arr;
      if ((e = field.value().get_array().get(arr)))
        return e == simdjson::INCORRECT_TYPE ? bad("member 'accounts' is not an array") : invalid(e);
      for (auto element : arr) {
        std::string_view v;
        if ((e = element.get_string().get(v)))
          return e == simdjson::INCORRECT_TYPE ? bad("an item of 'accounts' is not a string") : invalid(e);
        if (v.empty()) return bad("empty account name in 'accounts'");
        line_accounts_.emplace_back(v);
      }
    } else if (key == "verdict") {
      if (have_verdict) return bad("member 'verdict' given twice");
      have_verdict = true;
      od::value value;
      if ((e = field.value().get(value))) return invalid(e);
      bool null = false;
      if ((e = value.is_null().get(null))) return invalid(e);
      if (null) continue;
      std::string_view v;
      if ((e = value.get_string().get(v)))
        return e == simdjson::INCORRECT_TYPE ? bad("member 'verdict' is not a string") : invalid(e);
      if (v == "coordinated") verdict = Verdict::kCoordinated;
      else if (v == "review") verdict = Verdict::kReview;
      else if (v == "benign") verdict = Verdict::kBenign;
      else return bad("unknown verdict " + quoted(v) + " (coordinated, review or benign)");
    } else {
      // Not needed, but checked: a malformed line is bad whatever member holds the fault.
      od::value value;
      if ((e = field.value().get(value)) || (e = consume(value)))
        return e == simdjson::INCORRECT_TYPE ? bad("invalid JSON: not a JSON value") : invalid(e);
    }
  }
  if (!doc.current_location().error()) return bad("invalid JSON: content after the network");  // a token after it
  if (!have_id) return bad("missing required member 'id'");
  if (!have_accounts) return bad("missing required member 'accounts'");

  ++networks_;
  switch (verdict) {
    case Verdict::kNone: ++unscored_; break;
    case Verdict::kCoordinated: ++coordinated_; break;
    case Verdict::kReview: ++review_; break;
    case Verdict::kBenign: ++benign_; break;
  }
  const bool counted = verdict == Verdict::kNone || verdict == Verdict::kCoordinated ||
                       (verdict == Verdict::kReview && opt_.verdict != VerdictFilter::kCoordinated) ||
                       opt_.verdict == VerdictFilter::kAny;
  if (!counted) return {};
  const uint32_t cluster = static_cast<uint32_t>(cluster_ids_.size());
  uint64_t size = 0;
  for (const auto& name : line_accounts_) {
    std::string_view t = truth_account(name);
    auto [it, added] = cluster_of_.try_emplace(std::string(t.empty() ? std::string_view(name) : t), Flagged{cluster, false});
    if (added) {
      ++size;
    } else if (it->second.cluster != cluster && !it->second.overlapping) {
      it->second.overlapping = true;
      ++overlapping_;
    }
  }
  cluster_ids_.push_back(std::move(id));
  cluster_sizes_.push_back(size);
  return {};
}

// ---- metrics ---------------------------------------------------------------

std::optional<double> adjusted_rand_index(uint64_t n, uint64_t sum_cells, uint64_t sum_rows, uint64_t sum_cols) {
  if (n == 0) return std::nullopt;
  const uint64_t all = pairs(n);
  // The index is 0/0 exactly when both partitions are all singletons or
  // both one class (then they are the same partition): 1, as scikit-learn.
  if (sum_rows == sum_cols && (sum_rows == 0 || sum_rows == all)) return 1.0;
  const long double expected = static_cast<long double>(sum_rows) * static_cast<long double>(sum_cols) / all;
  const long double max = (static_cast<long double>(sum_rows) + static_cast<long double>(sum_cols)) / 2;
  return static_cast<double>((static_cast<long double>(sum_cells) - expected) / (max - expected));
}

std::optional<double> adjusted_rand_index(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::map<std::pair<uint64_t, uint64_t>, uint64_t> cells;
  std::map<uint64_t, uint64_t> rows, cols;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    ++cells[{a[i], b[i]}];
    ++rows[a[i]];
    ++cols[b[i]];
  }
  uint64_t sc = 0, sr = 0, sk = 0;
  for (const auto& [k, v] : cells) sc += pairs(v);
  for (const auto& [k, v] : rows) sr += pairs(v);
  for (const auto& [k, v] : cols) sk += pairs(v);
  return adjusted_rand_index(n, sc, sr, sk);
}

EvalReport Evaluator::report() const {
  EvalReport r;
  r.verdict = opt_.verdict;
  r.networks = networks_;
  r.coordinated = coordinated_;
  r.review = review_;
  r.benign = benign_;
  r.unscored = unscored_;
  r.counted = cluster_ids_.size();
  r.flagged = cluster_of_.size();
  r.overlapping = overlapping_;
  r.bad_lines = bad_;

  std::vector<uint64_t> found(groups_.size(), 0);
  // Contingency table of planted network × counted network (the cells that
  // are not empty); every other account of the union is a singleton on one
  // side or both, and makes no pair.
  std::unordered_map<uint64_t, uint64_t> cells;
  for (const auto& [account, flagged] : cluster_of_) {
    auto it = truth_.find(account);
    if (it == truth_.end()) {
      ++r.flagged_organic;
      continue;
    }
    ++found[it->second];
    if (groups_[it->second].planted) {
      ++r.true_positives;
      ++cells[(uint64_t{it->second} << 32) | flagged.cluster];
    } else {
      ++r.flagged_reference;
    }
  }
  r.false_positives = r.flagged - r.true_positives;
  uint64_t sum_rows = 0, sum_cols = 0, sum_cells = 0;
  for (const auto& g : groups_)
    if (g.planted) {
      r.positives += g.members;
      sum_rows += pairs(g.members);
    }
  for (uint64_t s : cluster_sizes_) sum_cols += pairs(s);
  r.false_negatives = r.positives - r.true_positives;

  struct Spread {
    uint64_t clusters = 0, best_found = 0;
    uint32_t best = 0;
  };
  std::vector<Spread> spread(groups_.size());
  for (const auto& [key, count] : cells) {
    sum_cells += pairs(count);
    Spread& s = spread[key >> 32];
    const uint32_t cluster = static_cast<uint32_t>(key);
    ++s.clusters;
    // The counted network with most of its members; the first of them on a tie.
    if (count > s.best_found || (count == s.best_found && cluster < s.best)) {
      s.best_found = count;
      s.best = cluster;
    }
  }

  if (r.flagged) r.precision = static_cast<double>(r.true_positives) / static_cast<double>(r.flagged);
  if (r.positives) r.recall = static_cast<double>(r.true_positives) / static_cast<double>(r.positives);
  const uint64_t f1_den = 2 * r.true_positives + r.false_positives + r.false_negatives;
  if (f1_den) r.f1 = static_cast<double>(2 * r.true_positives) / static_cast<double>(f1_den);
  r.ari = adjusted_rand_index(r.flagged + r.false_negatives, sum_cells, sum_rows, sum_cols);

  for (size_t i = 0; i < groups_.size(); ++i) {
    const Group& g = groups_[i];
    if (g.planted) {
      PlantedResult p;
      p.network = g.name;
      p.tactic = g.tactic;
      p.members = g.members;
      p.found = found[i];
      p.clusters = spread[i].clusters;
      if (p.clusters) {
        p.best = cluster_ids_[spread[i].best];
        p.best_found = spread[i].best_found;
        p.best_size = cluster_sizes_[spread[i].best];
      }
      r.planted.push_back(std::move(p));
    } else {
      r.reference.push_back({g.name, g.members, found[i]});
    }
  }
  std::sort(r.planted.begin(), r.planted.end(), [](const auto& a, const auto& b) { return a.network < b.network; });
  std::sort(r.reference.begin(), r.reference.end(), [](const auto& a, const auto& b) { return a.group < b.group; });
  return r;
}

// ---- output ----------------------------------------------------------------

std::string format_eval_json(const EvalReport& r) {
  std::string s;
  const auto member = [&](const char* name) {
    if (s.back() != '{') s += ',';
    s += '"';
    s += name;
    s += "\":";
  };
  const auto count = [&](const char* name, uint64_t v) {
    member(name);
    s += std::to_string(v);
  };
  const auto ratio = [&](const char* name, const std::optional<double>& v) {
    member(name);
    s += v ? fixed(*v, 6) : "null";
  };
  s += '{';
  count("version", 1);
  member("verdict");
  append_json_string(s, verdict_filter_name(r.verdict));
  count("networks", r.networks);
  member("verdicts");
  s += '{';
  count("coordinated", r.coordinated);
  count("review", r.review);
  count("benign", r.benign);
  count("none", r.unscored);
  s += '}';
  count("counted", r.counted);
  count("flagged", r.flagged);
  count("positives", r.positives);
  count("true_positives", r.true_positives);
  count("false_positives", r.false_positives);
  count("false_negatives", r.false_negatives);
  count("flagged_reference", r.flagged_reference);
  count("flagged_organic", r.flagged_organic);
  count("overlapping", r.overlapping);
  count("bad_lines", r.bad_lines);
  ratio("precision", r.precision);
  ratio("recall", r.recall);
  ratio("f1", r.f1);
  ratio("ari", r.ari);
  member("planted");
  s += '[';
  for (size_t i = 0; i < r.planted.size(); ++i) {
    const PlantedResult& p = r.planted[i];
    if (i) s += ',';
    s += '{';
    member("network");
    append_json_name(s, p.network);
    member("tactic");
    append_json_name(s, p.tactic);
    count("members", p.members);
    count("found", p.found);
    ratio("recall", p.members ? std::optional<double>(static_cast<double>(p.found) / static_cast<double>(p.members)) : std::nullopt);
    count("clusters", p.clusters);
    member("best");
    if (p.clusters) append_json_name(s, p.best);
    else s += "null";
    count("best_found", p.best_found);
    count("best_size", p.best_size);
    s += '}';
  }
  s += ']';
  member("reference");
  s += '[';
  for (size_t i = 0; i < r.reference.size(); ++i) {
    if (i) s += ',';
    s += '{';
    member("group");
    append_json_name(s, r.reference[i].group);
    count("members", r.reference[i].members);
    count("flagged", r.reference[i].flagged);
    s += '}';
  }
  s += "]}\n";
  return s;
}

namespace {

// Rows of cells, written with each column as wide as its widest cell: text
// columns (right = false) padded on the right, numbers on the left; the last
// column is not padded, and no line ends in a blank.
class Table {
 public:
  explicit Table(std::vector<bool> right) : right_(std::move(right)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void write(std::string& out) const {
    // A hostile 1 MB name widens its own row, not the whole table.
    constexpr size_t kMaxWidth = 40;
    std::vector<size_t> width(right_.size(), 0);
    for (const auto& row : rows_)
      for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], std::min(kMaxWidth, display_width(row[c])));
    for (const auto& row : rows_) {
      std::string line;
      for (size_t c = 0; c < row.size(); ++c) {
        if (c) line += "  ";
        const size_t pad = width[c] > display_width(row[c]) ? width[c] - display_width(row[c]) : 0;
        if (right_[c]) line.append(pad, ' ');
        line += row[c];
        if (!right_[c] && c + 1 < row.size()) line.append(pad, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line;
      out += '\n';
    }
  }

 private:
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

std::string ratio3(const std::optional<double>& v) { return v ? fixed(*v, 3) : "-"; }

}  // namespace

std::string format_eval_table(const EvalReport& r) {
  std::string out;
  const auto n = [](uint64_t v) { return std::to_string(v); };
  Table totals({false, false});
  totals.add({"verdicts counted", std::string(r.verdict == VerdictFilter::kCoordinated ? "coordinated"
                                              : r.verdict == VerdictFilter::kReview  ? "coordinated, review"
                                                                                     : "any")});
  totals.add({"networks", n(r.networks) + " (" + n(r.coordinated) + " coordinated, " + n(r.review) + " review, " +
                              n(r.benign) + " benign, " + n(r.unscored) + " without verdict)"});
  totals.add({"networks counted", n(r.counted)});
  totals.add({"accounts flagged", n(r.flagged)});
  totals.add({"planted accounts", n(r.positives)});
  totals.add({"true positives", n(r.true_positives)});
  totals.add({"false positives", n(r.false_positives) + " (" + n(r.flagged_reference) + " reference, " +
                                     n(r.flagged_organic) + " organic)"});
  totals.add({"false negatives", n(r.false_negatives)});
  totals.add({"in several networks", n(r.overlapping)});
  totals.add({"precision", ratio3(r.precision)});
  totals.add({"recall", ratio3(r.recall)});
  totals.add({"F1", ratio3(r.f1)});
  totals.add({"adjusted Rand index", ratio3(r.ari)});
  totals.write(out);

  if (!r.reference.empty()) {
    out += '\n';
    Table ref({false, true, true});
    ref.add({"reference group", "accounts", "flagged"});
    for (const auto& g : r.reference) ref.add({terminal_safe(g.group), n(g.members), n(g.flagged)});
    ref.write(out);
  }

  out += '\n';
  Table planted({false, false, true, true, true, true, false});
  planted.add({"network", "tactic", "accounts", "found", "recall", "clusters", "best"});
  for (const auto& p : r.planted) {
    std::string best = p.clusters ? terminal_safe(p.best) + " (" + n(p.best_found) + " of " + n(p.best_size) + ")" : "-";
    planted.add({terminal_safe(p.network), p.tactic.empty() ? "-" : terminal_safe(p.tactic), n(p.members), n(p.found),
                 ratio3(p.members ? std::optional<double>(static_cast<double>(p.found) / static_cast<double>(p.members))
                                  : std::nullopt),
                 n(p.clusters), best});
  }
  planted.write(out);
  return out;
}

}  // namespace chorus

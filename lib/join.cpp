#include "join.hpp"

#include <simdjson.h>
#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "json_lines.hpp"
#include "line_reader.hpp"
#include "tsv.hpp"
#include "marks.hpp"
#include "stream_header.hpp"

namespace chorus {

namespace {

// Seconds without padding: "60", "0.25".
void append_seconds(std::string& out, Micros us) {
  out += std::to_string(us / 1000000);
  if (int64_t frac = us % 1000000) {
    char buf[8];
    for (int i = 5; i >= 0; --i, frac /= 10) buf[i] = static_cast<char>('0' + frac % 10);
    size_t n = 6;
    while (buf[n - 1] == '0') --n;
    out += '.';
    out.append(buf, n);
  }
}


void put_u32(std::string& out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(b, 4);
}
uint32_t get_u32(const char* p) {
  auto u = [&](int i) { return static_cast<uint32_t>(static_cast<unsigned char>(p[i])); };
  return u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3);
}
uint64_t get_u64(const char* p) { return uint64_t{get_u32(p)} << 32 | get_u32(p + 4); }

// Participation facts (min_participation): [account][event length][event]
// [type][payload], so that sorting groups them by (account, event). Type 0:
// the event has `payload` marks; type 1: it took part in a co-action with
// account `payload`.
constexpr char kFactMarks = 0, kFactCoAction = 1;

void put_u64(std::string& out, uint64_t v) {
  put_u32(out, static_cast<uint32_t>(v >> 32));
  put_u32(out, static_cast<uint32_t>(v));
}
uint64_t get_u64(const char* p);


}  // namespace

std::string_view Joiner::weight_name(WeightKind w) {
  switch (w) {
    case WeightKind::kCoActions: return "coactions";
    case WeightKind::kKeys: return "keys";
    case WeightKind::kOwnEvents: return "own-events";
  }
  return "?";
}

Joiner::Joiner(JoinOptions options, LineErrorSink on_error) : opt_(std::move(options)), on_error_(std::move(on_error)) {
  ExternalSortOptions half;
  half.memory = std::max<size_t>(opt_.memory / 2, ExternalSorter::kMemoryFloor);
  half.temp_dir = opt_.temp_dir;
  if (!opt_.sorted) marks_ = std::make_unique<ExternalSorter>(half);
  ExternalSortOptions quarter = half;
  if (opt_.min_participation > 0) quarter.memory = std::max<size_t>(opt_.memory / 4, ExternalSorter::kMemoryFloor);
  coactions_ = std::make_unique<ExternalSorter>(quarter);
  if (opt_.min_participation > 0) participation_ = std::make_unique<ExternalSorter>(quarter);
  sweep_ = std::make_unique<CoActionSweep>(opt_.sweep, [this](const CoActionSweep::Side& x, const CoActionSweep::Side& y) {
    // The record puts the account that sorts first as `a`.
    const std::string_view nx = accounts_.name(x.account);
    const std::string_view ny = accounts_.name(y.account);
    const bool x_first = nx < ny;
    const CoActionSweep::Side& a = x_first ? x : y;
    const CoActionSweep::Side& b = x_first ? y : x;
    record_.clear();
    record_ += accounts_.name(a.account);
    record_ += '\t';
    record_ += accounts_.name(b.account);
    record_ += '\t';
    record_ += key_;
    record_ += '\t';
    append_fixed_time(record_, a.ts);
    record_ += '\t';
    append_fixed_time(record_, b.ts);
    record_ += '\t';
    record_ += a.event;
    record_ += '\t';
    record_ += b.event;
    if (Status st = add_coaction_record(record_); !st && pending_.ok()) pending_ = st;
  });
}

Joiner::~Joiner() = default;

Status Joiner::data_error(std::string message) {
  data_error_ = true;
  return Status::error(std::move(message));
}

uint32_t Joiner::account_id(std::string_view name) {
  const size_t before = accounts_.size();
  const uint32_t id = accounts_.intern(name);
  if (accounts_.size() > before) {
    account_marks_.push_back(0);
    if (accounts_.size() % 4096 == 0) charge_tables();
  }
  return id;
}

// The account table grows with the input and shares --memory with the
// sorters: their budgets shrink as it grows, so the whole stays within it.
void Joiner::charge_tables() {
  // Their bytes, and the largest one once more: a vector that grows holds its
  // old copy and its new one for a moment.
  const size_t marks_bytes = account_marks_.capacity() * sizeof(uint64_t);
  const size_t tables =
      accounts_.memory_bytes() + marks_bytes + std::max(accounts_.largest_part_bytes(), marks_bytes);
  const size_t floor = 4 * ExternalSorter::kMemoryFloor;
  if (tables + floor > opt_.memory) {
    if (pending_.ok())
      pending_ = data_error(std::to_string(accounts_.size()) + " accounts take " + std::to_string(tables >> 20) +
                            " MiB, more than --memory leaves for sorting: raise --memory");
    return;
  }
  const size_t left = opt_.memory - tables;
  if (marks_) marks_->set_memory(left / 2);
  coactions_->set_memory(participation_ ? left / 4 : left / 2);
  if (participation_) participation_->set_memory(left / 4);
}

// One co-action, as an evidence record; with min_participation also the two
// (account, event, other account) facts the participation count needs.
Status Joiner::add_coaction_record(std::string_view record) {
  if (Status st = coactions_->add(record); !st) return st;
  if (!participation_) return {};
  std::string_view f[7];
  split_tabs(record, f, 7);
  const uint32_t a = *accounts_.find(f[0]), b = *accounts_.find(f[1]);
  for (int side = 0; side < 2; ++side)
    if (Status st = add_fact(side ? b : a, side ? f[6] : f[5], kFactCoAction, side ? a : b); !st) return st;
  return {};
}

Status Joiner::add_fact(uint32_t account, std::string_view event, char type, uint64_t payload) {
  fact_.clear();
  put_u32(fact_, account);
  put_u32(fact_, static_cast<uint32_t>(event.size()));
  fact_ += event;
  fact_ += type;
  put_u64(fact_, payload);
  return participation_->add(fact_);
}

Status Joiner::sweep_mark(std::string_view key, Micros ts, std::string_view account, std::string_view event) {
  if (key != key_) {
    key_.assign(key);
    sweep_->begin_key();
  }
  sweep_->add(ts, account_id(account), event);
  if (!pending_.ok()) return pending_;
  return {};
}

Status Joiner::add_marks(InputStream& in) {
  LineReader reader(in, opt_.max_line);
  std::string_view line;
  Mark m;
  for (;;) {
    auto kind = reader.next(line);
    if (!kind) return kind.status();
    if (*kind == LineReader::Kind::kEnd) break;
    ++stats_.lines;
    if (*kind == LineReader::Kind::kOverlong) {
      ++stats_.bad_lines;
      if (!on_error_(in.name(), reader.line_number(), "line longer than " + std::to_string(opt_.max_line) + " bytes")) {
        stopped_ = true;
        return {};
      }
      continue;
    }
    if (line.empty()) continue;
    if (line[0] == '#') {
      auto header = parse_stream_header(line, "marks");
      if (!header) return data_error(line_error(in.name(), reader.line_number(), header.status().message()));
      if (marks_params_.empty()) marks_params_ = header->params;
      continue;
    }
    if (Status st = parse_mark(line, m); !st) {
      ++stats_.bad_lines;
      if (!on_error_(in.name(), reader.line_number(), st.message())) {
        stopped_ = true;
        return {};
      }
      continue;
    }
    if (opt_.shards > 1 && XXH3_64bits(m.key.data(), m.key.size()) % opt_.shards != opt_.shard) {
      ++stats_.other_shards;
      continue;
    }
    ++stats_.marks;
    const uint32_t id = account_id(m.account);
    if (!pending_.ok()) return pending_;
    ++account_marks_[id];
    if (participation_)
      if (Status st = add_fact(id, m.event, kFactMarks, 1); !st) return st;
    if (opt_.sorted) {
      if (have_last_ && (m.key < last_key_ || (m.key == last_key_ && m.ts < last_ts_)))
        return data_error(line_error(
            in.name(), reader.line_number(),
            "marks out of order (after key " + last_key_.substr(0, 60) + "): sort them with LC_ALL=C sort, or leave out --sorted"));
      if (m.key != last_key_) last_key_.assign(m.key);
      last_ts_ = m.ts;
      have_last_ = true;
      if (Status st = sweep_mark(m.key, m.ts, m.account, m.event); !st) return st;
    } else {
      // Any order that groups a key's marks and sorts them by time will do
      // (co-actions are sorted again, by pair): the key's hash first spreads
      // the records over the sort's 8-byte prefixes, which keys starting with
      // "share:" or "text:" would not.
      record_.clear();
      put_u64(record_, XXH3_64bits(m.key.data(), m.key.size()));
      record_ += m.key;
      record_ += '\t';
      append_fixed_time(record_, m.ts);
      record_ += '\t';
      record_ += m.account;
      record_ += '\t';
      record_ += m.event;
      if (Status st = marks_->add(record_); !st) return st;
    }
  }
  return {};
}

// Unsorted input: the marks come back from their sorter in (key, time) order.
Status Joiner::sweep_sorted_marks() {
  if (swept_) return {};
  swept_ = true;
  if (!marks_) return {};
  if (Status st = marks_->finish(); !st) return st;
  std::string key, account, event;
  for (;;) {
    auto r = marks_->next();
    if (!r) return r.status();
    if (!*r) break;
    std::string_view f[4];
    split_tabs((**r).substr(8), f, 4);
    Micros ts = 0;
    parse_mark_time(f[1], ts);
    // The view dies at the next call; the sweep copies what it keeps.
    if (Status st = sweep_mark(f[0], ts, f[2], f[3]); !st) return st;
  }
  marks_.reset();
  return {};
}

std::string Joiner::sweep_params_json() const {
  std::string s = "\"window\":";
  append_seconds(s, opt_.sweep.window);
  s += ",\"max_accounts\":" + std::to_string(opt_.sweep.max_accounts);
  s += ",\"hot\":\"";
  s += opt_.sweep.hot == HotPolicy::kCap ? "cap" : "skip";
  s += '"';
  return s;
}

std::string Joiner::edges_params_json() const {
  const SweepStats& w = stats_.sweep;
  std::string s = "{" + (partial_params_.empty() ? sweep_params_json() : partial_params_);
  s += ",\"weight\":\"" + std::string(weight_name(opt_.weight)) + "\"";
  s += ",\"min_repeat\":" + std::to_string(opt_.min_repeat);
  s += ",\"min_participation\":" + std::to_string(opt_.min_participation);
  s += ",\"marks\":" + std::to_string(w.marks) + ",\"keys\":" + std::to_string(w.keys) +
       ",\"coactions\":" + std::to_string(w.coactions) + ",\"hot_keys\":" + std::to_string(w.hot_keys) +
       ",\"hot_marks\":" + std::to_string(w.hot_marks) + ",\"capped_coactions\":" + std::to_string(w.capped_coactions);
  s += "}";
  return s;
}

Status Joiner::write_partial(OutputStream& out) {
  if (Status st = sweep_sorted_marks(); !st) return st;
  stats_.sweep = sweep_->stats();
  const SweepStats& w = stats_.sweep;
  std::string params = "{" + sweep_params_json() + ",\"marks\":" + std::to_string(w.marks) +
                       ",\"keys\":" + std::to_string(w.keys) + ",\"coactions\":" + std::to_string(w.coactions) +
                       ",\"hot_keys\":" + std::to_string(w.hot_keys) + ",\"hot_marks\":" + std::to_string(w.hot_marks) +
                       ",\"capped_coactions\":" + std::to_string(w.capped_coactions) +
                       ",\"event_marks\":" + (participation_ ? "true" : "false") +
                       ",\"shard\":[" + std::to_string(opt_.shard) + "," + std::to_string(opt_.shards) + "]}";
  out.write(format_stream_header("partial", 1, params));
  std::vector<uint32_t> order(accounts_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return accounts_.name(x) < accounts_.name(y); });
  std::string line;
  for (uint32_t id : order) {
    line = "n\t" + std::string(accounts_.name(id)) + "\t" + std::to_string(account_marks_[id]) + "\n";
    out.write(line);
  }
  if (participation_) {
    // Each event's marks in this shard: the merge needs them for min_participation.
    Status st = read_event_facts([](uint32_t, uint32_t) { return false; },
                                 [&](uint32_t account, std::string_view event, uint64_t marks, bool) {
                                   if (marks == 0) return;
                                   line = "e\t" + std::string(accounts_.name(account)) + "\t" + std::string(event) +
                                          "\t" + std::to_string(marks) + "\n";
                                   out.write(line);
                                 });
    if (!st) return st;
  }
  if (Status st = coactions_->finish(); !st) return st;
  for (;;) {
    auto r = coactions_->next();
    if (!r) return r.status();
    if (!*r) break;
    out.write("c\t");
    out.write(**r);
    out.write("\n");
  }
  return {};
}

Status Joiner::add_partial(InputStream& in) {
  LineReader reader(in, opt_.max_line);
  std::string_view line;
  bool header_seen = false;
  for (;;) {
    auto kind = reader.next(line);
    if (!kind) return kind.status();
    if (*kind == LineReader::Kind::kEnd) break;
    if (*kind == LineReader::Kind::kOverlong)
      return data_error(line_error(in.name(), reader.line_number(), "line longer than " + std::to_string(opt_.max_line) + " bytes"));
    // A header opens each partial; several partials may come concatenated
    // (`cat part-*`, Hadoop's output files).
    if (!header_seen || (!line.empty() && line[0] == '#')) {
      auto header = parse_stream_header(line, "partial");
      if (!header) return data_error(line_error(in.name(), reader.line_number(), header.status().message()));
      header_seen = true;
      simdjson::dom::parser parser;
      simdjson::dom::element doc;
      if (parser.parse(simdjson::padded_string(header->params)).get(doc))
        return data_error(line_error(in.name(), reader.line_number(), "malformed partial header"));
      // The sweep's parameters must be the same in every partial; the counts add up.
      std::string sweep = header->params.substr(1, header->params.find(",\"marks\":") - 1);
      if (partial_params_.empty()) partial_params_ = sweep;
      else if (sweep != partial_params_)
        return data_error(line_error(in.name(), reader.line_number(),
                                        "partial made with other parameters ({" + sweep + "}, not {" + partial_params_ + "})"));
      SweepStats& w = stats_.sweep;
      for (auto [name, field] : {std::pair{"marks", &w.marks}, {"keys", &w.keys}, {"coactions", &w.coactions},
                                 {"hot_keys", &w.hot_keys}, {"hot_marks", &w.hot_marks}, {"capped_coactions", &w.capped_coactions}}) {
        uint64_t v = 0;
        if (doc[name].get(v)) return data_error(line_error(in.name(), reader.line_number(), std::string("partial header lacks ") + name));
        *field += v;
      }
      // Which shard of how many: merge() checks that none is missing or twice.
      simdjson::dom::array shard;
      uint64_t shard_i = 0, shard_n = 0;
      if (doc["shard"].get(shard) || shard.size() != 2 || shard.at(0).get(shard_i) || shard.at(1).get(shard_n) ||
          shard_n == 0 || shard_i >= shard_n)
        return data_error(line_error(in.name(), reader.line_number(), "partial header lacks shard [i, n]"));
      if (shards_seen_.empty()) shards_seen_.assign(shard_n, 0);
      if (shards_seen_.size() != shard_n)
        return data_error(line_error(in.name(), reader.line_number(), "partials of different shard counts"));
      if (shard_n > 1 && shards_seen_[shard_i]++)
        return data_error(line_error(in.name(), reader.line_number(),
                                     "shard " + std::to_string(shard_i) + "/" + std::to_string(shard_n) + " given twice"));
      bool event_marks = false;
      if (doc["event_marks"].get(event_marks))
        return data_error(line_error(in.name(), reader.line_number(), "partial header lacks event_marks"));
      if (participation_ && !event_marks)
        return data_error(line_error(in.name(), reader.line_number(),
                                        "--min-participation needs partials made with --min-participation too"));
      continue;
    }
    if (line.size() > 2 && line[0] == 'n' && line[1] == '\t') {
      std::string_view f[3];
      uint64_t n = 0;
      if (!split_tabs(line, f, 3) || f[1].empty() || f[2].empty() ||
          std::from_chars(f[2].data(), f[2].data() + f[2].size(), n).ptr != f[2].data() + f[2].size())
        return data_error(line_error(in.name(), reader.line_number(), "malformed account line in partial"));
      account_marks_[account_id(f[1])] += n;
      if (!pending_.ok()) return pending_;
      continue;
    }
    if (line.size() > 2 && line[0] == 'e' && line[1] == '\t') {
      std::string_view f[4];
      uint64_t n = 0;
      if (!split_tabs(line, f, 4) || f[1].empty() || f[2].empty() || f[3].empty() ||
          std::from_chars(f[3].data(), f[3].data() + f[3].size(), n).ptr != f[3].data() + f[3].size())
        return data_error(line_error(in.name(), reader.line_number(), "malformed event line in partial"));
      if (participation_)
        if (Status st = add_fact(account_id(f[1]), f[2], kFactMarks, n); !st) return st;
      continue;
    }
    if (line.size() > 2 && line[0] == 'c' && line[1] == '\t') {
      std::string_view record = line.substr(2), f[7];
      Micros t = 0;
      if (!split_tabs(record, f, 7) || !parse_mark_time(f[3], t) || !parse_mark_time(f[4], t) ||
          !accounts_.find(f[0]) || !accounts_.find(f[1]))
        return data_error(line_error(in.name(), reader.line_number(), "malformed co-action line in partial"));
      if (Status st = add_coaction_record(record); !st) return st;
      continue;
    }
    return data_error(line_error(in.name(), reader.line_number(), "not a partial stream line"));
  }
  if (!header_seen) return data_error(in.name() + ": empty input, expected a chorus partial stream");
  swept_ = true;  // nothing to sweep: the partials were swept
  return {};
}

// CooRTweet's second filter: an account is kept when at least
// min_participation of its marks belong to events that took part in a
// co-action with an account that has min_participation marks (CooRTweet counts
// input rows of the account whose content is in a co-action: rows, so an event
// with two marks counts twice).
Status Joiner::compute_participation(std::vector<uint8_t>& kept) {
  const uint64_t n = opt_.min_participation;
  std::vector<uint64_t> counted(accounts_.size(), 0);
  Status st = read_event_facts(
      [&](uint32_t account, uint32_t other) { return account_marks_[account] >= n && account_marks_[other] >= n; },
      [&](uint32_t account, std::string_view, uint64_t marks, bool took_part) {
        if (took_part) counted[account] += marks;
      });
  if (!st) return st;
  kept.assign(accounts_.size(), 0);
  for (size_t i = 0; i < kept.size(); ++i) kept[i] = counted[i] >= n;
  return {};
}

// The participation facts back, sorted, one (account, event) at a time: its
// marks, and whether it took part in a co-action that `counts` accepts (given
// the account and its partner). The sorter is spent after.
Status Joiner::read_event_facts(const std::function<bool(uint32_t, uint32_t)>& counts,
                                const std::function<void(uint32_t, std::string_view, uint64_t, bool)>& visit) {
  if (Status st = participation_->finish(); !st) return st;
  std::string group;  // account and event of the facts being read
  uint64_t marks = 0;
  bool took_part = false;
  auto close_group = [&]() {
    if (!group.empty()) visit(get_u32(group.data()), std::string_view(group).substr(8), marks, took_part);
  };
  for (;;) {
    auto r = participation_->next();
    if (!r) return r.status();
    if (!*r) break;
    std::string_view fact = **r;
    std::string_view head = fact.substr(0, fact.size() - 9);
    if (head != group) {
      close_group();
      group.assign(head);
      marks = 0;
      took_part = false;
    }
    const uint64_t payload = get_u64(fact.data() + fact.size() - 8);
    if (fact[fact.size() - 9] == kFactMarks) marks += payload;
    else if (counts(get_u32(fact.data()), static_cast<uint32_t>(payload))) took_part = true;
  }
  close_group();
  participation_.reset();
  return {};
}

// One account pair's co-actions, read in order, become its edge. Counts,
// keys, signals, who led and first/last are kept as the records go by; the
// distinct events and the median need all of them: held in memory up to
// `limit` bytes, beyond that in three small sorters, with the evidence lines
// in a temporary file, so one pair of hyperactive accounts cannot take more
// than the budget.
class Joiner::PairEdge {
 public:
  PairEdge(size_t limit, std::string temp_dir) : limit_(limit), temp_dir_(std::move(temp_dir)) {}

  void start(std::string_view pair) {
    pair_.assign(pair);
    count_ = keys_ = a_first_ = b_first_ = 0;
    first_ = INT64_MAX;
    last_ = INT64_MIN;
    prev_key_.clear();
    signals_.clear();
    held_.clear();
    offsets_.clear();
    big_ = false;
    sorters_.clear();
  }
  const std::string& pair() const { return pair_; }

  Status add(std::string_view record) {
    std::string_view f[7];
    split_tabs(record, f, 7);
    Micros ta = 0, tb = 0;
    parse_mark_time(f[3], ta);
    parse_mark_time(f[4], tb);
    if (count_ == 0 || f[2] != prev_key_) {
      ++keys_;
      prev_key_.assign(f[2]);
    }
    ++count_;
    std::string_view kind = f[2].substr(0, f[2].find(':'));
    auto s = std::find_if(signals_.begin(), signals_.end(), [&](const auto& p) { return p.first == kind; });
    if (s == signals_.end()) signals_.emplace_back(std::string(kind), 1);
    else ++s->second;
    a_first_ += ta < tb;
    b_first_ += tb < ta;
    first_ = std::min(first_, std::max(ta, tb));
    last_ = std::max(last_, std::max(ta, tb));
    if (!big_) {
      offsets_.push_back(held_.size());
      held_ += record;
      if (held_.size() + offsets_.size() * sizeof(size_t) <= limit_) return {};
      // Too many for memory: move what is held to the sorters and go on there.
      big_ = true;
      ExternalSortOptions o;
      o.memory = std::max(limit_ / 4, ExternalSorter::kMemoryFloor);
      o.temp_dir = temp_dir_;
      for (int i = 0; i < 3; ++i) sorters_.push_back(std::make_unique<ExternalSorter>(o));
      offsets_.push_back(held_.size());
      for (size_t i = 0; i + 1 < offsets_.size(); ++i)
        if (Status st = add_big(std::string_view(held_).substr(offsets_[i], offsets_[i + 1] - offsets_[i])); !st)
          return st;
      held_.clear();
      held_.shrink_to_fit();
      offsets_.clear();
      return {};
    }
    return add_big(record);
  }

  // The edge line (empty when min_repeat drops it) and the evidence.
  Status finish(const JoinOptions& opt, std::string& line, OutputStream* evidence, uint64_t& evidence_rows) {
    line.clear();
    if (keys_ < opt.min_repeat) return {};
    uint64_t a_events = 0, b_events = 0;
    Micros median = 0;
    if (!big_) {
      offsets_.push_back(held_.size());
      std::vector<std::string_view> ae, be;
      std::vector<Micros> deltas;
      std::string_view f[7];
      for (size_t i = 0; i + 1 < offsets_.size(); ++i) {
        split_tabs(std::string_view(held_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]), f, 7);
        Micros ta = 0, tb = 0;
        parse_mark_time(f[3], ta);
        parse_mark_time(f[4], tb);
        deltas.push_back(ta > tb ? ta - tb : tb - ta);
        ae.push_back(f[5]);
        be.push_back(f[6]);
      }
      for (auto* v : {&ae, &be}) {
        std::sort(v->begin(), v->end());
        v->erase(std::unique(v->begin(), v->end()), v->end());
      }
      a_events = ae.size();
      b_events = be.size();
      const size_t m = deltas.size();
      std::nth_element(deltas.begin(), deltas.begin() + m / 2, deltas.end());
      median = deltas[m / 2];
      if (m % 2 == 0) {
        Micros below = *std::max_element(deltas.begin(), deltas.begin() + m / 2);
        median = (below + median) / 2;
      }
    } else {
      for (int i = 0; i < 2; ++i)
        if (Status st = distinct(*sorters_[i], i ? b_events : a_events); !st) return st;
      if (Status st = median_of(*sorters_[2], median); !st) return st;
    }
    std::sort(signals_.begin(), signals_.end());
    const uint64_t weight = opt.weight == WeightKind::kCoActions ? count_
                            : opt.weight == WeightKind::kKeys    ? keys_
                                                                 : a_events + b_events;
    line.assign(pair_);
    line += std::to_string(weight) + '\t' + std::to_string(count_) + '\t' + std::to_string(keys_) + '\t' +
            std::to_string(a_first_) + '\t' + std::to_string(b_first_) + '\t';
    append_mark_time(line, first_);
    line += '\t';
    append_mark_time(line, last_);
    line += '\t';
    append_seconds(line, median);
    line += '\t' + std::to_string(a_events) + '\t' + std::to_string(b_events) + '\t';
    for (size_t i = 0; i < signals_.size(); ++i) {
      if (i) line += ',';
      line += signals_[i].first;
      line += ':' + std::to_string(signals_[i].second);
    }
    line += '\n';
    if (evidence) {
      if (!big_) {
        for (size_t i = 0; i + 1 < offsets_.size(); ++i) {
          evidence_line(std::string_view(held_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]), ev_);
          evidence->write(ev_);
        }
      } else {
        if (Status st = sorters_[3]->finish(); !st) return st;
        for (;;) {
          auto r = sorters_[3]->next();
          if (!r) return r.status();
          if (!*r) break;
          evidence_line((**r).substr(8), ev_);
          evidence->write(ev_);
        }
      }
      evidence_rows += count_;
    }
    return {};
  }

 private:
  static void evidence_line(std::string_view record, std::string& out) {
    std::string_view f[7];
    split_tabs(record, f, 7);
    Micros ta = 0, tb = 0;
    parse_mark_time(f[3], ta);
    parse_mark_time(f[4], tb);
    out.assign(f[0]);
    out += '\t';
    out += f[1];
    out += '\t';
    out += f[2];
    out += '\t';
    append_mark_time(out, ta);
    out += '\t';
    append_mark_time(out, tb);
    out += '\t';
    out += f[5];
    out += '\t';
    out += f[6];
    out += '\n';
  }

  Status add_big(std::string_view record) {
    if (sorters_.size() == 3) {  // the evidence, in arrival order: a sequence number first
      ExternalSortOptions o;
      o.memory = std::max(limit_ / 4, ExternalSorter::kMemoryFloor);
      o.temp_dir = temp_dir_;
      sorters_.push_back(std::make_unique<ExternalSorter>(o));
    }
    std::string_view f[7];
    split_tabs(record, f, 7);
    Micros ta = 0, tb = 0;
    parse_mark_time(f[3], ta);
    parse_mark_time(f[4], tb);
    if (Status st = sorters_[0]->add(f[5]); !st) return st;
    if (Status st = sorters_[1]->add(f[6]); !st) return st;
    buf_.clear();
    put_u64(buf_, static_cast<uint64_t>(ta > tb ? ta - tb : tb - ta));
    if (Status st = sorters_[2]->add(buf_); !st) return st;
    buf_.clear();
    put_u64(buf_, seq_++);
    buf_ += record;
    return sorters_[3]->add(buf_);
  }

  static Status distinct(ExternalSorter& s, uint64_t& n) {
    if (Status st = s.finish(); !st) return st;
    std::string prev;
    bool any = false;
    n = 0;
    for (;;) {
      auto r = s.next();
      if (!r) return r.status();
      if (!*r) break;
      if (!any || **r != prev) {
        ++n;
        prev.assign(**r);
        any = true;
      }
    }
    return {};
  }

  Status median_of(ExternalSorter& s, Micros& median) {
    if (Status st = s.finish(); !st) return st;
    const uint64_t m = count_;
    Micros below = 0;
    for (uint64_t i = 0;; ++i) {
      auto r = s.next();
      if (!r) return r.status();
      if (!*r) break;
      const auto v = static_cast<Micros>(get_u64((**r).data()));
      if (m % 2 == 0 && i + 1 == m / 2) below = v;
      if (i == m / 2) {
        median = m % 2 ? v : (below + v) / 2;
        break;
      }
    }
    return {};
  }

  size_t limit_;
  std::string temp_dir_;
  std::string pair_, prev_key_, held_, buf_, ev_;
  std::vector<size_t> offsets_;
  std::vector<std::pair<std::string, uint64_t>> signals_;
  uint64_t count_ = 0, keys_ = 0, a_first_ = 0, b_first_ = 0, seq_ = 0;
  Micros first_ = INT64_MAX, last_ = INT64_MIN;
  bool big_ = false;
  std::vector<std::unique_ptr<ExternalSorter>> sorters_;
};

Status Joiner::write_edges(OutputStream& edges, OutputStream* evidence) {
  for (size_t i = 0; shards_seen_.size() > 1 && i < shards_seen_.size(); ++i)
    if (!shards_seen_[i])
      return data_error("shard " + std::to_string(i) + "/" + std::to_string(shards_seen_.size()) +
                        " is missing: merge the partials of every shard");
  if (Status st = sweep_sorted_marks(); !st) return st;
  if (partial_params_.empty()) stats_.sweep = sweep_->stats();
  std::vector<uint8_t> kept;
  if (participation_)
    if (Status st = compute_participation(kept); !st) return st;
  if (Status st = coactions_->finish(); !st) return st;
  const std::string params = edges_params_json();
  edges.write(format_stream_header("edges", 1, params));
  if (evidence) evidence->write(format_stream_header("evidence", 1, params));

  // A pair's co-actions may take an eighth of the budget in memory.
  PairEdge edge(std::max<size_t>(opt_.memory / 8, size_t{1} << 20), opt_.temp_dir);
  bool open = false, wanted = false;
  std::string line;
  auto close = [&]() -> Status {
    if (!open || !wanted) return {};
    if (Status st = edge.finish(opt_, line, evidence, stats_.evidence); !st) return st;
    if (!line.empty()) {
      edges.write(line);
      ++stats_.edges;
    }
    return {};
  };
  const uint64_t n = opt_.min_participation;
  for (;;) {
    auto r = coactions_->next();
    if (!r) return r.status();
    if (!*r) break;
    std::string_view rec = **r;
    size_t t1 = rec.find('\t'), t2 = rec.find('\t', t1 + 1);
    std::string_view this_pair = rec.substr(0, t2 + 1);
    if (!open || this_pair != edge.pair()) {
      if (Status st = close(); !st) return st;
      edge.start(this_pair);
      open = true;
      ++stats_.pairs;
      // CooRTweet's filters are decided by the two accounts alone.
      const uint32_t a = *accounts_.find(rec.substr(0, t1)), b = *accounts_.find(rec.substr(t1 + 1, t2 - t1 - 1));
      wanted = n == 0 || (account_marks_[a] >= n && account_marks_[b] >= n && (kept[a] || kept[b]));
    }
    if (wanted)
      if (Status st = edge.add(rec); !st) return st;
  }
  if (Status st = close(); !st) return st;
  coactions_.reset();
  return {};
}

}  // namespace chorus

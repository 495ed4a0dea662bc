#include "event_parser.hpp"

#include <algorithm>
#include <cstring>

#include "csv.hpp"
#include "json_writer.hpp"

namespace chorus {

namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {

constexpr size_t kBlockSize = size_t{1} << 20;

bool is_blank(const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return false;
  return true;
}

SkipReason reason_of(error_code e) {
  switch (e) {
    case simdjson::UTF8_ERROR: return SkipReason::kInvalidUtf8;
    case simdjson::DEPTH_ERROR: return SkipReason::kTooDeep;
    case simdjson::INCORRECT_TYPE: return SkipReason::kNotAnObject;
    default: return SkipReason::kInvalidJson;
  }
}

std::string message_of(error_code e) {
  switch (e) {
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::DEPTH_ERROR: return "JSON nested too deeply";
    case simdjson::INCORRECT_TYPE: return "record is not a JSON object";
    default: {
      // simdjson's sentences, in our style: lower case, no final period.
      std::string m = simdjson::error_message(e);
      if (!m.empty() && m.back() == '.') m.pop_back();
      if (m.size() > 1 && m[0] >= 'A' && m[0] <= 'Z' && !(m[1] >= 'A' && m[1] <= 'Z')) m[0] = static_cast<char>(m[0] + 32);
      return "invalid JSON: " + m;
    }
  }
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

// The reason a line failed, for the message. On-demand parsing stops at the
// first problem it meets, which is not always the clearest name for it: an
// object followed by more text, or a whole line that is valid JSON but not an
// object, are told apart here (on the error path only, so cost is no concern).
std::pair<SkipReason, std::string> describe_failure(error_code e, std::string_view line) {
  if (e == simdjson::UTF8_ERROR || e == simdjson::DEPTH_ERROR) return {reason_of(e), message_of(e)};
  size_t end = object_end(line);
  if (end != std::string_view::npos && line.find_first_not_of(" \t\r", end) != std::string_view::npos) {
    simdjson::dom::parser dom;
    if (!dom.parse(simdjson::padded_string(line.substr(0, end))).error())
      return {SkipReason::kInvalidJson, "invalid JSON: content after the record"};
  }
  if (e == simdjson::INCORRECT_TYPE) {
    simdjson::dom::parser dom;
    auto r = dom.parse(simdjson::padded_string(line));
    if (!r.error()) return {SkipReason::kNotAnObject, "record is not a JSON object"};
    return {SkipReason::kInvalidJson, message_of(r.error() == simdjson::INCORRECT_TYPE ? simdjson::TAPE_ERROR : r.error())};
  }
  return {reason_of(e), message_of(e)};
}

SkipReason reason_of(const std::string& message) {
  if (message.rfind("missing required", 0) == 0) return SkipReason::kMissingField;
  if (message.find("unreadable timestamp") != std::string::npos) return SkipReason::kBadTimestamp;
  return SkipReason::kBadValue;
}

// chorus-parse's sink: the event as one canonical JSON line.
class JsonEventSink final : public EventSink {
 public:
  std::optional<Refusal> append(const EventView& event, TextBuffer& out) override {
    append_event_json(out, event);
    return std::nullopt;
  }
};

}  // namespace

std::string_view skip_reason_name(SkipReason r) {
  switch (r) {
    case SkipReason::kInvalidJson: return "invalid JSON";
    case SkipReason::kInvalidUtf8: return "invalid UTF-8";
    case SkipReason::kNotAnObject: return "not an object";
    case SkipReason::kTooDeep: return "nested too deeply";
    case SkipReason::kTooLong: return "line too long";
    case SkipReason::kMissingField: return "missing field";
    case SkipReason::kBadValue: return "wrongly typed field";
    case SkipReason::kBadTimestamp: return "unreadable timestamp";
    case SkipReason::kCsvShape: return "malformed CSV row";
    case SkipReason::kCount: break;
  }
  return "?";
}

EventParser::EventParser(ParseOptions options, OutputStream& out, ErrorSink on_error, ProgressSink on_progress,
                         EventSink* sink)
    : opt_(std::move(options)), out_(out), on_error_(std::move(on_error)), on_progress_(std::move(on_progress)) {
  if (!sink) json_sink_ = std::make_unique<JsonEventSink>();
  sink_ = sink ? sink : json_sink_.get();
  if (opt_.platform) opt_.map.platform = opt_.platform;
  // With --keep-extra the profile fields are read either way, so that what
  // lands in `extra` does not depend on --accounts-out.
  extractor_ = std::make_unique<Extractor>(opt_.map, opt_.want_accounts || opt_.keep_extra, opt_.keep_extra);
  builder_ = std::make_unique<RecordBuilder>(opt_.map, *extractor_);
}

EventParser::~EventParser() = default;

Status EventParser::parse(InputStream& in) {
  file_ = in.name();
  return opt_.map.format == InputFormat::kCsv ? parse_csv(in) : parse_json(in);
}

void EventParser::add_error(uint64_t line, SkipReason reason, std::string message, std::string_view context) {
  RecordError e;
  e.file = file_;
  e.line = line;
  e.reason = reason;
  e.message = std::move(message);
  e.context.assign(context.substr(0, 200));
  outcomes_.push_back({line, block_out_.size(), static_cast<int>(errors_.size()), -1});
  errors_.push_back(std::move(e));
}

error_code EventParser::handle_document(od::document& doc, uint64_t line) {
  error_code e = extractor_->extract(doc);
  if (e) return e;
  const Extractor& ex = *extractor_;
  for (size_t i = 0; i < ex.record_count(); ++i) {
    const RawRecord& r = ex.record(i);
    Status st = builder_->build_event(r, event_);
    if (!st) {
      add_error(line, reason_of(st.message()), st.message());
      continue;
    }
    size_t before = block_out_.size();
    if (auto refused = sink_->append(event_, block_out_)) {
      block_out_.resize(before);
      add_error(line, refused->reason, std::move(refused->message));
      continue;
    }
    int account = -1;
    if (opt_.want_accounts) {
      if (n_pending_accounts_ == pending_accounts_.size()) pending_accounts_.emplace_back();
      Account& a = pending_accounts_[n_pending_accounts_];
      a.clear();
      a.account.assign(event_.account);
      if (event_.platform) a.platform = std::string(*event_.platform);
      a.seen = event_.ts;
      Result<bool> got = false;
      if (opt_.map.profiles) {
        for (size_t p = 0; p < ex.profile_count(); ++p) {
          auto id = builder_->profile_id(ex.profile(p));
          if (id && *id == event_.account) {
            got = builder_->build_profile(ex.profile(p), a);
            break;
          }
        }
      } else {
        got = builder_->build_profile(r, a);
      }
      if (!got) {
        // A bad profile value spoils only the profile: the event stands, and the
        // reason is reported (as a skipped profile, not a skipped record).
        add_error(line, SkipReason::kBadValue, "account profile: " + got.status().message());
        errors_.back().profile_only = true;
        a.clear();
        a.account.assign(event_.account);
        if (event_.platform) a.platform = std::string(*event_.platform);
        a.seen = event_.ts;
      }
      account = static_cast<int>(n_pending_accounts_++);
    }
    outcomes_.push_back({line, block_out_.size(), -1, account});
  }
  return simdjson::SUCCESS;
}

void EventParser::rollback(uint64_t from_line) {
  while (!outcomes_.empty() && outcomes_.back().line >= from_line) {
    const Outcome& o = outcomes_.back();
    if (o.error >= 0) errors_.pop_back();
    if (o.account >= 0) --n_pending_accounts_;
    outcomes_.pop_back();
  }
  block_out_.resize(outcomes_.empty() ? 0 : outcomes_.back().out_end);
}

void EventParser::process_lines(char* data, size_t size, size_t pos, uint64_t line) {
  // SIMDJSON_PADDING readable bytes follow data[size] (LineBlockReader allocates them).
  char* end = data + size;
  while (data + pos < end) {
    char* s = data + pos;
    char* nl = static_cast<char*>(std::memchr(s, '\n', end - s));
    size_t len = (nl ? nl : end) - s;
    if (!is_blank(s, len)) {
      od::document doc;
      size_t capacity = static_cast<size_t>(end - s) + simdjson::SIMDJSON_PADDING;
      error_code e = line_parser_.iterate(simdjson::padded_string_view(s, len, capacity)).get(doc);
      if (!e) e = handle_document(doc, line);
      if (!e && !doc.current_location().error()) {  // a token after the record
        rollback(line);
        add_error(line, SkipReason::kInvalidJson, "invalid JSON: content after the record", {s, len});
      } else if (e) {
        rollback(line);
        auto [reason, message] = describe_failure(e, {s, len});
        add_error(line, reason, std::move(message), {s, len});
      }
    }
    ++line;
    pos += len + 1;
  }
}

void EventParser::process_block_many(const LineBlockReader::Block& block) {
  char* const data = block.data;
  const size_t size = block.size;
  const uint64_t first_line = block.first_line;
  const std::vector<size_t>& newlines = block.newlines;
  od::document_stream docs;
  // A constant batch size, so the parser allocates once (a larger block, holding
  // a long line, makes it grow once more).
  if (stream_parser_.iterate_many(data, size, std::max(size, 2 * kBlockSize)).get(docs)) {
    process_lines(data, size, 0, first_line);
    return;
  }
  // Line first_line + k starts where newlines[k - 1] ends the line before it.
  auto start_of = [&](size_t index) { return index ? newlines[index - 1] + 1 : size_t{0}; };
  uint64_t line = first_line;
  size_t line_index = 0;  // newlines[line_index] ends `line` (when there is one)
  uint64_t doc_line = 0;  // line of the previous document (0: none yet)
  size_t doc_line_index = 0;
  // From the previous document's line on (or the block's start), read line by line.
  auto fall_back = [&]() {
    uint64_t from = doc_line ? doc_line : first_line;
    rollback(from);
    process_lines(data, size, doc_line ? start_of(doc_line_index) : 0, from);
  };
  for (auto it = docs.begin(); it != docs.end(); ++it) {
    size_t off = it.current_index();
    // Move to the line holding `off`.
    const size_t index_before = line_index;
    while (line_index < newlines.size() && newlines[line_index] < off) ++line_index;
    line += line_index - index_before;
    // Where the line after the previous document's starts (when a line was crossed).
    const size_t second_line_start = line_index > index_before ? start_of(index_before + 1) : 0;
    // Between the end of the previous document's line and this document, only
    // whitespace: anything else is a record that spilled over a line end.
    bool suspect;
    if (doc_line == 0) suspect = !is_blank(data, off);  // text before the first document
    else if (line == doc_line) suspect = true;          // two documents on one line
    else suspect = !is_blank(data + second_line_start, off - second_line_start);
    if (suspect) return fall_back();
    od::document_reference ref;
    error_code e = (*it).get(ref);
    if (e) {
      doc_line = line;  // re-read from this document's line
      doc_line_index = line_index;
      return fall_back();
    }
    od::document& doc = ref;
    if ((e = handle_document(doc, line))) {
      doc_line = line;
      doc_line_index = line_index;
      return fall_back();
    }
    doc_line = line;
    doc_line_index = line_index;
  }
  // After the last document's line only blank lines may follow (else: a truncated record).
  size_t after = 0;
  if (doc_line) after = doc_line_index < newlines.size() ? start_of(doc_line_index + 1) : size;
  if (docs.truncated_bytes() > 0 || !is_blank(data + after, size - after)) fall_back();
}

void EventParser::commit() {
  // Outcomes were added in input order except the overlong lines, added first.
  // Most blocks have none: checking the order is a tenth of the cost of sorting.
  auto by_line = [](const Outcome& a, const Outcome& b) { return a.line < b.line; };
  if (!std::is_sorted(outcomes_.begin(), outcomes_.end(), by_line))
    std::stable_sort(outcomes_.begin(), outcomes_.end(), by_line);
  size_t written = 0;  // block_out_ bytes already handed on
  size_t kept_end = 0;  // end of the kept events not yet handed on
  auto hand_on = [&]() {
    if (kept_end > written) {
      sink_->commit(block_out_.view().substr(written, kept_end - written), out_);
      written = kept_end;
    }
  };
  for (const Outcome& o : outcomes_) {
    if (stopped_) break;
    if (o.error >= 0) {
      hand_on();  // the events before a record error go out before it can stop the run
      const RecordError& err = errors_[o.error];
      if (err.profile_only) {
        ++stats_.bad_profiles;
      } else {
        ++stats_.skipped;
        ++stats_.records;
        ++stats_.skipped_by[static_cast<size_t>(err.reason)];
      }
      if (!on_error_(err)) stopped_ = true;
      continue;
    }
    // Events: everything up to this one's end is kept.
    kept_end = o.out_end;
    ++stats_.events;
    ++stats_.records;
    if (o.account >= 0) {
      Account& a = pending_accounts_[o.account];
      auto key = std::make_pair(a.platform.value_or(""), a.account);
      auto it = accounts_.find(key);
      if (it == accounts_.end()) {
        accounts_.emplace(std::move(key), a);
      } else if (a.seen >= it->second.seen) {
        // The latest record wins; one without profile fields only moves the time.
        if (!a.empty()) it->second = a;
        else it->second.seen = a.seen;
      }
    }
  }
  if (!stopped_) hand_on();
  outcomes_.clear();
  errors_.clear();
  block_out_.clear();
  n_pending_accounts_ = 0;
  if (on_progress_) on_progress_(stats_);
}

Status EventParser::parse_json(InputStream& in) {
  LineBlockReader reader(in, kBlockSize, opt_.max_line, simdjson::SIMDJSON_PADDING);
  LineBlockReader::Block block;
  while (!stopped_) {
    auto more = reader.next(block);
    if (!more) return more.status();
    if (!*more) break;
    stats_.bytes += block.size;
    // A UTF-8 byte order mark opening the input is not part of the first record.
    if (block.first_line == 1 && block.size >= 3 && std::memcmp(block.data, "\xEF\xBB\xBF", 3) == 0)
      std::memset(block.data, ' ', 3);
    if (block.size > 0) process_block_many(block);
    // After the block pass, whose fallback may roll back outcomes by line;
    // commit() puts these in line order.
    for (uint64_t l : block.overlong)
      add_error(l, SkipReason::kTooLong, "line longer than " + std::to_string(opt_.max_line) + " bytes");
    commit();
  }
  return {};
}

Status EventParser::parse_csv(InputStream& in) {
  CsvReader csv(in, opt_.max_line);
  std::vector<std::string> header;
  size_t rows_in_batch = 0;
  while (!stopped_) {
    auto r = csv.next();
    if (!r) return r.status();
    if (*r == CsvReader::Outcome::kEnd) break;
    if (*r == CsvReader::Outcome::kTooLong) {
      add_error(csv.line(), SkipReason::kTooLong, "row longer than " + std::to_string(opt_.max_line) + " bytes");
      continue;
    }
    const auto& f = csv.fields();
    if (header.empty()) {
      for (auto h : f) header.emplace_back(h);
      continue;
    }
    if (f.size() == 1 && f[0].empty()) continue;  // blank line
    if (csv.unterminated_quote()) {
      add_error(csv.line(), SkipReason::kCsvShape, "unterminated quoted field", csv.raw(200));
      continue;
    }
    if (f.size() != header.size()) {
      add_error(csv.line(), SkipReason::kCsvShape,
                "row has " + std::to_string(f.size()) + " fields, the header has " + std::to_string(header.size()),
                csv.raw(200));
      continue;
    }
    // The row as a JSON object, so the same extractor reads both formats. Empty
    // cells are left out (a missing value, as CSV cannot say null).
    csv_json_.clear();
    csv_json_ += '{';
    bool first = true;
    bool valid = true;
    for (size_t i = 0; i < f.size(); ++i) {
      if (f[i].empty()) continue;
      if (!simdjson::validate_utf8(f[i].data(), f[i].size()) ||
          !simdjson::validate_utf8(header[i].data(), header[i].size())) {
        valid = false;
        break;
      }
      if (!first) csv_json_ += ',';
      first = false;
      append_json_string(csv_json_, header[i]);
      csv_json_ += ':';
      append_json_string(csv_json_, f[i]);
    }
    if (!valid) {
      add_error(csv.line(), SkipReason::kInvalidUtf8, "invalid UTF-8");
      continue;
    }
    csv_json_ += '}';
    size_t n = csv_json_.size();
    csv_json_.append(simdjson::SIMDJSON_PADDING, ' ');
    od::document doc;
    error_code e = line_parser_.iterate(simdjson::padded_string_view(csv_json_.data(), n, csv_json_.size())).get(doc);
    if (!e) e = handle_document(doc, csv.line());
    if (e) {
      rollback(csv.line());
      add_error(csv.line(), reason_of(e), message_of(e));
    }
    if (++rows_in_batch == 4096) {
      rows_in_batch = 0;
      stats_.bytes = in.raw_bytes_read();
      commit();
    }
  }
  commit();
  return {};
}

void EventParser::write_accounts(OutputStream& out) const {
  std::string s;
  for (const auto& [key, a] : accounts_) {
    s.clear();
    append_account_json(s, a);
    out.write(s);
  }
}

}  // namespace chorus

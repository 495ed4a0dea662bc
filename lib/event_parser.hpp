// event_parser.hpp — the engine of chorus-parse: reads JSON-lines (or CSV)
// exports through a FieldMap and writes canonical events. JSON-lines go
// through simdjson's On-Demand iterate_many over blocks of whole lines; a
// block where anything looks wrong (a syntax error, two records on one line,
// a record spanning lines) is re-read line by line from the first suspect
// line, so a hostile line never costs more than its own record. Bad records
// are skipped and handed to the error callback with their line number and
// reason; account profiles are collected when asked (memory: one Account per
// distinct account). Not thread-safe: one EventParser per thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "event.hpp"
#include "extractor.hpp"
#include "field_map.hpp"
#include "input.hpp"
#include "output.hpp"
#include "record_builder.hpp"
#include "text_buffer.hpp"
#include "status.hpp"

namespace chorus {

// Why a record was skipped; the summary counts each kind.
enum class SkipReason : uint8_t {
  kInvalidJson, kInvalidUtf8, kNotAnObject, kTooDeep, kTooLong, kMissingField, kBadValue, kBadTimestamp,
  kCsvShape, kCount
};
std::string_view skip_reason_name(SkipReason r);

struct RecordError {
  std::string file;
  uint64_t line = 0;
  SkipReason reason = SkipReason::kInvalidJson;
  std::string message;
  std::string context;  // the offending line, cut short (may be empty)
  bool profile_only = false;  // only the account profile was bad; the event was kept
};

struct ParseOptions {
  FieldMap map;
  bool keep_extra = false;
  bool want_accounts = false;
  size_t max_line = size_t{16} << 20;
  std::optional<std::string> platform;  // when neither the record nor the map names one
};

struct ParseStats {
  uint64_t records = 0;  // records read: events written + records skipped
  uint64_t events = 0;   // events written
  uint64_t skipped = 0;  // records skipped
  uint64_t skipped_by[static_cast<size_t>(SkipReason::kCount)] = {};
  uint64_t bad_profiles = 0;  // events kept whose profile had a bad value
  uint64_t bytes = 0;    // decompressed bytes read
};

// What each event becomes. EventParser hands every event it reads to its sink,
// which appends the event's output to the block being built: a JSON line for
// chorus-parse (the default sink), marks for chorus-hash. A record that the
// sink refuses is skipped like any other bad record. An event's output may
// still be discarded after append() — its block is re-read line by line when
// a later record of the block is malformed — so what must happen only for
// kept events is done in commit(), called once events' outputs are final, in
// input order, to write them (by default as they are).
class EventSink {
 public:
  struct Refusal {
    SkipReason reason;
    std::string message;
  };
  virtual ~EventSink() = default;
  virtual std::optional<Refusal> append(const EventView& event, TextBuffer& out) = 0;
  // `output` is what append() wrote for one or more consecutive kept events
  // (a run between skipped records: fewer, larger writes, which skip the
  // output's buffer).
  virtual void commit(std::string_view output, OutputStream& out) { out.write(output); }
};

class EventParser {
 public:
  // on_error is called for every skipped record, in input order; it returns
  // false to stop (--strict, --max-errors).
  using ErrorSink = std::function<bool(const RecordError&)>;
  // on_progress is called now and then with the running stats.
  using ProgressSink = std::function<void(const ParseStats&)>;

  // sink: what events become (nullptr: canonical JSON lines); not owned.
  EventParser(ParseOptions options, OutputStream& out, ErrorSink on_error, ProgressSink on_progress = nullptr,
              EventSink* sink = nullptr);
  ~EventParser();

  // Reads one input to its end, or until the error sink says stop. A failed
  // Status is an input error (unreadable file, corrupt zstd).
  Status parse(InputStream& in);
  bool stopped() const { return stopped_; }
  const ParseStats& stats() const { return stats_; }

  // The latest profile of every (platform, account) seen, sorted by platform then account.
  void write_accounts(OutputStream& out) const;

 private:
  struct Outcome {
    uint64_t line;
    size_t out_end;      // events: end of its text in block_out_
    int error = -1;      // index into errors_, or -1 for an event
    int account = -1;    // index into pending_accounts_
  };

  Status parse_json(InputStream& in);
  Status parse_csv(InputStream& in);
  // Line numbers come from the block's newline index (LineBlockReader::Block::newlines).
  void process_block_many(const LineBlockReader::Block& block);
  void process_lines(char* data, size_t size, size_t from, uint64_t line);
  // Extracts and builds the records of one document; a simdjson error is returned.
  simdjson::error_code handle_document(simdjson::ondemand::document& doc, uint64_t line);
  void add_error(uint64_t line, SkipReason reason, std::string message, std::string_view context = {});
  void rollback(uint64_t from_line);
  void commit();

  ParseOptions opt_;
  OutputStream& out_;
  ErrorSink on_error_;
  ProgressSink on_progress_;
  std::unique_ptr<EventSink> json_sink_;
  EventSink* sink_;
  std::string file_;
  std::unique_ptr<Extractor> extractor_;
  std::unique_ptr<RecordBuilder> builder_;
  simdjson::ondemand::parser stream_parser_, line_parser_;
  EventView event_;
  TextBuffer block_out_;
  std::vector<Outcome> outcomes_;
  std::vector<RecordError> errors_;
  std::vector<Account> pending_accounts_;
  size_t n_pending_accounts_ = 0;
  std::map<std::pair<std::string, std::string>, Account> accounts_;
  std::string csv_json_;
  ParseStats stats_;
  bool stopped_ = false;
};

}  // namespace chorus

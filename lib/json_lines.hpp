// json_lines.hpp — reading the JSON-lines inputs of the later steps (account
// profiles, events, networks) one object at a time, all alike: blank lines
// skipped; a line over max_line, invalid UTF-8, or a line that is no JSON
// object is a bad line (FILE:LINE through `bad`); a chorus stream's header
// line where JSON lines were expected refuses the whole input. One DOM
// parse per line: these inputs are read once, filtered to the accounts of
// a few networks. Not thread-safe (one parser per call).
#pragma once

#include <simdjson.h>

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "diagnostics.hpp"
#include "input.hpp"
#include "line_reader.hpp"
#include "status.hpp"
#include "stream_header.hpp"
#include "timestamp.hpp"
#include "tsv.hpp"

namespace chorus {

// A string member, or empty (absent, null or not a string).
inline std::string_view str_member(simdjson::dom::object o, const char* name) {
  std::string_view v;
  if (o[name].get(v)) return {};
  return v;
}

// A time member: an RFC 3339 string or epoch seconds (whole or not, within
// +-1e11 s); nullopt when absent or unreadable.
inline std::optional<Micros> time_member(simdjson::dom::object o, const char* name) {
  simdjson::dom::element e;
  if (o[name].get(e)) return std::nullopt;
  std::string_view s;
  int64_t i = 0;
  double d = 0;
  if (!e.get(s)) {
    auto t = parse_timestamp(s);
    return t ? std::optional<Micros>(*t) : std::nullopt;
  }
  if (!e.get(i)) return i > -1e11 && i < 1e11 ? std::optional<Micros>(i * kMicrosPerSecond) : std::nullopt;
  if (!e.get(d) && std::isfinite(d) && d > -1e11 && d < 1e11) return static_cast<Micros>(std::floor(d * 1e6));
  return std::nullopt;
}

// An event's "id" and "account", both non-empty strings; false (and the
// message kNoEventIds) when either is missing.
inline constexpr const char* kNoEventIds = "no \"id\" and \"account\" strings (events)";
inline bool event_ids(simdjson::dom::object o, std::string_view& id, std::string_view& account) {
  return !(o["account"].get(account) || account.empty() || o["id"].get(id) || id.empty());
}

// The account name of a JSON record as the TSV streams write it:
// "platform:account" (or "account" without a platform), TSV-escaped.
inline std::string stream_name(std::string_view platform, std::string_view account) {
  std::string s;
  if (!platform.empty()) {
    append_tsv_field(s, platform);
    s += ':';
  }
  append_tsv_field(s, account);
  return s;
}

// Calls f(object, line_number) for each object line of `in`; f returns false
// to stop. bad(line_number, message) is called for each bad line and returns
// false to stop. `what` names the input in messages ("account profiles").
// When the input is a chorus stream, `wrong_stream` is set and an error
// returned; an error is also returned when `in` cannot be read.
template <typename Bad, typename F>
Status for_each_json_object(InputStream& in, size_t max_line, const std::string& what, Bad&& bad, F&& f,
                            bool& wrong_stream) {
  LineReader reader(in, max_line);
  std::string_view line;
  simdjson::dom::parser parser;
  bool first = true;
  for (;;) {
    auto kind = reader.next(line);
    if (!kind) return kind.status();
    if (*kind == LineReader::Kind::kEnd) break;
    if (*kind == LineReader::Kind::kOverlong) {
      if (!bad(reader.line_number(), "line longer than " + std::to_string(max_line) + " bytes")) return {};
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (first && line.substr(0, 8) == "#chorus-") {
      wrong_stream = true;
      return Status::error(line_error(in.name(), reader.line_number(), stream_name_of(line) + ", expected " + what + " (JSON lines)"));
    }
    first = false;
    simdjson::dom::object o;
    auto err = parser.parse(line.data(), line.size()).get(o);
    if (err) {
      std::string why = err == simdjson::UTF8_ERROR ? "invalid UTF-8" : "invalid JSON or not an object";
      if (!bad(reader.line_number(), why + " (" + what + ")")) return {};
      continue;
    }
    if (!f(o, reader.line_number())) return {};
  }
  return {};
}

// for_each_json_object with the refusal of a chorus stream handed to
// refuse(message), whose Status it returns (the engines' data error).
template <typename Bad, typename Refuse, typename F>
Status read_json_lines(InputStream& in, size_t max_line, const std::string& what, Bad&& bad, Refuse&& refuse, F&& f) {
  bool wrong = false;
  Status st = for_each_json_object(in, max_line, what, bad, f, wrong);
  if (!st && wrong) return refuse(st.message());
  return st;
}

}  // namespace chorus

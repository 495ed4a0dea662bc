// stream_header.hpp — the first line of every stream between chorus's steps
// (SPEC §3, chorus-formats(5)): "#chorus-<kind> v<version> <parameters as
// JSON>". It sorts first under LC_ALL=C sort ('#' comes before every key), it
// records how the stream was made, and a step fed the wrong stream says so.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "status.hpp"

namespace chorus {

struct StreamHeader {
  std::string kind;    // "marks", "edges", ...
  int version = 1;
  std::string params;  // the JSON object, as written
};

// The header line, '\n' included. `params_json` must be one line of JSON.
std::string format_stream_header(std::string_view kind, int version, std::string_view params_json);

// Reads a header line (without its '\n'). An error says what was expected:
// a line that is no chorus header, another kind of stream, or a version this
// build cannot read (newer than `max_version`).
// For messages: "a chorus clusters stream" from "#chorus-clusters v1 {...}".
std::string stream_name_of(std::string_view line);

Result<StreamHeader> parse_stream_header(std::string_view line, std::string_view want_kind, int max_version = 1);

}  // namespace chorus

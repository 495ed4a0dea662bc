// tsv_stream.hpp — reading a chorus TSV stream (clusters, evidence, labels)
// one record at a time, all alike: blank lines skipped; the first line must
// be the stream's header ("#chorus-KIND vN {...}"), and so must any later
// line starting with '#' (streams concatenated); a line over max_line is a
// bad line. Not thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "diagnostics.hpp"
#include "input.hpp"
#include "line_reader.hpp"
#include "status.hpp"
#include "stream_header.hpp"

namespace chorus {

// bad(line_number, message): a bad line; false to stop.
// refuse(message) -> Status: the input is not that stream (a data error).
// on_header(const StreamHeader&, line_number) -> Status: an error refuses the input.
// on_record(line, line_number) -> bool: false to stop.
// An input without any header line is refused as empty.
template <typename Bad, typename Refuse, typename Header, typename Record>
Status read_tsv_stream(InputStream& in, size_t max_line, const char* kind, Bad&& bad, Refuse&& refuse, Header&& on_header,
                       Record&& on_record) {
  LineReader reader(in, max_line);
  std::string_view line;
  bool header_seen = false;
  for (;;) {
    auto next = reader.next(line);
    if (!next) return next.status();
    if (*next == LineReader::Kind::kEnd) break;
    if (*next == LineReader::Kind::kOverlong) {
      if (!bad(reader.line_number(), "line longer than " + std::to_string(max_line) + " bytes")) return {};
      continue;
    }
    if (line.empty()) continue;
    if (!header_seen || line[0] == '#') {
      auto header = parse_stream_header(line, kind);
      if (!header) return refuse(line_error(in.name(), reader.line_number(), header.status().message()));
      header_seen = true;
      if (Status st = on_header(*header, reader.line_number()); !st) return refuse(st.message());
      continue;
    }
    if (!on_record(line, reader.line_number())) return {};
  }
  if (!header_seen) return refuse(in.name() + ": empty input, expected a chorus " + kind + " stream");
  return {};
}

}  // namespace chorus

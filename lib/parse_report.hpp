// parse_report.hpp — how the commands that read events (chorus-parse,
// chorus-hash) treat bad records, in one place: each is reported, counted, and
// --strict or --max-errors stop the run; a summary says how many were skipped
// and why; the exit status follows SPEC §8. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "event_parser.hpp"

namespace chorus {

struct BadRecordPolicy {
  bool strict = false;     // stop at the first bad record
  int64_t max_errors = -1; // stop after more than this many (-1: no limit)
};

// An EventParser error sink: reports each bad record through `diag`
// ("prog: FILE:LINE: message", with the offending line for invalid JSON) and
// says whether to go on.
EventParser::ErrorSink report_bad_records(Diagnostics& diag, BadRecordPolicy policy);

// Runs `parser` over each input in turn ("-" is standard input) until one
// says stop; an input that cannot be opened or read is reported and the rest
// still read. Returns kExitUsageError when any input failed, else kExitSuccess.
int parse_inputs(EventParser& parser, const std::vector<std::string>& inputs, Diagnostics& diag);

// "skipped 2 of 10 records (1 invalid JSON, 1 missing field)", with the
// profiles not kept and whether the run stopped early; empty when nothing was
// skipped.
std::string skip_summary(const ParseStats& stats, bool stopped);

// kExitDataError when --strict saw a bad record or more than --max-errors
// were skipped, else kExitSuccess.
int data_exit_status(const ParseStats& stats, BadRecordPolicy policy);

}  // namespace chorus

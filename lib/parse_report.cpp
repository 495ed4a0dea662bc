#include "parse_report.hpp"

#include "exit_status.hpp"

namespace chorus {

EventParser::ErrorSink report_bad_records(Diagnostics& diag, BadRecordPolicy policy) {
  return [&diag, policy, bad = int64_t{0}](const RecordError& e) mutable {
    if (!e.context.empty() && e.reason == SkipReason::kInvalidJson)
      diag.error_with_context(e.file, e.line, e.message, e.context);
    else
      diag.error_at(e.file, e.line, e.message);
    if (e.profile_only) return true;
    ++bad;
    return !policy.strict && !(policy.max_errors >= 0 && bad > policy.max_errors);
  };
}

int parse_inputs(EventParser& parser, const std::vector<std::string>& inputs, Diagnostics& diag) {
  int status = kExitSuccess;
  for (const auto& path : inputs) {
    auto in = InputStream::open(path);
    if (!in) {
      diag.error(in.status().message());
      status = kExitUsageError;
      continue;
    }
    if (Status st = parser.parse(**in); !st) {
      diag.error(st.message());
      status = kExitUsageError;
    }
    if (parser.stopped()) break;
  }
  return status;
}

std::string skip_summary(const ParseStats& s, bool stopped) {
  if (s.skipped == 0 && s.bad_profiles == 0) return {};
  std::string summary = "skipped " + std::to_string(s.skipped) + " of " + std::to_string(s.records) + " records";
  std::string parts;
  for (size_t r = 0; r < static_cast<size_t>(SkipReason::kCount); ++r)
    if (s.skipped_by[r])
      parts += (parts.empty() ? "" : ", ") + std::to_string(s.skipped_by[r]) + " " +
               std::string(skip_reason_name(static_cast<SkipReason>(r)));
  if (!parts.empty()) summary += " (" + parts + ")";
  if (s.bad_profiles) summary += "; " + std::to_string(s.bad_profiles) + " account profiles not kept";
  if (stopped) summary += "; stopped early";
  return summary;
}

int data_exit_status(const ParseStats& s, BadRecordPolicy policy) {
  if (policy.strict && s.skipped > 0) return kExitDataError;
  if (policy.max_errors >= 0 && s.skipped > static_cast<uint64_t>(policy.max_errors)) return kExitDataError;
  return kExitSuccess;
}

}  // namespace chorus

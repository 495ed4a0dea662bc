// timestamp.hpp — reading and writing points in time. chorus keeps time as
// microseconds since the Unix epoch (UTC) in an int64. Read: RFC 3339 with any
// offset and any number of fraction digits (also with a space for 'T', without
// seconds, or a date alone), Twitter's "Wed Oct 10 20:19:24 +0000 2018", and
// epoch seconds as a number or numeric string (integer or fraction). Pure
// functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "status.hpp"

namespace chorus {

using Micros = int64_t;
inline constexpr Micros kMicrosPerSecond = 1000000;

// Any of the text forms above; numeric strings are epoch seconds.
Result<Micros> parse_timestamp(std::string_view text);
// Epoch seconds written as a JSON number ("1610870193", "1610870193.25", "1.6e9").
Result<Micros> parse_epoch_seconds(std::string_view number);

// Epoch seconds with the fraction trimmed: "1610870193", "1610870193.25";
// returns the number of bytes written to buf (at most 32).
size_t format_epoch_seconds(char* buf, Micros t);
template <typename Out>
void append_epoch_seconds(Out& out, Micros t) {
  char buf[32];
  out.append(buf, format_epoch_seconds(buf, t));
}
// RFC 3339 UTC: "2021-01-17T07:56:33Z" (fraction only when non-zero).
std::string format_rfc3339(Micros t);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

}  // namespace chorus

// marks.hpp — reading the marks stream that chorus-hash writes and
// chorus-join reads (SPEC §3, chorus-formats(5)): "key\tts\taccount\tevent_id",
// after an optional "#chorus-marks v1 {...}" header. Accounts and ids stay
// escaped as written (tsv.hpp): they are compared and written back as they
// are, never unescaped. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "status.hpp"
#include "timestamp.hpp"

namespace chorus {

struct Mark {
  std::string_view key, account, event;
  Micros ts = 0;
};

// Splits and checks a mark line (without '\n'): four non-empty fields, a key
// with a "kind:" prefix and no spaces, a time of 1 to 10 digits and an
// optional fraction of 1 to 6 digits. The views point into `line`.
Status parse_mark(std::string_view line, Mark& mark);

// The time as marks write it: 10 digits zero-padded, then "." and the
// fraction without trailing zeros when there is one. `ts` must be in
// 0 .. 9999999999.999999 s.
void append_mark_time(std::string& out, Micros ts);
// The same with always six fraction digits (17 characters), so that byte
// order is time order: the form chorus-join sorts by.
void append_fixed_time(std::string& out, Micros ts);
// Reads either form back; false when `text` is neither.
bool parse_mark_time(std::string_view text, Micros& ts);

}  // namespace chorus

#include "marks.hpp"

namespace chorus {

namespace {
bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace

bool parse_mark_time(std::string_view text, Micros& ts) {
  size_t dot = text.find('.');
  std::string_view secs = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (secs.empty() || secs.size() > 10 || !all_digits(secs)) return false;
  if (dot != std::string_view::npos && (frac.empty() || frac.size() > 6 || !all_digits(frac))) return false;
  int64_t s = 0, f = 0;
  for (char c : secs) s = s * 10 + (c - '0');
  for (size_t i = 0; i < 6; ++i) f = f * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  ts = s * 1000000 + f;
  return true;
}

Status parse_mark(std::string_view line, Mark& m) {
  std::string_view f[4];
  size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    size_t tab = line.find('\t', pos);
    if ((tab == std::string_view::npos) != (i == 3))
      return Status::error(i == 3 ? "more than 4 tab-separated fields (key, ts, account, event_id)"
                                  : "fewer than 4 tab-separated fields (key, ts, account, event_id)");
    f[i] = line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos);
    pos = tab + 1;
  }
  static const char* const kNames[] = {"key", "ts", "account", "event_id"};
  for (int i = 0; i < 4; ++i)
    if (f[i].empty()) return Status::error(std::string("empty ") + kNames[i]);
  size_t colon = f[0].find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == f[0].size())
    return Status::error("key '" + std::string(f[0].substr(0, 80)) + "' is not kind:hash");
  if (f[0].find(' ') != std::string_view::npos) return Status::error("key contains a space");
  if (!parse_mark_time(f[1], m.ts)) return Status::error("unreadable time '" + std::string(f[1].substr(0, 40)) + "'");
  m.key = f[0];
  m.account = f[2];
  m.event = f[3];
  return {};
}

namespace {

// "00" to "99": two digits a step (a step a digit was 3 % of chorus-hash).
constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// The `digits` (even) low decimal digits of v, zero-padded, ending at end.
inline void write_digits(char* end, uint64_t v, int digits) {
  for (; digits > 0; digits -= 2, v /= 100) {
    const char* d = kDigitPairs + 2 * (v % 100);
    *--end = d[1];
    *--end = d[0];
  }
}

}  // namespace

void append_mark_time(std::string& out, Micros ts) {
  const auto secs = static_cast<uint64_t>(ts / 1000000);
  uint64_t frac = static_cast<uint64_t>(ts % 1000000);
  char buf[24];
  write_digits(buf + 10, secs, 10);
  size_t n = 10;
  if (frac) {
    buf[n++] = '.';
    write_digits(buf + n + 6, frac, 6);
    n += 6;
    while (buf[n - 1] == '0') --n;
  }
  out.append(buf, n);
}

void append_fixed_time(std::string& out, Micros ts) {
  int64_t secs = ts / 1000000, frac = ts % 1000000;
  char buf[17];
  for (int i = 9; i >= 0; --i, secs /= 10) buf[i] = static_cast<char>('0' + secs % 10);
  buf[10] = '.';
  for (int i = 16; i >= 11; --i, frac /= 10) buf[i] = static_cast<char>('0' + frac % 10);
  out.append(buf, 17);
}

}  // namespace chorus

#include "timestamp.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace chorus {
namespace {

constexpr int64_t kMicros = 1000000;
// Accepted range: years 1000..9999, so every value round-trips through RFC 3339.
constexpr Micros kMin = -30610224000LL * kMicros;  // 1000-01-01T00:00:00Z
constexpr Micros kMax = 253402300800LL * kMicros - 1;  // 9999-12-31T23:59:59.999999Z

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

// Reads exactly n digits at s[i..]; advances i.
bool digits(std::string_view s, size_t& i, int n, int64_t& out) {
  if (i + n > s.size()) return false;
  int64_t v = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[i + k];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  i += n;
  out = v;
  return true;
}

Status bad(std::string_view text, const char* why) {
  std::string shown(text.substr(0, 64));
  return Status::error(std::string("unreadable timestamp '") + shown + "': " + why);
}

Result<Micros> compose(std::string_view text, int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s,
                       int64_t frac_us, int64_t offset_s) {
  if (mo < 1 || mo > 12) return bad(text, "month out of range");
  if (d < 1 || d > days_in_month(y, static_cast<unsigned>(mo))) return bad(text, "day out of range");
  if (h > 23) return bad(text, "hour out of range");
  if (mi > 59) return bad(text, "minute out of range");
  if (s > 60) return bad(text, "second out of range");  // 60: a leap second, counted as the next second
  int64_t secs = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
                 mi * 60 + s - offset_s;
  Micros t = secs * kMicros + frac_us;
  if (t < kMin || t > kMax) return bad(text, "year out of range");
  return t;
}

// Fraction after '.' or ','; any number of digits, kept to microseconds.
bool fraction(std::string_view s, size_t& i, int64_t& us) {
  us = 0;
  if (i >= s.size() || (s[i] != '.' && s[i] != ',')) return true;
  ++i;
  size_t start = i;
  int64_t scale = 100000;
  while (i < s.size() && is_digit(s[i])) {
    if (scale > 0) us += (s[i] - '0') * scale;
    scale /= 10;
    ++i;
  }
  return i > start;
}

// Z, z, +HH:MM, -HH:MM, +HHMM, +HH, or nothing (UTC); " UTC"/" GMT" also.
bool zone(std::string_view s, size_t& i, int64_t& offset) {
  offset = 0;
  if (i < s.size() && s[i] == ' ' && (s.substr(i + 1) == "UTC" || s.substr(i + 1) == "GMT")) {
    i = s.size();
    return true;
  }
  if (i >= s.size()) return true;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
    return true;
  }
  if (s[i] != '+' && s[i] != '-') return false;
  int sign = s[i] == '-' ? -1 : 1;
  ++i;
  int64_t hh, mm = 0;
  if (!digits(s, i, 2, hh)) return false;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!digits(s, i, 2, mm)) return false;
  } else if (i + 2 <= s.size() && is_digit(s[i])) {
    if (!digits(s, i, 2, mm)) return false;
  }
  if (hh > 23 || mm > 59) return false;
  offset = sign * (hh * 3600 + mm * 60);
  return true;
}

Result<Micros> parse_iso(std::string_view s) {
  size_t i = 0;
  int64_t y, mo, d, h = 0, mi = 0, sec = 0, us = 0, off = 0;
  if (!digits(s, i, 4, y) || i >= s.size() || s[i] != '-') return bad(s, "expected YYYY-MM-DD");
  ++i;
  if (!digits(s, i, 2, mo) || i >= s.size() || s[i] != '-') return bad(s, "expected YYYY-MM-DD");
  ++i;
  if (!digits(s, i, 2, d)) return bad(s, "expected YYYY-MM-DD");
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return bad(s, "expected 'T' after the date");
    ++i;
    if (!digits(s, i, 2, h) || i >= s.size() || s[i] != ':' ) return bad(s, "expected HH:MM");
    ++i;
    if (!digits(s, i, 2, mi)) return bad(s, "expected HH:MM");
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!digits(s, i, 2, sec)) return bad(s, "expected seconds");
      if (!fraction(s, i, us)) return bad(s, "empty fraction");
    }
    if (!zone(s, i, off)) return bad(s, "bad time zone offset");
  }
  if (i != s.size()) return bad(s, "trailing characters");
  return compose(s, y, mo, d, h, mi, sec, us, off);
}

// "Wed Oct 10 20:19:24 +0000 2018" (Twitter API v1.1 created_at)
Result<Micros> parse_twitter(std::string_view s) {
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ' || s[25] != ' ')
    return bad(s, "not RFC 3339, epoch seconds or Twitter's date format");
  int64_t mo = 0;
  for (int k = 0; k < 12; ++k)
    if (s.substr(4, 3) == months[k]) mo = k + 1;
  if (mo == 0) return bad(s, "unknown month name");
  size_t i = 8;
  int64_t d, h, mi, sec, y, off;
  if (!digits(s, i, 2, d)) return bad(s, "bad day");
  i = 11;
  if (!digits(s, i, 2, h) || s[i++] != ':' || !digits(s, i, 2, mi) || s[i++] != ':' || !digits(s, i, 2, sec))
    return bad(s, "bad time of day");
  i = 20;
  if (!zone(s, i, off) || i != 25) return bad(s, "bad time zone offset");
  i = 26;
  if (!digits(s, i, 4, y)) return bad(s, "bad year");
  return compose(s, y, mo, d, h, mi, sec, 0, off);
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Result<Micros> parse_epoch_seconds(std::string_view s) {
  if (s.empty()) return bad(s, "empty");
  // Plain integers and decimals are read exactly; exponents go through double.
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-') {
    neg = true;
    i = 1;
  }
  int64_t whole = 0;
  size_t start = i;
  while (i < s.size() && is_digit(s[i])) {
    if (whole > 1000000000000LL) return bad(s, "year out of range");
    whole = whole * 10 + (s[i] - '0');
    ++i;
  }
  if (i == start) return bad(s, "expected RFC 3339 or epoch seconds");
  int64_t us = 0;
  if (i < s.size() && s[i] == '.') {
    if (!fraction(s, i, us)) return bad(s, "expected RFC 3339 or epoch seconds");
  }
  Micros t;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    double v;
    std::string tmp(s);
    char* end = nullptr;
    v = std::strtod(tmp.c_str(), &end);
    if (end != tmp.c_str() + tmp.size()) return bad(s, "expected RFC 3339 or epoch seconds");
    if (!std::isfinite(v) || std::fabs(v) > 1e12) return bad(s, "year out of range");
    t = static_cast<Micros>(std::llround(v * kMicros));
  } else {
    if (i != s.size()) return bad(s, "expected RFC 3339 or epoch seconds");
    t = whole * kMicros + us;
    if (neg) t = -t;
  }
  if (t < kMin || t > kMax) return bad(s, "year out of range");
  return t;
}

Result<Micros> parse_timestamp(std::string_view s) {
  if (s.empty()) return bad(s, "empty");
  if (s.size() >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && s[4] == '-')
    return parse_iso(s);
  if (is_digit(s[0]) || s[0] == '-') return parse_epoch_seconds(s);
  return parse_twitter(s);
}

size_t format_epoch_seconds(char* buf, Micros t) {
  bool neg = t < 0;
  uint64_t a = neg ? static_cast<uint64_t>(-t) : static_cast<uint64_t>(t);
  uint64_t secs = a / kMicros, us = a % kMicros;
  char* p = buf;
  if (neg) *p++ = '-';
  p = std::to_chars(p, buf + 24, secs).ptr;
  if (us) {
    *p++ = '.';
    char f[6];
    for (int k = 5; k >= 0; --k) {
      f[k] = static_cast<char>('0' + us % 10);
      us /= 10;
    }
    int n = 6;
    while (n > 0 && f[n - 1] == '0') --n;
    std::memcpy(p, f, n);
    p += n;
  }
  return static_cast<size_t>(p - buf);
}

std::string format_rfc3339(Micros t) {
  int64_t secs = t >= 0 ? t / kMicros : -((-t + kMicros - 1) / kMicros);
  int64_t us = t - secs * kMicros;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  // civil_from_days (H. Hinnant)
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(y), m, d,
                        static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                        static_cast<long long>(rem % 60));
  std::string s(buf, n);
  if (us) {
    char f[24];
    std::snprintf(f, sizeof f, ".%06lld", static_cast<long long>(us));
    std::string fs(f);
    while (fs.back() == '0') fs.pop_back();
    s += fs;
  }
  s += 'Z';
  return s;
}

}  // namespace chorus

// gen_marks — a fast, deterministic generator of synthetic marks for
// bench/join_bench.sh: tens of millions of `key\tts\taccount\tevent_id` lines
// (SPEC §3) written to standard output, so that chorus-join can be measured on
// more marks than chorus-gen | chorus-hash makes in reasonable time, through a
// pipe, without the input taking any disk.
//
// The marks look like chorus-hash's: events in time order over --days, each by
// one account and with 1 to 4 marks on distinct keys; keys typed
// `kind:<32 hex digits>`; accounts `platform:u<7 digits>` from a pool of
// --accounts, drawn with a heavy-tailed activity (a few accounts post a lot);
// ids `e<10 digits>`. Each mark's key is
//   - new (probability --new-key): a key of one event, as most text, share and
//     media keys are (95 % of chorus-hash's keys on chorus-gen data have one
//     mark);
//   - recent (the rest, less the evergreen share): the key of a mark drawn
//     uniformly from the last --recent marks — preferential attachment, so
//     sharers per key are heavy-tailed (Yule–Simon), and the sharers of a key
//     bunch up in time, as content spreads in bursts;
//   - evergreen (probability --evergreen-share): one of --evergreen keys drawn
//     by a Zipf law (exponent 1), for hashtags, domains and mentions that are
//     used all week long; the top ones have hundreds of thousands of marks.
// Deterministic: the same options and seed give the same bytes.
//
// Usage: gen_marks [--marks N] [--accounts N] [--seed S] [--days D]
//                  [--start EPOCH] [--new-key P] [--evergreen-share P]
//                  [--evergreen N] [--recent N] [--no-header] [--stats]
// Exit status: 0, 1 write error, 2 usage error.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct SplitMix64 {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

uint64_t mix(uint64_t x) {
  SplitMix64 m{x};
  return m.next();
}

// xoshiro256**: the generator of every random choice.
struct Rng {
  uint64_t s[4];
  explicit Rng(uint64_t seed) {
    SplitMix64 m{seed};
    for (auto& v : s) v = m.next();
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t next() {
    const uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  uint64_t below(uint64_t n) { return std::min(n - 1, static_cast<uint64_t>(uniform() * static_cast<double>(n))); }
};

class Out {
 public:
  Out() : buf_(kSize) {}
  ~Out() { flush(); }
  char* reserve(size_t n) {
    if (fill_ + n > buf_.size()) flush();
    return buf_.data() + fill_;
  }
  void commit(size_t n) { fill_ += n; }
  void put(std::string_view s) {
    std::memcpy(reserve(s.size()), s.data(), s.size());
    commit(s.size());
  }
  void flush() {
    const char* p = buf_.data();
    size_t n = fill_;
    while (n > 0) {
      ssize_t w = ::write(1, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        std::fprintf(stderr, "gen_marks: write error: %s\n", std::strerror(errno));
        std::exit(1);
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    fill_ = 0;
  }

 private:
  static constexpr size_t kSize = size_t{1} << 20;
  std::vector<char> buf_;
  size_t fill_ = 0;
};

// Writes `v` as exactly `width` decimal digits.
inline char* put_digits(char* p, uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
  return p + width;
}

inline char* put_hex64(char* p, uint64_t v) {
  static const char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i, v >>= 4) p[i] = kHex[v & 15];
  return p + 16;
}

struct Kind {
  const char* name;
  double weight;
};
// Keys of one event or of a burst (new and recent keys), and keys used all week (evergreen).
const Kind kBurstKinds[] = {{"text", 0.26}, {"near", 0.26}, {"share", 0.22}, {"reply", 0.08},
                            {"url", 0.08},  {"media", 0.10}};
const Kind kEvergreenKinds[] = {{"tag", 0.40}, {"domain", 0.25}, {"mention", 0.30}, {"tagseq", 0.05}};

template <size_t N>
const char* pick_kind(const Kind (&kinds)[N], uint64_t h) {
  double u = static_cast<double>(h >> 11) * 0x1.0p-53;
  for (const Kind& k : kinds) {
    if (u < k.weight) return k.name;
    u -= k.weight;
  }
  return kinds[N - 1].name;
}

const char* const kPlatforms[] = {"twitter", "facebook", "tiktok", "telegram", "youtube", "reddit"};

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "gen_marks: %s\nTry 'gen_marks --help'\n", message.c_str());
  std::exit(2);
}

uint64_t parse_count(const std::string& opt, const char* s) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s, &end);
  if (end == s || errno != 0 || v < 0) usage_error(opt + ": not a number: '" + s + "'");
  std::string suffix(end);
  if (suffix == "k" || suffix == "K") v *= 1e3;
  else if (suffix == "M") v *= 1e6;
  else if (suffix == "G") v *= 1e9;
  else if (!suffix.empty()) usage_error(opt + ": bad suffix in '" + s + "' (k, M, G)");
  return static_cast<uint64_t>(std::llround(v));
}

double parse_fraction(const std::string& opt, const char* s) {
  char* end = nullptr;
  double v = std::strtod(s, &end);
  if (end == s || *end != '\0' || !(v >= 0 && v <= 1)) usage_error(opt + ": not a number in [0, 1]: '" + s + "'");
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t marks = 50'000'000, accounts = 1'000'000, seed = 1, start = 1704067200, evergreen = 100'000, recent = 2'000'000;
  double days = 7, new_key = 0.70, evergreen_share = 0.10;
  bool header = true, stats = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage_error(a + ": missing value");
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      std::printf(
          "usage: gen_marks [options] > marks.tsv\n"
          "  --marks N            marks to write, k/M/G suffixes (default 50M)\n"
          "  --accounts N         pool of accounts (default 1M)\n"
          "  --seed S             seed of every random choice (default 1)\n"
          "  --days D             time span (default 7)\n"
          "  --start EPOCH        first second (default 1704067200, 2024-01-01)\n"
          "  --new-key P          share of marks on a key of their own (default 0.70)\n"
          "  --evergreen-share P  share of marks on week-long keys (default 0.10)\n"
          "  --evergreen N        week-long keys, Zipf-drawn (default 100k)\n"
          "  --recent N           a recent key is drawn from the last N marks (default 2M)\n"
          "  --no-header          no '#chorus-marks v1' header line\n"
          "  --stats              print counts (marks, events, distinct accounts, ...) on standard error at the end\n");
      return 0;
    } else if (a == "--marks") marks = parse_count(a, value());
    else if (a == "--accounts") accounts = parse_count(a, value());
    else if (a == "--seed") seed = parse_count(a, value());
    else if (a == "--days") {
      const char* s = value();
      char* end = nullptr;
      days = std::strtod(s, &end);
      if (end == s || *end != '\0' || !(days > 0 && days <= 3650)) usage_error("--days: not a number in (0, 3650]");
    } else if (a == "--start") start = parse_count(a, value());
    else if (a == "--new-key") new_key = parse_fraction(a, value());
    else if (a == "--evergreen-share") evergreen_share = parse_fraction(a, value());
    else if (a == "--evergreen") evergreen = parse_count(a, value());
    else if (a == "--recent") recent = parse_count(a, value());
    else if (a == "--no-header") header = false;
    else if (a == "--stats") stats = true;
    else usage_error("unknown argument '" + a + "'");
  }
  if (accounts == 0 || accounts > 10'000'000) usage_error("--accounts: 1 to 10M");
  if (accounts % 1000003 == 0) usage_error("--accounts: not a multiple of 1000003");
  if (evergreen == 0 || recent == 0) usage_error("--evergreen and --recent must be positive");
  if (new_key + evergreen_share > 1) usage_error("--new-key plus --evergreen-share must be at most 1");
  const uint64_t span = static_cast<uint64_t>(days * 86400);
  if (start + span > 9'999'999'999ULL) usage_error("--start plus --days passes 9999999999");

  // Zipf(1) over the evergreen keys: the cumulative weights, searched by bisection.
  std::vector<double> zipf(evergreen);
  double total = 0;
  for (uint64_t k = 0; k < evergreen; ++k) zipf[k] = (total += 1.0 / static_cast<double>(k + 1));
  for (double& z : zipf) z /= total;

  // The last `recent` marks' keys (a key is a 64-bit id; its text is derived from it).
  std::vector<uint64_t> ring(std::min(recent, std::max<uint64_t>(marks, 1)));
  uint64_t ring_fill = 0, ring_pos = 0;

  Rng rng(seed);
  const uint64_t salt = mix(seed ^ 0x6d61726b73ULL);  // "marks"
  // Account activity: index = pool * u^3 (a few accounts post a lot), then a
  // bijection of [0, pool) so that the busy ones are spread over the names.
  const uint64_t perm_mul = 1000003;  // prime: a bijection unless the pool is a multiple of it (refused above)
  Out out;
  if (header)
    out.put("#chorus-marks v1 {\"generator\":\"gen_marks\",\"seed\":" + std::to_string(seed) +
            ",\"marks\":" + std::to_string(marks) + ",\"accounts\":" + std::to_string(accounts) + "}\n");

  uint64_t written = 0, event = 0, new_keys = 0, n_recent = 0, n_evergreen = 0, distinct_accounts = 0;
  std::vector<bool> seen(stats ? accounts : 0);
  uint64_t next_key = 0;
  const double events_guess = static_cast<double>(marks) / 1.8;  // about 1.8 marks per event
  uint64_t keys[4];
  while (written < marks) {
    // The event: its time (non-decreasing over the span), account, and 1 to 4 keys.
    const uint64_t ts = start + std::min<uint64_t>(span, static_cast<uint64_t>(static_cast<double>(event) / events_guess *
                                                                               static_cast<double>(span)));
    const double ua = rng.uniform();
    uint64_t acct = static_cast<uint64_t>(static_cast<double>(accounts) * ua * ua * ua);
    if (acct >= accounts) acct = accounts - 1;
    acct = (acct * perm_mul + salt % accounts) % accounts;  // < 10^7 * 10^6: no overflow
    const char* platform = kPlatforms[mix(acct ^ salt) % 6];
    if (stats && !seen[acct]) {
      seen[acct] = true;
      ++distinct_accounts;
    }
    const double un = rng.uniform();
    int n = un < 0.45 ? 1 : un < 0.80 ? 2 : un < 0.95 ? 3 : 4;
    n = static_cast<int>(std::min<uint64_t>(n, marks - written));
    int kept = 0;
    for (int j = 0; j < n; ++j) {
      const double u = rng.uniform();
      uint64_t key;
      if (u < new_key || ring_fill == 0) {
        key = next_key++;
        ++new_keys;
      } else if (u < new_key + evergreen_share) {
        const double z = rng.uniform();
        key = (uint64_t{1} << 63) | static_cast<uint64_t>(std::lower_bound(zipf.begin(), zipf.end(), z) - zipf.begin());
        ++n_evergreen;
      } else {
        key = ring[rng.below(ring_fill)];
        ++n_recent;
      }
      // One mark per (event, key), as chorus-hash writes.
      if (std::find(keys, keys + kept, key) != keys + kept) continue;
      keys[kept++] = key;
      ring[ring_pos] = key;
      ring_pos = ring_pos + 1 == ring.size() ? 0 : ring_pos + 1;
      ring_fill = std::min<uint64_t>(ring_fill + 1, ring.size());

      const uint64_t h1 = mix(key ^ salt), h2 = mix(h1 ^ 0x5bd1e995ULL);
      const char* kind = key >> 63 ? pick_kind(kEvergreenKinds, h1) : pick_kind(kBurstKinds, h1);
      const size_t kind_len = std::strlen(kind), platform_len = std::strlen(platform);
      char* p = out.reserve(kind_len + 1 + 32 + 1 + 10 + 1 + platform_len + 2 + 7 + 1 + 11 + 1);
      char* q = p;
      std::memcpy(q, kind, kind_len);
      q += kind_len;
      *q++ = ':';
      q = put_hex64(q, h1);
      q = put_hex64(q, h2);
      *q++ = '\t';
      q = put_digits(q, ts, 10);
      *q++ = '\t';
      std::memcpy(q, platform, platform_len);
      q += platform_len;
      *q++ = ':';
      *q++ = 'u';
      q = put_digits(q, acct, 7);
      *q++ = '\t';
      *q++ = 'e';
      q = put_digits(q, event, 10);
      *q++ = '\n';
      out.commit(static_cast<size_t>(q - p));
      ++written;
    }
    ++event;
  }
  out.flush();
  if (stats)
    std::fprintf(stderr, "gen_marks: %llu marks, %llu events, %llu accounts, %llu new keys, %llu recent, %llu evergreen marks\n",
                 static_cast<unsigned long long>(written), static_cast<unsigned long long>(event),
                 static_cast<unsigned long long>(distinct_accounts),
                 static_cast<unsigned long long>(new_keys), static_cast<unsigned long long>(n_recent),
                 static_cast<unsigned long long>(n_evergreen));
  return 0;
}

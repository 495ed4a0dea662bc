#include "gen.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "gen_text.hpp"
#include "progress.hpp"

// How the generator stays in constant memory (the numbers are for the
// defaults; none of them grows with --events):
//
//  * No account table. An account is a logical index L; its profile, handle
//    and traits are hashes of (seed, L). Account ids are a keyed permutation
//    of L, so network members' ids are scattered among everyone else's. The
//    only per-account storage is for planted-network members (bounded by
//    --networks x the network size).
//  * Time advances in slices. A slice is long enough for about 8k events on
//    average (at least one second, at most an hour): its drafts are sorted by
//    (ts, creation order) and written, then the buffer is reused.
//  * Campaigns, cascades and headlines schedule events into the future (at
//    most 12 hours ahead). Their rates are capped per simulated day and their
//    sizes by flags, so the queue of scheduled drafts is bounded however many
//    events are asked for.
//  * Shares and replies pick their parent from fixed-size rings of recent
//    (and sampled older) posts, never from the whole history.
//
// Deterministic: all randomness comes from SplitMix64 streams seeded from
// --seed; time is integer arithmetic; the only floating point is + - * / and
// sqrt, which IEEE 754 rounds exactly on every machine.

namespace chorus {

using gen::Lang;
using gen::mix64;
using gen::Rng;

namespace {

constexpr Micros kSecond = 1000000;
constexpr int64_t kDaySeconds = 86400;

enum Platform : uint8_t { kTwitter, kTiktok, kFacebook };
const char* const kPlatformNames[] = {"twitter", "tiktok", "facebook"};

struct Country {
  const char* code;
  Lang lang;
  uint32_t weight;
};
const Country kCountries[] = {
    {"US", Lang::kEn, 26}, {"GB", Lang::kEn, 7}, {"CA", Lang::kEn, 3}, {"AU", Lang::kEn, 2}, {"IN", Lang::kEn, 7},
    {"NG", Lang::kEn, 2},  {"IE", Lang::kEn, 1}, {"PH", Lang::kEn, 2}, {"ZA", Lang::kEn, 1}, {"KE", Lang::kEn, 1},
    {"BR", Lang::kPt, 6},  {"PT", Lang::kPt, 1}, {"MX", Lang::kEs, 4}, {"ES", Lang::kEs, 4}, {"AR", Lang::kEs, 2},
    {"CO", Lang::kEs, 1},  {"DE", Lang::kDe, 5}, {"AT", Lang::kDe, 1}, {"FR", Lang::kFr, 5}, {"BE", Lang::kFr, 1},
    {"IT", Lang::kIt, 3},  {"RU", Lang::kRu, 3}, {"CN", Lang::kEn, 1}, {"IR", Lang::kEn, 1}, {"EG", Lang::kEn, 1},
    {"VE", Lang::kEs, 1},  {"AE", Lang::kEn, 1},
};
constexpr size_t kCountryCount = std::size(kCountries);

uint8_t country_index(std::string_view code) {
  for (size_t i = 0; i < kCountryCount; ++i)
    if (code == kCountries[i].code) return static_cast<uint8_t>(i);
  return 0;
}

// A weighted country from 8 hash bits.
uint8_t weighted_country(uint64_t bits) {
  static const auto table = [] {
    std::array<uint8_t, 256> t{};
    uint32_t total = 0;
    for (const auto& c : kCountries) total += c.weight;
    size_t ci = 0;
    uint32_t cum = kCountries[0].weight;
    for (uint32_t b = 0; b < 256; ++b) {
      while (b * total >= cum * 256 && ci + 1 < kCountryCount) cum += kCountries[++ci].weight;
      t[b] = static_cast<uint8_t>(ci);
    }
    return t;
  }();
  return table[bits & 0xff];
}

// The state outlet's language editions and the audiences its amplifiers aim at.
struct Edition {
  const char* path;
  const char* handle;
  const char* name;
  Lang lang;
  const char* home;                 // the edition's own audience
  std::vector<const char*> abroad;  // where amplifiers show it
};
const Edition kEditions[] = {
    {"intl", "vestnik_intl", "Vestnik International", Lang::kEn, "US", {"US", "GB", "CA", "AU"}},
    {"es", "vestnik_es", "Vestnik en Español", Lang::kEs, "ES", {"ES", "MX", "AR", "CO"}},
    {"de", "vestnik_de", "Vestnik Deutsch", Lang::kDe, "DE", {"DE", "AT"}},
    {"fr", "vestnik_fr", "Vestnik Français", Lang::kFr, "FR", {"FR", "BE"}},
};
constexpr uint32_t kOutletAccounts = std::size(kEditions);
constexpr const char* kOutletDomain = "https://vestnik-news.com/";
constexpr const char* kOutletState = "RU";

const char* const kRegions[] = {"east", "west", "north", "south", "central", "metro"};
constexpr uint32_t kPublisherAccounts = std::size(kRegions);
constexpr const char* kPublisherDomain = "https://thedailynewsgroup.com";

const char* const kOrigins[] = {"RU", "CN", "IR", "EG", "VE", "AE"};
const char* const kTargets[] = {"US", "GB", "DE", "FR", "ES", "MX", "BR", "IT", "IN"};

// Hours of the day (UTC) weighted by how busy they are.
constexpr int64_t kHourWeight[24] = {60,  45,  35,  30,  28,  30,  40,  55,  70,  80,  90, 95,
                                     100, 105, 110, 115, 120, 125, 130, 135, 130, 115, 95, 75};

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Cumulative activity weight from the epoch to t seconds (any fixed origin works).
int64_t cumulative_weight(int64_t t) {
  static const auto prefix = [] {
    std::array<int64_t, 25> p{};
    for (int h = 0; h < 24; ++h) p[h + 1] = p[h] + kHourWeight[h] * 3600;
    return p;
  }();
  int64_t day = floor_div(t, kDaySeconds);
  int64_t rem = t - day * kDaySeconds;
  int64_t h = rem / 3600;
  return day * prefix[24] + prefix[h] + kHourWeight[h] * (rem - h * 3600);
}

// (year, month) of a time, by H. Hinnant's civil_from_days.
std::pair<int64_t, int64_t> year_month(Micros t) {
  int64_t z = floor_div(t / kSecond, kDaySeconds) + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2), m};
}

__extension__ using u128 = unsigned __int128;

// A keyed bijection of [0, n): a four-round Feistel network on the smallest
// even number of bits that covers n, cycle-walked back into range. Spreads
// logical indexes (roles, network membership, activity rank) over the ids so
// that no arithmetic on ids reveals them.
class Permutation {
 public:
  Permutation() = default;
  Permutation(uint64_t n, Rng& rng) : n_(n) {
    while ((uint64_t{1} << (2 * half_)) < n_) ++half_;
    for (auto& k : keys_) k = rng.next();
  }
  uint64_t operator()(uint64_t x) const {
    do x = encrypt(x);
    while (x >= n_);
    return x;
  }
  uint64_t inverse(uint64_t y) const {
    do y = decrypt(y);
    while (y >= n_);
    return y;
  }

 private:
  uint64_t round(uint64_t half, int i) const { return mix64(half ^ keys_[i]) & mask(); }
  uint64_t mask() const { return (uint64_t{1} << half_) - 1; }
  uint64_t encrypt(uint64_t x) const {
    uint64_t l = x >> half_, r = x & mask();
    for (int i = 0; i < 4; ++i) {
      uint64_t t = l ^ round(r, i);
      l = r;
      r = t;
    }
    return (l << half_) | r;
  }
  uint64_t decrypt(uint64_t x) const {
    uint64_t l = x >> half_, r = x & mask();
    for (int i = 3; i >= 0; --i) {
      uint64_t t = r ^ round(l, i);
      r = l;
      l = t;
    }
    return (l << half_) | r;
  }
  uint64_t n_ = 1;
  int half_ = 1;
  uint64_t keys_[4] = {};
};

int digits(uint64_t n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

// Lomax (Pareto II) with shape 1: heavy-tailed counts with the given median.
int64_t heavy_count(Rng& rng, double median, int64_t cap) {
  double u = (static_cast<double>(rng.next() >> 11) + 1) * 0x1.0p-53;  // (0, 1]
  double v = median * (1 / u - 1);
  return v >= static_cast<double>(cap) ? cap : static_cast<int64_t>(v);
}

// Delay in seconds: lo + span * u^k, so most copies come early and a few late.
int64_t skewed_delay(Rng& rng, int64_t lo, int64_t span, int k) {
  double u = rng.unit(), p = 1;
  for (int i = 0; i < k; ++i) p *= u;
  return lo + static_cast<int64_t>(static_cast<double>(span) * p);
}

// Events spread evenly over the span: the k-th of n is somewhere in the k-th of n equal parts.
struct Schedule {
  uint64_t count = 0, k = 0;
  Micros start = 0, span = 0, next = 0;
  Rng rng;
  Schedule() = default;
  Schedule(uint64_t n, Micros s, Micros sp, uint64_t seed) : count(n), start(s), span(sp), rng(seed) { advance(); }
  bool due(Micros before) const { return k <= count && next < before; }
  void advance() {
    if (k >= count) {
      k = count + 1;
      return;
    }
    u128 offset = static_cast<u128>(span / kSecond) * (2 * k + 1) / (2 * count);  // the part's middle ...
    int64_t part = span / kSecond / static_cast<int64_t>(count);
    int64_t jitter = part > 1 ? rng.between(-part / 2, part / 2 - 1) : 0;  // ... jittered within it
    next = start + (static_cast<int64_t>(offset) + jitter) * kSecond;
    ++k;
  }
};

struct Member {
  Platform platform;
  uint8_t origin;  // country index: where it is run from
  uint8_t target;  // country index: the audience it poses for
  uint64_t hash;
  Micros created;
};

struct Network {
  std::string name;
  Tactic tactic;
  uint32_t first = 0, size = 0;  // its members are members[first, first + size)
  uint32_t seeds = 0;            // share ring: the first `seeds` members are the boosted accounts
  uint8_t origin = 0, target = 0;
  std::string domain;                            // link amplification
  std::vector<std::vector<std::string>> chains;  // hashtag chain
  Schedule campaigns;
};

struct Burst {
  Micros start, end;
  std::string tag, url, keyword;
};

// A post that shares and replies can point at.
struct RingItem {
  uint64_t number;
  uint32_t account;
};

class Ring {
 public:
  explicit Ring(size_t capacity) : items_(capacity) {}
  void push(RingItem item) {
    items_[next_] = item;
    next_ = (next_ + 1) % items_.size();
    size_ = std::min(size_ + 1, items_.size());
  }
  bool empty() const { return size_ == 0; }
  // One of the `within` most recent items (all when 0).
  RingItem pick(Rng& rng, size_t within = 0) const {
    size_t n = within && within < size_ ? within : size_;
    size_t back = 1 + rng.below(n);
    return items_[(next_ + items_.size() - back) % items_.size()];
  }

 private:
  std::vector<RingItem> items_;
  size_t next_ = 0, size_ = 0;
};

enum Kind : uint8_t { kOrganicPost, kOrganicShare, kOrganicReply, kMade };

// An event before it is written: organic content is generated from `content`
// at write time; campaign and confounder events carry theirs in `made`.
struct Draft {
  Micros ts = 0;
  uint64_t seq = 0;         // creation order: breaks ts ties, parent before child
  uint64_t content = 0;     // seed of the organic content
  uint64_t parent = 0;      // number + 1 of an already written parent
  uint64_t parent_seq = 0;  // seq + 1 of a parent that is a draft too
  uint32_t account = 0;
  uint32_t parent_account = 0;
  Kind kind = kOrganicPost;
  // The campaign it is part of (ground truth, see CampaignRef); these fit in
  // the padding after `kind`, so a draft stays 64 bytes.
  CampaignRole role = CampaignRole::kCopy;
  uint16_t network = 0;   // index + 1 of the planted network; 0: no campaign
  uint32_t campaign = 0;  // from 1 within the network
  std::unique_ptr<Event> made;
};
static_assert(sizeof(Draft) <= 64, "a draft is a cache line");

bool draft_after(const Draft& x, const Draft& y) { return x.ts != y.ts ? x.ts > y.ts : x.seq > y.seq; }

}  // namespace

// ---------------------------------------------------------------------------

std::string_view role_name(CampaignRole r) { return r == CampaignRole::kOriginal ? "original" : "copy"; }

std::string_view tactic_name(Tactic t) {
  switch (t) {
    case Tactic::kCopyPaste: return "copy-paste";
    case Tactic::kLinkAmplification: return "link-amplification";
    case Tactic::kShareRing: return "share-ring";
    case Tactic::kParaphrase: return "paraphrase";
    case Tactic::kHashtagChain: return "hashtag-chain";
    case Tactic::kStateMedia: return "state-media";
  }
  return "copy-paste";
}

Result<std::vector<Tactic>> parse_tactics(std::string_view list) {
  std::vector<Tactic> out;
  size_t i = 0;
  while (i <= list.size()) {
    size_t j = list.find(',', i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view name = list.substr(i, j - i);
    i = j + 1;
    if (name == "all") {
      for (Tactic t : kAllTactics)
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
      continue;
    }
    bool found = false;
    for (Tactic t : kAllTactics) {
      if (tactic_name(t) != name) continue;
      found = true;
      if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
    if (!found) {
      std::string known;
      for (Tactic t : kAllTactics) known += std::string(known.empty() ? "" : ", ") + std::string(tactic_name(t));
      return Status::error("unknown tactic '" + std::string(name) + "' (known: " + known + ", all)");
    }
  }
  return out;
}

Result<std::pair<uint32_t, uint32_t>> parse_size_range(std::string_view text) {
  auto number = [](std::string_view s, uint32_t& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  size_t dash = text.find('-');
  uint32_t lo = 0, hi = 0;
  bool ok = dash == std::string_view::npos ? number(text, lo) && number(text, hi)
                                           : number(text.substr(0, dash), lo) && number(text.substr(dash + 1), hi);
  if (!ok || lo < 2 || hi < lo)
    return Status::error("'" + std::string(text) + "' is not a network size (N or MIN-MAX, at least 2)");
  return std::pair{lo, hi};
}

uint64_t default_accounts(uint64_t events) { return std::clamp<uint64_t>(events / 50, 1000, 5000000); }

Status resolve(GenConfig& c) {
  if (c.events == 0) return Status::error("--events must be at least 1");
  if (c.events > 9999999999ULL) return Status::error("--events: at most 9,999,999,999");
  if (!(c.days > 0) || c.days > 3650) return Status::error("--days must be more than 0 and at most 3650");
  if (c.network_size_min < 2 || c.network_size_max < c.network_size_min)
    return Status::error("--network-size: at least 2 (MIN-MAX with MIN <= MAX)");
  if (c.network_size_max > 100000) return Status::error("--network-size: at most 100000");
  if (c.tactics.empty()) c.tactics.assign(std::begin(kAllTactics), std::end(kAllTactics));
  if (!c.networks) c.networks = static_cast<uint32_t>(c.tactics.size());
  if (*c.networks > 1000) return Status::error("--networks: at most 1000");
  uint64_t planted = uint64_t{*c.networks} * c.network_size_max + kPublisherAccounts + kOutletAccounts;
  if (c.accounts == 0) c.accounts = std::max(default_accounts(c.events), planted + 1000);
  if (c.accounts < planted + 100)
    return Status::error("--accounts " + std::to_string(c.accounts) + " is too few for the networks: need at least " +
                         std::to_string(planted + 100));
  if (c.accounts > 99999999) return Status::error("--accounts: at most 99,999,999");
  int64_t span = static_cast<int64_t>(c.days * kDaySeconds + 0.5);
  if (span < 1) return Status::error("--days: the time span is shorter than a second");
  return {};
}

// ---------------------------------------------------------------------------

struct Generator::Impl {
  GenConfig cfg;
  uint64_t n_events, n_accounts;
  uint64_t organic = 0, planted = 0;  // logical layout: organic, network members, publisher, outlet
  uint64_t first_publisher = 0, first_outlet = 0;
  int account_width, event_width;
  Micros start, end, slice;
  uint64_t seed;

  Permutation account_ids;  // logical index -> account number
  Permutation ranks;        // activity rank -> logical index (organic + members)
  uint64_t ranked = 0;      // organic + members
  uint64_t hyperactive = 0;
  std::array<double, 1025> activity{};  // inverse CDF of the activity rank, piecewise linear

  std::vector<Member> members;
  std::vector<Network> networks;
  std::vector<Burst> bursts;
  size_t burst_lo = 0;
  Schedule cascades, headlines, outlet_posts;
  uint64_t cascade_cap = 20;

  std::vector<Ring> recent, archive;  // per platform
  uint64_t posts_seen = 0;

  std::vector<Draft> future;  // a min-heap by (ts, seq)
  std::vector<Draft> slice_buf;
  std::vector<uint32_t> order, slot_count;  // the slice's (ts, seq) order
  struct Cell {
    uint64_t number;  // + 1 once written
    uint32_t readers;
  };
  std::unordered_map<uint64_t, Cell> cells;  // seq of a referenced draft -> its number
  uint64_t next_seq = 1;
  uint64_t written = 0;
  // The campaign being launched: made_draft tags its drafts with it.
  uint16_t campaign_network = 0;
  uint32_t campaign_number = 0;
  Rng organic_rng;
  Event event;

  explicit Impl(const GenConfig& c);
  void build_networks(Rng& rng);

  // Accounts.
  std::string account_id(uint64_t logical) const {
    std::string s = "u";
    gen::append_padded(s, account_ids(logical), account_width);
    return s;
  }
  uint64_t account_hash(uint64_t logical) const { return mix64(seed ^ mix64(logical + 0x6163636f756e74ULL)); }
  bool is_member(uint64_t l) const { return l >= organic && l < organic + planted; }
  Platform platform_of(uint64_t l) const;
  uint8_t country_of(uint64_t l) const;
  Lang lang_of(uint64_t l) const;
  uint8_t audience_of(uint64_t l) const;
  struct Naming;
  Naming naming(uint64_t l) const;
  std::string handle(uint64_t l) const;
  Account profile(uint64_t l) const;
  uint64_t sample_rank(Rng& rng) const;
  uint64_t sample_organic(Rng& rng) const;

  // Scheduling.
  uint64_t make_seq() { return next_seq++; }
  Draft made_draft(uint64_t account, Micros ts, EventType type, std::string text = {});
  bool schedule(Draft&& d);
  void launch(Micros before);
  void launch_campaign(Network& net, Micros t);
  void launch_cascade(Micros t);
  void launch_headline(Micros t);
  Draft outlet_post(uint32_t edition, Micros t, Rng& rng);
  void add_organic(uint64_t count, Micros from, Micros to);
  uint64_t target(Micros t) const;

  // Writing.
  void render_organic(const Draft& d, Event& e);
  void engagement(Event& e, Rng& rng, Platform p, double median);
  uint64_t run(const std::function<bool(const Event&, const CampaignRef*)>& fn);
};

Generator::Impl::Impl(const GenConfig& c)
    : cfg(c),
      n_events(c.events),
      n_accounts(c.accounts),
      seed(mix64(c.seed ^ 0x63686f727573ULL)),
      organic_rng(mix64(seed + 1)) {
  Rng rng(mix64(seed + 2));
  start = c.start / kSecond * kSecond;
  int64_t span_s = static_cast<int64_t>(c.days * kDaySeconds + 0.5);
  end = start + span_s * kSecond;
  // About 8k events per slice on average (the buffer stays in cache),
  // between a second and an hour.
  int64_t slice_s = static_cast<int64_t>(static_cast<u128>(span_s) * 8192 / n_events);
  slice = std::clamp<int64_t>(slice_s, 1, 3600) * kSecond;
  event_width = std::max(9, digits(n_events - 1));
  account_width = std::max(8, digits(n_accounts - 1));

  build_networks(rng);
  organic = n_accounts - planted - kPublisherAccounts - kOutletAccounts;
  for (auto& m : members) m.hash = mix64(seed ^ (0x6d656d626572ULL + m.hash));
  first_publisher = organic + planted;
  first_outlet = first_publisher + kPublisherAccounts;
  account_ids = Permutation(n_accounts, rng);
  ranked = organic + planted;
  ranks = Permutation(ranked, rng);
  hyperactive = std::max<uint64_t>(3, ranked / 5000);

  // Activity by rank ~ 1 / (rank + x0): the inverse CDF is x0 (R^u - 1),
  // tabulated at u = k/1024 with R^(k/1024) built from square roots only.
  double x0 = std::max(10.0, static_cast<double>(ranked) / 2000);
  double big_r = (static_cast<double>(ranked) + x0) / x0;
  double roots[11];
  roots[0] = big_r;
  for (int j = 1; j <= 10; ++j) roots[j] = std::sqrt(roots[j - 1]);
  for (int k = 0; k <= 1024; ++k) {
    double p = 1;
    for (int bit = 0; bit <= 10; ++bit)
      if (k & (1 << bit)) p *= roots[10 - bit];
    activity[k] = x0 * (p - 1);
  }

  double days = c.days;
  auto capped = [&](double want, double lo, double per_day) {
    double hi = std::max(1.0, per_day * days);
    return static_cast<uint64_t>(std::max(1.0, std::min(std::max(want, lo), hi)));
  };
  double n = static_cast<double>(n_events);
  cascades = Schedule(capped(n * 0.02 / 110, 2, 24), start, end - start, mix64(seed + 10));
  cascade_cap = std::clamp<uint64_t>(n_events / 500, 20, 2000);
  headlines =
      Schedule(capped(std::clamp(n / days / 2000, 2.0, 16.0) * days, 1, 16), start, end - start, mix64(seed + 11));
  outlet_posts = Schedule(capped(std::clamp(n / days / 5000, 1.0, 12.0) * days * kOutletAccounts, 1, 48), start,
                          end - start, mix64(seed + 12));

  // Breaking news: about two a day, each 90 minutes of one hashtag and link.
  Schedule news(capped(days * 2, 1, 2), start, end - start, mix64(seed + 13));
  Rng brng(mix64(seed + 14));
  while (news.due(end)) {
    Burst b;
    b.start = news.next;
    b.end = b.start + 90 * 60 * kSecond;
    b.tag = gen::fresh_hashtag(brng);
    b.url = gen::news_url(brng);
    b.keyword = std::string(gen::content_word(brng));
    bursts.push_back(std::move(b));
    news.advance();
  }

  recent.assign(3, Ring(4096));
  archive.assign(3, Ring(4096));
}

void Generator::Impl::build_networks(Rng& rng) {
  uint32_t count = *cfg.networks;
  double avg_size = (cfg.network_size_min + cfg.network_size_max) / 2.0;
  // Enough campaigns for a detector to see repetition, about 3 % of all
  // events at scale, and no more than 40 a day per network.
  double want = 0.03 * static_cast<double>(n_events) / (std::max<uint32_t>(count, 1) * 0.8 * avg_size);
  uint64_t per_net = static_cast<uint64_t>(std::max(1.0, std::min(std::max(want, 6.0), std::ceil(40 * cfg.days))));
  for (uint32_t i = 0; i < count; ++i) {
    Network net;
    net.name = "net";
    gen::append_padded(net.name, i + 1, std::max(2, digits(count)));
    net.tactic = cfg.tactics[i % cfg.tactics.size()];
    net.size = static_cast<uint32_t>(rng.between(cfg.network_size_min, cfg.network_size_max));
    net.first = static_cast<uint32_t>(members.size());
    net.origin = country_index(rng.pick(kOrigins));
    net.target = country_index(rng.pick(kTargets));
    Platform main = kTwitter, other = kTwitter;
    double other_share = 0;
    switch (net.tactic) {
      case Tactic::kCopyPaste: other = kFacebook, other_share = 0.25; break;
      case Tactic::kLinkAmplification: main = kFacebook, other_share = 0.4; break;
      case Tactic::kShareRing: net.seeds = std::max<uint32_t>(1, net.size / 8); break;
      case Tactic::kParaphrase:
        // The narratives are English.
        net.target = country_index(rng.chance(0.7) ? "US" : "GB");
        other = kFacebook, other_share = 0.2;
        break;
      case Tactic::kHashtagChain: main = kTiktok, other_share = 0.3; break;
      case Tactic::kStateMedia:
        net.origin = country_index(kOutletState);
        other = kFacebook, other_share = 0.2;
        break;
    }
    if (net.tactic == Tactic::kLinkAmplification) net.domain = gen::fringe_domain(rng);
    if (net.tactic == Tactic::kHashtagChain) {
      std::vector<std::string> pool;
      for (int k = 0; k < 8; ++k) pool.push_back(gen::fresh_hashtag(rng));
      for (int c = static_cast<int>(rng.between(2, 3)); c > 0; --c) {
        std::vector<std::string> chain;
        for (int len = static_cast<int>(rng.between(3, 5)); len > 0; --len) {
          const std::string& tag = rng.pick(pool);
          if (std::find(chain.begin(), chain.end(), tag) == chain.end())
            chain.push_back(tag);
          else
            ++len;
        }
        net.chains.push_back(std::move(chain));
      }
    }
    // Created in a burst: within three days, some weeks to a year before the data.
    Micros burst = start - rng.between(20, 400) * kDaySeconds * kSecond;
    for (uint32_t k = 0; k < net.size; ++k) {
      Member m;
      m.platform = rng.chance(other_share) ? other : main;
      m.origin = net.origin;
      m.target = net.target;
      m.hash = members.size();
      m.created = burst + rng.between(0, 3 * kDaySeconds) * kSecond;
      members.push_back(m);
    }
    net.campaigns = Schedule(per_net, start, end - start, mix64(seed + 100 + i));
    networks.push_back(std::move(net));
  }
  planted = members.size();
}

// --- Accounts --------------------------------------------------------------

Platform Generator::Impl::platform_of(uint64_t l) const {
  if (l < organic) {
    uint64_t b = account_hash(l) & 0xff;
    return b < 200 ? kTwitter : b < 231 ? kTiktok : kFacebook;
  }
  if (is_member(l)) return members[l - organic].platform;
  return kTwitter;
}

uint8_t Generator::Impl::country_of(uint64_t l) const {
  if (l < organic) return weighted_country(account_hash(l) >> 8);
  if (is_member(l)) return members[l - organic].origin;
  if (l < first_outlet) return country_index("US");
  return country_index(kOutletState);
}

// The language it posts in: its country's, or the audience's it poses for.
Lang Generator::Impl::lang_of(uint64_t l) const {
  if (l < organic) return kCountries[country_of(l)].lang;
  if (is_member(l)) return kCountries[members[l - organic].target].lang;
  if (l < first_outlet) return Lang::kEn;
  return kEditions[l - first_outlet].lang;
}

uint8_t Generator::Impl::audience_of(uint64_t l) const {
  if (is_member(l)) return members[l - organic].target;
  if (l >= first_outlet) return country_index(kEditions[l - first_outlet].home);
  return country_of(l);
}

// How an account is named. Organic handles are unique: a name-based handle
// takes its (style, first, last) from the account number, and a number
// suffix once the combinations run out; "suggested" handles (name plus eight
// digits, what sign-up forms offer and what operators accept when they create
// accounts in bulk) use a bijection of the account number modulo 10^8.
struct Generator::Impl::Naming {
  uint64_t first, last;
  int style;        // 0..3 name-based, 4 suggested
  uint64_t number;  // suffix: round of the name-based styles, or the eight digits
};

Generator::Impl::Naming Generator::Impl::naming(uint64_t l) const {
  if (is_member(l)) {
    uint64_t h = members[l - organic].hash;
    bool suggested = (h & 0xff) < 218;
    return {h >> 16, h >> 32, suggested ? 4 : static_cast<int>((h >> 8) % 2),
            suggested ? (h >> 20) % 100000000 : 10 + (h >> 48) % 90};
  }
  uint64_t h = account_hash(l), v = account_ids(l);
  if ((h & 0xff) < 26) return {h >> 16, h >> 32, 4, (v * 2654435761ULL) % 100000000};
  uint64_t f = gen::first_name_count(), n = gen::last_name_count();
  uint64_t r = v % (4 * f * n);
  return {(r / 4) % f, (r / 4) / f, static_cast<int>(r % 4), v / (4 * f * n)};
}

std::string Generator::Impl::handle(uint64_t l) const {
  if (l >= first_outlet) return kEditions[l - first_outlet].handle;
  if (l >= first_publisher) return std::string("dailynews_") + kRegions[l - first_publisher];
  Naming nm = naming(l);
  std::string first(gen::first_name(nm.first)), last(gen::last_name(nm.last));
  std::string s;
  switch (nm.style) {
    case 0: s = first + last; break;
    case 1: s = first + "_" + last; break;
    case 2: s = last + "_" + first; break;
    case 3: s = "the" + first + last; break;
    default:
      s = first + last.substr(0, 2 + nm.first % 4);
      gen::append_padded(s, nm.number, 8);
      return s;
  }
  if (nm.number) s += std::to_string(is_member(l) ? nm.number : nm.number * 100 + account_hash(l) % 100);
  return s;
}

Account Generator::Impl::profile(uint64_t l) const {
  Account a;
  a.account = account_id(l);
  a.platform = kPlatformNames[platform_of(l)];
  a.handle = handle(l);
  a.country = kCountries[country_of(l)].code;
  Rng rng(account_hash(l) ^ 0x70726f66696c65ULL);
  if (l >= first_outlet) {
    const Edition& e = kEditions[l - first_outlet];
    a.name = e.name;
    a.state_affiliated = kOutletState;
    a.created = (1325376000LL + rng.between(0, 3 * 365) * kDaySeconds) * kSecond;  // 2012..2014
    a.followers = 500000 + rng.between(0, 3000000);
    a.following = rng.between(50, 400);
    a.verified = true;
    return a;
  }
  if (l >= first_publisher) {
    std::string region = kRegions[l - first_publisher];
    region[0] = static_cast<char>(region[0] - 32);
    a.name = "Daily News " + region;
    // Opened one after another from March 2009, half a year or so apart.
    int64_t opened = 1235865600LL + static_cast<int64_t>(l - first_publisher) * 211 * kDaySeconds;
    a.created = (opened + rng.between(0, 90 * kDaySeconds)) * kSecond;
    a.followers = 200000 + rng.between(0, 2000000);
    a.following = rng.between(100, 900);
    a.verified = true;
    return a;
  }
  Naming nm = naming(l);
  std::string first(gen::first_name(nm.first)), last(gen::last_name(nm.last));
  first[0] = static_cast<char>(first[0] - 32);
  last[0] = static_cast<char>(last[0] - 32);
  a.name = first + " " + last;
  if (is_member(l)) {
    a.created = members[l - organic].created;
    a.followers = rng.between(0, 400);
    a.following = rng.between(150, 3000);
    a.verified = false;
    return a;
  }
  // Organic accounts: created any time in the 14 years before the data.
  a.created = start - (30 + rng.between(0, 14 * 365)) * kDaySeconds * kSecond - rng.between(0, kDaySeconds) * kSecond;
  int64_t followers = heavy_count(rng, 150, 90000000);
  a.followers = followers;
  a.following = std::min<int64_t>(7500, 20 + heavy_count(rng, 250, 7500));
  a.verified = rng.chance(followers > 100000 ? 0.3 : 0.002);
  return a;
}

uint64_t Generator::Impl::sample_rank(Rng& rng) const {
  double u = rng.unit() * 1024;
  auto i = static_cast<size_t>(u);
  double x = activity[i] + (u - static_cast<double>(i)) * (activity[i + 1] - activity[i]);
  auto r = static_cast<uint64_t>(x);
  return r < ranked ? r : ranked - 1;
}

uint64_t Generator::Impl::sample_organic(Rng& rng) const {
  for (int tries = 0; tries < 8; ++tries) {
    uint64_t l = ranks(sample_rank(rng));
    if (l < organic) return l;
  }
  return rng.below(organic);
}

// --- Scheduling ------------------------------------------------------------

Draft Generator::Impl::made_draft(uint64_t account, Micros ts, EventType type, std::string text) {
  Draft d;
  d.ts = ts;
  d.seq = make_seq();
  d.account = static_cast<uint32_t>(account);
  d.kind = kMade;
  d.network = campaign_network;
  d.campaign = campaign_number;
  d.made = std::make_unique<Event>();
  Event& e = *d.made;
  e.type = type;
  e.text = std::move(text);
  e.platform = kPlatformNames[platform_of(account)];
  e.lang = std::string(gen::lang_code(lang_of(account)));
  e.audience = kCountries[audience_of(account)].code;
  return d;
}

bool Generator::Impl::schedule(Draft&& d) {
  if (d.ts >= end) return false;
  future.push_back(std::move(d));
  std::push_heap(future.begin(), future.end(), draft_after);
  return true;
}

uint64_t Generator::Impl::target(Micros t) const {
  int64_t s0 = start / kSecond, s = t / kSecond, s1 = end / kSecond;
  int64_t base = cumulative_weight(s0);
  auto done = static_cast<u128>(cumulative_weight(s) - base);
  auto all = static_cast<u128>(cumulative_weight(s1) - base);
  return static_cast<uint64_t>(done * n_events / all);
}

void Generator::Impl::launch(Micros before) {
  for (size_t i = 0; i < networks.size(); ++i) {
    Network& net = networks[i];
    while (net.campaigns.due(before)) {
      campaign_network = static_cast<uint16_t>(i + 1);
      campaign_number = static_cast<uint32_t>(net.campaigns.k);  // 1 for the first
      launch_campaign(net, net.campaigns.next);
      campaign_network = 0;
      campaign_number = 0;
      net.campaigns.advance();
    }
  }
  while (cascades.due(before)) {
    launch_cascade(cascades.next);
    cascades.advance();
  }
  while (headlines.due(before)) {
    launch_headline(headlines.next);
    headlines.advance();
  }
  while (outlet_posts.due(before)) {
    Rng& rng = outlet_posts.rng;
    schedule(outlet_post(static_cast<uint32_t>(rng.below(kOutletAccounts)), outlet_posts.next, rng));
    outlet_posts.advance();
  }
}

Draft Generator::Impl::outlet_post(uint32_t edition, Micros t, Rng& rng) {
  const Edition& ed = kEditions[edition];
  std::string text;
  gen::append_sentence(text, rng, ed.lang, 8, 16);
  auto [y, m] = year_month(t);
  std::string url = std::string(kOutletDomain) + ed.path + gen::article_path(rng, y, m);
  text += ' ';
  text += url;
  Draft d = made_draft(first_outlet + edition, t, EventType::kPost, std::move(text));
  d.made->urls.push_back(std::move(url));
  engagement(*d.made, rng, kTwitter, 40);
  return d;
}

void Generator::Impl::launch_campaign(Network& net, Micros t) {
  Rng& rng = net.campaigns.rng;
  // Who takes part this time: most members, never fewer than two.
  std::vector<uint64_t> who;
  double share = 0.6 + 0.4 * rng.unit();
  uint32_t from = net.tactic == Tactic::kShareRing ? net.seeds : 0;
  for (uint32_t k = from; k < net.size; ++k)
    if (rng.chance(share)) who.push_back(organic + net.first + k);
  for (uint32_t k = from; who.size() < 2 && k < net.size; ++k)
    if (std::find(who.begin(), who.end(), organic + net.first + k) == who.end()) who.push_back(organic + net.first + k);
  // Copies are posted in a random order of members.
  for (size_t i = who.size(); i > 1; --i) std::swap(who[i - 1], who[rng.below(i)]);
  Lang lang = kCountries[net.target].lang;
  auto [year, month] = year_month(t);
  auto seconds = [](int64_t s) { return s * kSecond; };

  switch (net.tactic) {
    case Tactic::kCopyPaste: {
      std::string sentence;
      gen::append_sentence(sentence, rng, lang, 8, 20);
      std::string url =
          rng.chance(0.4) ? "https://" + gen::fringe_domain(rng) + gen::article_path(rng, year, month) : "";
      std::string tag = rng.chance(0.4) ? gen::fresh_hashtag(rng) : "";
      std::string media;
      if (rng.chance(0.3)) {  // the same video or image in every copy
        media = "m";
        gen::append_padded(media, rng.next() % 10000000000000000ULL, 16);
      }
      for (size_t i = 0; i < who.size(); ++i) {
        Micros ts = t + (i == 0 ? 0 : seconds(skewed_delay(rng, 5, 1200, 2)));
        std::string text = i == 0 ? sentence : gen::obfuscate(sentence, rng);
        if (!tag.empty()) text += " #" + tag;
        if (!url.empty()) text += " " + url;
        Draft d = made_draft(who[i], ts, EventType::kPost, std::move(text));
        if (i == 0) d.role = CampaignRole::kOriginal;
        if (!tag.empty()) d.made->hashtags.push_back(tag);
        if (!url.empty()) d.made->urls.push_back(url);
        if (!media.empty()) d.made->media.push_back(media);
        engagement(*d.made, rng, platform_of(who[i]), 2);
        schedule(std::move(d));
      }
      break;
    }
    case Tactic::kLinkAmplification: {
      static const char* const calls[] = {"Must read",    "Everyone needs to see this",     "Wow",
                                          "This is huge", "Read this before it disappears", "They tried to hide this",
                                          "Important",    "Finally someone said it"};
      std::string article = "https://" + net.domain + gen::article_path(rng, year, month);
      for (size_t i = 0; i < who.size(); ++i) {
        std::string text;
        if (lang == Lang::kEn && rng.chance(0.6))
          text = rng.pick(calls);
        else
          gen::append_sentence(text, rng, lang, 4, 10);
        if (rng.chance(0.3)) text += " " + std::string(gen::emoji(rng));
        std::string url = gen::tracking_variant(article, rng);
        text += " " + url;
        Draft d =
            made_draft(who[i], t + seconds(skewed_delay(rng, i ? 5 : 0, 900, 2)), EventType::kPost, std::move(text));
        if (i == 0) d.role = CampaignRole::kOriginal;
        d.made->urls.push_back(std::move(url));
        engagement(*d.made, rng, platform_of(who[i]), 2);
        schedule(std::move(d));
      }
      break;
    }
    case Tactic::kShareRing: {
      uint64_t seed_account = organic + net.first + rng.below(net.seeds);
      std::string text;
      gen::append_sentence(text, rng, lang, 6, 18);
      std::string tag = rng.chance(0.5) ? std::string(gen::popular_hashtag(rng)) : "";
      if (!tag.empty()) text += " #" + tag;
      Draft post = made_draft(seed_account, t, EventType::kPost, std::move(text));
      post.role = CampaignRole::kOriginal;
      if (!tag.empty()) post.made->hashtags.push_back(tag);
      engagement(*post.made, rng, platform_of(seed_account), 30);
      uint64_t post_seq = post.seq;
      if (!schedule(std::move(post))) break;
      uint32_t readers = 0;
      for (uint64_t member : who) {
        Draft d = made_draft(member, t + seconds(skewed_delay(rng, 3, 600, 2)), EventType::kShare);
        d.parent_seq = post_seq + 1;
        readers += schedule(std::move(d));
      }
      if (readers) cells[post_seq] = {0, readers};
      break;
    }
    case Tactic::kParaphrase: {
      std::string original = gen::narrative(rng);
      for (size_t i = 0; i < who.size(); ++i) {
        Micros ts = t + (i == 0 ? 0 : seconds(60 + rng.between(0, 12 * 3600)));
        Draft d = made_draft(who[i], ts, EventType::kPost, i == 0 ? original : gen::paraphrase(original, rng));
        if (i == 0) d.role = CampaignRole::kOriginal;
        engagement(*d.made, rng, platform_of(who[i]), 2);
        schedule(std::move(d));
      }
      break;
    }
    case Tactic::kHashtagChain: {
      const auto& chain = rng.pick(net.chains);
      for (uint64_t member : who) {
        std::string text;
        gen::append_sentence(text, rng, lang, 4, 12);
        for (const auto& tag : chain) text += " #" + tag;
        Draft d = made_draft(member, t + seconds(rng.between(0, 3600)), EventType::kPost, std::move(text));
        if (member == who.front()) d.role = CampaignRole::kOriginal;
        d.made->hashtags = chain;
        if (platform_of(member) == kTiktok) {
          std::string video = "v";
          gen::append_padded(video, rng.next() % 10000000000000000000ULL, 19);
          d.made->media.push_back(std::move(video));
        }
        engagement(*d.made, rng, platform_of(member), 5);
        schedule(std::move(d));
      }
      break;
    }
    case Tactic::kStateMedia: {
      auto edition = static_cast<uint32_t>(rng.below(kOutletAccounts));
      const Edition& ed = kEditions[edition];
      Draft post = outlet_post(edition, t, rng);
      post.role = CampaignRole::kOriginal;
      std::string url = post.made->urls.front();
      uint64_t post_seq = post.seq;
      if (!schedule(std::move(post))) break;
      uint32_t readers = 0;
      for (uint64_t member : who) {
        // Each member poses as a local of one country the edition reaches.
        const char* audience = ed.abroad[members[member - organic].hash % ed.abroad.size()];
        Micros ts = t + seconds(skewed_delay(rng, 30, 1200, 2));
        Draft d;
        if (platform_of(member) == kTwitter) {
          d = made_draft(member, ts, EventType::kShare);
          d.parent_seq = post_seq + 1;
        } else {  // the outlet is not on this platform: post the link instead
          std::string text;
          gen::append_sentence(text, rng, ed.lang, 4, 10);
          text += " " + url;
          d = made_draft(member, ts, EventType::kPost, std::move(text));
          d.made->urls.push_back(url);
        }
        d.made->lang = std::string(gen::lang_code(ed.lang));
        d.made->audience = audience;
        bool shared = d.parent_seq != 0;
        bool kept = schedule(std::move(d));
        readers += kept && shared;
      }
      if (readers) cells[post_seq] = {0, readers};
      break;
    }
  }
}

void Generator::Impl::launch_cascade(Micros t) {
  // A viral post: many organic accounts share it within minutes.
  Rng& rng = cascades.rng;
  uint64_t author = sample_organic(rng);
  Platform platform = platform_of(author);
  std::string text;
  gen::append_sentence(text, rng, lang_of(author), 6, 20);
  Draft post = made_draft(author, t, EventType::kPost, std::move(text));
  if (rng.chance(0.4)) {
    std::string url = gen::organic_url(rng);
    post.made->text += " " + url;
    post.made->urls.push_back(std::move(url));
  }
  engagement(*post.made, rng, platform, 5000);
  uint64_t post_seq = post.seq;
  if (!schedule(std::move(post))) return;
  uint64_t size = std::min<uint64_t>(cascade_cap, 20 + static_cast<uint64_t>(heavy_count(rng, 20, 1 << 20)));
  std::string author_handle = handle(author);
  uint32_t readers = 0;
  for (uint64_t i = 0; i < size; ++i) {
    uint64_t who = sample_organic(rng);
    for (int tries = 0; tries < 8 && (platform_of(who) != platform || who == author); ++tries)
      who = sample_organic(rng);
    if (platform_of(who) != platform || who == author) continue;
    Micros ts = t + skewed_delay(rng, 2, 1800, 3) * kSecond;
    Draft d;
    if (rng.chance(0.9)) {
      d = made_draft(who, ts, EventType::kShare);
    } else {
      std::string reply = "@" + author_handle + " ";
      gen::append_reply_text(reply, rng, lang_of(who));
      d = made_draft(who, ts, platform == kTwitter ? EventType::kReply : EventType::kComment, std::move(reply));
      d.made->mentions.push_back(author_handle);
      engagement(*d.made, rng, platform, 1);
    }
    d.parent_seq = post_seq + 1;
    readers += schedule(std::move(d));
  }
  if (readers) cells[post_seq] = {0, readers};
}

void Generator::Impl::launch_headline(Micros t) {
  // One owner's regional accounts post the same headline and link at once.
  Rng& rng = headlines.rng;
  std::string headline;
  gen::append_sentence(headline, rng, Lang::kEn, 7, 14);
  while (!headline.empty() && (headline.back() == '.' || headline.back() == '!' || headline.back() == '?'))
    headline.pop_back();
  auto [y, m] = year_month(t);
  std::string url = kPublisherDomain + gen::article_path(rng, y, m);
  for (uint32_t r = 0; r < kPublisherAccounts; ++r) {
    Draft d = made_draft(first_publisher + r, t + rng.between(0, 8) * kSecond, EventType::kPost, headline + " " + url);
    d.made->urls.push_back(url);
    engagement(*d.made, rng, kTwitter, 60);
    schedule(std::move(d));
  }
}

void Generator::Impl::add_organic(uint64_t count, Micros from, Micros to) {
  Rng& rng = organic_rng;
  uint64_t seconds = static_cast<uint64_t>((to - from) / kSecond);
  for (uint64_t i = 0; i < count; ++i) {
    Draft d;
    d.ts = from + static_cast<Micros>(rng.below(seconds)) * kSecond;
    d.seq = make_seq();
    uint64_t rank = sample_rank(rng);
    d.account = static_cast<uint32_t>(ranks(rank));
    d.content = rng.next();
    // The busiest accounts mostly reshare what just came in; that makes them
    // co-share with each other without any coordination.
    bool hyper = rank < hyperactive;
    uint64_t r = rng.below(100);
    d.kind = hyper    ? (r < 85 ? kOrganicShare : kOrganicPost)
             : r < 60 ? kOrganicPost
             : r < 88 ? kOrganicShare
                      : kOrganicReply;
    if (d.kind != kOrganicPost) {
      Platform p = platform_of(d.account);
      const Ring& ring = !hyper && rng.chance(0.3) && !archive[p].empty() ? archive[p] : recent[p];
      if (ring.empty()) {
        d.kind = kOrganicPost;
      } else {
        RingItem item = ring.pick(rng, hyper ? 64 : 0);
        if (item.account == d.account) {
          d.kind = kOrganicPost;
        } else {
          d.parent = item.number + 1;
          d.parent_account = item.account;
        }
      }
    }
    slice_buf.push_back(std::move(d));
  }
}

// --- Writing ---------------------------------------------------------------

void Generator::Impl::engagement(Event& e, Rng& rng, Platform p, double median) {
  int64_t likes = heavy_count(rng, median, 5000000);
  e.likes = likes;
  if (p == kTwitter)
    e.views = likes * rng.between(20, 100) + rng.between(0, 300);
  else if (p == kTiktok)
    e.views = likes * rng.between(50, 200) + rng.between(0, 2000);
}

void Generator::Impl::render_organic(const Draft& d, Event& e) {
  Rng rng(d.content);
  Platform platform = platform_of(d.account);
  Lang lang = lang_of(d.account);
  e.platform = kPlatformNames[platform];
  e.lang = gen::lang_code(lang);
  e.audience = kCountries[rng.chance(0.93) ? audience_of(d.account) : weighted_country(rng.next())].code;
  if (d.kind == kOrganicShare) {
    e.type = EventType::kShare;
    return;
  }
  if (d.kind == kOrganicReply) {
    e.type = platform == kTwitter ? EventType::kReply : EventType::kComment;
    std::string h = handle(d.parent_account);
    e.text += '@';
    e.text += h;
    e.text += ' ';
    gen::append_reply_text(e.text, rng, lang);
    e.mentions.push_back(std::move(h));
    engagement(e, rng, platform, 1);
    return;
  }
  e.type = EventType::kPost;
  engagement(e, rng, platform, 4);
  if (platform == kTiktok || (platform == kTwitter && rng.chance(0.08))) {
    std::string& m = e.media.emplace_back(platform == kTiktok ? "v" : "p");
    gen::append_padded(m, rng.next() % 10000000000000000000ULL, 19);
  }
  if (rng.chance(0.03)) {  // the phrases thousands post
    e.text += gen::stock_phrase(rng, lang);
    if (rng.chance(0.3)) {
      e.text += ' ';
      e.text += gen::emoji(rng);
    }
    return;
  }
  if (rng.chance(0.08)) {
    uint64_t who = ranks(sample_rank(rng));
    std::string h = handle(who);
    e.text += '@';
    e.text += h;
    e.text += ' ';
    e.mentions.push_back(std::move(h));
  }
  // Breaking news: while a burst lasts, many posts carry its tag and link.
  const Burst* burst = nullptr;
  while (burst_lo < bursts.size() && bursts[burst_lo].end <= d.ts) ++burst_lo;
  for (size_t j = burst_lo; j < bursts.size() && bursts[j].start <= d.ts; ++j) {
    if (d.ts >= bursts[j].end) continue;
    double x = static_cast<double>(d.ts - bursts[j].start) / static_cast<double>(bursts[j].end - bursts[j].start);
    if (rng.chance(0.35 * (1 - x) * (1 - x))) burst = &bursts[j];
    break;
  }
  if (burst) {
    e.text += burst->keyword;
    e.text += ": ";
  }
  gen::append_sentence(e.text, rng, lang, 4, 24);
  if (rng.chance(0.08)) {
    e.text += ' ';
    e.text += gen::emoji(rng);
  }
  if (burst) {
    e.text += " #";
    e.text += burst->tag;
    e.hashtags.push_back(burst->tag);
  }
  if (rng.chance(0.18)) {
    for (int k = rng.chance(0.25) ? 2 : 1; k > 0; --k) {
      std::string_view tag = gen::popular_hashtag(rng);
      if (std::find(e.hashtags.begin(), e.hashtags.end(), tag) != e.hashtags.end()) continue;
      e.text += " #";
      e.text += tag;
      e.hashtags.emplace_back(tag);
    }
  }
  if (burst || rng.chance(0.12)) {
    std::string url = burst ? burst->url : gen::organic_url(rng);
    e.text += ' ';
    e.text += url;
    e.urls.push_back(std::move(url));
  }
}

uint64_t Generator::Impl::run(const std::function<bool(const Event&, const CampaignRef*)>& fn) {
  Event& e = event;
  CampaignRef ref{};
  for (Micros from = start; from < end && written < n_events; from += slice) {
    Micros to = std::min(from + slice, end);
    launch(to);
    while (!future.empty() && future.front().ts < to) {
      std::pop_heap(future.begin(), future.end(), draft_after);
      slice_buf.push_back(std::move(future.back()));
      future.pop_back();
    }
    uint64_t want = target(to), have = written + slice_buf.size();
    if (want > have) add_organic(want - have, from, to);
    // Counting sort by whole second: stable, and the buffer already holds each
    // second's drafts in creation (seq) order (queued ones first, popped in
    // (ts, seq) order, then the organic ones just made), so this is the
    // (ts, seq) order without moving a single draft.
    size_t seconds = static_cast<size_t>((to - from) / kSecond);
    slot_count.assign(seconds + 1, 0);
    for (const Draft& d : slice_buf) ++slot_count[static_cast<size_t>((d.ts - from) / kSecond) + 1];
    for (size_t i = 1; i <= seconds; ++i) slot_count[i] += slot_count[i - 1];
    order.resize(slice_buf.size());
    for (uint32_t i = 0; i < slice_buf.size(); ++i)
      order[slot_count[static_cast<size_t>((slice_buf[i].ts - from) / kSecond)]++] = i;

    for (size_t k = 0; k < order.size(); ++k) {
      // The order jumps around a buffer of megabytes: fetch ahead.
      if (k + 16 < order.size()) __builtin_prefetch(&slice_buf[order[k + 16]]);
      Draft& d = slice_buf[order[k]];
      if (written >= n_events) break;
      uint64_t number = written++;
      if (d.kind == kMade) {
        std::swap(e, *d.made);
      } else {
        e.clear();
        render_organic(d, e);
      }
      e.id.assign(1, 'e');
      gen::append_padded(e.id, number, event_width);
      e.account = account_id(d.account);
      e.ts = d.ts;
      uint64_t parent = d.parent;
      if (d.parent_seq) {
        auto it = cells.find(d.parent_seq - 1);
        if (it != cells.end()) {
          parent = it->second.number;
          if (--it->second.readers == 0) cells.erase(it);
        }
      }
      if (parent) {
        std::string& p = e.parent.emplace("e");
        gen::append_padded(p, parent - 1, event_width);
      } else {
        e.parent.reset();
      }
      if (d.kind == kMade && d.seq && cells.count(d.seq)) cells[d.seq].number = number + 1;
      if (e.type == EventType::kPost) {
        Platform p = platform_of(d.account);
        recent[p].push({number, d.account});
        // Every 32nd post also goes to the archive, which reaches further back.
        if (++posts_seen % 32 == 0) archive[p].push({number, d.account});
      }
      const CampaignRef* in_campaign = nullptr;
      if (d.network) {
        const Network& net = networks[d.network - 1];
        ref = {net.name, net.tactic, d.campaign, d.role};
        in_campaign = &ref;
      }
      if (!fn(e, in_campaign)) return written;
    }
    slice_buf.clear();
  }
  return written;
}

// ---------------------------------------------------------------------------

Generator::Generator(const GenConfig& config) : impl_(std::make_unique<Impl>(config)) {}
Generator::~Generator() = default;

const GenConfig& Generator::config() const { return impl_->cfg; }
uint64_t Generator::account_count() const { return impl_->n_accounts; }

void Generator::for_each_account(const std::function<void(const Account&)>& fn) const {
  for (uint64_t id = 0; id < impl_->n_accounts; ++id) fn(impl_->profile(impl_->account_ids.inverse(id)));
}

std::vector<TruthRow> Generator::truth() const {
  const Impl& g = *impl_;
  std::vector<TruthRow> rows;
  for (const auto& net : g.networks)
    for (uint32_t k = 0; k < net.size; ++k)
      rows.push_back({g.account_id(g.organic + net.first + k), net.name, std::string(tactic_name(net.tactic))});
  for (uint32_t r = 0; r < kPublisherAccounts; ++r)
    rows.push_back({g.account_id(g.first_publisher + r), "benign:publisher", "syndication"});
  for (uint32_t r = 0; r < kOutletAccounts; ++r)
    rows.push_back({g.account_id(g.first_outlet + r), "overt:state-outlet", "state-affiliated"});
  std::sort(rows.begin(), rows.end(), [](const TruthRow& a, const TruthRow& b) {
    return a.network != b.network ? a.network < b.network : a.account < b.account;
  });
  return rows;
}

uint64_t Generator::run(const std::function<bool(const Event&, const CampaignRef*)>& fn) { return impl_->run(fn); }

uint64_t write_events_jsonl(Generator& gen, OutputStream& out, Progress* progress, OutputStream* campaigns) {
  std::string line;
  uint64_t count = 0, bytes = 0;
  if (campaigns) campaigns->write("event,network,tactic,campaign,role\n");
  gen.run([&](const Event& e, const CampaignRef* c) {
    line.clear();
    append_event_json(line, e);
    out.write(line);
    bytes += line.size();
    ++count;
    if (progress) progress->update(count, bytes);
    if (campaigns && c) {
      line.assign(e.id);
      line += ',';
      line += c->network;
      line += ',';
      line += tactic_name(c->tactic);
      line += ',';
      line += std::to_string(c->campaign);
      line += ',';
      line += role_name(c->role);
      line += '\n';
      campaigns->write(line);
    }
    // No point generating what cannot be written.
    return !out.failed() && !(campaigns && campaigns->failed());
  });
  return count;
}

uint64_t write_accounts_jsonl(const Generator& gen, OutputStream& out) {
  std::string line;
  uint64_t count = 0;
  gen.for_each_account([&](const Account& a) {
    line.clear();
    append_account_json(line, a);
    out.write(line);
    ++count;
  });
  return count;
}

uint64_t write_truth_csv(const Generator& gen, OutputStream& out) {
  out.write("account,network,tactic\n");
  uint64_t count = 0;
  for (const auto& row : gen.truth()) {
    out.write(row.account + "," + row.network + "," + row.tactic + "\n");
    ++count;
  }
  return count;
}

}  // namespace chorus

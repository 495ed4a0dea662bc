// gen.hpp — the synthetic activity generator behind chorus-gen: organic
// accounts with heavy-tailed activity and the confounders real data has
// (viral cascades, breaking-news bursts, stock phrases, hyperactive sharers,
// a benign publisher syndicating one headline, an overt state outlet), plus
// planted influence networks, each running one tactic, and their ground truth
// (per account, and per event: which campaign an event is part of).
//
// Deterministic: the same GenConfig gives the same events, bytes and order,
// on every machine (own PRNG, integer time arithmetic, no libm). Events come
// out in non-decreasing ts order, ids in output order.
//
// Constant memory: no per-account table (every profile is a hash of the seed
// and the account's index), a bounded buffer per time slice, and bounded
// queues of scheduled campaign events; see gen.cpp for the argument.
//
// Not thread-safe: one Generator per thread; run() once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event.hpp"
#include "output.hpp"
#include "status.hpp"
#include "timestamp.hpp"

namespace chorus {

class Progress;

enum class Tactic : uint8_t {
  kCopyPaste,          // the same text, obfuscated per copy, within minutes
  kLinkAmplification,  // the same article URL with tracking-parameter noise
  kShareRing,          // members share a few seed accounts' posts within seconds-minutes
  kParaphrase,         // one narrative, paraphrased, posted hours apart
  kHashtagChain,       // different texts ending in the same ordered 3-5 hashtags
  kStateMedia,         // covert re-sharing of a state outlet towards foreign audiences
};
inline constexpr Tactic kAllTactics[] = {Tactic::kCopyPaste,  Tactic::kLinkAmplification, Tactic::kShareRing,
                                         Tactic::kParaphrase, Tactic::kHashtagChain,      Tactic::kStateMedia};

// "copy-paste", "link-amplification", "share-ring", "paraphrase", "hashtag-chain", "state-media".
std::string_view tactic_name(Tactic t);
// A comma-separated list of tactic names, or "all"; duplicates kept once, in list order.
Result<std::vector<Tactic>> parse_tactics(std::string_view list);
// "25" or "10-40": network sizes, inclusive.
Result<std::pair<uint32_t, uint32_t>> parse_size_range(std::string_view text);

struct GenConfig {
  uint64_t events = 100000;
  uint64_t accounts = 0;             // total accounts; 0: default_accounts(events)
  std::optional<uint32_t> networks;  // none: one per tactic
  uint32_t network_size_min = 10;
  uint32_t network_size_max = 40;
  std::vector<Tactic> tactics;  // empty: all
  uint64_t seed = 1;
  Micros start = 1704067200LL * 1000000;  // 2024-01-01T00:00:00Z
  double days = 7;
};

// The default number of accounts for n events: n / 50, at least 1,000 and at
// most 5,000,000 (so an account posts about 50 times on average).
uint64_t default_accounts(uint64_t events);
// Checks ranges and fills the defaults in; messages name chorus-gen's flags.
Status resolve(GenConfig& config);

// One ground-truth row: an account of a planted network (network "net01",
// tactic "copy-paste", ...) or a reference account that is not part of any
// network (network "benign:publisher", tactic "syndication"; network
// "overt:state-outlet", tactic "state-affiliated").
struct TruthRow {
  std::string account, network, tactic;
};

// Event-level ground truth: the campaign a written event belongs to. Each
// campaign of a planted network (one text copied, one article amplified, one
// seed post shared, one narrative paraphrased, one hashtag chain, one outlet
// article re-shared) is numbered from 1 within its network, in launch order.
// The original is the event the others copy, share or paraphrase: the first
// member's post (copy-paste, link-amplification, paraphrase, hashtag-chain),
// the seed member's post (share-ring) or the outlet's article (state-media;
// the outlet account itself is in no planted network).
enum class CampaignRole : uint8_t { kOriginal, kCopy };
// "original", "copy".
std::string_view role_name(CampaignRole r);
struct CampaignRef {
  std::string_view network;  // "net01", ...
  Tactic tactic;
  uint32_t campaign;  // from 1 within the network
  CampaignRole role;
};

class Generator {
 public:
  // `config` must have passed resolve().
  explicit Generator(const GenConfig& config);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  const GenConfig& config() const;
  uint64_t account_count() const;

  // Every account's profile, in account-id order.
  void for_each_account(const std::function<void(const Account&)>& fn) const;
  // Planted-network members, then the reference accounts; sorted by (network, account).
  std::vector<TruthRow> truth() const;

  // Generates the events in ts order and hands each to `fn`, with the
  // campaign it belongs to (null for events of no campaign: organic activity,
  // confounders, network members' filler posts); stops early when `fn` returns
  // false. Returns the number of events handed over.
  uint64_t run(const std::function<bool(const Event&, const CampaignRef*)>& fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The output formats, written through `out` (which the caller closes).
// Each returns the number of records written.
// Also writes the campaigns CSV (header "event,network,tactic,campaign,role",
// one row per campaign event, in event order) to `campaigns` when given.
uint64_t write_events_jsonl(Generator& gen, OutputStream& out, Progress* progress = nullptr,
                            OutputStream* campaigns = nullptr);
uint64_t write_accounts_jsonl(const Generator& gen, OutputStream& out);
// CSV with the header "account,network,tactic".
uint64_t write_truth_csv(const Generator& gen, OutputStream& out);

}  // namespace chorus

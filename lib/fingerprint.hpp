// fingerprint.hpp — what chorus-hash computes: an event's marks, one per
// (event, fingerprint key), the common currency of every co-action signal
// (SPEC §3, §4; the formats in chorus-formats(5)).
//
// A mark line is "key\tts\taccount\tevent_id\n":
//  - key: "kind:" and the XXH3-128 of the kind's content in 32 hex digits;
//  - ts: epoch seconds, 10 digits zero-padded, then "." and the fraction
//    without trailing zeros when it is not whole, so that LC_ALL=C sort
//    orders an event's marks by key then time (a timestamp outside
//    1970..2286 cannot be written so and the event is refused);
//  - account: "platform:account" when the event names a platform, else the
//    account; accounts and ids escaped (tsv.hpp).
// Each distinct key of an event is written once. A share carries only its
// share: mark: its text, links and tags are its parent's, and an original
// must never pair with its own re-shares.
//
// Memory: constant per event, plus the near-duplicate index (NearDupParams::
// max_memory), the media index (MediaIndexParams::max_memory) and, with
// labels, 16 bytes per distinct key.
//
// Not thread-safe (the normaliser, the indexes and the scratch buffers are
// reused): one Fingerprinter per thread.
#pragma once

#include <xxhash.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "event.hpp"
#include "event_parser.hpp"
#include "media_hash.hpp"
#include "near_dup.hpp"
#include "output.hpp"
#include "status.hpp"
#include "text_buffer.hpp"
#include "text_norm.hpp"

namespace chorus {

enum class Signal : uint8_t { kShare, kReply, kText, kNear, kUrl, kDomain, kTag, kTagSeq, kMention, kMedia, kCount };
constexpr size_t kSignalCount = static_cast<size_t>(Signal::kCount);
using SignalSet = uint32_t;  // bit i: Signal i
constexpr SignalSet kAllSignals = (SignalSet{1} << kSignalCount) - 1;
inline SignalSet signal_bit(Signal s) { return SignalSet{1} << static_cast<unsigned>(s); }

// "share", "reply", ... as in keys and on the command line.
std::string_view signal_name(Signal s);
// A comma-separated list of signal names, or "all"; the error names the bad word.
Result<SignalSet> parse_signal_list(std::string_view list);
// The signal of a mark key's kind ("text:..." -> kText); nullopt for none.
std::optional<Signal> signal_of_key(std::string_view key);

struct FingerprintOptions {
  SignalSet signals = kAllSignals;
  // Words a normalised text needs for its text: and near: keys.
  size_t min_tokens = 4;
  NearDupParams near;
  MediaIndexParams media;
  // Write a label per new key to the labels stream (see commit()).
  bool labels = false;
};
Status validate(const FingerprintOptions& options);

struct FingerprintStats {
  std::array<uint64_t, kSignalCount> marks{};  // marks written, by signal
  uint64_t short_texts = 0;   // texts under min_tokens words (no text: or near: key)
  uint64_t bad_urls = 0;      // URLs that are no http(s) URL chorus can read (no url: key)
  uint64_t labels = 0;        // labels written
};

class Fingerprinter final : public EventSink {
 public:
  // `options` must pass validate(). `labels_out`: where labels go when
  // options.labels (not owned; may be null otherwise).
  Fingerprinter(FingerprintOptions options, OutputStream* labels_out);
  ~Fingerprinter() override;

  // The marks stream's parameters as one line of JSON (for its header).
  std::string parameters_json() const;

  // Appends the event's marks (after a header with their size and count by
  // signal, and followed, with labels, by the labels of keys that may be
  // new); refuses an event whose time cannot be written (appending nothing).
  std::optional<Refusal> append(const EventView& event, TextBuffer& out) override;
  // Given what append() wrote for one or more consecutive events: writes
  // their marks to `out` and the labels of keys not labelled yet to the
  // labels stream, and counts the marks.
  void commit(std::string_view output, OutputStream& out) override;

  const FingerprintStats& stats() const { return stats_; }
  const NearDuplicateIndex& near_index() const { return near_; }
  const MediaIndex& media_index() const { return media_; }

 private:
  void add_mark(Signal s, XXH128_hash_t h, std::string_view label, std::string_view label_prefix = {});
  void hash_scoped(Signal s, std::string_view platform, std::string_view content, std::string_view label_prefix);

  FingerprintOptions opt_;
  OutputStream* labels_out_;
  TextNormalizer norm_;
  NearDuplicateIndex near_;
  MediaIndex media_;
  FingerprintStats stats_;
  // Per event: the line's tail "\tts\taccount\tid\n", the keys written so far,
  // and the labels (key, then label) of keys not yet labelled.
  std::string tail_, text_, tag_, tags_, chain_label_, key_material_, scratch_;
  TextBuffer* out_ = nullptr;
  std::vector<std::pair<uint64_t, uint64_t>> event_keys_;
  std::array<uint32_t, kSignalCount> event_counts_{};
  std::string pending_labels_;
  // Keys labelled so far (128-bit keys, hashed by their low half).
  struct KeyHash {
    size_t operator()(const std::pair<uint64_t, uint64_t>& k) const { return static_cast<size_t>(k.second); }
  };
  std::unordered_set<std::pair<uint64_t, uint64_t>, KeyHash> labelled_;
};

}  // namespace chorus

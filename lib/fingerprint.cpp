#include "fingerprint.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "json_writer.hpp"
#include "marks.hpp"
#include "tsv.hpp"
#include "url_canon.hpp"

namespace chorus {

namespace {

constexpr std::string_view kSignalNames[kSignalCount] = {"share", "reply", "text",    "near",    "url",
                                                         "domain", "tag",  "tagseq", "mention", "media"};

// Labels are cut to this many bytes (at a character boundary), "…" added.
constexpr size_t kLabelBytes = 200;

// What append() writes for an event, read back by commit(): this header, the
// marks, then the labels of keys that may be new. The header carries the
// sizes and the marks' count by signal, so commit() splits a run of events
// and counts their marks without scanning a byte.
struct EventHeader {
  uint64_t marks_bytes, labels_bytes;
  uint32_t counts[kSignalCount];
};

// The key as the dedup and label tables hold it: the hash with its kind mixed
// in, since a group's first text has the same hash under text: and near:.
std::pair<uint64_t, uint64_t> table_key(Signal s, XXH128_hash_t h) {
  return {h.high64 ^ ((static_cast<uint64_t>(s) + 1) * 0x9E3779B97F4A7C15ULL), h.low64};
}

// Appends `text` escaped and cut to kLabelBytes at a UTF-8 character start.
void append_label(std::string& out, std::string_view text) {
  if (text.size() > kLabelBytes) {
    size_t cut = kLabelBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    append_tsv_field(out, text.substr(0, cut));
    out += "\xE2\x80\xA6";  // …
  } else {
    append_tsv_field(out, text);
  }
}

}  // namespace

std::string_view signal_name(Signal s) { return kSignalNames[static_cast<size_t>(s)]; }

Result<SignalSet> parse_signal_list(std::string_view list) {
  SignalSet set = 0;
  size_t pos = 0;
  while (true) {
    size_t comma = list.find(',', pos);
    std::string_view word = list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (word == "all") {
      set |= kAllSignals;
    } else {
      size_t i = 0;
      while (i < kSignalCount && kSignalNames[i] != word) ++i;
      if (i == kSignalCount) {
        std::string names;
        for (auto n : kSignalNames) names += std::string(names.empty() ? "" : ", ") + std::string(n);
        return Status::error("unknown signal '" + std::string(word) + "' (signals: " + names + ", all)");
      }
      set |= SignalSet{1} << i;
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return set;
}

std::optional<Signal> signal_of_key(std::string_view key) {
  size_t colon = key.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view kind = key.substr(0, colon);
  for (size_t i = 0; i < kSignalCount; ++i)
    if (kSignalNames[i] == kind) return static_cast<Signal>(i);
  return std::nullopt;
}

Status validate(const FingerprintOptions& o) {
  if (o.min_tokens < 1) return Status::error("min_tokens must be at least 1");
  if (Status st = validate(o.near); !st) return st;
  return validate(o.media);
}

Fingerprinter::Fingerprinter(FingerprintOptions options, OutputStream* labels_out)
    : opt_(std::move(options)), labels_out_(labels_out), near_(opt_.near), media_(opt_.media) {}

Fingerprinter::~Fingerprinter() = default;

std::string Fingerprinter::parameters_json() const {
  std::string s = "{\"signals\":[";
  bool first = true;
  for (size_t i = 0; i < kSignalCount; ++i) {
    if (!(opt_.signals & (SignalSet{1} << i))) continue;
    s += first ? "\"" : ",\"";
    s += kSignalNames[i];
    s += '"';
    first = false;
  }
  s += "],\"min_tokens\":" + std::to_string(opt_.min_tokens);
  const NearDupParams& n = opt_.near;
  char threshold[32];
  std::snprintf(threshold, sizeof threshold, "%g", n.threshold);
  s += ",\"near\":{\"shingle\":" + std::to_string(n.shingle) + ",\"bands\":" + std::to_string(n.bands) +
       ",\"rows\":" + std::to_string(n.rows) + ",\"threshold\":" + threshold +
       ",\"sketch\":" + std::to_string(n.sketch_limit) + ",\"max_memory\":" + std::to_string(n.max_memory) + "}";
  s += ",\"media_distance\":" + std::to_string(opt_.media.max_distance);
  s += ",\"hash\":\"xxh3-128\",\"account\":\"platform:account\"}";
  return s;
}

void Fingerprinter::add_mark(Signal s, XXH128_hash_t h, std::string_view label, std::string_view label_prefix) {
  auto key = table_key(s, h);
  for (const auto& k : event_keys_)
    if (k == key) return;
  event_keys_.push_back(key);
  ++event_counts_[static_cast<size_t>(s)];
  std::string_view kind = kSignalNames[static_cast<size_t>(s)];
  TextBuffer& out = *out_;
  out.reserve_more(kind.size() + 33 + tail_.size());
  char* p = out.end();
  std::memcpy(p, kind.data(), kind.size());
  p[kind.size()] = ':';
  format_hash128(p + kind.size() + 1, h.high64, h.low64);
  std::memcpy(p + kind.size() + 33, tail_.data(), tail_.size());
  out.commit(kind.size() + 33 + tail_.size());
  if (opt_.labels && !labelled_.count(key)) {
    // [16-byte table key][4-byte length][line]: read back by commit().
    scratch_.clear();
    scratch_.append(kind);
    scratch_ += ':';
    scratch_.resize(scratch_.size() + 32);
    format_hash128(scratch_.data() + scratch_.size() - 32, h.high64, h.low64);
    scratch_ += '\t';
    append_tsv_field(scratch_, label_prefix);
    append_label(scratch_, label);
    scratch_ += '\n';
    auto len = static_cast<uint32_t>(scratch_.size());
    pending_labels_.append(reinterpret_cast<const char*>(&key.first), 8);
    pending_labels_.append(reinterpret_cast<const char*>(&key.second), 8);
    pending_labels_.append(reinterpret_cast<const char*>(&len), 4);
    pending_labels_ += scratch_;
  }
}

// Keys whose content lives in one platform's namespace (item ids, handles).
void Fingerprinter::hash_scoped(Signal s, std::string_view platform, std::string_view content,
                                std::string_view label_prefix) {
  key_material_.assign(platform);
  key_material_ += '\0';
  key_material_ += content;
  XXH128_hash_t h = XXH3_128bits(key_material_.data(), key_material_.size());
  add_mark(s, h, content, label_prefix);
}

std::optional<EventSink::Refusal> Fingerprinter::append(const EventView& e, TextBuffer& out) {
  tail_.assign(1, '\t');
  if (e.ts < 0 || e.ts / 1000000 > 9999999999LL)
    return Refusal{SkipReason::kBadTimestamp,
                   "timestamp " + format_rfc3339(e.ts) + " outside the marks' range (1970 to 2286)"};
  append_mark_time(tail_, e.ts);
  tail_ += '\t';
  std::string_view platform = e.platform ? *e.platform : std::string_view();
  if (!platform.empty()) {
    append_tsv_field(tail_, platform);
    tail_ += ':';
  }
  append_tsv_field(tail_, e.account);
  tail_ += '\t';
  append_tsv_field(tail_, e.id);
  tail_ += '\n';
  out_ = &out;
  event_keys_.clear();
  event_counts_.fill(0);
  pending_labels_.clear();
  const size_t header_at = out.size();
  out.reserve_more(sizeof(EventHeader));
  out.commit(sizeof(EventHeader));
  const SignalSet on = opt_.signals;

  if (e.type == EventType::kShare) {
    if ((on & signal_bit(Signal::kShare)) && e.parent && !e.parent->empty())
      hash_scoped(Signal::kShare, platform, *e.parent, {});
  } else {
    if ((on & signal_bit(Signal::kReply)) && (e.type == EventType::kReply || e.type == EventType::kComment) &&
        e.parent && !e.parent->empty())
      hash_scoped(Signal::kReply, platform, *e.parent, {});

    if ((on & (signal_bit(Signal::kText) | signal_bit(Signal::kNear))) && !e.text.empty()) {
      size_t words = norm_.normalize(e.text, text_);
      if (words < opt_.min_tokens) {
        if (words > 0) ++stats_.short_texts;
      } else {
        const XXH128_hash_t own = XXH3_128bits(text_.data(), text_.size());
        if (on & signal_bit(Signal::kNear)) near_.prefetch(own);  // loads while the text: mark is written
        if (on & signal_bit(Signal::kText)) add_mark(Signal::kText, own, e.text);
        if (on & signal_bit(Signal::kNear))
          if (auto key = near_.assign(text_, own)) add_mark(Signal::kNear, *key, e.text);
      }
    }

    if (on & (signal_bit(Signal::kUrl) | signal_bit(Signal::kDomain))) {
      for (std::string_view u : e.urls) {
        auto c = canonicalize_url(u);
        if (!c) {
          ++stats_.bad_urls;
          continue;
        }
        if (on & signal_bit(Signal::kUrl)) add_mark(Signal::kUrl, XXH3_128bits(c->url.data(), c->url.size()), c->url);
        if ((on & signal_bit(Signal::kDomain)) && !c->domain.empty())
          add_mark(Signal::kDomain, XXH3_128bits(c->domain.data(), c->domain.size()), c->domain);
      }
    }

    if (on & (signal_bit(Signal::kTag) | signal_bit(Signal::kTagSeq))) {
      tags_.clear();
      chain_label_.clear();
      size_t chain = 0;
      for (std::string_view t : e.hashtags) {
        if (!t.empty() && t[0] == '#') t.remove_prefix(1);
        if (norm_.normalize(t, tag_) == 0) continue;
        if (on & signal_bit(Signal::kTag)) add_mark(Signal::kTag, XXH3_128bits(tag_.data(), tag_.size()), t, "#");
        if (chain++) tags_ += '\n';
        tags_ += tag_;
        if (chain_label_.size() <= kLabelBytes) {  // append_label() cuts it to size
          if (!chain_label_.empty()) chain_label_ += ' ';
          chain_label_ += '#';
          chain_label_ += t;
        }
      }
      if ((on & signal_bit(Signal::kTagSeq)) && chain >= 2)
        add_mark(Signal::kTagSeq, XXH3_128bits(tags_.data(), tags_.size()), chain_label_);
    }

    if (on & signal_bit(Signal::kMention)) {
      for (std::string_view m : e.mentions) {
        if (!m.empty() && m[0] == '@') m.remove_prefix(1);
        if (m.empty()) continue;
        tag_.assign(m);
        for (char& c : tag_)
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        hash_scoped(Signal::kMention, platform, tag_, "@");
      }
    }

    if (on & signal_bit(Signal::kMedia)) {
      for (std::string_view m : e.media) {
        if (m.empty()) continue;
        if (auto ph = parse_phash(m)) add_mark(Signal::kMedia, media_.assign(*ph), m);
        else add_mark(Signal::kMedia, XXH3_128bits(m.data(), m.size()), m);
      }
    }
  }
  EventHeader h;
  h.marks_bytes = out.size() - header_at - sizeof h;
  h.labels_bytes = pending_labels_.size();
  std::copy(event_counts_.begin(), event_counts_.end(), h.counts);
  out.append(pending_labels_);
  std::memcpy(out.end() - (out.size() - header_at), &h, sizeof h);
  out_ = nullptr;
  return std::nullopt;
}

void Fingerprinter::commit(std::string_view output, OutputStream& out) {
  while (output.size() >= sizeof(EventHeader)) {
    EventHeader h;
    std::memcpy(&h, output.data(), sizeof h);
    output.remove_prefix(sizeof h);
    out.write(output.substr(0, h.marks_bytes));
    for (size_t i = 0; i < kSignalCount; ++i) stats_.marks[i] += h.counts[i];
    std::string_view labels = output.substr(h.marks_bytes, h.labels_bytes);
    output.remove_prefix(h.marks_bytes + h.labels_bytes);
    if (!labels_out_) continue;
    while (labels.size() >= 20) {
      std::pair<uint64_t, uint64_t> key;
      uint32_t len;
      std::memcpy(&key.first, labels.data(), 8);
      std::memcpy(&key.second, labels.data() + 8, 8);
      std::memcpy(&len, labels.data() + 16, 4);
      if (labelled_.insert(key).second) {
        labels_out_->write(labels.substr(20, len));
        ++stats_.labels;
      }
      labels.remove_prefix(20 + len);
    }
  }
}

}  // namespace chorus

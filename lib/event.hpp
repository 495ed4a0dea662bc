// event.hpp — the canonical records of chorus (SPEC §2): an Event (one action
// of one account) and an Account (a profile), and their JSON-lines form, which
// man/chorus-formats.5 documents. Values; not shared between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text_buffer.hpp"
#include "timestamp.hpp"

namespace chorus {

enum class EventType : uint8_t { kPost, kShare, kReply, kComment };

std::string_view event_type_name(EventType t);
// Canonical names and the synonyms exports use (retweet, repost, duet, stitch,
// quote, tweet, original, ...); nullopt for anything else.
std::optional<EventType> event_type_from_name(std::string_view name);

struct Event {
  std::string id;
  std::string account;
  Micros ts = 0;
  EventType type = EventType::kPost;
  std::string text;
  std::vector<std::string> urls, hashtags, mentions, media;
  std::optional<std::string> parent, lang, audience, platform;
  std::optional<int64_t> views, likes;
  std::string extra;  // a JSON object's text, or empty for none

  void clear();
};

struct Account {
  std::string account;
  std::optional<std::string> platform, handle, name, country, state_affiliated;
  std::optional<Micros> created;
  std::optional<int64_t> followers, following;
  std::optional<bool> verified;
  Micros seen = 0;  // time of the record the profile came from (not written)

  void clear();
  bool empty() const;  // nothing known beyond the account id
};

// An event whose strings are borrowed (from a parser's buffers, valid until
// its next record): what chorus-parse builds, so that nothing is copied twice.
struct EventView {
  std::string_view id, account;
  Micros ts = 0;
  EventType type = EventType::kPost;
  std::string_view text;
  std::vector<std::string_view> urls, hashtags, mentions, media;
  std::optional<std::string_view> parent, lang, audience, platform;
  std::optional<int64_t> views, likes;
  std::string_view extra;

  // Strings known to need no JSON escaping (raw JSON string text without a
  // backslash), which the writer copies without scanning: one bit per string
  // field, a list's bit covering all its items. 0 is always correct.
  enum Clean : uint16_t {
    kCleanId = 1 << 0, kCleanAccount = 1 << 1, kCleanText = 1 << 2, kCleanUrls = 1 << 3,
    kCleanHashtags = 1 << 4, kCleanMentions = 1 << 5, kCleanMedia = 1 << 6, kCleanParent = 1 << 7,
    kCleanLang = 1 << 8, kCleanAudience = 1 << 9, kCleanPlatform = 1 << 10
  };
  uint16_t clean = 0;
};

// One JSON line, with '\n'. Fields in a fixed order; absent optionals are null.
void append_event_json(std::string& out, const Event& e);
void append_event_json(TextBuffer& out, const EventView& e);
void append_account_json(std::string& out, const Account& a);

}  // namespace chorus

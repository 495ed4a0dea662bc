// field_map.hpp — how a platform's export maps onto canonical events and
// accounts. A FieldMap is data: for every canonical field, a list of paths
// into the record (the first one present wins), rules that derive the event
// type, and, for paged exports, where the records and the profiles sit.
// The presets (canonical, twitter-v1, twitter-v2, tiktok, io-archive,
// coortweet) are FieldMaps; `--map field=path` edits one.
//
// Path syntax (documented in chorus-formats(5)): JSON Pointer (RFC 6901,
// "/user/screen_name", ~0 and ~1 escapes) extended with two array steps:
// "*" (every element: "/entities/hashtags/*/text") and "[key=value]" (the
// elements whose string field key equals value, followed by one key:
// "/referenced_tweets/[type=retweeted]/id"). Alternatives are separated by
// '|': "/full_text|/text". For CSV input, "/column" names a column.
// Values, thread-safe once built.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event.hpp"
#include "status.hpp"

namespace chorus {

// Every field a map can fill: the event's, then the account profile's.
enum class Field : uint8_t {
  kId, kAccount, kTs, kType, kText, kUrls, kHashtags, kMentions, kMedia, kParent, kLang, kAudience,
  kPlatform, kViews, kLikes,
  kHandle, kName, kCreated, kFollowers, kFollowing, kCountry, kStateAffiliated, kVerified,
  kProfileId,  // in a page's profile list: the id that events' `account` refers to
  kCount
};
constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

std::string_view field_name(Field f);
std::optional<Field> field_from_name(std::string_view name);
bool is_profile_field(Field f);

struct PathStep {
  enum Kind : uint8_t { kKey, kEach, kFilter } kind = kKey;
  std::string key;           // kKey: the member name; kFilter: the field tested
  std::string value;         // kFilter: the value it must equal
};
struct Path {
  std::vector<PathStep> steps;
  std::string text;          // as written, for messages
  bool collects() const;     // has a "*" or "[k=v]" step: yields many values
};

Result<Path> parse_path(std::string_view text);
// "a|b|c" into paths; every one must parse.
Result<std::vector<Path>> parse_alternatives(std::string_view text);

enum class InputFormat : uint8_t { kJson, kCsv };

struct TypeRule {
  Path path;        // when this path holds a true value (present, not null/false/""/"0"/"false")
  EventType type;   // the event has this type
};

struct FieldMap {
  std::string name;
  InputFormat format = InputFormat::kJson;
  std::vector<Path> fields[kFieldCount];
  std::vector<TypeRule> type_rules;          // checked in order, before the `type` field
  EventType default_type = EventType::kPost;
  std::optional<std::string> platform;       // when the record names none
  std::optional<Path> records;               // paged export: the records are this array's elements
  std::optional<Path> profiles;              // paged export: profiles are this array's elements,
                                             // joined to events by kProfileId == account
  std::optional<Path> page_marker;           // a document holding this is a page, even one
                                             // with no records (an API's empty result)

  // Applies "field=path|path"; an empty right side removes the field's paths.
  Status apply(std::string_view assignment);
  // A readable listing, one "field=path|path" per line (for --show-preset).
  std::string describe() const;
};

// The preset names, in the order --help lists them.
const std::vector<std::string>& preset_names();
Result<FieldMap> preset(std::string_view name);

}  // namespace chorus

#include "field_map.hpp"

#include <array>

namespace chorus {
namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "id", "account", "ts", "type", "text", "urls", "hashtags", "mentions", "media", "parent", "lang", "audience",
    "platform", "views", "likes", "handle", "name", "created", "followers", "following", "country",
    "state_affiliated", "verified", "profile_id"};

std::string unescape_pointer_token(std::string_view t) {
  std::string s;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '~' && i + 1 < t.size() && (t[i + 1] == '0' || t[i + 1] == '1')) {
      s += t[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      s += t[i];
    }
  }
  return s;
}

}  // namespace

std::string_view field_name(Field f) { return kFieldNames[static_cast<size_t>(f)]; }

std::optional<Field> field_from_name(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i)
    if (kFieldNames[i] == name) return static_cast<Field>(i);
  return std::nullopt;
}

bool is_profile_field(Field f) { return f >= Field::kHandle && f <= Field::kProfileId; }

bool Path::collects() const {
  for (const auto& s : steps)
    if (s.kind != PathStep::kKey) return true;
  return false;
}

Result<Path> parse_path(std::string_view text) {
  Path p;
  p.text = std::string(text);
  if (text.empty() || text[0] != '/') return Status::error("path '" + p.text + "' must start with '/'");
  size_t i = 1;
  for (;;) {
    size_t j = text.find('/', i);
    std::string_view tok = text.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
    PathStep step;
    if (tok == "*") {
      step.kind = PathStep::kEach;
    } else if (tok.size() >= 2 && tok.front() == '[' && tok.back() == ']') {
      auto eq = tok.find('=');
      if (eq == std::string_view::npos || eq == 1)
        return Status::error("path '" + p.text + "': a filter step is written [key=value]");
      step.kind = PathStep::kFilter;
      step.key = unescape_pointer_token(tok.substr(1, eq - 1));
      step.value = unescape_pointer_token(tok.substr(eq + 1, tok.size() - eq - 2));
    } else {
      step.key = unescape_pointer_token(tok);
    }
    p.steps.push_back(std::move(step));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  // A filter selects elements, then exactly one member of them.
  for (size_t k = 0; k < p.steps.size(); ++k) {
    if (p.steps[k].kind != PathStep::kFilter) continue;
    if (k + 2 != p.steps.size() || p.steps[k + 1].kind != PathStep::kKey)
      return Status::error("path '" + p.text + "': a [key=value] step must be followed by exactly one key");
  }
  if (p.steps.back().kind != PathStep::kKey && p.steps.back().kind != PathStep::kEach)
    return Status::error("path '" + p.text + "' must end in a key or '*'");
  return p;
}

Result<std::vector<Path>> parse_alternatives(std::string_view text) {
  std::vector<Path> out;
  size_t i = 0;
  for (;;) {
    size_t j = text.find('|', i);
    auto p = parse_path(text.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (!p) return p.status();
    out.push_back(std::move(*p));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

Status FieldMap::apply(std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos) return Status::error("--map '" + std::string(assignment) + "': expected FIELD=PATH");
  auto name = assignment.substr(0, eq);
  auto f = field_from_name(name);
  if (!f) return Status::error("--map: unknown field '" + std::string(name) + "'");
  auto rhs = assignment.substr(eq + 1);
  auto& slot = fields[static_cast<size_t>(*f)];
  if (rhs.empty()) {
    slot.clear();
    if (*f == Field::kType) type_rules.clear();
    return {};
  }
  auto paths = parse_alternatives(rhs);
  if (!paths) return Status::error("--map " + std::string(name) + ": " + paths.status().message());
  slot = std::move(*paths);
  // An explicit type path replaces the preset's derivation rules.
  if (*f == Field::kType) type_rules.clear();
  return {};
}

std::string FieldMap::describe() const {
  std::string s = "preset " + name + " (" + (format == InputFormat::kCsv ? "csv" : "json") + ")\n";
  if (records) s += "records=" + records->text + "\n";
  if (profiles) s += "profiles=" + profiles->text + "\n";
  if (page_marker) s += "page when " + page_marker->text + " is present\n";
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (fields[i].empty()) continue;
    s += std::string(kFieldNames[i]) + "=";
    for (size_t k = 0; k < fields[i].size(); ++k) s += (k ? "|" : "") + fields[i][k].text;
    s += "\n";
  }
  for (const auto& r : type_rules)
    s += "type=" + std::string(event_type_name(r.type)) + " when " + r.path.text + " is true\n";
  s += "type default=" + std::string(event_type_name(default_type)) + "\n";
  if (platform) s += "platform default=" + *platform + "\n";
  return s;
}

namespace {

// A preset written as text, so each is data, not a code path of its own.
struct PresetSpec {
  const char* name;
  InputFormat format;
  const char* platform;  // nullptr: none
  const char* records;
  const char* profiles;
  const char* page_marker;
  EventType default_type;
  std::vector<std::pair<const char*, EventType>> type_rules;
  std::vector<const char*> maps;  // "field=path|path"
};

const std::vector<PresetSpec>& specs() {
  static const std::vector<PresetSpec> s = {
      {"canonical", InputFormat::kJson, nullptr, nullptr, nullptr, nullptr, EventType::kPost, {},
       {"id=/id", "account=/account", "ts=/ts", "type=/type", "text=/text", "urls=/urls", "hashtags=/hashtags",
        "mentions=/mentions", "media=/media", "parent=/parent", "lang=/lang", "audience=/audience",
        "platform=/platform", "views=/views", "likes=/likes", "handle=/handle", "name=/name", "created=/created",
        "followers=/followers", "following=/following", "country=/country",
        "state_affiliated=/state_affiliated", "verified=/verified"}},
      // Twitter API v1.1 tweet objects (streaming or REST), one per line.
      {"twitter-v1", InputFormat::kJson, "twitter", nullptr, nullptr, nullptr, EventType::kPost,
       {{"/retweeted_status", EventType::kShare}, {"/in_reply_to_status_id_str", EventType::kReply}},
       {"id=/id_str|/id", "account=/user/id_str|/user/id", "ts=/created_at",
        "text=/retweeted_status/extended_tweet/full_text|/retweeted_status/full_text|/retweeted_status/text|"
        "/extended_tweet/full_text|/full_text|/text",
        // A retweet's text is the retweeted tweet's, so are its entities.
        "urls=/retweeted_status/extended_tweet/entities/urls/*/expanded_url|"
        "/retweeted_status/entities/urls/*/expanded_url|/extended_tweet/entities/urls/*/expanded_url|"
        "/entities/urls/*/expanded_url",
        "hashtags=/retweeted_status/extended_tweet/entities/hashtags/*/text|/retweeted_status/entities/hashtags/*/text|"
        "/extended_tweet/entities/hashtags/*/text|/entities/hashtags/*/text",
        "mentions=/retweeted_status/extended_tweet/entities/user_mentions/*/screen_name|"
        "/retweeted_status/entities/user_mentions/*/screen_name|/extended_tweet/entities/user_mentions/*/screen_name|"
        "/entities/user_mentions/*/screen_name",
        "media=/retweeted_status/extended_entities/media/*/id_str|/extended_entities/media/*/id_str|"
        "/entities/media/*/id_str",
        "parent=/retweeted_status/id_str|/in_reply_to_status_id_str|/quoted_status_id_str", "lang=/lang",
        "likes=/favorite_count", "handle=/user/screen_name", "name=/user/name", "created=/user/created_at",
        "followers=/user/followers_count", "following=/user/friends_count", "verified=/user/verified"}},
      // Twitter API v2 responses: pages {"data": [...], "includes": {"users": [...]}} (or one tweet per line).
      {"twitter-v2", InputFormat::kJson, "twitter", "/data", "/includes/users", "/meta", EventType::kPost,
       {{"/referenced_tweets/[type=retweeted]/id", EventType::kShare},
        {"/referenced_tweets/[type=replied_to]/id", EventType::kReply}},
       {"id=/id", "account=/author_id", "ts=/created_at", "text=/note_tweet/text|/text",
        "urls=/entities/urls/*/expanded_url", "hashtags=/entities/hashtags/*/tag",
        "mentions=/entities/mentions/*/username", "media=/attachments/media_keys",
        "parent=/referenced_tweets/[type=retweeted]/id|/referenced_tweets/[type=replied_to]/id|"
        "/referenced_tweets/[type=quoted]/id",
        "lang=/lang", "views=/public_metrics/impression_count", "likes=/public_metrics/like_count",
        "profile_id=/id", "handle=/username", "name=/name", "created=/created_at",
        "followers=/public_metrics/followers_count", "following=/public_metrics/following_count",
        "verified=/verified"}},
      // TikTok Research API video objects, alone or in pages {"data": {"videos": [...]}}.
      {"tiktok", InputFormat::kJson, "tiktok", "/data/videos", nullptr, "/data", EventType::kPost, {},
       {"id=/id", "account=/username", "ts=/create_time", "text=/video_description", "hashtags=/hashtag_names",
        "mentions=/video_mention_list", "views=/view_count", "likes=/like_count", "handle=/username",
        "country=/region_code"}},
      // Twitter's information-operations archive (CSV, one row per tweet).
      {"io-archive", InputFormat::kCsv, "twitter", nullptr, nullptr, nullptr, EventType::kPost,
       {{"/is_retweet", EventType::kShare}, {"/in_reply_to_tweetid", EventType::kReply}},
       {"id=/tweetid", "account=/userid", "ts=/tweet_time", "text=/tweet_text", "urls=/urls", "hashtags=/hashtags",
        "mentions=/user_mentions", "parent=/retweet_tweetid|/in_reply_to_tweetid|/quoted_tweet_tweetid",
        "lang=/tweet_language", "likes=/like_count", "handle=/user_screen_name", "name=/user_display_name",
        "created=/account_creation_date", "followers=/follower_count", "following=/following_count"}},
      // CooRTweet's input table: object_id,account_id,content_id,timestamp_share.
      {"coortweet", InputFormat::kCsv, nullptr, nullptr, nullptr, nullptr, EventType::kShare, {},
       {"id=/content_id", "account=/account_id", "ts=/timestamp_share", "parent=/object_id"}},
  };
  return s;
}

}  // namespace

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& s : specs()) n.emplace_back(s.name);
    return n;
  }();
  return names;
}

Result<FieldMap> preset(std::string_view name) {
  for (const auto& s : specs()) {
    if (name != s.name) continue;
    FieldMap m;
    m.name = s.name;
    m.format = s.format;
    if (s.platform) m.platform = s.platform;
    if (s.records) m.records = *parse_path(s.records);
    if (s.profiles) m.profiles = *parse_path(s.profiles);
    if (s.page_marker) m.page_marker = *parse_path(s.page_marker);
    m.default_type = s.default_type;
    for (const auto& [path, type] : s.type_rules) m.type_rules.push_back({*parse_path(path), type});
    for (const char* a : s.maps) {
      Status st = m.apply(a);
      if (!st) return st;  // a bad built-in preset is a bug; the unit tests load every one
    }
    return m;
  }
  std::string known;
  for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  return Status::error("unknown preset '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace chorus

#include "event.hpp"

#include "json_writer.hpp"

namespace chorus {

std::string_view event_type_name(EventType t) {
  switch (t) {
    case EventType::kPost: return "post";
    case EventType::kShare: return "share";
    case EventType::kReply: return "reply";
    case EventType::kComment: return "comment";
  }
  return "post";
}

std::optional<EventType> event_type_from_name(std::string_view n) {
  if (n == "post" || n == "tweet" || n == "original" || n == "quote" || n == "video" || n == "status")
    return EventType::kPost;
  if (n == "share" || n == "retweet" || n == "repost" || n == "reshare" || n == "duet" || n == "stitch" ||
      n == "retweeted")
    return EventType::kShare;
  if (n == "reply" || n == "replied_to") return EventType::kReply;
  if (n == "comment") return EventType::kComment;
  return std::nullopt;
}

void Event::clear() {
  id.clear();
  account.clear();
  ts = 0;
  type = EventType::kPost;
  text.clear();
  urls.clear();
  hashtags.clear();
  mentions.clear();
  media.clear();
  parent.reset();
  lang.reset();
  audience.reset();
  platform.reset();
  views.reset();
  likes.reset();
  extra.clear();
}

void Account::clear() { *this = Account(); }

bool Account::empty() const {
  return !handle && !name && !country && !state_affiliated && !created && !followers && !following && !verified;
}

namespace {

template <typename Out, typename S>
void opt_string(Out& out, const std::optional<S>& v) {
  if (v) append_json_string(out, *v);
  else out.append("null", 4);
}

template <typename Out>
void opt_int(Out& out, const std::optional<int64_t>& v) {
  if (v) append_int(out, *v);
  else out.append("null", 4);
}

template <typename Out>
void lit(Out& out, std::string_view s) {
  out.append(s.data(), s.size());
}

// Event and EventView are written by the same code, so their JSON cannot drift apart.
template <typename Out, typename E>
void append_event(Out& out, const E& e) {
  lit(out, "{\"id\":");
  append_json_string(out, e.id);
  lit(out, ",\"account\":");
  append_json_string(out, e.account);
  lit(out, ",\"ts\":");
  append_epoch_seconds(out, e.ts);
  lit(out, ",\"type\":\"");
  lit(out, event_type_name(e.type));
  lit(out, "\",\"text\":");
  append_json_string(out, e.text);
  lit(out, ",\"urls\":");
  append_json_string_array(out, e.urls);
  lit(out, ",\"hashtags\":");
  append_json_string_array(out, e.hashtags);
  lit(out, ",\"mentions\":");
  append_json_string_array(out, e.mentions);
  lit(out, ",\"media\":");
  append_json_string_array(out, e.media);
  lit(out, ",\"parent\":");
  opt_string(out, e.parent);
  lit(out, ",\"lang\":");
  opt_string(out, e.lang);
  lit(out, ",\"audience\":");
  opt_string(out, e.audience);
  lit(out, ",\"platform\":");
  opt_string(out, e.platform);
  lit(out, ",\"views\":");
  opt_int(out, e.views);
  lit(out, ",\"likes\":");
  opt_int(out, e.likes);
  if (!e.extra.empty()) {
    lit(out, ",\"extra\":");
    lit(out, e.extra);
  }
  lit(out, "}\n");
}

}  // namespace

void append_event_json(std::string& out, const Event& e) { append_event(out, e); }
void append_event_json(TextBuffer& out, const EventView& e) { append_event(out, e); }

void append_account_json(std::string& out, const Account& a) {
  out += "{\"account\":";
  append_json_string(out, a.account);
  out += ",\"platform\":";
  opt_string(out, a.platform);
  out += ",\"handle\":";
  opt_string(out, a.handle);
  out += ",\"name\":";
  opt_string(out, a.name);
  out += ",\"created\":";
  if (a.created) append_epoch_seconds(out, *a.created);
  else out += "null";
  out += ",\"followers\":";
  opt_int(out, a.followers);
  out += ",\"following\":";
  opt_int(out, a.following);
  out += ",\"country\":";
  opt_string(out, a.country);
  out += ",\"state_affiliated\":";
  opt_string(out, a.state_affiliated);
  out += ",\"verified\":";
  out += a.verified ? (*a.verified ? "true" : "false") : "null";
  out += "}\n";
}

}  // namespace chorus

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

template <typename S>
void opt_string(std::string& out, const std::optional<S>& v) {
  if (v) append_json_string(out, *v);
  else out += "null";
}

void opt_int(std::string& out, const std::optional<int64_t>& v) {
  if (v) append_int(out, *v);
  else out += "null";
}

template <typename V>
void string_array(std::string& out, const V& v) {
  out += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, v[i]);
  }
  out += ']';
}

// Event and EventView are written by the same code, so their JSON cannot drift apart.
template <typename E>
void append_event(std::string& out, const E& e) {
  out += "{\"id\":";
  append_json_string(out, e.id);
  out += ",\"account\":";
  append_json_string(out, e.account);
  out += ",\"ts\":";
  append_epoch_seconds(out, e.ts);
  out += ",\"type\":\"";
  out += event_type_name(e.type);
  out += "\",\"text\":";
  append_json_string(out, e.text);
  out += ",\"urls\":";
  string_array(out, e.urls);
  out += ",\"hashtags\":";
  string_array(out, e.hashtags);
  out += ",\"mentions\":";
  string_array(out, e.mentions);
  out += ",\"media\":";
  string_array(out, e.media);
  out += ",\"parent\":";
  opt_string(out, e.parent);
  out += ",\"lang\":";
  opt_string(out, e.lang);
  out += ",\"audience\":";
  opt_string(out, e.audience);
  out += ",\"platform\":";
  opt_string(out, e.platform);
  out += ",\"views\":";
  opt_int(out, e.views);
  out += ",\"likes\":";
  opt_int(out, e.likes);
  if (!e.extra.empty()) {
    out += ",\"extra\":";
    out += e.extra;
  }
  out += "}\n";
}

}  // namespace

void append_event_json(std::string& out, const Event& e) { append_event(out, e); }
void append_event_json(std::string& out, const EventView& e) { append_event(out, e); }

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

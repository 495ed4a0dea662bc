#include "event.hpp"

#include <cstring>

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
[[gnu::always_inline]] inline void opt_int(Out& out, const std::optional<int64_t>& v) {
  if (v) append_int(out, *v);
  else out.append("null", 4);
}

template <typename Out>
void lit(Out& out, std::string_view s) {
  out.append(s.data(), s.size());
}

// A string the parser found clean (EventView::clean) is copied between quotes
// without the escape scan.
template <typename Out>
[[gnu::always_inline]] inline void str(Out& out, std::string_view s, bool clean) {
  if (!clean) return append_json_string(out, s);
  out.push_back('"');
  out.append(s.data(), s.size());
  out.push_back('"');
}

template <typename Out, typename List>
[[gnu::always_inline]] inline void str_list(Out& out, const List& v, bool clean) {
  if (!clean) return append_json_string_array(out, v);
  out.push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(',');
    str(out, v[i], true);
  }
  out.push_back(']');
}

template <typename Out, typename S>
[[gnu::always_inline]] inline void opt_str(Out& out, const std::optional<S>& v, bool clean) {
  if (v) str(out, *v, clean);
  else out.append("null", 4);
}

// An Event's strings are its own, not the parser's: none is known clean.
template <typename E>
uint16_t clean_bits(const E& e) {
  if constexpr (requires { e.clean; }) return e.clean;
  else return 0;
}

// Event and EventView are written by the same code, so their JSON cannot drift apart.
template <typename Out, typename E>
void append_event(Out& out, const E& e) {
  const uint16_t c = clean_bits(e);
  lit(out, "{\"id\":");
  str(out, e.id, c & EventView::kCleanId);
  lit(out, ",\"account\":");
  str(out, e.account, c & EventView::kCleanAccount);
  lit(out, ",\"ts\":");
  append_epoch_seconds(out, e.ts);
  lit(out, ",\"type\":\"");
  lit(out, event_type_name(e.type));
  lit(out, "\",\"text\":");
  str(out, e.text, c & EventView::kCleanText);
  lit(out, ",\"urls\":");
  str_list(out, e.urls, c & EventView::kCleanUrls);
  lit(out, ",\"hashtags\":");
  str_list(out, e.hashtags, c & EventView::kCleanHashtags);
  lit(out, ",\"mentions\":");
  str_list(out, e.mentions, c & EventView::kCleanMentions);
  lit(out, ",\"media\":");
  str_list(out, e.media, c & EventView::kCleanMedia);
  lit(out, ",\"parent\":");
  opt_str(out, e.parent, c & EventView::kCleanParent);
  lit(out, ",\"lang\":");
  opt_str(out, e.lang, c & EventView::kCleanLang);
  lit(out, ",\"audience\":");
  opt_str(out, e.audience, c & EventView::kCleanAudience);
  lit(out, ",\"platform\":");
  opt_str(out, e.platform, c & EventView::kCleanPlatform);
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

// Writes into room reserved beforehand, so each of an event's forty-odd pieces
// is a copy without a capacity check.
class UncheckedOut {
 public:
  explicit UncheckedOut(char* p) : p_(p) {}
  void append(const char* s, size_t n) {
    if (n == 0) return;  // s may be null (an empty string_view): memcpy must not see it
    std::memcpy(p_, s, n);
    p_ += n;
  }
  void push_back(char c) { *p_++ = c; }
  char* end() const { return p_; }

 private:
  char* p_;
};

// At most how many bytes append_event writes for `e`: a string byte escapes to
// at most 6 ("\u00XX"); names, punctuation, quotes, the time and the counts fit
// in the fixed 512.
size_t max_event_json(const EventView& e) {
  auto opt = [](const std::optional<std::string_view>& v) { return v ? v->size() : 0; };
  size_t chars = e.id.size() + e.account.size() + e.text.size() + opt(e.parent) + opt(e.lang) +
                 opt(e.audience) + opt(e.platform);
  size_t items = 0;
  for (const auto* list : {&e.urls, &e.hashtags, &e.mentions, &e.media}) {
    items += list->size();
    for (std::string_view s : *list) chars += s.size();
  }
  return 512 + 6 * chars + 3 * items + e.extra.size();
}

}  // namespace

void append_event_json(std::string& out, const Event& e) { append_event(out, e); }
void append_event_json(TextBuffer& out, const EventView& e) {
  out.reserve_more(max_event_json(e));
  UncheckedOut w(out.end());
  append_event(w, e);
  out.commit(static_cast<size_t>(w.end() - out.end()));
}

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

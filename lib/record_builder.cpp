#include "record_builder.hpp"

#include <charconv>

namespace chorus {
namespace {

const char* kind_name(JsonKind k) {
  switch (k) {
    case JsonKind::kMissing: return "missing";
    case JsonKind::kNull: return "null";
    case JsonKind::kString: return "a string";
    case JsonKind::kNumber: return "a number";
    case JsonKind::kBool: return "a boolean";
    case JsonKind::kArray: return "an array";
    case JsonKind::kObject: return "an object";
  }
  return "?";
}

bool is_integer_token(std::string_view t) {
  size_t i = t.size() > 0 && t[0] == '-' ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i)
    if (t[i] < '0' || t[i] > '9') return false;
  return true;
}

// "[a, b]", "['a','b']", "a,b" (CSV exports write lists into one cell).
void split_list_string(std::string_view s, std::vector<std::string_view>& out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '[')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == ']')) s.remove_suffix(1);
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view item = s.substr(i, j - i);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\'' || item.front() == '"'))
      item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\'' || item.back() == '"')) item.remove_suffix(1);
    if (!item.empty()) out.push_back(item);
    i = j + 1;
  }
}

}  // namespace

RecordBuilder::RecordBuilder(const FieldMap& map, const Extractor& ex) : map_(map), ex_(ex) {}

std::string RecordBuilder::where(Field f) const {
  std::string s = "field '" + std::string(field_name(f)) + "'";
  return s;
}

[[gnu::always_inline]] inline const SlotValue* RecordBuilder::pick(const RawRecord& r, Field f, bool scalar) const {
  size_t n = ex_.alternatives(f);
  // One path, as in the canonical preset: its value, whatever it is (null and
  // "" are "no value" only in preferring another alternative).
  if (n == 1) return r.get(ex_.slot_of(f, 0));
  const SlotValue* null_seen = nullptr;
  for (size_t k = 0; k < n; ++k) {
    const SlotValue* v = r.get(ex_.slot_of(f, k));
    if (!v) continue;
    if (v->kind == JsonKind::kNull || (v->kind == JsonKind::kString && v->scalar.empty()) ||
        (scalar && v->collected && v->items.empty())) {
      if (!null_seen) null_seen = v;
      continue;
    }
    return v;
  }
  return null_seen;
}

[[gnu::always_inline]] inline bool RecordBuilder::text_value(const RawRecord& r, Field f, bool allow_number, std::optional<std::string_view>& out,
                               bool* clean) const {
  out.reset();
  const SlotValue* v = pick(r, f, true);
  bool c = false;
  bool ok = true;
  if (!v || v->kind == JsonKind::kNull) {
  } else if (v->kind == JsonKind::kString) {
    if (!v->scalar.empty()) out = v->scalar;
    c = v->clean;
  } else if (v->kind == JsonKind::kNumber && allow_number && is_integer_token(v->scalar)) {
    out = v->scalar;
    c = true;  // digits and '-' only
  } else if (v->kind == JsonKind::kArray && v->collected && !v->non_string_item) {
    // A "[k=v]" or "*" path: its first match.
    if (!v->items.empty()) out = v->items[0];
    c = v->items_clean;
  } else {
    ok = false;
  }
  if (clean) *clean = c;
  return ok;
}

Status RecordBuilder::text_error(const RawRecord& r, Field f) const {
  return Status::error(where(f) + " must be a string, not " + kind_name(pick(r, f, true)->kind));
}

[[gnu::always_inline]] inline Status RecordBuilder::list_value(const RawRecord& r, Field f, std::vector<std::string_view>& out, bool& found,
                                 char strip, bool& clean) {
  out.clear();
  found = false;
  clean = true;  // an empty list is
  const SlotValue* v = pick(r, f);
  if (!v || v->kind == JsonKind::kNull) return {};  // null is missing: entities may come from the text
  found = true;
  if (v->kind == JsonKind::kArray && v->items.empty() && !v->non_string_item) return {};  // [], the common case
  if (v->kind == JsonKind::kString) {
    split_list_string(v->scalar, out);
    clean = v->clean;  // pieces of a clean string are clean
  } else if (v->kind == JsonKind::kArray) {
    if (v->non_string_item) return Status::error(where(f) + " must be an array of strings");
    out = v->items;
    clean = v->items_clean;
  } else {
    return Status::error(where(f) + " must be an array of strings, not " + kind_name(v->kind));
  }
  // Drop the sigil some exports keep ("#tag", "@name") and empty entries.
  size_t w = 0;
  for (std::string_view item : out) {
    if (strip && !item.empty() && item[0] == strip) item.remove_prefix(1);
    if (!item.empty()) out[w++] = item;
  }
  out.resize(w);
  return {};
}

[[gnu::always_inline]] inline bool RecordBuilder::count_value(const RawRecord& r, Field f, std::optional<int64_t>& out) const {
  out.reset();
  const SlotValue* v = pick(r, f);
  if (!v || v->kind == JsonKind::kNull) return true;
  if (v->kind == JsonKind::kNumber || v->kind == JsonKind::kString) {
    std::string_view t = v->scalar;
    // Counts written as 12.0 by some exporters are still whole numbers.
    if (t.size() > 2 && t.substr(t.size() - 2) == ".0") t.remove_suffix(2);
    int64_t n = 0;
    auto res = std::from_chars(t.data(), t.data() + t.size(), n);
    if (res.ec == std::errc() && res.ptr == t.data() + t.size() && n >= 0) {
      out = n;
      return true;
    }
  }
  return false;
}

Status RecordBuilder::count_error(Field f) const { return Status::error(where(f) + " must be a non-negative integer"); }

Result<std::optional<Micros>> RecordBuilder::time_value(const RawRecord& r, Field f) {
  const SlotValue* v = pick(r, f);
  if (!v || v->kind == JsonKind::kNull) return std::optional<Micros>();
  Result<Micros> t = Status::error("");
  if (v->kind == JsonKind::kString) t = parse_timestamp(v->scalar);
  else if (v->kind == JsonKind::kNumber) t = parse_epoch_seconds(v->scalar);
  else return Status::error(where(f) + " must be a timestamp string or number, not " + kind_name(v->kind));
  if (!t) return Status::error(where(f) + ": " + t.status().message());
  return std::optional<Micros>(*t);
}

Result<std::optional<bool>> RecordBuilder::bool_value(const RawRecord& r, Field f) {
  const SlotValue* v = pick(r, f);
  if (!v || v->kind == JsonKind::kNull) return std::optional<bool>();
  if (v->kind == JsonKind::kBool || v->kind == JsonKind::kString || v->kind == JsonKind::kNumber) {
    std::string_view s = v->scalar;
    if (s == "true" || s == "True" || s == "TRUE" || s == "1") return std::optional<bool>(true);
    if (s == "false" || s == "False" || s == "FALSE" || s == "0") return std::optional<bool>(false);
  }
  return Status::error(where(f) + " must be a boolean");
}

bool RecordBuilder::truthy(const SlotValue* p) const {
  if (!p) return false;
  const SlotValue& v = *p;
  switch (v.kind) {
    case JsonKind::kMissing:
    case JsonKind::kNull: return false;
    case JsonKind::kString:
    case JsonKind::kBool:
    case JsonKind::kNumber:
      return !(v.scalar.empty() || v.scalar == "false" || v.scalar == "False" || v.scalar == "FALSE" ||
               v.scalar == "0");
    case JsonKind::kArray: return !v.items.empty();
    case JsonKind::kObject: return true;
  }
  return false;
}

Status RecordBuilder::build_event(const RawRecord& r, EventView& ev) {
  uint16_t clean = 0;
  bool c;
  // Required: id, account, ts.
  for (Field f : {Field::kId, Field::kAccount}) {
    std::optional<std::string_view> v;
    if (!text_value(r, f, true, v, &c)) return text_error(r, f);
    if (!v) {
      // An empty id is kept (exports have them; an id only labels evidence), an
      // empty account is not: it would merge every anonymous record into one account.
      const SlotValue* s = pick(r, f);
      if (f == Field::kId && s && s->kind == JsonKind::kString) {
        ev.id = {};
        continue;
      }
      return Status::error("missing required field '" + std::string(field_name(f)) + "'");
    }
    if (f == Field::kId) {
      ev.id = *v;
      if (c) clean |= EventView::kCleanId;
    } else {
      ev.account = *v;
      if (c) clean |= EventView::kCleanAccount;
    }
  }
  auto ts = time_value(r, Field::kTs);
  if (!ts) return ts.status();
  if (!*ts) return Status::error("missing required field 'ts'");
  ev.ts = **ts;

  // Type: the first rule that holds, else the type field, else the map's default.
  ev.type = map_.default_type;
  bool typed = false;
  for (size_t i = 0; i < map_.type_rules.size() && !typed; ++i) {
    if (truthy(r.get(ex_.type_rule_slot(i)))) {
      ev.type = map_.type_rules[i].type;
      typed = true;
    }
  }
  if (!typed) {
    std::optional<std::string_view> t;
    if (!text_value(r, Field::kType, false, t)) return text_error(r, Field::kType);
    if (t) {
      auto type = event_type_from_name(*t);
      if (!type) return Status::error("field 'type': unknown type '" + std::string(t->substr(0, 40)) + "'");
      ev.type = *type;
    }
  }

  std::optional<std::string_view> text;
  if (!text_value(r, Field::kText, false, text, &c)) return text_error(r, Field::kText);
  ev.text = text.value_or(std::string_view());
  if (c || !text) clean |= EventView::kCleanText;

  bool have_urls, have_tags, have_mentions, have_media;
  bool clean_urls, clean_tags, clean_mentions, clean_media;
  Status st;
  if (!(st = list_value(r, Field::kUrls, ev.urls, have_urls, 0, clean_urls))) return st;
  if (!(st = list_value(r, Field::kHashtags, ev.hashtags, have_tags, '#', clean_tags))) return st;
  if (!(st = list_value(r, Field::kMentions, ev.mentions, have_mentions, '@', clean_mentions))) return st;
  if (!(st = list_value(r, Field::kMedia, ev.media, have_media, 0, clean_media))) return st;
  if ((!have_urls || !have_tags || !have_mentions) && !ev.text.empty()) {
    find_entities(ev.text, have_tags ? nullptr : &ev.hashtags, have_mentions ? nullptr : &ev.mentions,
                  have_urls ? nullptr : &ev.urls);
    // Entities found in the text are pieces of it: as clean as the text is.
    bool text_clean = clean & EventView::kCleanText;
    if (!have_urls) clean_urls = text_clean;
    if (!have_tags) clean_tags = text_clean;
    if (!have_mentions) clean_mentions = text_clean;
  }
  if (clean_urls) clean |= EventView::kCleanUrls;
  if (clean_tags) clean |= EventView::kCleanHashtags;
  if (clean_mentions) clean |= EventView::kCleanMentions;
  if (clean_media) clean |= EventView::kCleanMedia;

  struct OptText {
    Field f;
    std::optional<std::string_view>* out;
    uint16_t bit;
  };
  for (OptText o : {OptText{Field::kParent, &ev.parent, EventView::kCleanParent},
                    OptText{Field::kLang, &ev.lang, EventView::kCleanLang},
                    OptText{Field::kAudience, &ev.audience, EventView::kCleanAudience},
                    OptText{Field::kPlatform, &ev.platform, EventView::kCleanPlatform}}) {
    if (!text_value(r, o.f, true, *o.out, &c)) return text_error(r, o.f);
    if (c) clean |= o.bit;
  }
  if (!ev.platform && map_.platform) {
    ev.platform = *map_.platform;
    clean &= ~EventView::kCleanPlatform;
  }
  if (!count_value(r, Field::kViews, ev.views)) return count_error(Field::kViews);
  if (!count_value(r, Field::kLikes, ev.likes)) return count_error(Field::kLikes);
  ev.extra = r.extra;
  ev.clean = clean;
  return {};
}

Result<bool> RecordBuilder::build_profile(const RawRecord& r, Account& a) {
  bool any = false;
  struct OptText {
    Field f;
    std::optional<std::string>* out;
  };
  for (OptText o : {OptText{Field::kHandle, &a.handle}, OptText{Field::kName, &a.name},
                    OptText{Field::kCountry, &a.country}, OptText{Field::kStateAffiliated, &a.state_affiliated}}) {
    std::optional<std::string_view> v;
    if (!text_value(r, o.f, false, v)) return text_error(r, o.f);
    if (v) {
      *o.out = std::string(*v);
      any = true;
    }
  }
  auto created = time_value(r, Field::kCreated);
  if (!created) return created.status();
  if (*created) {
    a.created = *created;
    any = true;
  }
  for (auto [f, out] : {std::pair{Field::kFollowers, &a.followers}, std::pair{Field::kFollowing, &a.following}}) {
    std::optional<int64_t> v;
    if (!count_value(r, f, v)) return count_error(f);
    if (v) {
      *out = *v;
      any = true;
    }
  }
  auto verified = bool_value(r, Field::kVerified);
  if (!verified) return verified.status();
  if (*verified) {
    a.verified = *verified;
    any = true;
  }
  return any;
}

std::optional<std::string> RecordBuilder::profile_id(const RawRecord& r) {
  std::optional<std::string_view> v;
  if (!text_value(r, Field::kProfileId, true, v) || !v) return std::nullopt;
  return std::string(*v);
}

}  // namespace chorus

// Tests of lib/extractor.hpp and lib/record_builder.hpp together: JSON
// documents go through simdjson On-Demand (parser::iterate on a
// padded_string), Extractor::extract and RecordBuilder::build_event, and the
// canonical event that comes out is compared as its JSON line. Covers the
// canonical preset, the messages for missing and wrongly typed fields,
// numeric ids, nulls, entities from text, --keep-extra, Twitter v1 retweets
// and replies, Twitter v2 pages with profiles, TikTok pages, and member names
// that need escaping or are near the raw-compare limits.
#include <simdjson.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "event.hpp"
#include "extractor.hpp"
#include "field_map.hpp"
#include "record_builder.hpp"
#include "text_buffer.hpp"

namespace {

using chorus::FieldMap;

FieldMap preset(const char* name) {
  auto m = chorus::preset(name);
  BOOST_REQUIRE(m.ok());
  return *m;
}

// One map, its Extractor and RecordBuilder, and the parser state a document
// lives in (the builder's views borrow from it until the next load).
class Harness {
 public:
  explicit Harness(FieldMap map, bool want_profiles = false, bool keep_extra = false)
      : map_(std::move(map)), ex_(map_, want_profiles, keep_extra), rb_(map_, ex_) {}

  simdjson::error_code load(std::string_view json) {
    json_ = simdjson::padded_string(json);
    simdjson::error_code e = parser_.iterate(json_).get(doc_);
    if (e) return e;
    return ex_.extract(doc_);
  }
  // Loads a document that must be valid.
  Harness& with(std::string_view json) {
    simdjson::error_code e = load(json);
    BOOST_TEST_REQUIRE(!e, "extract failed: " << simdjson::error_message(e) << " for " << json);
    return *this;
  }
  size_t records() const { return ex_.record_count(); }
  size_t profiles() const { return ex_.profile_count(); }

  // Record i as its canonical JSON line (without '\n'), or "error: message".
  std::string event(size_t i = 0) {
    chorus::EventView ev;
    chorus::Status st = rb_.build_event(ex_.record(i), ev);
    if (!st) return "error: " + st.message();
    chorus::TextBuffer out;
    chorus::append_event_json(out, ev);
    std::string s(out.view());
    BOOST_TEST_REQUIRE(s.back() == '\n');
    s.pop_back();
    return s;
  }
  // Profile i of a page (or the record itself when i is npos) as an account line.
  std::string profile(size_t i = std::string::npos) {
    const chorus::RawRecord& r = i == std::string::npos ? ex_.record(0) : ex_.profile(i);
    chorus::Account a;
    if (i != std::string::npos) a.account = rb_.profile_id(r).value_or("<no id>");
    auto got = rb_.build_profile(r, a);
    if (!got) return "error: " + got.status().message();
    if (!*got) return "none";
    std::string s;
    chorus::append_account_json(s, a);
    s.pop_back();
    return s;
  }

 private:
  FieldMap map_;
  chorus::Extractor ex_;
  chorus::RecordBuilder rb_;
  simdjson::ondemand::parser parser_;
  simdjson::padded_string json_;
  simdjson::ondemand::document doc_;
};

// The canonical event line with every field at its default; override what a test expects.
struct Want {
  std::string id = "\"e1\"", account = "\"a1\"", ts = "1610870193", type = "post", text = "\"\"", urls = "[]",
              hashtags = "[]", mentions = "[]", media = "[]", parent = "null", lang = "null", audience = "null",
              platform = "null", views = "null", likes = "null", extra;
  std::string line() const {
    std::string s = "{\"id\":" + id + ",\"account\":" + account + ",\"ts\":" + ts + ",\"type\":\"" + type +
                    "\",\"text\":" + text + ",\"urls\":" + urls + ",\"hashtags\":" + hashtags +
                    ",\"mentions\":" + mentions + ",\"media\":" + media + ",\"parent\":" + parent +
                    ",\"lang\":" + lang + ",\"audience\":" + audience + ",\"platform\":" + platform +
                    ",\"views\":" + views + ",\"likes\":" + likes;
    if (!extra.empty()) s += ",\"extra\":" + extra;
    return s + "}";
  }
};

const char* kBase = R"("id":"e1","account":"a1","ts":1610870193)";

// A canonical record: the base fields and `more` members.
std::string rec(const std::string& more = "") {
  return std::string("{") + kBase + (more.empty() ? "" : "," + more) + "}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(record_builder)

BOOST_AUTO_TEST_CASE(canonical_record) {
  Harness h(preset("canonical"));
  h.with(R"({"id":"e1","account":"a1","ts":"2021-01-17T07:56:33Z","type":"share","text":"hello world",)"
         R"("urls":["https://example.com/a"],"hashtags":["tag"],"mentions":["bob"],"media":["m1","m2"],)"
         R"("parent":"p0","lang":"en","audience":"DE","platform":"twitter","views":1200,"likes":34})");
  Want w;
  w.type = "share";
  w.text = "\"hello world\"";
  w.urls = "[\"https://example.com/a\"]";
  w.hashtags = "[\"tag\"]";
  w.mentions = "[\"bob\"]";
  w.media = "[\"m1\",\"m2\"]";
  w.parent = "\"p0\"";
  w.lang = "\"en\"";
  w.audience = "\"DE\"";
  w.platform = "\"twitter\"";
  w.views = "1200";
  w.likes = "34";
  BOOST_TEST(h.records() == 1u);
  BOOST_TEST(h.event() == w.line());
}

BOOST_AUTO_TEST_CASE(canonical_minimal_and_member_order) {
  Harness h(preset("canonical"));
  BOOST_TEST(h.with(rec()).event() == Want().line());
  // Members in any order, whitespace anywhere, unknown members skipped.
  h.with(" {\n \"ts\" : 1610870193.5 ,\"unknown\":{\"deep\":[1,{\"id\":\"no\"}]}, \"account\":\"a1\",\t\"id\":\"e1\" } ");
  Want w;
  w.ts = "1610870193.5";
  BOOST_TEST(h.event() == w.line());
  // ts as RFC 3339 with an offset: date -u -d '2021-01-17T08:56:33+01:00' +%s -> 1610870193
  h.with(R"({"id":"e1","account":"a1","ts":"2021-01-17T08:56:33+01:00"})");
  BOOST_TEST(h.event() == Want().line());
}

BOOST_AUTO_TEST_CASE(missing_required_fields) {
  Harness h(preset("canonical"));
  BOOST_TEST(h.with(R"({"account":"a1","ts":1})").event() == "error: missing required field 'id'");
  BOOST_TEST(h.with(R"({"id":"e1","ts":1})").event() == "error: missing required field 'account'");
  BOOST_TEST(h.with(R"({"id":"e1","account":"a1"})").event() == "error: missing required field 'ts'");
  BOOST_TEST(h.with(R"({"id":null,"account":"a1","ts":1})").event() == "error: missing required field 'id'");
  BOOST_TEST(h.with(R"({"id":"e1","account":null,"ts":1})").event() == "error: missing required field 'account'");
  BOOST_TEST(h.with(R"({"id":"e1","account":"a1","ts":null})").event() == "error: missing required field 'ts'");
  BOOST_TEST(h.with("{}").event() == "error: missing required field 'id'");
  // A path that leads through a non-object finds nothing.
  Harness v1(preset("twitter-v1"));
  BOOST_TEST(v1.with(R"({"id_str":"1","user":"u1","created_at":"Wed Oct 10 20:19:24 +0000 2018"})").event() ==
             "error: missing required field 'account'");
}

// An empty id is kept (an id only labels evidence); an empty account is not:
// it would merge every anonymous record into one account (see the e2e case
// parse-error-empty-account).
BOOST_AUTO_TEST_CASE(empty_id_kept_empty_account_rejected) {
  Harness h(preset("canonical"));
  Want w;
  w.id = "\"\"";
  BOOST_TEST(h.with(R"({"id":"","account":"a1","ts":1610870193})").event() == w.line());
  BOOST_TEST(h.with(R"({"id":"e1","account":"","ts":1610870193})").event() ==
             "error: missing required field 'account'");
}

BOOST_AUTO_TEST_CASE(wrongly_typed_fields) {
  Harness h(preset("canonical"));
  auto err = [&](const std::string& json) { return h.with(json).event(); };
  BOOST_TEST(err(R"({"id":"e1","account":{"x":1},"ts":1})") ==
             "error: field 'account' must be a string, not an object");
  BOOST_TEST(err(R"({"id":true,"account":"a1","ts":1})") == "error: field 'id' must be a string, not a boolean");
  BOOST_TEST(err(R"({"id":"e1","account":"a1","ts":true})") ==
             "error: field 'ts' must be a timestamp string or number, not a boolean");
  BOOST_TEST(err(R"({"id":"e1","account":"a1","ts":[1]})") ==
             "error: field 'ts' must be a timestamp string or number, not an array");
  BOOST_TEST(err(R"({"id":"e1","account":"a1","ts":"yesterday"})") ==
             "error: field 'ts': unreadable timestamp 'yesterday': not RFC 3339, epoch seconds or Twitter's date format");
  BOOST_TEST(err(R"({"id":"e1","account":"a1","ts":"2021-02-30"})") ==
             "error: field 'ts': unreadable timestamp '2021-02-30': day out of range");
  BOOST_TEST(err(rec(R"("type":"bogus")")) == "error: field 'type': unknown type 'bogus'");
  BOOST_TEST(err(rec(R"("type":7)")) == "error: field 'type' must be a string, not a number");
  BOOST_TEST(err(rec(R"("text":5)")) == "error: field 'text' must be a string, not a number");
  BOOST_TEST(err(rec(R"("text":{"a":1})")) == "error: field 'text' must be a string, not an object");
  BOOST_TEST(err(rec(R"("urls":5)")) == "error: field 'urls' must be an array of strings, not a number");
  BOOST_TEST(err(rec(R"("urls":{"u":"x"})")) == "error: field 'urls' must be an array of strings, not an object");
  BOOST_TEST(err(rec(R"("hashtags":[{"text":"x"}])")) == "error: field 'hashtags' must be an array of strings");
  BOOST_TEST(err(rec(R"("media":[null])")) == "error: field 'media' must be an array of strings");
  BOOST_TEST(err(rec(R"("mentions":[true])")) == "error: field 'mentions' must be an array of strings");
  BOOST_TEST(err(rec(R"("views":-1)")) == "error: field 'views' must be a non-negative integer");
  BOOST_TEST(err(rec(R"("views":1.5)")) == "error: field 'views' must be a non-negative integer");
  BOOST_TEST(err(rec(R"("likes":"many")")) == "error: field 'likes' must be a non-negative integer");
  BOOST_TEST(err(rec(R"("likes":[1])")) == "error: field 'likes' must be a non-negative integer");
  BOOST_TEST(err(rec(R"("likes":99999999999999999999)")) == "error: field 'likes' must be a non-negative integer");
  BOOST_TEST(err(rec(R"("parent":{"id":"p"})")) == "error: field 'parent' must be a string, not an object");
  BOOST_TEST(err(rec(R"("parent":1.5)")) == "error: field 'parent' must be a string, not a number");
}

// An array where the map's path names one value (no "*" or "[k=v]" step) is
// a wrongly typed field: the record is skipped, never shortened to the
// array's first element or to nothing (as the e2e case parse-error-array-for-string says).
BOOST_AUTO_TEST_CASE(array_where_a_string_belongs) {
  Harness h(preset("canonical"));
  auto err = [&](const std::string& json) { return h.with(json).event(); };
  BOOST_TEST(err(R"({"id":"e1","account":["a1","a2"],"ts":1})") ==
             "error: field 'account' must be a string, not an array");
  BOOST_TEST(err(rec(R"("text":["a"])")) == "error: field 'text' must be a string, not an array");
  BOOST_TEST(err(rec(R"("text":[])")) == "error: field 'text' must be a string, not an array");
  BOOST_TEST(err(rec(R"("lang":[["en"]])")) == "error: field 'lang' must be a string, not an array");
}

BOOST_AUTO_TEST_CASE(lenient_value_forms) {
  Harness h(preset("canonical"));
  Want w;
  // Counts as strings and as 12.0; a list as one string (as CSV cells hold them); numbers in a list.
  w.views = "12";
  w.likes = "7";
  w.urls = "[\"https://a.example\",\"https://b.example\"]";
  w.hashtags = "[\"1\",\"2\"]";
  w.parent = "\"42\"";  // an optional reference may be a number
  BOOST_TEST(h.with(rec(R"("views":"12","likes":7.0,"urls":"['https://a.example', 'https://b.example']",)"
                        R"("hashtags":[1,2],"parent":42)"))
                 .event() == w.line());
  // Type synonyms.
  for (auto [name, type] : std::vector<std::pair<std::string, std::string>>{
           {"retweet", "share"}, {"repost", "share"}, {"duet", "share"}, {"stitch", "share"}, {"tweet", "post"},
           {"quote", "post"}, {"replied_to", "reply"}, {"comment", "comment"}, {"reply", "reply"}}) {
    Want t;
    t.type = type;
    BOOST_TEST(h.with(rec("\"type\":\"" + name + "\"")).event() == t.line(), name);
  }
}

BOOST_AUTO_TEST_CASE(numeric_ids_allowed_by_presets) {
  // Twitter v1 without id_str: the 64-bit id is taken as its digits (never through a double).
  Harness v1(preset("twitter-v1"));
  v1.with(R"({"created_at":"Wed Oct 10 20:19:24 +0000 2018","id":1050118621198921728,)"
          R"("user":{"id":2253282111},"text":"x"})");
  Want w;
  w.id = "\"1050118621198921728\"";
  w.account = "\"2253282111\"";
  w.ts = "1539202764";  // date -u -d '2018-10-10T20:19:24Z' +%s
  w.text = "\"x\"";
  w.platform = "\"twitter\"";
  BOOST_TEST(v1.event() == w.line());
  // Larger than any integer type: still digits.
  v1.with(R"({"created_at":"Wed Oct 10 20:19:24 +0000 2018","id":123456789012345678901234567890,"user":{"id":1}})");
  BOOST_TEST(v1.event().find("\"id\":\"123456789012345678901234567890\"") != std::string::npos);
  // Not an integer: refused.
  BOOST_TEST(v1.with(R"({"created_at":"Wed Oct 10 20:19:24 +0000 2018","id":1.5,"user":{"id":1}})").event() ==
             "error: field 'id' must be a string, not a number");
  BOOST_TEST(v1.with(R"({"created_at":"Wed Oct 10 20:19:24 +0000 2018","id":1e3,"user":{"id":1}})").event() ==
             "error: field 'id' must be a string, not a number");
}

// Integer ids are taken as their digits with every preset, canonical too
// (commit 77eb812 and e2e parse-error-wrong-type, where {"id":42} is kept).
BOOST_AUTO_TEST_CASE(canonical_integer_ids) {
  Harness c(preset("canonical"));
  Want w;
  w.id = "\"5\"";
  w.account = "\"17\"";
  BOOST_TEST(c.with(R"({"id":5,"account":17,"ts":1610870193})").event() == w.line());
  BOOST_TEST(c.with(R"({"id":5.5,"account":"a1","ts":1})").event() == "error: field 'id' must be a string, not a number");
  BOOST_TEST(c.with(R"({"id":"e1","account":-0.0,"ts":1})").event() ==
             "error: field 'account' must be a string, not a number");
}

BOOST_AUTO_TEST_CASE(null_optionals) {
  Harness h(preset("canonical"));
  BOOST_TEST(h.with(rec(R"("type":null,"text":null,"urls":null,"hashtags":null,"mentions":null,"media":null,)"
                        R"("parent":null,"lang":null,"audience":null,"platform":null,"views":null,"likes":null)"))
                 .event() == Want().line());
  BOOST_TEST(h.with(rec(R"("urls":[],"media":[])")).event() == Want().line());
}

BOOST_AUTO_TEST_CASE(entities_from_text_only_when_arrays_are_missing) {
  Harness h(preset("canonical"));
  const std::string text = R"("text":"Vote #now with @bob at https://x.example/a.")";
  Want w;
  w.text = R"("Vote #now with @bob at https://x.example/a.")";
  w.urls = R"(["https://x.example/a"])";
  w.hashtags = R"(["now"])";
  w.mentions = R"(["bob"])";
  BOOST_TEST(h.with(rec(text)).event() == w.line());
  // An array that is there wins, even empty; the others still come from the text.
  Want a = w;
  a.hashtags = "[]";
  BOOST_TEST(h.with(rec(text + R"(,"hashtags":[])")).event() == a.line());
  Want b = w;
  b.mentions = R"(["carol"])";
  b.urls = R"(["https://y.example"])";
  BOOST_TEST(h.with(rec(text + R"(,"mentions":["@carol"],"urls":["https://y.example"])")).event() == b.line());
  // Sigils some exports keep are dropped, and empty entries.
  Want c;
  c.hashtags = R"(["tag","plain"])";
  c.mentions = R"(["bob"])";
  BOOST_TEST(h.with(rec(R"("hashtags":["#tag","plain",""],"mentions":["@bob"])")).event() == c.line());
}

// An entity array given as null is missing (exports write null for "not
// collected"): the text is read, as for an absent key (e2e parse-canonical-null-arrays).
BOOST_AUTO_TEST_CASE(null_entity_array_is_missing) {
  Harness h(preset("canonical"));
  Want w;
  w.text = R"("Join us #rally2024 @organiser https://rally.example.org")";
  w.urls = R"(["https://rally.example.org"])";
  w.hashtags = R"(["rally2024"])";
  w.mentions = R"(["organiser"])";
  BOOST_TEST(h.with(rec(R"("text":"Join us #rally2024 @organiser https://rally.example.org",)"
                        R"("hashtags":null,"mentions":null,"urls":null)"))
                 .event() == w.line());
}

BOOST_AUTO_TEST_CASE(keep_extra_copies_unmapped_members_raw) {
  Harness h(preset("canonical"), false, true);
  h.with(R"({"id":"e1","geo":{"lat":55.75, "tags":["a","\u0442"]},"account":"a1","n":[1, 2],"s":"x\"y",)"
         R"("b":false,"z":null,"num":1.5e2,"k\u0065y":1,"ts":1610870193,"extra":{"nested":true}})");
  Want w;
  w.extra = R"({"geo":{"lat":55.75, "tags":["a","\u0442"]},"n":[1, 2],"s":"x\"y","b":false,"z":null,)"
            R"("num":1.5e2,"key":1,"extra":{"nested":true}})";
  BOOST_TEST(h.event() == w.line());
  // Nothing unmapped: no extra member at all.
  BOOST_TEST(h.with(rec()).event() == Want().line());
  // Without keep_extra, unmapped members are dropped.
  Harness plain(preset("canonical"));
  BOOST_TEST(plain.with(rec(R"("geo":{"lat":1})")).event() == Want().line());
}

BOOST_AUTO_TEST_CASE(twitter_v1_retweet_reply_quote) {
  Harness h(preset("twitter-v1"), true);
  // A retweet: type share; parent, text and the text's entities from retweeted_status.
  h.with(R"({"created_at":"Wed Oct 10 20:21:02 +0000 2018","id":1050119032412651520,"id_str":"1050119032412651520",)"
         R"("text":"RT @Jenn_Abrams: They don't want you to know\u2026","in_reply_to_status_id_str":null,)"
         R"("user":{"id":4224729994,"id_str":"4224729994","name":"Pamela Moore","screen_name":"Pamela_Moore13",)"
         R"("verified":false,"followers_count":70123,"friends_count":1432,"created_at":"Fri Dec 20 11:41:05 +0000 2013"},)"
         R"("retweeted_status":{"created_at":"Wed Oct 10 19:58:00 +0000 2018","id":1050113402352283648,)"
         R"("id_str":"1050113402352283648","full_text":"They don't want you to know this #StopTheSteal",)"
         R"("user":{"id_str":"2253282111","screen_name":"Jenn_Abrams"},)"
         R"("entities":{"hashtags":[{"text":"StopTheSteal"}],"urls":[{"expanded_url":"http://turnout-truth.example.com/report"}],)"
         R"("user_mentions":[]}},)"
         R"("entities":{"hashtags":[],"urls":[{"expanded_url":"https://t.co/outer"}],)"
         R"("user_mentions":[{"screen_name":"Jenn_Abrams"}]},"favorite_count":0,"lang":"en"})");
  Want w;
  w.id = "\"1050119032412651520\"";
  w.account = "\"4224729994\"";
  w.ts = "1539202862";  // date -u -d '2018-10-10T20:21:02Z' +%s
  w.type = "share";
  w.text = R"("They don't want you to know this #StopTheSteal")";
  w.urls = R"(["http://turnout-truth.example.com/report"])";
  w.hashtags = R"(["StopTheSteal"])";
  w.parent = "\"1050113402352283648\"";
  w.lang = "\"en\"";
  w.platform = "\"twitter\"";
  w.likes = "0";
  BOOST_TEST(h.event() == w.line());
  // python: datetime.strptime('Fri Dec 20 11:41:05 +0000 2013', '%a %b %d %H:%M:%S %z %Y') -> 1387539665
  BOOST_TEST(h.profile() ==
             R"({"account":"","platform":null,"handle":"Pamela_Moore13","name":"Pamela Moore","created":1387539665,)"
             R"("followers":70123,"following":1432,"country":null,"state_affiliated":null,"verified":false})");

  // A reply: in_reply_to_status_id_str set.
  h.with(R"({"created_at":"Wed Oct 10 20:25:47 +0000 2018","id_str":"1050120227667787776",)"
         R"("text":"@Jenn_Abrams Exactly right #MSMLies","in_reply_to_status_id_str":"1050118621198921728",)"
         R"("user":{"id_str":"4272870988"}})");
  Want r;
  r.id = "\"1050120227667787776\"";
  r.account = "\"4272870988\"";
  r.ts = "1539203147";  // date -u -d '2018-10-10T20:25:47Z' +%s
  r.type = "reply";
  r.text = R"("@Jenn_Abrams Exactly right #MSMLies")";
  r.hashtags = R"(["MSMLies"])";  // no entities: from the text
  r.mentions = R"(["Jenn_Abrams"])";
  r.parent = "\"1050118621198921728\"";
  r.platform = "\"twitter\"";
  BOOST_TEST(h.event() == r.line());
  // Nothing in the profile: none.
  BOOST_TEST(h.profile() == "none");

  // A quote: a post with the quoted tweet as parent; an extended tweet's full text wins.
  h.with(R"({"created_at":"Wed Oct 10 20:30:00 +0000 2018","id_str":"1050121288612917249","text":"short…",)"
         R"("extended_tweet":{"full_text":"This is what they call journalism now??"},)"
         R"("quoted_status_id_str":"1050100000000000000","is_quote_status":true,"user":{"id_str":"4224729994"}})");
  Want q;
  q.id = "\"1050121288612917249\"";
  q.account = "\"4224729994\"";
  q.ts = "1539203400";  // date -u -d '2018-10-10T20:30:00Z' +%s
  q.text = R"("This is what they call journalism now??")";
  q.parent = "\"1050100000000000000\"";
  q.platform = "\"twitter\"";
  BOOST_TEST(h.event() == q.line());
  // retweeted_status null is not a retweet.
  h.with(R"({"created_at":"Wed Oct 10 20:30:00 +0000 2018","id_str":"9","retweeted_status":null,"user":{"id_str":"1"}})");
  BOOST_TEST(h.event().find("\"type\":\"post\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(twitter_v2_page_with_profiles) {
  Harness h(preset("twitter-v2"), true);
  h.with(R"({"data":[)"
         R"({"id":"1445880548472328192","text":"Demand a full audit now! #AuditNow","author_id":"1338975421113823232",)"
         R"("created_at":"2021-09-26T18:00:03.000Z","lang":"en","public_metrics":{"like_count":310,"impression_count":18234},)"
         R"("entities":{"hashtags":[{"start":25,"end":34,"tag":"AuditNow"}],"mentions":[{"username":"bwl","id":"2"}]},)"
         R"("attachments":{"media_keys":["3_1445880540000000000"]}},)"
         R"({"id":"1445880612345678901","text":"RT @AfD_Freund: Demand a full audit now!","author_id":"1402222333444555666",)"
         R"("created_at":"2021-09-26T18:00:18.000Z","referenced_tweets":[{"type":"retweeted","id":"1445880548472328192"}]},)"
         R"({"id":"1445881000000000002","text":"@AfD_Freund Absolutely.","author_id":"1402222333444555777",)"
         R"("created_at":"2021-09-26T18:01:00.000Z","referenced_tweets":[{"type":"replied_to","id":"1445880548472328192"}]},)"
         R"({"id":"1445881234567890123","text":"Look at this!","author_id":"1402222333444555666",)"
         R"("created_at":"2021-09-26T18:02:30.000Z","referenced_tweets":[{"id":"1445880548472328192","type":"quoted"}]}],)"
         R"("includes":{"users":[)"
         R"({"id":"1338975421113823232","username":"AfD_Freund","name":"Freund","created_at":"2020-12-15T21:00:00.000Z",)"
         R"("verified":false,"public_metrics":{"followers_count":5123,"following_count":77}},)"
         R"({"id":"1402222333444555666","username":"patriot_1"}]},)"
         R"("meta":{"result_count":4,"next_token":"b26v89c19zqg8o3f"}})");
  BOOST_TEST_REQUIRE(h.records() == 4u);
  // date -u -d '2021-09-26T18:00:03Z' +%s -> 1632679203
  Want a;
  a.id = "\"1445880548472328192\"";
  a.account = "\"1338975421113823232\"";
  a.ts = "1632679203";
  a.text = R"("Demand a full audit now! #AuditNow")";
  a.hashtags = R"(["AuditNow"])";
  a.mentions = R"(["bwl"])";
  a.media = R"(["3_1445880540000000000"])";
  a.lang = "\"en\"";
  a.platform = "\"twitter\"";
  a.views = "18234";
  a.likes = "310";
  BOOST_TEST(h.event(0) == a.line());
  Want b;
  b.id = "\"1445880612345678901\"";
  b.account = "\"1402222333444555666\"";
  b.ts = "1632679218";  // date -u -d '2021-09-26T18:00:18Z' +%s
  b.type = "share";
  b.text = R"("RT @AfD_Freund: Demand a full audit now!")";
  b.mentions = R"(["AfD_Freund"])";
  b.parent = "\"1445880548472328192\"";
  b.platform = "\"twitter\"";
  BOOST_TEST(h.event(1) == b.line());
  BOOST_TEST(h.event(2).find(R"("type":"reply")") != std::string::npos, h.event(2));
  BOOST_TEST(h.event(3).find(R"("type":"post")") != std::string::npos, h.event(3));  // a quote

  BOOST_TEST_REQUIRE(h.profiles() == 2u);
  // date -u -d '2020-12-15T21:00:00Z' +%s -> 1608066000
  BOOST_TEST(h.profile(0) ==
             R"({"account":"1338975421113823232","platform":null,"handle":"AfD_Freund","name":"Freund",)"
             R"("created":1608066000,"followers":5123,"following":77,"country":null,"state_affiliated":null,)"
             R"("verified":false})");
  BOOST_TEST(h.profile(1).find(R"("account":"1402222333444555666","platform":null,"handle":"patriot_1")") == 1u,
             h.profile(1));

  // The next page has fewer records: nothing of the previous page is left over.
  h.with(R"({"data":[{"id":"7","author_id":"8","created_at":"2021-09-26T18:00:03Z"}]})");
  BOOST_TEST_REQUIRE(h.records() == 1u);
  BOOST_TEST(h.profiles() == 0u);
  Want c;
  c.id = "\"7\"";
  c.account = "\"8\"";
  c.ts = "1632679203";
  c.platform = "\"twitter\"";
  BOOST_TEST(h.event(0) == c.line());
  // One tweet per line (no page) is a record by itself.
  h.with(R"({"id":"9","author_id":"8","created_at":"2021-09-26T18:00:03Z","text":"single"})");
  BOOST_TEST_REQUIRE(h.records() == 1u);
  BOOST_TEST(h.event(0).find(R"("id":"9")") != std::string::npos);
  // A records path holding one object rather than an array: one record.
  h.with(R"({"data":{"id":"10","author_id":"8","created_at":"2021-09-26T18:00:03Z"},"includes":{"users":[]}})");
  BOOST_TEST_REQUIRE(h.records() == 1u);
  BOOST_TEST(h.event(0).find(R"("id":"10")") != std::string::npos, h.event(0));
  // An empty page has no records.
  h.with(R"({"data":[],"meta":{"result_count":0}})");
  BOOST_TEST(h.records() == 0u);
}

// The parent of a reply or a quote is in referenced_tweets like a retweet's:
// the preset lists [type=retweeted], [type=replied_to] and [type=quoted] as
// alternatives, and an alternative that matched nothing must not hide the next.
BOOST_AUTO_TEST_CASE(twitter_v2_reply_and_quote_parents) {
  Harness h(preset("twitter-v2"));
  const std::string head = R"({"id":"2","author_id":"8","created_at":"2021-09-26T18:00:03Z",)";
  std::string reply = h.with(head + R"("referenced_tweets":[{"type":"replied_to","id":"1"}]})").event();
  BOOST_TEST(reply.find(R"("type":"reply")") != std::string::npos, reply);
  BOOST_TEST(reply.find(R"("parent":"1")") != std::string::npos, reply);
  // "id" before "type" in the element makes no difference.
  std::string quote = h.with(head + R"("referenced_tweets":[{"id":"1","type":"quoted"}]})").event();
  BOOST_TEST(quote.find(R"("type":"post")") != std::string::npos, quote);
  BOOST_TEST(quote.find(R"("parent":"1")") != std::string::npos, quote);
  // A quoted retweet: the retweeted tweet is the parent.
  std::string both =
      h.with(head + R"("referenced_tweets":[{"type":"quoted","id":"q"},{"type":"retweeted","id":"r"}]})").event();
  BOOST_TEST(both.find(R"("type":"share")") != std::string::npos, both);
  BOOST_TEST(both.find(R"("parent":"r")") != std::string::npos, both);
}

BOOST_AUTO_TEST_CASE(twitter_v2_profiles_only_when_wanted) {
  Harness h(preset("twitter-v2"), false);
  h.with(R"({"data":[{"id":"1","author_id":"2","created_at":"2021-09-26T18:00:03Z"}],)"
         R"("includes":{"users":[{"id":"2","username":"u"}]}})");
  BOOST_TEST(h.records() == 1u);
  BOOST_TEST(h.profiles() == 0u);
}

BOOST_AUTO_TEST_CASE(profile_values_are_checked) {
  Harness h(preset("canonical"), true);
  BOOST_TEST(h.with(rec(R"("followers":"many")")).profile() == "error: field 'followers' must be a non-negative integer");
  BOOST_TEST(h.with(rec(R"("following":-3)")).profile() == "error: field 'following' must be a non-negative integer");
  BOOST_TEST(h.with(rec(R"("verified":"yes")")).profile() == "error: field 'verified' must be a boolean");
  BOOST_TEST(h.with(rec(R"("created":"soon")")).profile().rfind("error: field 'created': unreadable timestamp 'soon'", 0) ==
             0u);
  BOOST_TEST(h.with(rec(R"("handle":5)")).profile() == "error: field 'handle' must be a string, not a number");
  BOOST_TEST(h.with(rec()).profile() == "none");
  // date -u -d '2013-12-20T11:41:05Z' +%s -> 1387539665
  BOOST_TEST(h.with(rec(R"("handle":"h","name":"N","created":"2013-12-20T11:41:05Z","followers":"10",)"
                        R"("following":2,"country":"RU","state_affiliated":"RU","verified":"True")"))
                 .profile() ==
             R"({"account":"","platform":null,"handle":"h","name":"N","created":1387539665,"followers":10,)"
             R"("following":2,"country":"RU","state_affiliated":"RU","verified":true})");
}

BOOST_AUTO_TEST_CASE(keep_extra_in_a_page) {
  Harness h(preset("twitter-v2"), false, true);
  h.with(R"({"data":[{"id":"1","author_id":"2","created_at":"2021-09-26T18:00:03Z","conversation_id":"1",)"
         R"("source":"web"},{"id":"3","author_id":"2","created_at":"2021-09-26T18:00:03Z"}],"meta":{"n":2}})");
  BOOST_TEST_REQUIRE(h.records() == 2u);
  BOOST_TEST(h.event(0).find(R"(,"extra":{"conversation_id":"1","source":"web"}})") != std::string::npos, h.event(0));
  BOOST_TEST(h.event(1).find("extra") == std::string::npos, h.event(1));
}

BOOST_AUTO_TEST_CASE(tiktok_page_and_single_video) {
  Harness h(preset("tiktok"), true);
  h.with(R"({"data":{"videos":[{"id":7214614318932217131,"username":"xinjiang_daily_life","create_time":1679345103,)"
         R"("region_code":"CN","video_description":"Cotton harvest #xinjiang #cotton @cgtn_official",)"
         R"("like_count":1520,"view_count":98200,"hashtag_names":["xinjiang","cotton"],"video_mention_list":["cgtn_official"]},)"
         R"({"id":7214620011122233344,"username":"happy_uyghur_2023","create_time":1679346500,)"
         R"("video_description":"Life in #xinjiang is good","view_count":4301,"like_count":88}],)"
         R"("cursor":1679346600000,"has_more":true},"error":{"code":"ok"}})");
  BOOST_TEST_REQUIRE(h.records() == 2u);
  Want a;
  a.id = "\"7214614318932217131\"";
  a.account = "\"xinjiang_daily_life\"";
  a.ts = "1679345103";
  a.text = R"("Cotton harvest #xinjiang #cotton @cgtn_official")";
  a.hashtags = R"(["xinjiang","cotton"])";
  a.mentions = R"(["cgtn_official"])";
  a.platform = "\"tiktok\"";
  a.views = "98200";
  a.likes = "1520";
  BOOST_TEST(h.event(0) == a.line());
  Want b;
  b.id = "\"7214620011122233344\"";
  b.account = "\"happy_uyghur_2023\"";
  b.ts = "1679346500";
  b.text = R"("Life in #xinjiang is good")";
  b.hashtags = R"(["xinjiang"])";  // no hashtag_names: from the description
  b.platform = "\"tiktok\"";
  b.views = "4301";
  b.likes = "88";
  BOOST_TEST(h.event(1) == b.line());
  // The profile fields of a TikTok record are in the record itself.
  BOOST_TEST(h.with(R"({"id":1,"username":"u","create_time":1679345103,"region_code":"TW"})").profile() ==
             R"({"account":"","platform":null,"handle":"u","name":null,"created":null,"followers":null,)"
             R"("following":null,"country":"TW","state_affiliated":null,"verified":null})");
  BOOST_TEST(h.records() == 1u);
  // An empty page.
  h.with(R"({"data":{"videos":[],"has_more":false}})");
  BOOST_TEST(h.records() == 0u);
}

BOOST_AUTO_TEST_CASE(alternatives_first_present_wins) {
  Harness h(preset("twitter-v1"));
  const std::string head = R"({"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"1","user":{"id_str":"2"},)";
  BOOST_TEST(h.with(head + R"("full_text":"full","text":"short"})").event().find(R"("text":"full")") !=
             std::string::npos);
  // An empty string counts as absent when a later alternative has a value.
  BOOST_TEST(h.with(head + R"("full_text":"","text":"short"})").event().find(R"("text":"short")") !=
             std::string::npos);
  BOOST_TEST(h.with(head + R"("full_text":null,"text":"short"})").event().find(R"("text":"short")") !=
             std::string::npos);
  // id_str before id, whichever comes first in the document.
  BOOST_TEST(h.with(R"({"id":5,"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"6","user":{"id":2}})")
                 .event()
                 .find(R"("id":"6")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(type_rules_and_truthiness) {
  // io-archive maps are meant for CSV rows, which chorus-parse turns into JSON strings.
  Harness h(preset("io-archive"));
  auto type_of = [&](const std::string& more) {
    std::string e = h.with(R"({"tweetid":"1","userid":"u","tweet_time":"2021-01-17 07:56")" + more + "}").event();
    auto p = e.find("\"type\":\"");
    return p == std::string::npos ? e : e.substr(p + 8, e.find('"', p + 8) - p - 8);
  };
  BOOST_TEST(type_of("") == "post");
  BOOST_TEST(type_of(R"(,"is_retweet":"true")") == "share");
  BOOST_TEST(type_of(R"(,"is_retweet":"True")") == "share");
  BOOST_TEST(type_of(R"(,"is_retweet":"1")") == "share");
  for (const char* f : {R"(,"is_retweet":"false")", R"(,"is_retweet":"False")", R"(,"is_retweet":"0")",
                        R"(,"is_retweet":"")", R"(,"is_retweet":null)", R"(,"is_retweet":false)"})
    BOOST_TEST(type_of(f) == "post", f);
  BOOST_TEST(type_of(R"(,"is_retweet":"false","in_reply_to_tweetid":"99")") == "reply");
  BOOST_TEST(type_of(R"(,"is_retweet":"true","in_reply_to_tweetid":"99")") == "share");  // rules in order
}

BOOST_AUTO_TEST_CASE(escaped_member_names_in_the_map) {
  // Names holding '"', '\\', '/' or '~', and a name of 40 bytes: compared after unescaping.
  FieldMap m = preset("canonical");
  BOOST_TEST_REQUIRE(m.apply("text=/we\"ird").ok());
  BOOST_TEST_REQUIRE(m.apply("lang=/back\\slash").ok());
  BOOST_TEST_REQUIRE(m.apply("audience=/a~1b/c~0d").ok());
  BOOST_TEST_REQUIRE(m.apply("parent=/a_member_name_that_is_forty_bytes_long").ok());
  Harness h(m);
  h.with(rec(R"("we\"ird":"hello","back\\slash":"en","a/b":{"c~d":"DE"},"a_member_name_that_is_forty_bytes_long":"p")"));
  Want w;
  w.text = "\"hello\"";
  w.lang = "\"en\"";
  w.audience = "\"DE\"";
  w.parent = "\"p\"";
  BOOST_TEST(h.event() == w.line());
  // A member spelled with an escape in the document matches too.
  h.with(rec(R"("we\u0022ird":"hello","back\u005cslash":"en","a\/b":{"c~d":"DE"},"a_member_name_that_is_forty_bytes_long":"p")"));
  BOOST_TEST(h.event() == w.line());
}

// JSON compares member names after unescaping (RFC 8259 section 8.3): a record
// whose "id" is spelled "i\u0064" has an id.
BOOST_AUTO_TEST_CASE(escaped_member_names_in_the_document) {
  Harness h(preset("canonical"));
  BOOST_TEST(h.with(R"({"i\u0064":"e1","account":"a1","\u0074s":1610870193})").event() == Want().line());
  BOOST_TEST(h.with(rec(R"("l\u0061ng":"en")")).event().find(R"("lang":"en")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(member_names_near_the_raw_compare_limits) {
  // Names sharing first bytes and prefixes, names of 31 and 32 bytes, a mapped
  // name as the last bytes of the document (the compare reads ahead into padding).
  const std::string n31(31, 'q'), n32(32, 'q'), n30 = std::string(30, 'q');
  FieldMap m = preset("canonical");
  BOOST_TEST_REQUIRE(m.apply("text=/" + n31).ok());
  BOOST_TEST_REQUIRE(m.apply("lang=/" + n32).ok());
  BOOST_TEST_REQUIRE(m.apply("audience=/i").ok());
  BOOST_TEST_REQUIRE(m.apply("parent=/id_str").ok());
  Harness h(m);
  h.with("{\"" + n30 + "\":\"thirty\",\"" + n31 + "r\":\"x\",\"idx\":\"no\",\"i\":\"I\",\"id_str\":\"S\"," +
         "\"id\":\"e1\",\"account\":\"a1\",\"ts\":1610870193,\"" + n32 + "\":\"en\",\"" + n31 + "\":\"31\"}");
  Want w;
  w.text = "\"31\"";
  w.lang = "\"en\"";
  w.audience = "\"I\"";
  w.parent = "\"S\"";
  BOOST_TEST(h.event() == w.line());
  // Only longer and shorter look-alikes: nothing taken.
  h.with("{" + std::string(kBase) + ",\"" + n30 + "\":\"a\",\"" + n31 + "r\":\"b\",\"" + n32 + "r\":\"b\",\"id_\":\"c\",\"ii\":\"d\"}");
  BOOST_TEST(h.event() == Want().line());
}

BOOST_AUTO_TEST_CASE(documents_that_are_not_records) {
  Harness h(preset("canonical"));
  BOOST_TEST((h.load("[1,2]") == simdjson::INCORRECT_TYPE));
  BOOST_TEST((h.load("\"text\"") == simdjson::INCORRECT_TYPE));
  BOOST_TEST(h.load(R"({"id":"e1","account":)") != simdjson::SUCCESS);
  BOOST_TEST(h.load(R"({"id":"e1" "account":"a1"})") != simdjson::SUCCESS);
  BOOST_TEST(h.load("{\"id\":\"\xff\"}") != simdjson::SUCCESS);  // invalid UTF-8
  // After an error, the next document is read normally.
  BOOST_TEST(h.with(rec()).event() == Want().line());
}

BOOST_AUTO_TEST_CASE(no_stale_values_between_documents) {
  Harness h(preset("canonical"));
  h.with(rec(R"("type":"reply","text":"first #tag","urls":["u"],"parent":"p","lang":"en","views":5,"likes":6)"));
  BOOST_TEST(h.event().find("\"lang\":\"en\"") != std::string::npos);
  BOOST_TEST(h.with(rec()).event() == Want().line());
  Harness v1(preset("twitter-v1"));
  v1.with(R"({"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"1","user":{"id_str":"2"},)"
          R"("retweeted_status":{"id_str":"3"},"entities":{"hashtags":[{"text":"a"},{"text":"b"}]}})");
  BOOST_TEST(v1.event().find(R"("type":"share")") != std::string::npos);
  v1.with(R"({"created_at":"Wed Oct 10 20:19:24 +0000 2018","id_str":"1","user":{"id_str":"2"}})");
  std::string e = v1.event();
  BOOST_TEST(e.find(R"("type":"post")") != std::string::npos, e);
  BOOST_TEST(e.find(R"("hashtags":[])") != std::string::npos, e);
  BOOST_TEST(e.find(R"("parent":null)") != std::string::npos, e);
}

BOOST_AUTO_TEST_SUITE_END()

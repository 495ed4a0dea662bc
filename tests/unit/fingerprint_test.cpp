// Tests of lib/fingerprint.hpp, through the Fingerprinter's EventSink
// interface as EventParser drives it: append() an event to a TextBuffer, then
// commit() that output to an OutputStream. Every expected key is computed here
// from the content the kind hashes (SPEC §4, fingerprint.hpp), written out by
// hand — "hello world this is it" for the text key of "Hello, WORLD! this is
// it", "example.com/a?b=1" for the url key of its tracking variants — and
// hashed with XXH3_128bits directly, never by the code under test.
//
// Covers the mark line (time padding and fraction, refused times, the
// platform-qualified account, escaping), which kinds each event type yields,
// per-event dedup, the text key and its obfuscated copies, --min-tokens, near
// keys of a reworded copy, url and domain folding, tags and tag chains,
// platform-scoped mentions, exact and perceptual media, the signal switches,
// the labels stream, parse_signal_list and signal_of_key.
#include "fingerprint.hpp"

#include <xxhash.h>

#include <boost/test/unit_test.hpp>
#include <array>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "output.hpp"
#include "text_buffer.hpp"

namespace {

using chorus::EventType;
using chorus::EventView;
using chorus::FingerprintOptions;
using chorus::Signal;
using chorus::SignalSet;
using chorus::signal_bit;

// "kind:" and the XXH3-128 of `content`, high half first, in lower-case hex.
std::string key(std::string_view kind, std::string_view content) {
  XXH128_hash_t h = XXH3_128bits(content.data(), content.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string(kind) + ":" + hex;
}
// Keys of the kinds hashed within a platform: platform, a NUL byte, the content.
std::string scoped_key(std::string_view kind, std::string_view platform, std::string_view content) {
  std::string material(platform);
  material += '\0';
  material += content;
  return key(kind, material);
}

// An event that owns its strings; view() lends them to an EventView.
struct Ev {
  std::string id = "e1", account = "a1";
  chorus::Micros ts = 1700000000LL * 1000000;
  EventType type = EventType::kPost;
  std::string text;
  std::vector<std::string> urls, hashtags, mentions, media;
  std::optional<std::string> parent, platform;

  EventView view() const {
    EventView v;
    v.id = id;
    v.account = account;
    v.ts = ts;
    v.type = type;
    v.text = text;
    for (const auto& s : urls) v.urls.emplace_back(s);
    for (const auto& s : hashtags) v.hashtags.emplace_back(s);
    for (const auto& s : mentions) v.mentions.emplace_back(s);
    for (const auto& s : media) v.media.emplace_back(s);
    if (parent) v.parent = *parent;
    if (platform) v.platform = *platform;
    return v;
  }
};

Ev post(std::string text) {
  Ev e;
  e.text = std::move(text);
  return e;
}

// A Fingerprinter with its labels stream kept in memory.
class Harness {
 public:
  explicit Harness(FingerprintOptions options = {}) : opt_(with_valid(options)) {
    labels_out_ = chorus::OutputStream::to_string(&labels_);
    fp_ = std::make_unique<chorus::Fingerprinter>(opt_, opt_.labels ? labels_out_.get() : nullptr);
  }

  // The marks of one event (append, then commit), or "refused: message".
  std::string marks(const Ev& e) {
    chorus::TextBuffer buf;
    EventView v = e.view();
    auto refusal = fp_->append(v, buf);
    if (refusal) {
      last_refusal_ = refusal->reason;
      BOOST_TEST(buf.empty());
      return "refused: " + refusal->message;
    }
    std::string text;
    auto out = chorus::OutputStream::to_string(&text);
    fp_->commit(buf.view(), *out);
    BOOST_TEST_REQUIRE(out->close().ok());
    return text;
  }
  // The keys of one event's marks, in order.
  std::vector<std::string> keys(const Ev& e) {
    std::vector<std::string> k;
    std::string m = marks(e);
    for (size_t pos = 0; pos < m.size();) {
      size_t nl = m.find('\n', pos);
      BOOST_TEST_REQUIRE(nl != std::string::npos);
      k.push_back(m.substr(pos, m.find('\t', pos) - pos));
      pos = nl + 1;
    }
    return k;
  }
  // The one key of `kind` the event has ("" for none; an error for several).
  std::string key_of(const Ev& e, std::string_view kind) {
    std::string found;
    for (const auto& k : keys(e))
      if (k.compare(0, kind.size() + 1, std::string(kind) + ":") == 0) {
        BOOST_TEST(found.empty(), "two " << kind << " keys");
        found = k;
      }
    return found;
  }
  // Appends without committing: an event whose block is re-read later.
  void append_only(const Ev& e) {
    chorus::TextBuffer buf;
    BOOST_TEST(!fp_->append(e.view(), buf));
  }
  // The labels written so far (closes the labels stream: call last).
  const std::string& labels() {
    BOOST_TEST_REQUIRE(labels_out_->close().ok());
    return labels_;
  }
  chorus::Fingerprinter& fingerprinter() { return *fp_; }
  chorus::SkipReason last_refusal() const { return last_refusal_; }

 private:
  static FingerprintOptions with_valid(FingerprintOptions o) {
    BOOST_TEST_REQUIRE(chorus::validate(o).ok());
    return o;
  }
  FingerprintOptions opt_;
  std::string labels_;
  std::unique_ptr<chorus::OutputStream> labels_out_;
  std::unique_ptr<chorus::Fingerprinter> fp_;
  chorus::SkipReason last_refusal_ = chorus::SkipReason::kCount;
};

FingerprintOptions only(std::initializer_list<Signal> signals) {
  FingerprintOptions o;
  o.signals = 0;
  for (Signal s : signals) o.signals |= signal_bit(s);
  return o;
}

FingerprintOptions with_labels(FingerprintOptions o = {}) {
  o.labels = true;
  return o;
}

Ev share_of(std::string parent, chorus::Micros ts) {
  Ev e;
  e.type = EventType::kShare;
  e.parent = std::move(parent);
  e.ts = ts;
  return e;
}

const std::string kHelloText = "hello world this is it";

}  // namespace

BOOST_AUTO_TEST_SUITE(fingerprint)

BOOST_AUTO_TEST_CASE(mark_line_time) {
  Harness h;
  const std::string k = scoped_key("share", "", "p1");
  struct Case {
    chorus::Micros ts;
    const char* written;
  } cases[] = {
      {1500000, "0000000001.5"},
      {1704067200LL * 1000000, "1704067200"},
      {0, "0000000000"},
      {1, "0000000000.000001"},
      {86400LL * 1000000, "0000086400"},
      {1700000000LL * 1000000 + 250000, "1700000000.25"},
      {1700000000LL * 1000000 + 123456, "1700000000.123456"},
      {1700000000LL * 1000000 + 100, "1700000000.0001"},
      {9999999999LL * 1000000 + 999999, "9999999999.999999"},  // 2286-11-20, the last time that fits
  };
  for (const auto& c : cases) {
    BOOST_TEST(h.marks(share_of("p1", c.ts)) == k + "\t" + c.written + "\ta1\te1\n", "ts " << c.ts);
  }
}

BOOST_AUTO_TEST_CASE(time_outside_range_refused) {
  Harness h;
  for (chorus::Micros ts : std::initializer_list<chorus::Micros>{-1, -1000000, -86400LL * 1000000 * 365,
                            10000000000LL * 1000000}) {
    std::string m = h.marks(share_of("p1", ts));
    BOOST_TEST(m.rfind("refused: ", 0) == 0, "ts " << ts << ": " << m);
    BOOST_TEST(m.find("1970") != std::string::npos, m);
    BOOST_TEST((h.last_refusal() == chorus::SkipReason::kBadTimestamp));
  }
  // A refused event leaves nothing behind: the next one is written as usual.
  BOOST_TEST(h.marks(share_of("p1", 0)) == scoped_key("share", "", "p1") + "\t0000000000\ta1\te1\n");
  // Refused events are no marks.
  BOOST_TEST(h.fingerprinter().stats().marks[static_cast<size_t>(Signal::kShare)] == 1u);
}

BOOST_AUTO_TEST_CASE(platform_qualified_account) {
  Harness h;
  Ev e = share_of("p1", 1700000000LL * 1000000);
  e.platform = "twitter";
  BOOST_TEST(h.marks(e) == scoped_key("share", "twitter", "p1") + "\t1700000000\ttwitter:a1\te1\n");
  e.platform = "";  // an empty platform is none
  BOOST_TEST(h.marks(e) == scoped_key("share", "", "p1") + "\t1700000000\ta1\te1\n");
  e.platform.reset();
  BOOST_TEST(h.marks(e) == scoped_key("share", "", "p1") + "\t1700000000\ta1\te1\n");
}

BOOST_AUTO_TEST_CASE(account_and_id_escaped) {
  Harness h;
  Ev e = share_of("p\t1", 1700000000LL * 1000000);
  e.account = "bad\taccount\nname\\x";
  e.id = "id\n2\t\r";
  e.platform = "web\tsite";
  // The key hashes the parent as it is; the fields are escaped.
  BOOST_TEST(h.marks(e) == scoped_key("share", "web\tsite", "p\t1") +
                               "\t1700000000\tweb\\tsite:bad\\taccount\\nname\\\\x\tid\\n2\\t\\r\n");
}

BOOST_AUTO_TEST_CASE(share_yields_only_its_share_mark) {
  Harness h;
  Ev e = share_of("orig-7", 1700000000LL * 1000000);
  e.text = "RT this text is long enough to be keyed";
  e.urls = {"https://example.com/a"};
  e.hashtags = {"one", "two"};
  e.mentions = {"bob"};
  e.media = {"img1"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{scoped_key("share", "", "orig-7")});
  // A share without a parent has no mark at all, not the marks of a post.
  e.parent.reset();
  BOOST_TEST(h.marks(e) == "");
  e.parent = "";
  BOOST_TEST(h.marks(e) == "");
}

BOOST_AUTO_TEST_CASE(reply_and_comment_yield_reply_marks) {
  Harness h(only({Signal::kShare, Signal::kReply, Signal::kText}));
  for (EventType t : {EventType::kReply, EventType::kComment}) {
    Ev e = post("Hello, WORLD! this is it");
    e.type = t;
    e.parent = "p9";
    e.platform = "reddit";
    BOOST_TEST(h.keys(e) == (std::vector<std::string>{scoped_key("reply", "reddit", "p9"), key("text", kHelloText)}));
  }
  // A post's parent (a quote) is no reply; a reply without a parent has no reply mark.
  Ev quote = post("Hello, WORLD! this is it");
  quote.parent = "p9";
  BOOST_TEST(h.keys(quote) == std::vector<std::string>{key("text", kHelloText)});
  Ev orphan = post("Hello, WORLD! this is it");
  orphan.type = EventType::kReply;
  BOOST_TEST(h.keys(orphan) == std::vector<std::string>{key("text", kHelloText)});
  // share: and reply: of one parent are different keys.
  BOOST_TEST(scoped_key("share", "reddit", "p9").substr(6) == scoped_key("reply", "reddit", "p9").substr(6));
}

BOOST_AUTO_TEST_CASE(one_mark_per_key_and_event) {
  Harness h(only({Signal::kUrl, Signal::kDomain, Signal::kTag, Signal::kMention, Signal::kMedia}));
  Ev e = post("");
  e.urls = {"https://example.com/a", "https://example.com/a", "http://www.example.com/a/?utm_source=x"};
  e.hashtags = {"#News", "news", "NEWS"};
  e.mentions = {"@Bob", "bob"};
  e.media = {"img1", "img1"};
  BOOST_TEST(h.keys(e) == (std::vector<std::string>{key("url", "example.com/a"), key("domain", "example.com"),
                                                     key("tag", "news"), scoped_key("mention", "", "bob"),
                                                     key("media", "img1")}));
  // Across events, the same keys are written again.
  BOOST_TEST(h.keys(e).size() == 5u);
}

BOOST_AUTO_TEST_CASE(text_key_is_the_normalised_text) {
  Harness h(only({Signal::kText}));
  Ev e = post("Hello, WORLD! this is it");
  BOOST_TEST(h.marks(e) == key("text", kHelloText) + "\t1700000000\ta1\te1\n");
  BOOST_TEST(h.key_of(post("the cat sat on a mat"), "text") == key("text", "the cat sat on a mat"));
  // Distinct texts, distinct keys.
  BOOST_TEST(h.key_of(post("hello world this is not it"), "text") != key("text", kHelloText));
  // No text, or a text with no word, gives no key.
  BOOST_TEST(h.marks(post("")) == "");
  BOOST_TEST(h.marks(post("!!! ... \xF0\x9F\x94\xA5")) == "");
}

BOOST_AUTO_TEST_CASE(obfuscated_copies_share_the_text_key) {
  // Each row is "Hello, WORLD! this is it" as an influence operation's copies
  // disguise it; every one must normalise to "hello world this is it".
  const char* const copies[] = {
      "Hello, WORLD! this is it",
      "H\xD0\xB5ll\xD0\xBE, W\xD0\x9ERLD! this is it",                  // Cyrillic е о О
      "Hel\xE2\x80\x8Blo, WOR\xE2\x80\x8BLD! this\xE2\x80\x8B is it",   // zero-width spaces
      "Hello, WORLD! \xF0\x9F\x94\xA5 this is it \xF0\x9F\x91\x87",     // emoji
      "hello world THIS IS IT",                                         // case
      "...hello -- world?! (this) is: it!!!",                           // punctuation
      "\xEF\xBC\xA8\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F world this is it",  // full-width Ｈｅｌｌｏ
      // Mathematical bold 𝐇𝐞𝐥𝐥𝐨
      "\xF0\x9D\x90\x87\xF0\x9D\x90\x9E\xF0\x9D\x90\xA5\xF0\x9D\x90\xA5\xF0\x9D\x90\xA8 world this is it",
      "Hell\xCE\xBF w\xCE\xBFrld this is it",                           // Greek omicron
      "He11o W0RLD this is it",                                         // digits for letters
      "@bob Hello WORLD this is it https://t.co/AbC123",                // mention and link
      "  Hello\t\nWORLD   this  is it  ",                               // white space
      "\xEF\xBB\xBFHello wo\xC2\xADrld this is\xE2\x80\x8D it",         // BOM, soft hyphen, ZWJ
      // All at once: “Hеl<ZWSP>lо” 😡 wоrld!!! THIS is IT 👍🏽
      "\xE2\x80\x9CH\xD0\xB5l\xE2\x80\x8Bl\xD0\xBE\xE2\x80\x9D \xF0\x9F\x98\xA1 w\xD0\xBErld!!! "
      "THIS is IT \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
  };
  Harness h(only({Signal::kText}));
  const std::string want = key("text", kHelloText);
  size_t same = 0;
  for (std::string_view c : copies) {
    BOOST_TEST(h.key_of(post(std::string(c)), "text") == want, "copy [" << c << "]");
    ++same;
  }
  BOOST_TEST(same >= 8u);
  // A look-alike only in upper case (Cyrillic Н) is not folded: its lower case н is like no Latin letter.
  BOOST_TEST(h.key_of(post("\xD0\x9D" "ello world this is it"), "text") != want);
  // Nor is a change of one letter.
  BOOST_TEST(h.key_of(post("Hallo, WORLD! this is it"), "text") != want);
}

BOOST_AUTO_TEST_CASE(short_texts_get_no_text_or_near_key) {
  Harness h(only({Signal::kText, Signal::kNear}));
  BOOST_TEST(h.marks(post("hello world this")) == "");           // 3 words < 4
  BOOST_TEST(h.marks(post("Hello, world! \xF0\x9F\x94\xA5 https://x.co/a this")) == "");  // still 3 words
  BOOST_TEST(h.keys(post("hello world this is")) ==
             (std::vector<std::string>{key("text", "hello world this is"), key("near", "hello world this is")}));
  BOOST_TEST(h.fingerprinter().stats().short_texts == 2u);

  FingerprintOptions o = only({Signal::kText, Signal::kNear});
  o.min_tokens = 6;
  Harness six(o);
  BOOST_TEST(six.marks(post("Hello, WORLD! this is it")) == "");  // 5 words
  BOOST_TEST(six.key_of(post("Hello, WORLD! this is it again"), "text") == key("text", "hello world this is it again"));
  o.min_tokens = 1;
  Harness one(o);
  // One word: a text: key, but no near: key (fewer words than a shingle).
  BOOST_TEST(one.keys(post("Hello!")) == std::vector<std::string>{key("text", "hello")});
}

BOOST_AUTO_TEST_CASE(reworded_copy_shares_the_near_key) {
  const std::string original =
      "the quick brown fox jumps over the lazy dog while the farmer watches from the old wooden porch every evening";
  std::string reworded = original;
  reworded.replace(reworded.find("while"), 5, "as");  // word 10 of 20 substituted
  Harness h(only({Signal::kText, Signal::kNear}));
  auto a = h.keys(post(original));
  auto b = h.keys(post(reworded));
  // The group's key is the XXH3-128 of its first text, as its text: key.
  BOOST_TEST(a == (std::vector<std::string>{key("text", original), key("near", original)}));
  BOOST_TEST(b == (std::vector<std::string>{key("text", reworded), key("near", original)}));
  // An unrelated text starts a group of its own.
  const std::string other = "an entirely different sentence about rainy weather in the hills up north today";
  BOOST_TEST(h.key_of(post(other), "near") == key("near", other));
  // The copy, obfuscated, still joins the group.
  BOOST_TEST(h.key_of(post("THE quick br\xD0\xBEwn fox, jumps over the lazy dog \xF0\x9F\x94\xA5 as the farmer "
                           "watches from the old wooden porch every evening!"),
                      "near") == key("near", original));
}

BOOST_AUTO_TEST_CASE(url_and_domain_fold_tracking_variants) {
  Harness h(only({Signal::kUrl, Signal::kDomain}));
  const std::string url = key("url", "example.com/a?b=1"), domain = key("domain", "example.com");
  for (const char* variant : {
           "https://example.com/a?b=1",
           "http://example.com/a?b=1",
           "https://www.example.com/a?b=1",
           "https://example.com/a?b=1&utm_source=newsletter&utm_medium=email",
           "https://example.com/a?fbclid=IwAR0abc&b=1",
           "https://example.com/a/?b=1",
           "https://example.com/a?b=1#section-2",
           "HTTPS://WWW.Example.COM:443/a/?utm_campaign=x&b=1&gclid=zz#top",
           "www.example.com/a?b=1",
       }) {
    Ev e = post("");
    e.urls = {variant};
    BOOST_TEST(h.keys(e) == (std::vector<std::string>{url, domain}), "url " << variant);
  }
  // Another path: another url: key, the same domain: key.
  Ev other = post("");
  other.urls = {"https://blog.example.com/2024/post"};
  BOOST_TEST(h.keys(other) == (std::vector<std::string>{key("url", "blog.example.com/2024/post"), domain}));
  // A registrable domain under a two-label public suffix.
  Ev uk = post("");
  uk.urls = {"https://news.example.co.uk/x", "http://www.example.co.uk/y/z"};
  BOOST_TEST(h.keys(uk) == (std::vector<std::string>{key("url", "news.example.co.uk/x"), key("domain", "example.co.uk"),
                                                     key("url", "example.co.uk/y/z")}));
  // Query parameters are sorted; case of the path is kept.
  Ev sorted = post("");
  sorted.urls = {"https://example.com/A?z=2&a=1"};
  BOOST_TEST(h.key_of(sorted, "url") == key("url", "example.com/A?a=1&z=2"));
  // Not a web URL: no key, counted.
  Ev bad = post("");
  bad.urls = {"ftp://example.com/a", "mailto:x@example.com", ""};
  BOOST_TEST(h.marks(bad) == "");
  BOOST_TEST(h.fingerprinter().stats().bad_urls == 3u);
}

BOOST_AUTO_TEST_CASE(tags_and_tag_chains) {
  Harness h(only({Signal::kTag, Signal::kTagSeq}));
  Ev e = post("");
  e.hashtags = {"#Vote", "now"};
  BOOST_TEST(h.keys(e) ==
             (std::vector<std::string>{key("tag", "vote"), key("tag", "now"), key("tagseq", "vote\nnow")}));
  // Case-insensitive, with or without '#'.
  e.hashtags = {"VOTE", "#NoW"};
  BOOST_TEST(h.keys(e) ==
             (std::vector<std::string>{key("tag", "vote"), key("tag", "now"), key("tagseq", "vote\nnow")}));
  // The chain is ordered.
  e.hashtags = {"now", "vote"};
  BOOST_TEST(h.key_of(e, "tagseq") == key("tagseq", "now\nvote"));
  BOOST_TEST(key("tagseq", "now\nvote") != key("tagseq", "vote\nnow"));
  // One tag is no chain; a tag with no word counts for neither.
  e.hashtags = {"vote"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{key("tag", "vote")});
  e.hashtags = {"vote", "#", "\xF0\x9F\x94\xA5"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{key("tag", "vote")});
  // Three tags, one repeated: the chain keeps the repeat, the tag mark does not.
  e.hashtags = {"a1b", "vote", "A1B"};
  BOOST_TEST(h.keys(e) ==
             (std::vector<std::string>{key("tag", "alb"), key("tag", "vote"), key("tagseq", "alb\nvote\nalb")}));
  // Tags are not platform-scoped.
  e.hashtags = {"vote"};
  e.platform = "tiktok";
  BOOST_TEST(h.keys(e) == std::vector<std::string>{key("tag", "vote")});
}

BOOST_AUTO_TEST_CASE(mentions_case_insensitive_and_platform_scoped) {
  Harness h(only({Signal::kMention}));
  Ev e = post("");
  e.platform = "twitter";
  e.mentions = {"@Bob"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{scoped_key("mention", "twitter", "bob")});
  e.mentions = {"BOB"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{scoped_key("mention", "twitter", "bob")});
  e.platform = "tiktok";
  BOOST_TEST(h.keys(e) == std::vector<std::string>{scoped_key("mention", "tiktok", "bob")});
  BOOST_TEST(scoped_key("mention", "tiktok", "bob") != scoped_key("mention", "twitter", "bob"));
  e.platform.reset();
  e.mentions = {"bob", "@", "", "alice_1"};
  BOOST_TEST(h.keys(e) ==
             (std::vector<std::string>{scoped_key("mention", "", "bob"), scoped_key("mention", "", "alice_1")}));
}

BOOST_AUTO_TEST_CASE(media_exact_and_perceptual) {
  Harness h(only({Signal::kMedia}));
  Ev e = post("");
  e.media = {"3_1234567890"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{key("media", "3_1234567890")});
  // Media ids are not platform-scoped.
  e.platform = "twitter";
  BOOST_TEST(h.keys(e) == std::vector<std::string>{key("media", "3_1234567890")});
  // A perceptual hash starts a group keyed by its canonical text (lower-case hex) ...
  e.media = {"phash:00000000000000FF"};
  const std::string group = key("media", "phash:00000000000000ff");
  BOOST_TEST(h.keys(e) == std::vector<std::string>{group});
  // ... which a hash a few bits away joins (1 and 6 bits; the default distance is 6) ...
  e.media = {"phash:00000000000000fe"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{group});
  e.media = {"phash:00000000000000c0"};  // 0xff ^ 0xc0 = 0x3f: 6 bits
  BOOST_TEST(h.keys(e) == std::vector<std::string>{group});
  // ... and one 7 bits away does not: it starts a group of its own.
  e.media = {"phash:0000000000000080"};  // 0xff ^ 0x80 = 0x7f: 7 bits
  BOOST_TEST(h.keys(e) == std::vector<std::string>{key("media", "phash:0000000000000080")});
  // Two hashes of one group in one event: one mark.
  e.media = {"phash:00000000000000FF", "phash:00000000000000fe"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{group});
  // Not 16 hex digits: an exact id.
  e.media = {"phash:xyz"};
  BOOST_TEST(h.keys(e) == std::vector<std::string>{key("media", "phash:xyz")});

  FingerprintOptions exact = only({Signal::kMedia});
  exact.media.max_distance = 0;
  Harness h0(exact);
  e.media = {"phash:00000000000000ff", "phash:00000000000000fe"};
  BOOST_TEST(h0.keys(e) == (std::vector<std::string>{key("media", "phash:00000000000000ff"),
                                                      key("media", "phash:00000000000000fe")}));
}

BOOST_AUTO_TEST_CASE(signal_switches) {
  Ev e = post("Hello, WORLD! this is it");
  e.type = EventType::kReply;
  e.parent = "p1";
  e.urls = {"https://example.com/a?b=1"};
  e.hashtags = {"one", "two"};
  e.mentions = {"bob"};
  e.media = {"img1"};
  const std::vector<std::string> all = {
      scoped_key("reply", "", "p1"),   key("text", kHelloText),     key("near", kHelloText),
      key("url", "example.com/a?b=1"), key("domain", "example.com"), key("tag", "one"),
      key("tag", "two"),               key("tagseq", "one\ntwo"),   scoped_key("mention", "", "bob"),
      key("media", "img1")};
  BOOST_TEST(Harness().keys(e) == all);

  // Every signal alone, and all but it.
  for (size_t i = 0; i < chorus::kSignalCount; ++i) {
    auto s = static_cast<Signal>(i);
    std::string kind = std::string(chorus::signal_name(s)) + ":";
    FingerprintOptions alone;
    alone.signals = signal_bit(s);
    FingerprintOptions without;
    without.signals = chorus::kAllSignals & ~signal_bit(s);
    std::vector<std::string> want_alone, want_without;
    for (const auto& k : all) (k.rfind(kind, 0) == 0 ? want_alone : want_without).push_back(k);
    BOOST_TEST(Harness(alone).keys(e) == want_alone, "signal " << kind);
    BOOST_TEST(Harness(without).keys(e) == want_without, "all but " << kind);
  }
  // Without text, no text: marks (near: stays); without share, a share has no mark.
  FingerprintOptions no_text;
  no_text.signals = chorus::kAllSignals & ~signal_bit(Signal::kText);
  BOOST_TEST(Harness(no_text).key_of(post("Hello, WORLD! this is it"), "text") == "");
  BOOST_TEST(Harness(no_text).key_of(post("Hello, WORLD! this is it"), "near") == key("near", kHelloText));
  FingerprintOptions no_share;
  no_share.signals = chorus::kAllSignals & ~signal_bit(Signal::kShare);
  Ev share = share_of("p1", 0);
  share.text = "Hello, WORLD! this is it";
  BOOST_TEST(Harness(no_share).marks(share) == "");
}

BOOST_AUTO_TEST_CASE(marks_counted_by_signal) {
  Harness h;
  Ev e = post("Hello, WORLD! this is it");
  e.urls = {"https://example.com/a", "https://example.org/b"};
  h.marks(e);
  h.marks(share_of("p1", 0));
  h.append_only(share_of("p2", 0));  // never committed: not counted
  const auto& m = h.fingerprinter().stats().marks;
  BOOST_TEST(m[static_cast<size_t>(Signal::kText)] == 1u);
  BOOST_TEST(m[static_cast<size_t>(Signal::kNear)] == 1u);
  BOOST_TEST(m[static_cast<size_t>(Signal::kUrl)] == 2u);
  BOOST_TEST(m[static_cast<size_t>(Signal::kDomain)] == 2u);
  BOOST_TEST(m[static_cast<size_t>(Signal::kShare)] == 1u);
  BOOST_TEST(m[static_cast<size_t>(Signal::kTag)] == 0u);
}

BOOST_AUTO_TEST_CASE(labels_once_per_key_with_the_first_text) {
  Harness h(with_labels(only({Signal::kText, Signal::kNear, Signal::kTag, Signal::kMention, Signal::kShare})));
  Ev first = post("Hello, WORLD! this is it");
  first.hashtags = {"#Vote"};
  first.mentions = {"@Bob"};
  Ev second = post("hello world THIS IS IT!!!");  // the same keys, other raw text
  second.hashtags = {"VOTE"};
  second.mentions = {"BOB"};
  second.id = "e2";
  // Marks are the same with labels on.
  BOOST_TEST(h.keys(first) == (std::vector<std::string>{key("text", kHelloText), key("near", kHelloText),
                                                        key("tag", "vote"), scoped_key("mention", "", "bob")}));
  BOOST_TEST(h.keys(second).size() == 4u);
  h.marks(share_of("p\t1", 0));
  BOOST_TEST(h.fingerprinter().stats().labels == 5u);
  BOOST_TEST(h.labels() == key("text", kHelloText) + "\tHello, WORLD! this is it\n" +  //
                               key("near", kHelloText) + "\tHello, WORLD! this is it\n" +  //
                               key("tag", "vote") + "\t#Vote\n" +                         //
                               scoped_key("mention", "", "bob") + "\t@bob\n" +            //
                               scoped_key("share", "", "p\t1") + "\tp\\t1\n");
}

BOOST_AUTO_TEST_CASE(labels_of_kept_events_only) {
  Harness h(with_labels(only({Signal::kText})));
  // An event appended but never committed (its block was re-read) leaves no label.
  h.append_only(post("HELLO WORLD this is it"));
  h.marks(post("Hello world, this is it."));
  BOOST_TEST(h.labels() == key("text", kHelloText) + "\tHello world, this is it.\n");
}

BOOST_AUTO_TEST_CASE(labels_escaped_and_cut) {
  Harness h(with_labels(only({Signal::kText})));
  h.marks(post("tab\there new\nline back\\slash"));
  // 200 bytes exactly: kept whole. 201: cut to 200, "…" added.
  std::string exact = "one two three four " + std::string(181, 'x');
  BOOST_TEST_REQUIRE(exact.size() == 200u);
  std::string longer = "five six seven eight " + std::string(180, 'y');
  BOOST_TEST_REQUIRE(longer.size() == 201u);
  // A two-byte character across byte 200: cut before it.
  std::string utf8 = "nine ten eleven twelve " + std::string(176, 'z') + "\xC3\xA9 tail";
  BOOST_TEST_REQUIRE(utf8.size() > 200u);
  BOOST_TEST_REQUIRE(utf8.substr(199, 2) == "\xC3\xA9");
  // A four-byte character across byte 200: cut before it.
  std::string emoji = "red green blue black " + std::string(177, 'w') + "\xF0\x9F\x94\xA5 end";
  BOOST_TEST_REQUIRE(emoji.substr(198, 4) == "\xF0\x9F\x94\xA5");
  for (const auto& t : {exact, longer, utf8, emoji}) h.marks(post(t));
  const std::string ellipsis = "\xE2\x80\xA6";
  BOOST_TEST(h.labels() ==
             key("text", "tab here new line back slash") + "\ttab\\there new\\nline back\\\\slash\n" +  //
                 key("text", "one two three four " + std::string(181, 'x')) + "\t" + exact + "\n" +      //
                 key("text", "five six seven eight " + std::string(180, 'y')) + "\t" + longer.substr(0, 200) +
                 ellipsis + "\n" +                                                                        //
                 key("text", "nine ten eleven twelve " + std::string(176, 'z') + "\xC3\xA9 tail") + "\t" +
                 utf8.substr(0, 199) + ellipsis + "\n" +  //
                 key("text", "red green blue black " + std::string(177, 'w') + " end") + "\t" + emoji.substr(0, 198) +
                 ellipsis + "\n");
}

BOOST_AUTO_TEST_CASE(no_labels_when_off) {
  Harness h;
  Ev e = post("Hello, WORLD! this is it");
  // Marks only, no 0x01 separator or label record leaks into them.
  BOOST_TEST(h.marks(e) == key("text", kHelloText) + "\t1700000000\ta1\te1\n" + key("near", kHelloText) +
                               "\t1700000000\ta1\te1\n");
  BOOST_TEST(h.fingerprinter().stats().labels == 0u);
}

BOOST_AUTO_TEST_CASE(parse_signal_list) {
  auto all = chorus::parse_signal_list("all");
  BOOST_TEST_REQUIRE(all.ok());
  BOOST_TEST(*all == chorus::kAllSignals);
  BOOST_TEST(chorus::kAllSignals == 0x3ffu);
  auto two = chorus::parse_signal_list("text,url");
  BOOST_TEST_REQUIRE(two.ok());
  BOOST_TEST(*two == (signal_bit(Signal::kText) | signal_bit(Signal::kUrl)));
  auto every = chorus::parse_signal_list("share,reply,text,near,url,domain,tag,tagseq,mention,media");
  BOOST_TEST_REQUIRE(every.ok());
  BOOST_TEST(*every == chorus::kAllSignals);
  auto repeat = chorus::parse_signal_list("tag,tag,all");
  BOOST_TEST_REQUIRE(repeat.ok());
  BOOST_TEST(*repeat == chorus::kAllSignals);
  BOOST_TEST(*chorus::parse_signal_list("tagseq") == signal_bit(Signal::kTagSeq));

  for (std::string_view bad : {"", "bogus", "Text", "text,", ",text", "text,,url", "text url", " text", "ALL",
                               "tags", "share;reply"}) {
    auto r = chorus::parse_signal_list(bad);
    BOOST_TEST(!r.ok(), "accepted [" << bad << "]");
  }
  auto r = chorus::parse_signal_list("text,bogus");
  BOOST_TEST_REQUIRE(!r.ok());
  const std::string& m = r.status().message();
  BOOST_TEST(m.find("'bogus'") != std::string::npos, m);
  BOOST_TEST(m.find("tagseq") != std::string::npos, m);  // names the signals there are
}

BOOST_AUTO_TEST_CASE(signal_names_and_keys) {
  const char* const names[] = {"share", "reply", "text", "near", "url", "domain", "tag", "tagseq", "mention", "media"};
  for (size_t i = 0; i < chorus::kSignalCount; ++i) {
    auto s = static_cast<Signal>(i);
    BOOST_TEST(chorus::signal_name(s) == names[i]);
    auto of = chorus::signal_of_key(std::string(names[i]) + ":0123456789abcdef0123456789abcdef");
    BOOST_TEST_REQUIRE(of.has_value(), names[i]);
    BOOST_TEST((*of == s), names[i]);
    BOOST_TEST(chorus::signal_of_key(std::string(names[i]) + ":").has_value());
    BOOST_TEST(*chorus::parse_signal_list(names[i]) == signal_bit(s));
  }
  BOOST_TEST((*chorus::signal_of_key("tag:ab") == Signal::kTag));
  BOOST_TEST((*chorus::signal_of_key("tagseq:ab") == Signal::kTagSeq));
  for (std::string_view none : {"", "text", "texts:ab", "Text:ab", ":ab", "#chorus-marks v1 {}", "phash:00ff",
                                "foo:text:ab"}) {
    BOOST_TEST(!chorus::signal_of_key(none).has_value(), "[" << none << "]");
  }
}

BOOST_AUTO_TEST_CASE(validate_and_parameters) {
  FingerprintOptions o;
  BOOST_TEST(chorus::validate(o).ok());
  o.min_tokens = 0;
  BOOST_TEST(!chorus::validate(o).ok());
  o = {};
  o.media.max_distance = 13;
  BOOST_TEST(!chorus::validate(o).ok());
  o = {};
  o.near.threshold = 0;
  BOOST_TEST(!chorus::validate(o).ok());

  Harness h(only({Signal::kText, Signal::kUrl}));
  std::string p = h.fingerprinter().parameters_json();
  BOOST_TEST(p.rfind("{\"signals\":[\"text\",\"url\"],\"min_tokens\":4,", 0) == 0, p);
  BOOST_TEST(p.find('\n') == std::string::npos);
  BOOST_TEST(p.find("\"hash\":\"xxh3-128\"") != std::string::npos, p);
  BOOST_TEST(p.back() == '}');
}

// EventParser hands a run of kept events to commit() at once: the marks,
// labels and counts must be those of the events committed one by one, and the
// counts those of the lines written (counted here from the output itself).
BOOST_AUTO_TEST_CASE(run_of_events_committed_at_once) {
  FingerprintOptions o;
  o.labels = true;
  std::vector<Ev> events;
  Ev a = post("the same words written in a row here #one #two");
  a.hashtags = {"one", "two"};
  a.urls = {"https://Example.com/a?utm_source=x&b=2"};
  a.mentions = {"@Bob"};
  events.push_back(a);
  events.push_back(share_of("p1", 1700000001LL * 1000000));
  Ev c = a;  // the same keys again: labelled once
  c.id = "e3";
  c.media = {"v123"};
  events.push_back(c);
  events.push_back(post(""));  // no marks at all

  Harness one_by_one(o), at_once(o);
  std::string expected;
  for (const Ev& e : events) expected += one_by_one.marks(e);

  chorus::TextBuffer buf;
  for (const Ev& e : events) BOOST_TEST_REQUIRE(!at_once.fingerprinter().append(e.view(), buf));
  std::string got;
  auto out = chorus::OutputStream::to_string(&got);
  at_once.fingerprinter().commit(buf.view(), *out);
  BOOST_TEST_REQUIRE(out->close().ok());

  BOOST_TEST(got == expected);
  BOOST_TEST(at_once.labels() == one_by_one.labels());
  const auto& s1 = one_by_one.fingerprinter().stats();
  const auto& s2 = at_once.fingerprinter().stats();
  BOOST_TEST(s2.labels == s1.labels);
  std::array<uint64_t, chorus::kSignalCount> lines{};
  size_t total = 0;
  for (size_t pos = 0; pos < got.size(); pos = got.find('\n', pos) + 1) {
    auto kind = chorus::signal_of_key(std::string_view(got).substr(pos, got.find('\t', pos) - pos));
    BOOST_TEST_REQUIRE(kind.has_value());
    ++lines[static_cast<size_t>(*kind)];
    ++total;
  }
  BOOST_TEST(total >= 12u);  // text, near, url, domain, 2 tags, tagseq, mention; share; media, ...
  for (size_t i = 0; i < chorus::kSignalCount; ++i) {
    BOOST_TEST(s2.marks[i] == lines[i], chorus::signal_name(static_cast<Signal>(i)));
    BOOST_TEST(s1.marks[i] == lines[i], chorus::signal_name(static_cast<Signal>(i)));
  }
}

BOOST_AUTO_TEST_SUITE_END()

// Tests of lib/text_entities.hpp: hashtags, mentions and URLs found in the
// text of a post, at the start of the text, after punctuation, never inside
// words or e-mail addresses, with URLs' trailing punctuation dropped and
// non-ASCII letters and emoji on either side.
#include "text_entities.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace {

using Strings = std::vector<std::string>;

struct Found {
  Strings hashtags, mentions, urls;
};

Found find(std::string_view text) {
  std::vector<std::string_view> h, m, u;
  chorus::find_entities(text, &h, &m, &u);
  Found f;
  for (auto v : h) f.hashtags.emplace_back(v);
  for (auto v : m) f.mentions.emplace_back(v);
  for (auto v : u) f.urls.emplace_back(v);
  // Every view points into the text.
  for (const auto* list : {&h, &m, &u})
    for (auto v : *list) BOOST_TEST((v.data() >= text.data() && v.data() + v.size() <= text.data() + text.size()));
  return f;
}

Strings hashtags(std::string_view t) { return find(t).hashtags; }
Strings mentions(std::string_view t) { return find(t).mentions; }
Strings urls(std::string_view t) { return find(t).urls; }

}  // namespace

BOOST_AUTO_TEST_SUITE(text_entities)

BOOST_AUTO_TEST_CASE(hashtags_at_start_middle_end) {
  BOOST_TEST(hashtags("#first word #middle and #last") == (Strings{"first", "middle", "last"}));
  BOOST_TEST(hashtags("#only") == Strings{"only"});
  BOOST_TEST(hashtags("#snake_case_tag #CamelCase #tag2021") == (Strings{"snake_case_tag", "CamelCase", "tag2021"}));
  BOOST_TEST(hashtags("line\n#next\t#tab") == (Strings{"next", "tab"}));
}

BOOST_AUTO_TEST_CASE(hashtags_after_punctuation) {
  BOOST_TEST(hashtags("(#paren) [#bracket] \"#quoted\" ,#comma .#dot !#bang") ==
             (Strings{"paren", "bracket", "quoted", "comma", "dot", "bang"}));
  BOOST_TEST(hashtags("end of sentence #tag. next") == Strings{"tag"});
  BOOST_TEST(hashtags("#tag, #other; #third!") == (Strings{"tag", "other", "third"}));
  BOOST_TEST(hashtags("#tag's") == Strings{"tag"});
}

BOOST_AUTO_TEST_CASE(not_a_hashtag) {
  BOOST_TEST(hashtags("word#inside").empty());
  BOOST_TEST(hashtags("C# and F#").empty());
  BOOST_TEST(hashtags("&#39; html entity").empty());
  BOOST_TEST(hashtags("path/#anchor").empty());
  BOOST_TEST(hashtags("# alone, ## double, #").empty());
  BOOST_TEST(hashtags("#123 #2021 #0").empty());  // digits only
  BOOST_TEST(hashtags("#1st #2021elections #_") == (Strings{"1st", "2021elections", "_"}));
  BOOST_TEST(hashtags("#tag#glued") == Strings{"tag"});
}

BOOST_AUTO_TEST_CASE(non_ascii_hashtags) {
  BOOST_TEST(hashtags("#Wahl2021 #Bundestagswahl #Élection #выборы #日本 #中国新闻") ==
             (Strings{"Wahl2021", "Bundestagswahl", "Élection", "выборы", "日本", "中国新闻"}));
  BOOST_TEST(hashtags("#café.") == Strings{"café"});
  BOOST_TEST(hashtags("слово#внутри").empty());  // after a non-ASCII letter: inside a word
  BOOST_TEST(hashtags("«#guillemets»") == Strings{"guillemets"});  // U+00AB/U+00BB are punctuation
  BOOST_TEST(hashtags("日本語、#タグ。") == Strings{"タグ"});      // CJK punctuation around it
  BOOST_TEST(hashtags("—#dash") == Strings{"dash"});               // U+2014
}

BOOST_AUTO_TEST_CASE(emoji_boundaries) {
  BOOST_TEST(hashtags("#tag🙂") == Strings{"tag"});
  BOOST_TEST(hashtags("🙂#tag") == Strings{"tag"});
  BOOST_TEST(hashtags("🇺🇸#USA🇺🇸") == Strings{"USA"});
  BOOST_TEST(hashtags("#love❤️") == Strings{"love"});  // U+2764 U+FE0F
  BOOST_TEST(mentions("🔥@user🔥") == Strings{"user"});
  BOOST_TEST(urls("👉https://example.com/a👈") == Strings{"https://example.com/a👈"});  // URLs end at whitespace
}

BOOST_AUTO_TEST_CASE(mentions_rules) {
  BOOST_TEST(mentions("@start middle @middle end @end") == (Strings{"start", "middle", "end"}));
  BOOST_TEST(mentions("RT @Jenn_Abrams: text") == Strings{"Jenn_Abrams"});
  BOOST_TEST(mentions("(@paren) .@dotted") == (Strings{"paren", "dotted"}));
  BOOST_TEST(mentions("@user's point") == Strings{"user"});
  // Up to 30 characters (TikTok's limit, which includes Twitter's 15), inner dots allowed.
  BOOST_TEST(mentions("@exactly15chars_") == Strings{"exactly15chars_"});
  BOOST_TEST(mentions("@sixteen_chars_xx") == Strings{"sixteen_chars_xx"});
  BOOST_TEST(mentions("@" + std::string(30, 'm')) == Strings{std::string(30, 'm')});
  BOOST_TEST(mentions("@" + std::string(31, 'm')).empty());
  BOOST_TEST(mentions("@first.last and @cgtn.official") == (Strings{"first.last", "cgtn.official"}));
  BOOST_TEST(mentions("thanks @bob.") == Strings{"bob"});  // the sentence's full stop
  BOOST_TEST(mentions("@bob... really") == Strings{"bob"});
  BOOST_TEST(mentions("@123") == Strings{"123"});      // digits are fine in a handle
  BOOST_TEST(mentions("@ alone, @").empty());
  BOOST_TEST(mentions("@useré").empty());  // a handle is ASCII: not cut inside a word
}

BOOST_AUTO_TEST_CASE(emails_are_not_mentions) {
  auto f = find("write to bob@example.com or alice.smith@mail.example.org today");
  BOOST_TEST(f.mentions.empty());
  BOOST_TEST(f.urls.empty());
  BOOST_TEST(mentions("user@host @real") == Strings{"real"});
}

BOOST_AUTO_TEST_CASE(urls_in_text) {
  BOOST_TEST(urls("see https://t.co/Xa1b2C3d4E now") == Strings{"https://t.co/Xa1b2C3d4E"});
  BOOST_TEST(urls("http://example.com") == Strings{"http://example.com"});
  BOOST_TEST(urls("HTTPS://EXAMPLE.COM/Path?q=1&r=2#frag") == Strings{"HTTPS://EXAMPLE.COM/Path?q=1&r=2#frag"});
  BOOST_TEST(urls("visit www.example.org/page today") == Strings{"www.example.org/page"});
  BOOST_TEST(urls("two: https://a.example/1 https://b.example/2") ==
             (Strings{"https://a.example/1", "https://b.example/2"}));
  BOOST_TEST(urls("<a href=\"https://x.example/q\">") == Strings{"https://x.example/q"});
}

BOOST_AUTO_TEST_CASE(url_trailing_punctuation) {
  BOOST_TEST(urls("read https://example.com/a.") == Strings{"https://example.com/a"});
  BOOST_TEST(urls("(https://example.com/a)") == Strings{"https://example.com/a"});
  BOOST_TEST(urls("https://example.com/a?!,;:") == Strings{"https://example.com/a"});
  BOOST_TEST(urls("'https://example.com/q'") == Strings{"https://example.com/q"});
  BOOST_TEST(urls("https://example.com/a.html") == Strings{"https://example.com/a.html"});
  BOOST_TEST(urls("[https://example.com/x]}") == Strings{"https://example.com/x"});
}

// Twitter's rules (which the header follows) keep a closing parenthesis that
// balances one inside the URL: otherwise the URL found in text differs from
// the expanded_url of an export's entity array for the same link.
BOOST_AUTO_TEST_CASE(url_keeps_balanced_parentheses) {
  BOOST_TEST(urls("https://en.wikipedia.org/wiki/Foo_(bar)") == Strings{"https://en.wikipedia.org/wiki/Foo_(bar)"});
  BOOST_TEST(urls("see (https://en.wikipedia.org/wiki/Foo_(bar)).") ==
             Strings{"https://en.wikipedia.org/wiki/Foo_(bar)"});
}

BOOST_AUTO_TEST_CASE(not_a_url) {
  BOOST_TEST(urls("https:// nothing").empty());
  BOOST_TEST(urls("https://.").empty());
  BOOST_TEST(urls("www.").empty());
  BOOST_TEST(urls("nothttps://example.com").empty());  // inside a word
  BOOST_TEST(urls("ftp://example.com").empty());
  BOOST_TEST(urls("http:/example.com").empty());
}

BOOST_AUTO_TEST_CASE(nothing_inside_urls) {
  auto f = find("https://example.com/#anchor/@user?tag=#x and #real @real");
  BOOST_TEST(f.hashtags == Strings{"real"});
  BOOST_TEST(f.mentions == Strings{"real"});
  BOOST_TEST(f.urls == Strings{"https://example.com/#anchor/@user?tag=#x"});
}

BOOST_AUTO_TEST_CASE(only_the_lists_asked_for) {
  std::vector<std::string_view> h;
  chorus::find_entities("#tag @user https://example.com", &h, nullptr, nullptr);
  BOOST_TEST(h.size() == 1u);
  std::vector<std::string_view> u;
  chorus::find_entities("#tag @user https://example.com", nullptr, nullptr, &u);
  BOOST_TEST(u.size() == 1u);
  chorus::find_entities("#tag @user https://example.com", nullptr, nullptr, nullptr);  // no crash
  // Appends, does not clear.
  chorus::find_entities("#more", &h, nullptr, nullptr);
  BOOST_TEST(h.size() == 2u);
}

BOOST_AUTO_TEST_CASE(hostile_text) {
  // Truncated UTF-8, lone continuation bytes, NULs: no crash, no reads past the end.
  std::string s = "#tag\xE6\x97 @u\xC3 #\xF0\x9F\x99 \x80\x80#x";
  s += std::string("\0#nul", 5);
  s += "#end\xE2";
  auto f = find(s);
  BOOST_TEST(!f.hashtags.empty());
  std::string long_tag = "#" + std::string(100000, 'a');
  BOOST_TEST(hashtags(long_tag).size() == 1u);
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "#t" + std::to_string(i) + " ";
  BOOST_TEST(hashtags(many).size() == 10000u);
}

BOOST_AUTO_TEST_SUITE_END()

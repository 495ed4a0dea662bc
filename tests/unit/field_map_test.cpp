// Tests of lib/field_map.hpp: the path syntax (JSON Pointer with ~0/~1
// escapes, "*", "[key=value]", '|' alternatives) and its errors, the field
// names, every preset, FieldMap::apply (--map) and describe().
#include "field_map.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace {

using chorus::Field;
using chorus::FieldMap;
using chorus::PathStep;

// A path written back as its steps: "key" / "*" / "[k=v]", joined by ' '.
std::string steps(std::string_view text) {
  auto p = chorus::parse_path(text);
  if (!p) return "error: " + p.status().message();
  std::string s;
  for (const auto& st : p->steps) {
    if (!s.empty()) s += ' ';
    if (st.kind == PathStep::kEach) s += "*";
    else if (st.kind == PathStep::kFilter) s += "[" + st.key + "=" + st.value + "]";
    else s += "<" + st.key + ">";
  }
  return s;
}

std::string path_error(std::string_view text) {
  auto p = chorus::parse_path(text);
  if (p) return "no error";
  return p.status().message();
}

std::string map_paths(const FieldMap& m, Field f) {
  std::string s;
  for (const auto& p : m.fields[static_cast<size_t>(f)]) s += (s.empty() ? "" : "|") + p.text;
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(field_map)

BOOST_AUTO_TEST_CASE(plain_pointers) {
  BOOST_TEST(steps("/id") == "<id>");
  BOOST_TEST(steps("/user/screen_name") == "<user> <screen_name>");
  BOOST_TEST(steps("/") == "<>");  // RFC 6901: the member named ""
  BOOST_TEST(steps("/a//b") == "<a> <> <b>");
  BOOST_TEST(steps("/0/1") == "<0> <1>");
  auto p = chorus::parse_path("/user/id_str");
  BOOST_TEST_REQUIRE(p.ok());
  BOOST_TEST(p->text == "/user/id_str");
  BOOST_TEST(!p->collects());
}

BOOST_AUTO_TEST_CASE(pointer_escapes) {
  BOOST_TEST(steps("/a~1b") == "<a/b>");
  BOOST_TEST(steps("/m~0n") == "<m~n>");
  BOOST_TEST(steps("/~01") == "<~1>");  // RFC 6901: ~1 is decoded after ~0, so "~01" is "~1"
  BOOST_TEST(steps("/~10") == "</0>");
  BOOST_TEST(steps("/~0~1~0") == "<~/~>");
  BOOST_TEST(steps("/a b/\"q\"") == "<a b> <\"q\">");
  BOOST_TEST(steps("/[t=a~1b]/id") == "[t=a/b] <id>");
}

BOOST_AUTO_TEST_CASE(each_and_filter_steps) {
  BOOST_TEST(steps("/entities/hashtags/*/text") == "<entities> <hashtags> * <text>");
  BOOST_TEST(steps("/hashtag_names/*") == "<hashtag_names> *");
  BOOST_TEST(steps("/*/*") == "* *");
  BOOST_TEST(steps("/referenced_tweets/[type=retweeted]/id") == "<referenced_tweets> [type=retweeted] <id>");
  BOOST_TEST(steps("/r/[type=]/id") == "<r> [type=] <id>");  // an empty value is a value
  BOOST_TEST(steps("/r/[a=b=c]/id") == "<r> [a=b=c] <id>");  // the first '=' splits
  auto p = chorus::parse_path("/entities/hashtags/*/text");
  BOOST_TEST_REQUIRE(p.ok());
  BOOST_TEST(p->collects());
  auto f = chorus::parse_path("/r/[type=quoted]/id");
  BOOST_TEST_REQUIRE(f.ok());
  BOOST_TEST(f->collects());
}

BOOST_AUTO_TEST_CASE(path_errors) {
  BOOST_TEST(path_error("") == "path '' must start with '/'");
  BOOST_TEST(path_error("id") == "path 'id' must start with '/'");
  BOOST_TEST(path_error("user/id") == "path 'user/id' must start with '/'");
  BOOST_TEST(path_error("/r/[=v]/id") == "path '/r/[=v]/id': a filter step is written [key=value]");
  BOOST_TEST(path_error("/r/[novalue]/id") == "path '/r/[novalue]/id': a filter step is written [key=value]");
  BOOST_TEST(path_error("/r/[type=retweeted]") ==
             "path '/r/[type=retweeted]': a [key=value] step must be followed by exactly one key");
  BOOST_TEST(path_error("/r/[type=retweeted]/a/b") ==
             "path '/r/[type=retweeted]/a/b': a [key=value] step must be followed by exactly one key");
  BOOST_TEST(path_error("/r/[type=retweeted]/*") ==
             "path '/r/[type=retweeted]/*': a [key=value] step must be followed by exactly one key");
  BOOST_TEST(path_error("/r/[a=b]/[c=d]/id") != "no error");
  // '[' without ']' is an ordinary member name.
  BOOST_TEST(steps("/[notfilter") == "<[notfilter>");
}

BOOST_AUTO_TEST_CASE(alternatives) {
  auto a = chorus::parse_alternatives("/full_text|/text|/a/*/b");
  BOOST_TEST_REQUIRE(a.ok());
  BOOST_TEST_REQUIRE(a->size() == 3u);
  BOOST_TEST((*a)[0].text == "/full_text");
  BOOST_TEST((*a)[1].text == "/text");
  BOOST_TEST((*a)[2].collects());
  BOOST_TEST(!chorus::parse_alternatives("/a|").ok());
  BOOST_TEST(!chorus::parse_alternatives("|/a").ok());
  BOOST_TEST(!chorus::parse_alternatives("/a||/b").ok());
  auto bad = chorus::parse_alternatives("/ok|bad");
  BOOST_TEST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.status().message() == "path 'bad' must start with '/'");
}

BOOST_AUTO_TEST_CASE(field_names) {
  BOOST_TEST(chorus::kFieldCount == 24u);
  for (size_t i = 0; i < chorus::kFieldCount; ++i) {
    Field f = static_cast<Field>(i);
    auto back = chorus::field_from_name(chorus::field_name(f));
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(static_cast<size_t>(*back) == i);
  }
  BOOST_TEST(chorus::field_name(Field::kStateAffiliated) == "state_affiliated");
  BOOST_TEST(chorus::field_name(Field::kProfileId) == "profile_id");
  BOOST_TEST(!chorus::field_from_name("ID").has_value());
  BOOST_TEST(!chorus::field_from_name("").has_value());
  BOOST_TEST(!chorus::is_profile_field(Field::kLikes));
  BOOST_TEST(chorus::is_profile_field(Field::kHandle));
  BOOST_TEST(chorus::is_profile_field(Field::kProfileId));
}

BOOST_AUTO_TEST_CASE(every_preset_loads) {
  const auto& names = chorus::preset_names();
  BOOST_TEST(names == (std::vector<std::string>{"canonical", "twitter-v1", "twitter-v2", "tiktok", "io-archive",
                                                 "coortweet"}));
  for (const auto& name : names) {
    BOOST_TEST_CONTEXT("preset " << name) {
      auto m = chorus::preset(name);
      BOOST_TEST_REQUIRE(m.ok(), (m.ok() ? "" : m.status().message()));
      BOOST_TEST(m->name == name);
      // Every preset can give the three required fields.
      for (Field f : {Field::kId, Field::kAccount, Field::kTs})
        BOOST_TEST(!m->fields[static_cast<size_t>(f)].empty(), chorus::field_name(f));
      BOOST_TEST(!m->describe().empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(preset_contents) {
  auto canonical = chorus::preset("canonical");
  BOOST_TEST_REQUIRE(canonical.ok());
  BOOST_TEST((canonical->format == chorus::InputFormat::kJson));
  BOOST_TEST(!canonical->platform.has_value());
  BOOST_TEST(map_paths(*canonical, Field::kViews) == "/views");

  auto v1 = chorus::preset("twitter-v1");
  BOOST_TEST_REQUIRE(v1.ok());
  BOOST_TEST(v1->platform.value_or("") == "twitter");
  BOOST_TEST(map_paths(*v1, Field::kId) == "/id_str|/id");
  BOOST_TEST_REQUIRE(v1->type_rules.size() == 2u);
  BOOST_TEST(v1->type_rules[0].path.text == "/retweeted_status");
  BOOST_TEST((v1->type_rules[0].type == chorus::EventType::kShare));

  auto v2 = chorus::preset("twitter-v2");
  BOOST_TEST_REQUIRE(v2.ok());
  BOOST_TEST_REQUIRE(v2->records.has_value());
  BOOST_TEST(v2->records->text == "/data");
  BOOST_TEST_REQUIRE(v2->profiles.has_value());
  BOOST_TEST(v2->profiles->text == "/includes/users");
  BOOST_TEST(map_paths(*v2, Field::kProfileId) == "/id");

  auto tiktok = chorus::preset("tiktok");
  BOOST_TEST_REQUIRE(tiktok.ok());
  BOOST_TEST(tiktok->records->text == "/data/videos");
  BOOST_TEST(map_paths(*tiktok, Field::kTs) == "/create_time");

  auto io = chorus::preset("io-archive");
  BOOST_TEST_REQUIRE(io.ok());
  BOOST_TEST((io->format == chorus::InputFormat::kCsv));

  auto coortweet = chorus::preset("coortweet");
  BOOST_TEST_REQUIRE(coortweet.ok());
  BOOST_TEST((coortweet->format == chorus::InputFormat::kCsv));
  BOOST_TEST((coortweet->default_type == chorus::EventType::kShare));
  BOOST_TEST(map_paths(*coortweet, Field::kParent) == "/object_id");
}

BOOST_AUTO_TEST_CASE(unknown_preset) {
  auto m = chorus::preset("twitter-v3");
  BOOST_TEST_REQUIRE(!m.ok());
  BOOST_TEST(m.status().message() ==
             "unknown preset 'twitter-v3' (known: canonical, twitter-v1, twitter-v2, tiktok, io-archive, coortweet)");
  BOOST_TEST(!chorus::preset("").ok());
  BOOST_TEST(!chorus::preset("Canonical").ok());
}

BOOST_AUTO_TEST_CASE(apply_edits_a_map) {
  auto m = chorus::preset("canonical");
  BOOST_TEST_REQUIRE(m.ok());
  BOOST_TEST(m->apply("text=/body/plain|/body/html").ok());
  BOOST_TEST(map_paths(*m, Field::kText) == "/body/plain|/body/html");
  BOOST_TEST(m->apply("lang=").ok());  // an empty right side removes the field
  BOOST_TEST(m->fields[static_cast<size_t>(Field::kLang)].empty());
  BOOST_TEST(m->apply("state_affiliated=/labels/[kind=state]/country").ok());
  BOOST_TEST(m->fields[static_cast<size_t>(Field::kStateAffiliated)][0].collects());

  auto v1 = chorus::preset("twitter-v1");
  BOOST_TEST_REQUIRE(v1.ok());
  BOOST_TEST(v1->apply("type=/kind").ok());  // an explicit type path replaces the rules
  BOOST_TEST(v1->type_rules.empty());
  auto v1b = chorus::preset("twitter-v1");
  BOOST_TEST(v1b->apply("type=").ok());
  BOOST_TEST(v1b->type_rules.empty());
}

BOOST_AUTO_TEST_CASE(apply_errors) {
  auto m = chorus::preset("canonical");
  BOOST_TEST_REQUIRE(m.ok());
  std::string before = m->describe();
  auto err = [&](std::string_view a) {
    auto st = m->apply(a);
    return st.ok() ? std::string("no error") : st.message();
  };
  BOOST_TEST(err("nonsense") == "--map 'nonsense': expected FIELD=PATH");
  BOOST_TEST(err("") == "--map '': expected FIELD=PATH");
  BOOST_TEST(err("author=/user") == "--map: unknown field 'author'");
  BOOST_TEST(err("=/user") == "--map: unknown field ''");
  BOOST_TEST(err("text=body") == "--map text: path 'body' must start with '/'");
  BOOST_TEST(err("text=/a|b") == "--map text: path 'b' must start with '/'");
  BOOST_TEST(err("parent=/r/[type=x]") ==
             "--map parent: path '/r/[type=x]': a [key=value] step must be followed by exactly one key");
  BOOST_TEST(m->describe() == before);  // a failed edit changes nothing
}

BOOST_AUTO_TEST_CASE(describe_lists_the_map) {
  auto v2 = chorus::preset("twitter-v2");
  BOOST_TEST_REQUIRE(v2.ok());
  std::string d = v2->describe();
  BOOST_TEST(d.rfind("preset twitter-v2 (json)\n", 0) == 0u, d);
  for (const char* line :
       {"\nrecords=/data\n", "\nprofiles=/includes/users\n", "\nid=/id\n", "\naccount=/author_id\n",
        "\ntext=/note_tweet/text|/text\n", "\nhashtags=/entities/hashtags/*/tag\n",
        "\ntype=share when /referenced_tweets/[type=retweeted]/id is true\n",
        "\ntype=reply when /referenced_tweets/[type=replied_to]/id is true\n", "\ntype default=post\n",
        "\nplatform default=twitter\n"})
    BOOST_TEST(d.find(line) != std::string::npos, "missing " << line << " in\n" << d);
  // Fields without paths are not listed.
  BOOST_TEST(d.find("\naudience=") == std::string::npos);

  auto io = chorus::preset("io-archive");
  BOOST_TEST_REQUIRE(io.ok());
  BOOST_TEST(io->describe().rfind("preset io-archive (csv)\n", 0) == 0u);
  auto coortweet = chorus::preset("coortweet");
  BOOST_TEST_REQUIRE(coortweet.ok());
  std::string c = coortweet->describe();
  BOOST_TEST(c.find("\ntype default=share\n") != std::string::npos, c);
  BOOST_TEST(c.find("platform default") == std::string::npos, c);
  // An edit shows in the listing.
  BOOST_TEST(coortweet->apply("text=/content").ok());
  BOOST_TEST(coortweet->describe().find("\ntext=/content\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

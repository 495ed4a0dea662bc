// Tests of lib/url_canon.hpp: canonical forms of tricky URLs, pairs that
// must meet and pairs that must stay apart, registrable domains, and hostile
// input.
//
// Every expected string was worked out by hand from the rules in the header.
// Punycode forms were checked against Python's codecs (`"bücher".encode("punycode")`
// → b"bcher-kva"; `"faß"` → b"fa-hia", which is nontransitional UTS #46:
// transitional processing would give "fass.de"). Registrable domains follow
// the Public Suffix List in Debian's publicsuffix package (20230209).
#include "url_canon.hpp"

#include <boost/test/unit_test.hpp>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

void expect_canonical(std::string_view raw, std::string_view want) {
  BOOST_TEST_CONTEXT("canonicalize_url(\"" << raw << "\")") {
    auto c = chorus::canonicalize_url(raw);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(c->url == want);
  }
}

void expect_parts(std::string_view raw, std::string_view url, std::string_view host, std::string_view domain) {
  BOOST_TEST_CONTEXT("canonicalize_url(\"" << raw << "\")") {
    auto c = chorus::canonicalize_url(raw);
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(c->url == url);
    BOOST_TEST(c->host == host);
    BOOST_TEST(c->domain == domain);
  }
}

void expect_rejected(std::string_view raw) {
  BOOST_TEST_CONTEXT("canonicalize_url(\"" << raw << "\")") {
    auto c = chorus::canonicalize_url(raw);
    BOOST_TEST(!c.has_value());
    if (c) BOOST_TEST_MESSAGE("got " << c->url);
  }
}

void expect_same(std::string_view a, std::string_view b) {
  BOOST_TEST_CONTEXT(a << " vs " << b) {
    auto ca = chorus::canonicalize_url(a), cb = chorus::canonicalize_url(b);
    BOOST_TEST_REQUIRE(ca.has_value());
    BOOST_TEST_REQUIRE(cb.has_value());
    BOOST_TEST(ca->url == cb->url);
  }
}

void expect_differ(std::string_view a, std::string_view b) {
  BOOST_TEST_CONTEXT(a << " vs " << b) {
    auto ca = chorus::canonicalize_url(a), cb = chorus::canonicalize_url(b);
    BOOST_TEST_REQUIRE(ca.has_value());
    BOOST_TEST_REQUIRE(cb.has_value());
    BOOST_TEST(ca->url != cb->url);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(url_canon)

BOOST_AUTO_TEST_CASE(scheme_host_and_www) {
  expect_canonical("https://example.com", "example.com/");
  expect_canonical("http://example.com/", "example.com/");
  expect_canonical("HTTPS://EXAMPLE.COM/Path", "example.com/Path");  // host folded, path case kept
  expect_canonical("https://www.example.com/a/", "example.com/a");
  expect_canonical("www.example.com/a?b=1", "example.com/a?b=1");   // schemeless www.
  expect_canonical("WWW.Example.com", "example.com/");
  expect_canonical("http:example.com/a", "example.com/a");          // no slashes, as browsers read it
  expect_canonical("http:\\\\example.com\\a\\b", "example.com/a/b");  // '\' is '/'
  expect_canonical("https://example.com./a", "example.com/a");      // trailing dot
  expect_canonical("https://foo_bar.example.com/", "foo_bar.example.com/");
}

BOOST_AUTO_TEST_CASE(www_and_mobile_labels) {
  expect_parts("https://m.facebook.com/story.php?story_fbid=7&id=5", "facebook.com/story.php?id=5&story_fbid=7",
               "facebook.com", "facebook.com");
  expect_parts("https://en.m.wikipedia.org/wiki/Main_Page", "en.wikipedia.org/wiki/Main_Page", "en.wikipedia.org",
               "wikipedia.org");
  expect_canonical("https://www.m.example.com/x", "example.com/x");
  expect_canonical("https://a.m.www.example.com/x", "a.example.com/x");
  expect_canonical("https:-www.m.www.m.a/p", "-www.m.a/p");  // found by fuzzing: must be a fixed point
  expect_parts("https://www.news.bbc.co.uk/x", "news.bbc.co.uk/x", "news.bbc.co.uk", "bbc.co.uk");
  // Never folded below the registrable domain.
  expect_canonical("http://www.com/", "www.com/");
  expect_canonical("http://m.co.uk/x", "m.co.uk/x");
  expect_parts("http://www.localhost:3000/", "www.localhost:3000/", "www.localhost", "www.localhost");
  expect_parts("https://m.blogspot.com/", "m.blogspot.com/", "m.blogspot.com", "m.blogspot.com");
  // Other labels are content.
  expect_differ("https://mobile.example.com/", "https://example.com/");
  expect_differ("https://www2.example.com/", "https://example.com/");
}

BOOST_AUTO_TEST_CASE(ports_and_userinfo) {
  expect_canonical("http://example.com:80/a", "example.com/a");
  expect_canonical("https://example.com:443/a", "example.com/a");
  expect_canonical("http://example.com:443/a", "example.com/a");  // scheme folded, so both defaults go
  expect_canonical("http://example.com:8080/a", "example.com:8080/a");
  expect_canonical("http://example.com:/a", "example.com/a");
  expect_canonical("http://example.com:0080/a", "example.com/a");
  expect_canonical("http://example.com:08080/a", "example.com:8080/a");
  expect_canonical("https://user:pass@Example.com/x", "example.com/x");
  expect_canonical("https://a@b@example.com/x", "example.com/x");  // the last '@' ends userinfo
  expect_rejected("http://example.com:99999999999999999999999999999999/");
  expect_rejected("http://example.com:65536/");
  expect_rejected("http://example.com:-1/");
  expect_rejected("http://example.com:8a/");
  expect_rejected("http://example.com:80:80/");
}

BOOST_AUTO_TEST_CASE(idn_hosts) {
  expect_parts("https://Bücher.DE/x", "xn--bcher-kva.de/x", "xn--bcher-kva.de", "xn--bcher-kva.de");
  expect_canonical("https://xn--bcher-kva.de/x", "xn--bcher-kva.de/x");
  expect_canonical("https://XN--BCHER-KVA.de/x", "xn--bcher-kva.de/x");
  expect_canonical("https://b%C3%BCcher.de/x", "xn--bcher-kva.de/x");   // percent-encoded host
  expect_canonical("https://ｅｘａｍｐｌｅ.com/", "example.com/");        // full-width letters
  expect_canonical("https://faß.de/", "xn--fa-hia.de/");                  // nontransitional
  expect_canonical("https://www.例え.jp/", "xn--r8jz45g.jp/");
  expect_rejected("https://\xff\xfe.com/");  // invalid UTF-8 in a host
  expect_rejected("https://ex%ample.com/");
}

BOOST_AUTO_TEST_CASE(ip_hosts) {
  expect_parts("http://127.0.0.1:8080/x", "127.0.0.1:8080/x", "127.0.0.1", "127.0.0.1");
  expect_canonical("http://0x7f.1/", "127.0.0.1/");
  expect_canonical("http://2130706433/", "127.0.0.1/");
  expect_canonical("http://0177.0.0.01/", "127.0.0.1/");
  expect_canonical("http://192.168.0.1./", "192.168.0.1/");
  expect_parts("http://[2001:DB8:0:0:0:0:0:1]:443/a", "[2001:db8::1]/a", "[2001:db8::1]", "[2001:db8::1]");
  expect_canonical("http://[::1]:8080", "[::1]:8080/");
  expect_canonical("http://[2001:db8:0:1:0:0:0:1]/", "[2001:db8:0:1::1]/");
  expect_rejected("http://256.0.0.1/");
  expect_rejected("http://1.2.3.4.5/");
  expect_rejected("http://example.0x/");
  expect_rejected("http://[::1/");
  expect_rejected("http://[::1]x/");
  expect_rejected("http://[::1%25eth0]/");
  expect_rejected("http://[1:2:3:4:5:6:7:8:9]/");
}

BOOST_AUTO_TEST_CASE(fragments_and_paths) {
  expect_canonical("https://example.com/a#frag", "example.com/a");
  expect_canonical("https://example.com/#/route", "example.com/");
  expect_canonical("https://example.com/a/?x=1#y", "example.com/a?x=1");
  expect_canonical("https://example.com?x=1", "example.com/?x=1");
  expect_canonical("https://example.com#top", "example.com/");
  expect_canonical("https://example.com/a/./b/../c", "example.com/a/c");
  expect_canonical("https://example.com/../../a", "example.com/a");
  expect_canonical("https://example.com/a/%2e%2E/b", "example.com/b");
  expect_canonical("https://example.com/a/b/..", "example.com/a");
  expect_canonical("https://example.com/a//b", "example.com/a//b");
  expect_canonical("https://example.com/a///", "example.com/a");
  expect_canonical("https://example.com//", "example.com/");
  expect_canonical("https://example.com/..a/b.", "example.com/..a/b.");  // not dot segments
}

BOOST_AUTO_TEST_CASE(percent_encoding) {
  expect_canonical("https://example.com/%7euser/%41%62c", "example.com/~user/Abc");
  expect_canonical("https://example.com/a%2fb", "example.com/a%2Fb");
  expect_canonical("https://example.com/a%3fb", "example.com/a%3Fb");
  expect_canonical("https://example.com/a b", "example.com/a%20b");
  expect_canonical("https://example.com/caf%c3%a9", "example.com/caf%C3%A9");
  expect_canonical("https://example.com/café", "example.com/caf%C3%A9");
  expect_canonical("https://example.com/100%", "example.com/100%25");
  expect_canonical("https://example.com/%zz%4", "example.com/%25zz%254");
  expect_canonical("https://example.com/a?q=%3d%26", "example.com/a?q=%3D%26");
  expect_canonical("https://example.com/a?q=a+b", "example.com/a?q=a+b");
  expect_canonical("https://example.com/<x>{y}|^`\"", "example.com/%3Cx%3E%7By%7D%7C%5E%60%22");
  expect_canonical("https://example.com/!$&'()*+,;=:@", "example.com/!$&'()*+,;=:@");  // sub-delims stay
}

BOOST_AUTO_TEST_CASE(query_parameters) {
  expect_canonical("https://example.com/a?utm_source=tw&utm_medium=social&id=3", "example.com/a?id=3");
  expect_canonical("https://example.com/a?fbclid=IwAR0abc", "example.com/a");
  expect_canonical("https://example.com/a?UTM_Source=x&q=1", "example.com/a?q=1");
  expect_canonical("https://example.com/a?gclid=1&msclkid=2&igshid=3&mc_cid=4&mc_eid=5&_hsenc=6&ref_src=7&k=v",
                   "example.com/a?k=v");
  expect_canonical("https://example.com/a?utm%5Fsource=x", "example.com/a");  // %5F is '_'
  expect_canonical("https://example.com/?b=2&a=1&c", "example.com/?a=1&b=2&c");
  expect_canonical("https://example.com/?a=2&a=1&a=10", "example.com/?a=1&a=10&a=2");  // byte order
  expect_canonical("https://example.com/a?B=1&a=2", "example.com/a?B=1&a=2");           // 'B' < 'a'
  expect_canonical("https://example.com/?a-b=1&a=2", "example.com/?a=2&a-b=1");         // key, then value
  expect_canonical("https://example.com/?", "example.com/");
  expect_canonical("https://example.com/?&&", "example.com/");
  expect_canonical("https://example.com/?a=", "example.com/?a");
  expect_canonical("https://example.com/?=1", "example.com/?=1");
  expect_canonical("https://example.com/?x=1&x=1", "example.com/?x=1&x=1");  // repeats kept
  expect_canonical("https://example.com/?utm_source=a&utm_campaign=b", "example.com/");
  // Site-specific share tokens.
  expect_canonical("https://www.youtube.com/watch?v=abc&si=XYZ&feature=share", "youtube.com/watch?v=abc");
  expect_canonical("https://m.youtube.com/watch?feature=youtu.be&v=abc", "youtube.com/watch?v=abc");
  expect_canonical("https://youtu.be/abc?si=XYZ", "youtu.be/abc");
  expect_canonical("https://twitter.com/jack/status/20?s=20&t=abc", "twitter.com/jack/status/20");
  expect_canonical("https://example.com/watch?v=abc&si=XYZ", "example.com/watch?si=XYZ&v=abc");  // not youtube
  expect_canonical("https://example.com/?s=cats&t=5", "example.com/?s=cats&t=5");
}

BOOST_AUTO_TEST_CASE(every_documented_tracking_parameter) {
  // The list in url_canon.hpp, word for word.
  const char* everywhere[] = {"utm_source", "utm_anything", "fbclid",     "gclid",      "gclsrc",        "dclid",
                              "gbraid",     "wbraid",       "msclkid",    "twclid",     "ttclid",        "yclid",
                              "li_fat_id",  "mc_cid",       "mc_eid",     "igshid",     "igsh",          "mibextid",
                              "_hsenc",     "_hsmi",        "__hstc",     "__hssc",     "__hsfp",        "hsCtaTracking",
                              "mkt_tok",    "oly_anon_id",  "oly_enc_id", "vero_id",    "_ga",           "_gl",
                              "rb_clickid", "s_cid",        "wickedid",   "ref_src",    "ref_url",       "spm"};
  for (const char* key : everywhere)
    expect_canonical(std::string("https://example.com/a?") + key + "=1&k=v", "example.com/a?k=v");
  const std::pair<const char*, const char*> by_site[] = {
      {"youtube.com", "si"}, {"youtube.com", "feature"}, {"youtube.com", "pp"}, {"youtu.be", "si"},
      {"youtu.be", "feature"}, {"youtu.be", "pp"}, {"twitter.com", "s"}, {"twitter.com", "t"}, {"x.com", "s"},
      {"x.com", "t"}, {"open.spotify.com", "si"}, {"tiktok.com", "_r"}, {"tiktok.com", "_t"},
      {"tiktok.com", "is_from_webapp"}, {"tiktok.com", "sender_device"}};
  for (auto [host, key] : by_site) {
    expect_canonical(std::string("https://") + host + "/a?" + key + "=1&k=v", std::string(host) + "/a?k=v");
    // Elsewhere the key is content ("zz" sorts after every key here).
    expect_canonical(std::string("https://example.com/a?zz=v&") + key + "=1",
                     std::string("example.com/a?") + key + "=1&zz=v");
  }
  expect_canonical("https://example.com/a?utm=1&utmx=2", "example.com/a?utm=1&utmx=2");  // no "utm_" prefix
}

BOOST_AUTO_TEST_CASE(pairs_that_meet) {
  expect_same("http://example.com/a/", "https://www.example.com/a?utm_campaign=x#top");
  expect_same("https://example.com/?b=2&a=1", "https://example.com?a=1&b=2");
  expect_same("https://example.com/%7Efoo", "https://example.com/~foo");
  expect_same("https://BÜCHER.de", "https://xn--bcher-kva.de/");
  expect_same("https://example.com/a?x=%e2%82%ac", "https://example.com/a?x=€");
  expect_same("https://example.com/p?fbclid=1", "http://EXAMPLE.com:80/p/#x");
  expect_same("https://example.com/a/b/../c/", "https://example.com/a/./c");
  expect_same("https://example.com/a?x", "https://example.com/a?x=");
}

BOOST_AUTO_TEST_CASE(pairs_that_stay_apart) {
  expect_differ("http://example.com/a%2Fb", "http://example.com/a/b");
  expect_differ("https://example.com/a", "https://example.com/b");
  expect_differ("https://example.com/A", "https://example.com/a");
  expect_differ("https://example.com/a?id=1", "https://example.com/a?id=2");
  expect_differ("https://example.com/a?x", "https://example.com/a?x=1");
  expect_differ("https://example.com/a?q=a%26b=c", "https://example.com/a?q=a&b=c");
  expect_differ("https://example.com:8080/", "https://example.com/");
  expect_differ("https://foo.blogspot.com/", "https://bar.blogspot.com/");
  expect_differ("https://example.com/a+b", "https://example.com/a%20b");
  expect_differ("https://example.org/", "https://example.com/");
}

BOOST_AUTO_TEST_CASE(registrable_domains) {
  using chorus::registrable_domain;
  BOOST_TEST(registrable_domain("bbc.co.uk") == "bbc.co.uk");
  BOOST_TEST(registrable_domain("news.bbc.co.uk") == "bbc.co.uk");
  BOOST_TEST(registrable_domain("News.BBC.co.uk.") == "bbc.co.uk");
  BOOST_TEST(registrable_domain("foo.blogspot.com") == "foo.blogspot.com");  // private section used
  BOOST_TEST(registrable_domain("a.b.foo.github.io") == "foo.github.io");
  BOOST_TEST(registrable_domain("blogspot.com") == "blogspot.com");  // a suffix alone is itself
  BOOST_TEST(registrable_domain("co.uk") == "co.uk");
  BOOST_TEST(registrable_domain("127.0.0.1") == "127.0.0.1");  // not "0.1"
  BOOST_TEST(registrable_domain("[::1]") == "[::1]");
  BOOST_TEST(registrable_domain("localhost") == "localhost");
  BOOST_TEST(registrable_domain("foo.bar.zzzunknown") == "bar.zzzunknown");  // default rule "*"
  BOOST_TEST(registrable_domain("a.b.c.kawasaki.jp") == "b.c.kawasaki.jp");  // wildcard rule
  BOOST_TEST(registrable_domain("x.city.kawasaki.jp") == "city.kawasaki.jp");  // exception rule
  BOOST_TEST(registrable_domain("shop.xn--bcher-kva.de") == "xn--bcher-kva.de");
  BOOST_TEST(registrable_domain("a.foo.xn--fiqs8s") == "foo.xn--fiqs8s");  // .中国 in punycode
  BOOST_TEST(registrable_domain("") == "");

  expect_parts("https://shop.example.co.uk/x", "shop.example.co.uk/x", "shop.example.co.uk", "example.co.uk");
  expect_parts("https://foo.blogspot.com/2020/01/post.html", "foo.blogspot.com/2020/01/post.html",
               "foo.blogspot.com", "foo.blogspot.com");
  expect_parts("http://localhost:8000/", "localhost:8000/", "localhost", "localhost");
  expect_parts("http://a.b.zzzunknown/", "a.b.zzzunknown/", "a.b.zzzunknown", "b.zzzunknown");
}

BOOST_AUTO_TEST_CASE(not_web_urls) {
  expect_rejected("");
  expect_rejected("   ");
  expect_rejected("ftp://example.com/");
  expect_rejected("javascript:alert(1)");
  expect_rejected("mailto:a@example.com");
  expect_rejected("example.com/a");  // schemeless without www.
  expect_rejected("//example.com/a");
  expect_rejected("httpx://example.com/");
  expect_rejected("http://");
  expect_rejected("http:///");
  expect_rejected("https://?q=1");
  expect_rejected("https://user@/x");
  expect_rejected("https://exa mple.com/");
  expect_rejected("https://a..b.com/");
  expect_rejected("https://.example.com/");
  expect_rejected("https://example.com../");
  expect_rejected("https://exa\x01mple.com/");
  expect_rejected("https://exa<mple.com/");
  expect_rejected("www.");
  expect_rejected("www./a");
  expect_rejected("www..example.com/");
  expect_rejected("www.:80/");
  expect_rejected("www.john@example.com");  // schemeless with userinfo: an e-mail address
}

BOOST_AUTO_TEST_CASE(hostile_input) {
  // Whitespace and controls around, tab/CR/LF inside.
  expect_canonical("  https://example.com/a \n", "example.com/a");
  expect_canonical("\x01\x02https://example.com/a\x7f", "example.com/a%7F");  // DEL is not C0: kept, encoded
  expect_canonical("https://exa\tmple.com/a\r\nb", "example.com/ab");
  expect_canonical("https://example.com/a\x01" "b\xff", "example.com/a%01b%FF");
  expect_canonical(std::string_view("https://example.com/a\0b", 23), "example.com/a%00b");
  // Huge inputs: a huge host is refused, a huge path or query is fine.
  expect_rejected("https://" + std::string(1 << 20, 'a') + ".com/");
  expect_rejected("https://" + std::string(2000, 'a') + "/");
  {
    auto c = chorus::canonicalize_url("https://example.com/" + std::string(1 << 20, 'x'));
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(c->url.size() == std::string_view("example.com/").size() + (1 << 20));
  }
  {
    std::string many = "https://example.com/?";
    for (int k = 20000; k > 0; --k) {
      many.push_back('k');
      many.append(std::to_string(k % 97));
      many.push_back('=');
      many.append(std::to_string(k));
      many.push_back('&');
    }
    auto c = chorus::canonicalize_url(many);
    BOOST_TEST_REQUIRE(c.has_value());
    // Byte order of values: "10088" (97 * 104) sorts before "1067" (97 * 11).
    BOOST_TEST(c->url.substr(0, 22) == "example.com/?k0=10088&");
  }
  {
    std::string dots = "https://example.com";
    for (int k = 0; k < 10000; ++k) dots += "/..";
    expect_canonical(dots + "/a", "example.com/a");
  }
  // Random bytes after each kind of prefix: must return, never crash.
  std::mt19937 rng(12345);
  const char* prefixes[] = {"http://", "https://www.", "www.", "https://[", "http://a.b:", "https://example.com/?",
                            ""};
  size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s = prefixes[round % 7];
    const size_t len = rng() % 40;
    for (size_t k = 0; k < len; ++k) {
      // Mostly URL-ish bytes, sometimes anything.
      const char* alphabet = "aZ09.-_:/?#[]@%&=+~\\ xnXN";
      s.push_back(rng() % 4 ? alphabet[rng() % 26] : static_cast<char>(rng() % 256));
    }
    auto c = chorus::canonicalize_url(s);
    if (!c) continue;
    ++accepted;
    // A canonical form is a fixed point.
    auto again = chorus::canonicalize_url("http://" + c->url);
    BOOST_TEST_CONTEXT("round " << round << ": " << c->url) {
      BOOST_TEST_REQUIRE(again.has_value());
      BOOST_TEST(again->url == c->url);
    }
  }
  BOOST_TEST(accepted > 1000u);
}

BOOST_AUTO_TEST_CASE(canonical_forms_are_fixed_points) {
  const char* urls[] = {
      "https://Bücher.DE/x/../y/?b=%7e&a=%2f#f", "http://0x7f.1:8080/a/", "http://[2001:DB8::0:1]/?z&y=",
      "www.m.example.com/a%20b?utm_x=1&q=é",    "https://en.m.wikipedia.org/wiki/Caf%C3%A9",
  };
  for (const char* u : urls) {
    auto c = chorus::canonicalize_url(u);
    BOOST_TEST_REQUIRE(c.has_value());
    auto again = chorus::canonicalize_url("https://" + c->url);
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST(again->url == c->url);
  }
}

BOOST_AUTO_TEST_CASE(concurrent_use) {
  // The first call loads the suffix list and the IDNA converter; many
  // threads racing to it must all see the same answers.
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (size_t t = 0; t < ok.size(); ++t)
    threads.emplace_back([&ok, t] {
      for (int k = 0; k < 200; ++k) {
        auto c = chorus::canonicalize_url("https://www.Bücher.co.uk/a?utm_source=x&b=1");
        if (c && c->url == "xn--bcher-kva.co.uk/a?b=1" && c->domain == "xn--bcher-kva.co.uk") ++ok[t];
      }
    });
  for (auto& th : threads) th.join();
  for (int n : ok) BOOST_TEST(n == 200);
}

BOOST_AUTO_TEST_SUITE_END()

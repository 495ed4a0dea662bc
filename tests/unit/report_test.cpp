// Tests of lib/report.hpp: the escapers (invalid UTF-8, controls, bidi
// controls, noncharacters, the cut at max_chars code points, a 1 MB input),
// HTML/XML and Markdown escaping, and the Reporter over in-memory inputs:
// the JSON totals (followers null or known), --verdict filtering, the
// Markdown headings, bad lines and a chorus stream given as networks, the
// activity timeline (hours, and days beyond 4096 hours), and the GraphML and
// GEXF exports (nodes, edges, edges across two networks left out). Every
// expected value is worked out by hand from the inputs written here.
#include "report.hpp"

#include <simdjson.h>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "input.hpp"
#include "output.hpp"

using namespace chorus;

namespace {

std::unique_ptr<InputStream> mem(std::string text, std::string name) {
  return InputStream::from_source(memory_source(std::move(text)), std::move(name));
}

const std::string kFffd = "\xef\xbf\xbd";  // U+FFFD
const std::string kEllipsis = "\xe2\x80\xa6";  // U+2026

std::string repeat(const std::string& s, size_t n) {
  std::string r;
  for (size_t i = 0; i < n; ++i) r += s;
  return r;
}

size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// A Reporter whose error sink records "file:line: message".
struct Fixture {
  std::vector<std::string> errors;
  bool go_on = true;
  Reporter make(ReportOptions opt = {}) {
    return Reporter(std::move(opt), [this](const std::string& f, uint64_t line, const std::string& m) {
      errors.push_back(f + ":" + std::to_string(line) + ": " + m);
      return go_on;
    });
  }
};

using Writer = void (Reporter::*)(OutputStream&) const;
std::string written(const Reporter& r, Writer w) {
  std::string text;
  auto out = OutputStream::to_string(&text);
  (r.*w)(*out);
  BOOST_REQUIRE(out->close().ok());
  return text;
}

// Two networks: 000001 (3 accounts, 10 followers, coordinated, score 0.8)
// and 000002 (2 accounts, followers null, benign, score 0.1).
const std::string kNet1 =
    "{\"id\":\"000001\",\"accounts\":[\"x:c\",\"x:a\",\"x:b\"],\"size\":3,\"edges\":3,\"density\":1,\"coactions\":12,"
    "\"signals\":{\"text\":8,\"url\":4},\"first_seen\":\"2023-11-14T22:13:20Z\",\"last_seen\":\"2023-11-14T23:13:20Z\","
    "\"median_dt\":5,\"followers\":10,\"score\":0.8,\"verdict\":\"coordinated\",\"reasons\":[\"r1\"],\"top_keys\":[]}\n";
const std::string kNet2 =
    "{\"id\":\"000002\",\"accounts\":[\"x:d\",\"x:e\"],\"size\":2,\"edges\":1,\"density\":1,\"coactions\":2,"
    "\"signals\":{\"text\":2},\"first_seen\":\"2023-11-14T22:00:00Z\",\"last_seen\":\"2023-11-15T01:00:00Z\","
    "\"followers\":null,\"score\":0.1,\"verdict\":\"benign\",\"reasons\":[],\"top_keys\":[]}\n";

// The "totals" object of write_json's output, as written.
std::string totals_of(const std::string& json) {
  size_t b = json.find("\"totals\":");
  size_t e = json.find("},\"networks\":[", b);
  BOOST_REQUIRE(b != std::string::npos && e != std::string::npos);
  return json.substr(b + 9, e + 1 - (b + 9));
}

struct TimelineJson {
  bool present = false;
  uint64_t events = 0, bin_seconds = 0;
  std::string start;
  std::vector<uint64_t> counts;
};
// The timeline of the network `index` of write_json's output.
TimelineJson timeline_of(const std::string& json, size_t index) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  BOOST_REQUIRE(!parser.parse(json).get(doc));
  simdjson::dom::array nets;
  BOOST_REQUIRE(!doc["networks"].get(nets));
  BOOST_REQUIRE(index < nets.size());
  simdjson::dom::element t;
  BOOST_REQUIRE(!nets.at(index)["activity"].get(t));
  TimelineJson r;
  if (t.is_null()) return r;
  r.present = true;
  BOOST_REQUIRE(!t["events"].get(r.events));
  BOOST_REQUIRE(!t["bin_seconds"].get(r.bin_seconds));
  std::string_view start;
  if (!t["start"].get(start)) r.start = start;
  simdjson::dom::array counts;
  BOOST_REQUIRE(!t["counts"].get(counts));
  for (auto c : counts) {
    uint64_t v = 0;
    BOOST_REQUIRE(!c.get(v));
    r.counts.push_back(v);
  }
  return r;
}

std::string event(const std::string& id, const std::string& account, const std::string& ts, const std::string& platform = "x",
                  const std::string& more = "") {
  return "{\"id\":\"" + id + "\",\"account\":\"" + account + "\",\"platform\":\"" + platform + "\",\"ts\":" + ts + more + "}\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report)

// ---- clean_text ----

BOOST_AUTO_TEST_CASE(clean_text_invalid_utf8) {
  // A lone 0xff: not a lead byte.
  BOOST_TEST(clean_text("a\xff" "b") == "a" + kFffd + "b");
  // A 2-byte lead with no continuation, at the end and before an ASCII byte.
  BOOST_TEST(clean_text("a\xc3") == "a" + kFffd);
  BOOST_TEST(clean_text("\xc3(") == kFffd + "(");
  // The overlong encoding of '/': C0 is never valid, AF is a stray
  // continuation byte: two ill-formed bytes, two U+FFFD (one per byte).
  BOOST_TEST(clean_text("\xc0\xaf") == kFffd + kFffd);
  // A surrogate (U+D800 as ED A0 80): ED cannot be followed by A0, then two
  // stray continuation bytes: three U+FFFD.
  BOOST_TEST(clean_text("\xed\xa0\x80") == kFffd + kFffd + kFffd);
  // Valid 2-, 3- and 4-byte characters pass unchanged.
  BOOST_TEST(clean_text("\xc3\xa9\xe6\x97\xa5\xf0\x9d\x84\x9e") == "\xc3\xa9\xe6\x97\xa5\xf0\x9d\x84\x9e");
}

BOOST_AUTO_TEST_CASE(clean_text_controls) {
  // Tab, newline, CR, SOH, DEL and the C1 control U+0085 each become a space.
  BOOST_TEST(clean_text("a\tb\nc\rd\x01" "e\x7f\xc2\x85" "f") == "a b c d e  f");
  BOOST_TEST(clean_text(std::string("a\0b", 3)) == "a b");
}

BOOST_AUTO_TEST_CASE(clean_text_bidi_and_noncharacters) {
  BOOST_TEST(clean_text("x\xe2\x80\xaey") == "x[U+202E]y");   // RIGHT-TO-LEFT OVERRIDE
  BOOST_TEST(clean_text("x\xe2\x81\xa6y") == "x[U+2066]y");   // LEFT-TO-RIGHT ISOLATE
  BOOST_TEST(clean_text("x\xe2\x80\x8fy") == "x[U+200F]y");   // RIGHT-TO-LEFT MARK
  BOOST_TEST(clean_text("x\xd8\x9cy") == "x[U+061C]y");       // ARABIC LETTER MARK
  BOOST_TEST(clean_text("\xef\xbf\xbf") == kFffd);            // U+FFFF
  BOOST_TEST(clean_text("\xef\xbf\xbe") == kFffd);            // U+FFFE
  BOOST_TEST(clean_text("\xe2\x80\x8d") == "\xe2\x80\x8d");   // U+200D (a joiner, not bidi) kept
}

BOOST_AUTO_TEST_CASE(clean_text_cut_counts_code_points) {
  const std::string e = "\xc3\xa9";  // é, two bytes
  BOOST_TEST(clean_text(repeat(e, 300)) == repeat(e, 280) + kEllipsis);
  BOOST_TEST(clean_text(repeat(e, 280)) == repeat(e, 280));        // exactly 280: not cut
  BOOST_TEST(clean_text(repeat(e, 281)) == repeat(e, 280) + kEllipsis);
  BOOST_TEST(clean_text("abcdef", 3) == "abc" + kEllipsis);
  // An invalid byte counts as one character (its U+FFFD).
  BOOST_TEST(clean_text("\xff\xff\xff\xff", 2) == kFffd + kFffd + kEllipsis);
}

BOOST_AUTO_TEST_CASE(clean_text_large_input) {
  const std::string big(size_t{1} << 20, 'a');
  const std::string bad(size_t{1} << 20, '\xff');
  const auto t0 = std::chrono::steady_clock::now();
  const std::string a = clean_text(big), b = clean_text(bad), c = html_text(big), d = markdown_text(bad);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  BOOST_TEST(a == std::string(280, 'a') + kEllipsis);
  BOOST_TEST(b == repeat(kFffd, 280) + kEllipsis);
  BOOST_TEST(c == a);
  BOOST_TEST(d == b);
  BOOST_TEST(secs < 0.5, "took " << secs << " s");
}

// ---- html_text, xml_text, markdown_text ----

BOOST_AUTO_TEST_CASE(html_and_xml_escaping) {
  const std::string in = "<script>alert(\"x\")&'";
  const std::string want = "&lt;script&gt;alert(&quot;x&quot;)&amp;&#39;";
  BOOST_TEST(html_text(in) == want);
  BOOST_TEST(xml_text(in) == want);
  // Cleaned first: the bidi control is named, the newline a space.
  BOOST_TEST(html_text("a\n\xe2\x80\xae<") == "a [U+202E]&lt;");
  // Cut by characters before escaping: "<<<" to 2, then escaped.
  BOOST_TEST(html_text("<<<", 2) == "&lt;&lt;" + kEllipsis);
}

BOOST_AUTO_TEST_CASE(markdown_escaping) {
  BOOST_TEST(markdown_text("[x](http://e.example)") == "\\[x\\](http\\://e.example)");
  BOOST_TEST(markdown_text("www.e.com") == "www\\.e.com");
  BOOST_TEST(markdown_text("mail ann@e.example, @handle") == "mail ann\\@e.example, @handle");
  BOOST_TEST(markdown_text("WWW.e.com") == "WWW\\.e.com");
  BOOST_TEST(markdown_text("*_`|~\\") == "\\*\\_\\`\\|\\~\\\\");
  BOOST_TEST(markdown_text("<b>") == "&lt;b&gt;");
  BOOST_TEST(markdown_text("a&b") == "a&amp;b");
  BOOST_TEST(markdown_text("a.b: c") == "a.b: c");
  // The visible name of a bidi control is escaped too (its brackets).
  BOOST_TEST(markdown_text("\xe2\x80\xae") == "\\[U+202E\\]");
}

// ---- Reporter: totals, verdicts, Markdown ----

BOOST_AUTO_TEST_CASE(json_totals) {
  Fixture fx;
  Reporter r = fx.make();
  BOOST_REQUIRE(r.add_networks(*mem(kNet1 + kNet2, "networks.jsonl")).ok());
  BOOST_TEST(fx.errors.empty());
  BOOST_TEST(r.stats().networks_read == 2u);
  BOOST_TEST(r.stats().networks == 2u);
  BOOST_REQUIRE(r.networks().size() == 2u);
  // Accounts sorted; followers null stays unknown.
  BOOST_TEST(r.networks()[0].accounts == (std::vector<std::string>{"x:a", "x:b", "x:c"}));
  BOOST_TEST(r.networks()[0].followers.value_or(-1) == 10);
  BOOST_TEST(!r.networks()[1].followers.has_value());
  const std::string json = written(r, &Reporter::write_json);
  BOOST_TEST(json.rfind("{\"title\":\"Coordinated inauthentic behaviour report\",\"totals\":", 0) == 0u);
  // networks 2, verdicts by name, accounts 3 + 2, followers 10 (the null of
  // 000002 adds nothing), co-actions 12 + 2, edges 3 + 1, the earliest
  // first_seen (000002's) and the latest last_seen (000002's).
  BOOST_TEST(totals_of(json) ==
             "{\"networks\":2,\"verdicts\":{\"benign\":1,\"coordinated\":1},\"accounts\":5,\"followers\":10,\"coactions\":14,"
             "\"edges\":4,\"first_seen\":\"2023-11-14T22:00:00Z\",\"last_seen\":\"2023-11-15T01:00:00Z\"}");
  BOOST_TEST(json.find("\"id\":\"000002\",\"verdict\":\"benign\",\"score\":0.1,\"size\":2,\"followers\":null,") != std::string::npos, json);
  // Without --events and --clusters: no timeline, no drawn edges.
  BOOST_TEST(json.find("\"activity\":null,\"drawn_edges\":null}") != std::string::npos);
  BOOST_TEST(json.back() == '\n');
}

BOOST_AUTO_TEST_CASE(verdict_filter) {
  {
    Fixture fx;
    ReportOptions opt;
    opt.verdicts = {"coordinated"};
    Reporter r = fx.make(opt);
    BOOST_REQUIRE(r.add_networks(*mem(kNet1 + kNet2, "networks.jsonl")).ok());
    BOOST_TEST(r.stats().networks_read == 2u);
    BOOST_TEST(r.stats().networks == 1u);
    BOOST_TEST(totals_of(written(r, &Reporter::write_json)) ==
               "{\"networks\":1,\"verdicts\":{\"coordinated\":1},\"accounts\":3,\"followers\":10,\"coactions\":12,"
               "\"edges\":3,\"first_seen\":\"2023-11-14T22:13:20Z\",\"last_seen\":\"2023-11-14T23:13:20Z\"}");
  }
  {
    // Only the benign network, whose followers are null: the total is null, not 0.
    Fixture fx;
    ReportOptions opt;
    opt.verdicts = {"benign"};
    Reporter r = fx.make(opt);
    BOOST_REQUIRE(r.add_networks(*mem(kNet1 + kNet2, "networks.jsonl")).ok());
    BOOST_TEST(r.stats().networks == 1u);
    BOOST_TEST(totals_of(written(r, &Reporter::write_json)) ==
               "{\"networks\":1,\"verdicts\":{\"benign\":1},\"accounts\":2,\"followers\":null,\"coactions\":2,"
               "\"edges\":1,\"first_seen\":\"2023-11-14T22:00:00Z\",\"last_seen\":\"2023-11-15T01:00:00Z\"}");
    const std::string md = written(r, &Reporter::write_markdown);
    BOOST_TEST(md.find("| Followers | unknown |\n") != std::string::npos, md);
    BOOST_TEST(md.find("000001") == std::string::npos);
  }
  {
    // review: none of them.
    Fixture fx;
    ReportOptions opt;
    opt.verdicts = {"review"};
    Reporter r = fx.make(opt);
    BOOST_REQUIRE(r.add_networks(*mem(kNet1 + kNet2, "networks.jsonl")).ok());
    BOOST_TEST(r.stats().networks == 0u);
    BOOST_TEST(totals_of(written(r, &Reporter::write_json)) ==
               "{\"networks\":0,\"verdicts\":{},\"accounts\":0,\"followers\":null,\"coactions\":0,\"edges\":0,"
               "\"first_seen\":null,\"last_seen\":null}");
  }
}

BOOST_AUTO_TEST_CASE(markdown_headings) {
  Fixture fx;
  Reporter r = fx.make();
  BOOST_REQUIRE(r.add_networks(*mem(kNet1 + kNet2, "networks.jsonl")).ok());
  const std::string md = written(r, &Reporter::write_markdown);
  BOOST_TEST(md.rfind("# Coordinated inauthentic behaviour report\n\nFrom 2 networks", 0) == 0u);
  // The score as chorus-score wrote it (format_decimal: at most 3 decimals,
  // trailing zeros dropped).
  BOOST_TEST(md.find("\n## Network 000001 \xe2\x80\x94 coordinated (score 0.8)\n") != std::string::npos, md);
  BOOST_TEST(md.find("\n## Network 000002 \xe2\x80\x94 benign (score 0.1)\n") != std::string::npos, md);
  BOOST_TEST(md.find("| Networks | 2 (1 coordinated, 1 benign) |\n") != std::string::npos);
  BOOST_TEST(md.find("| Accounts | 5 |\n") != std::string::npos);
  BOOST_TEST(md.find("| Followers | 10 |\n") != std::string::npos);
  BOOST_TEST(md.find("| Co-actions | 14 on 4 pairs |\n") != std::string::npos);
  BOOST_TEST(md.find("| 000002 | benign | 0.1 | 2 | unknown | unknown | unknown | 2023-11-14 to 2023-11-15 |\n") != std::string::npos, md);
  // text 8 of 12 (67 %), url 4 of 12 (33 %), median 5 s.
  BOOST_TEST(md.find("- **Tactics:** Posted identical texts (8 co-actions, 67 %); shared the same links (4 co-actions, 33 %); "
                     "median 5 s apart\n") != std::string::npos, md);
  BOOST_TEST(md.find("\n**Accounts**: x:a, x:b, x:c\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(markdown_score_decimals) {
  Fixture fx;
  Reporter r = fx.make();
  BOOST_REQUIRE(r.add_networks(*mem("{\"id\":\"n\",\"accounts\":[\"a\"],\"score\":0.9986,\"verdict\":\"review\"}\n", "n.jsonl")).ok());
  // 0.9986 to three decimals: 0.999.
  BOOST_TEST(written(r, &Reporter::write_markdown).find("## Network n \xe2\x80\x94 review (score 0.999)\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_networks_line) {
  Fixture fx;
  Reporter r = fx.make();
  const std::string missing_accounts = "{\"id\":\"000003\",\"score\":0.5,\"verdict\":\"review\"}\n";
  BOOST_REQUIRE(r.add_networks(*mem(kNet1 + missing_accounts + "\n" + "not json\n" + kNet2, "networks.jsonl")).ok());
  BOOST_TEST(r.stats().bad_lines == 2u);
  BOOST_TEST(r.stats().networks == 2u);
  BOOST_TEST(r.stats().networks_read == 2u);
  BOOST_TEST(!r.stopped());
  BOOST_TEST(!r.data_error());
  // Line 3 is blank (skipped, but counted in the line numbers).
  BOOST_TEST(fx.errors == (std::vector<std::string>{
                              "networks.jsonl:2: no \"id\" string, \"accounts\" array, \"verdict\" string or \"score\" number (networks)",
                              "networks.jsonl:4: invalid JSON or not an object (networks)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bad_line_stops_when_the_sink_says_so) {
  Fixture fx;
  fx.go_on = false;
  Reporter r = fx.make();
  BOOST_REQUIRE(r.add_networks(*mem("not json\n" + kNet1, "networks.jsonl")).ok());
  BOOST_TEST(r.stopped());
  BOOST_TEST(r.stats().bad_lines == 1u);
  BOOST_TEST(r.stats().networks == 0u);  // nothing read after the stop
  BOOST_TEST(fx.errors.size() == 1u);
}

BOOST_AUTO_TEST_CASE(stream_header_as_networks) {
  Fixture fx;
  Reporter r = fx.make();
  Status st = r.add_networks(*mem("#chorus-clusters v1 {}\n" + kNet1, "clusters.tsv"));
  BOOST_TEST(!st.ok());
  BOOST_TEST(r.data_error());
  BOOST_TEST(st.message() == "clusters.tsv:1: a chorus clusters stream, expected networks (JSON lines)");
  BOOST_TEST(r.networks().empty());
  BOOST_TEST(fx.errors.empty());  // a refused input, not a bad line
}

// ---- Timeline (chorus-score counts it, chorus-report draws it) ----

namespace {
Micros at(const std::string& rfc3339) { return *parse_timestamp(rfc3339); }
constexpr Micros kS = kMicrosPerSecond;
}  // namespace

BOOST_AUTO_TEST_CASE(timeline_hours) {
  // T0 = 1699999200 = 2023-11-14T22:00:00Z.
  Timeline t;
  t.add(1699999200 * kS);                  // hour 0
  t.add(at("2023-11-14T22:01:40Z"));       // hour 0 (T0 + 100)
  t.add(1699999200 * kS + kS / 2);         // hour 0
  t.add(1700017210 * kS);                  // T0 + 5 h + 10 s: hour 5
  BOOST_TEST(t.events == 4u);
  const Bars b = bars_of(t);
  BOOST_TEST(b.width == 3600 * kS);
  BOOST_TEST(b.start == 1699999200 * kS);
  BOOST_TEST(b.counts == (std::vector<uint64_t>{3, 0, 0, 0, 0, 1}), boost::test_tools::per_element());
  BOOST_TEST(width_words(b.width) == "hour");
  BOOST_TEST(bars_of(Timeline()).counts.empty());
}

BOOST_AUTO_TEST_CASE(timeline_coarsens_beyond_4096_hours) {
  // One event an hour, hours 0 to 4096 from the epoch: 4097 distinct hours.
  Timeline t;
  for (int64_t h = 0; h <= 4096; ++h) t.add(h * 3600 * kS);
  BOOST_TEST(t.events == 4097u);
  BOOST_TEST(t.bin == 24 * 3600 * kS);  // days
  BOOST_TEST(t.bins.size() == 171u);    // days 0 .. 170 (hour 4096 is in day 170)
  BOOST_TEST(t.bins.at(0) == 24u);
  BOOST_TEST(t.bins.at(170) == 17u);    // hours 4080 .. 4096
  // Drawn: days 0 .. 170 are 171 > 120 bars, so weeks (from the epoch):
  // weeks 0 .. 24, 168 events each but the last (hours 4032 .. 4096: 65).
  const Bars b = bars_of(t);
  BOOST_TEST(b.width == 7 * 86400 * kS);
  BOOST_TEST(b.start == 0);
  BOOST_REQUIRE(b.counts.size() == 25u);
  uint64_t sum = 0;
  for (uint64_t c : b.counts) sum += c;
  BOOST_TEST(sum == 4097u);
  BOOST_TEST(b.counts[0] == 168u);
  BOOST_TEST(b.counts[24] == 65u);
  BOOST_TEST(width_words(b.width) == "week");
}

BOOST_AUTO_TEST_CASE(timeline_4096_hours_stay_hours) {
  Timeline t;
  for (int64_t h = 0; h < 4096; ++h) t.add((h * 3600 + 59) * kS);
  BOOST_TEST(t.bin == 3600 * kS);
  BOOST_TEST(t.bins.size() == 4096u);
  BOOST_TEST(t.events == 4096u);
}

// The report takes the activity from the networks line, as it is.
BOOST_AUTO_TEST_CASE(activity_from_networks) {
  Fixture fx;
  Reporter r = fx.make();
  std::string net1 = kNet1, net2 = kNet2;
  net1.insert(net1.rfind('}'), ",\"activity\":{\"events\":4,\"bin_seconds\":3600,\"start\":\"2023-11-14T22:00:00Z\",\"counts\":[3,0,0,0,0,1]}");
  net2.insert(net2.rfind('}'), ",\"activity\":{\"events\":0,\"bin_seconds\":0,\"start\":null,\"counts\":[]}");
  BOOST_REQUIRE(r.add_networks(*mem(net1 + net2, "networks.jsonl")).ok());
  BOOST_TEST(fx.errors.empty());
  const std::string json = written(r, &Reporter::write_json);
  TimelineJson t1 = timeline_of(json, 0), t2 = timeline_of(json, 1);
  BOOST_TEST(t1.present);
  BOOST_TEST(t1.events == 4u);
  BOOST_TEST(t1.bin_seconds == 3600u);
  BOOST_TEST(t1.start == "2023-11-14T22:00:00Z");
  BOOST_TEST(t1.counts == (std::vector<uint64_t>{3, 0, 0, 0, 0, 1}), boost::test_tools::per_element());
  BOOST_TEST(t2.present);
  BOOST_TEST(t2.events == 0u);
  BOOST_TEST(t2.start.empty());  // null
  BOOST_TEST(t2.counts.empty());
  const std::string md = written(r, &Reporter::write_markdown);
  BOOST_TEST(md.find("- **Activity:** 4 events of its accounts, busiest hour 2023-11-14T22:00:00Z with 3\n") != std::string::npos, md);
  BOOST_TEST(md.find("- **Activity:** no events of its accounts\n") != std::string::npos, md);
  const std::string html = written(r, &Reporter::write_html);
  BOOST_TEST(count_of(html, "<rect ") == 1u + 2u);  // the shaded period and the bars of hours 0 and 5
  // Without an activity: null, and no line.
  Fixture fx2;
  Reporter r2 = fx2.make();
  BOOST_REQUIRE(r2.add_networks(*mem(kNet1, "networks.jsonl")).ok());
  BOOST_TEST(!timeline_of(written(r2, &Reporter::write_json), 0).present);
  BOOST_TEST(written(r2, &Reporter::write_markdown).find("Activity") == std::string::npos);
  // A malformed activity is a bad line.
  Fixture fx3;
  Reporter r3 = fx3.make();
  std::string bad = kNet1;
  bad.insert(bad.rfind('}'), ",\"activity\":{\"events\":1,\"bin_seconds\":3600,\"start\":\"yesterday\",\"counts\":[1]}");
  // So is one of more bars than chorus-score writes, or spanning too long.
  std::string many = kNet1, counts;
  for (int i = 0; i < 10001; ++i) counts += i ? ",0" : "0";
  many.insert(many.rfind('}'), ",\"activity\":{\"events\":0,\"bin_seconds\":3600,\"start\":\"2023-11-14T22:00:00Z\",\"counts\":[" +
                                   counts + "]}");
  std::string wide = kNet1;
  wide.insert(wide.rfind('}'), ",\"activity\":{\"events\":2,\"bin_seconds\":100000000000,\"start\":\"2023-11-14T22:00:00Z\","
                               "\"counts\":[1,1]}");
  BOOST_REQUIRE(r3.add_networks(*mem(bad + many + wide, "networks.jsonl")).ok());
  BOOST_TEST(fx3.errors.size() == 3u);
  BOOST_TEST(r3.networks().empty());
}

// The texts of shared posts: the post's own, else a share's; escaped.
BOOST_AUTO_TEST_CASE(shared_post_texts) {
  Fixture fx;
  Reporter r = fx.make();
  std::string net = kNet1;
  net.replace(net.find("\"top_keys\":[]"), 13,
              "\"top_keys\":[{\"key\":\"share:1\",\"kind\":\"share\",\"label\":\"p1\",\"coactions\":5,\"accounts\":3},"
              "{\"key\":\"share:2\",\"kind\":\"share\",\"label\":\"p2\",\"coactions\":4,\"accounts\":2}]");
  BOOST_REQUIRE(r.add_networks(*mem(net, "networks.jsonl")).ok());
  std::string ev;
  ev += event("s1", "a", "1700000000", "x", ",\"parent\":\"p1\",\"text\":\"RT: a share of p1\"");
  ev += event("p1", "z", "1699990000", "x", ",\"text\":\"<b>the post</b>\"");  // the post itself wins
  ev += event("s2", "b", "1700000000", "x", ",\"parent\":\"p2\",\"text\":\"RT: only a share of p2\"");
  BOOST_REQUIRE(r.add_events(*mem(ev, "events.jsonl")).ok());
  BOOST_TEST(fx.errors.empty());
  BOOST_TEST(r.stats().events == 2u);  // s1 and s2 are by accounts of the network
  const std::string md = written(r, &Reporter::write_markdown);
  BOOST_TEST(md.find("1. p1: “&lt;b&gt;the post&lt;/b&gt;” — 5 co-actions, 3 accounts\n") != std::string::npos, md);
  BOOST_TEST(md.find("2. p2: “RT: only a share of p2” — 4 co-actions, 2 accounts\n") != std::string::npos, md);
}

// ---- GraphML and GEXF ----

namespace {
const std::string T = "\t";
std::string cluster_line(const std::string& c, const std::string& a, const std::string& b, const std::string& weight,
                         const std::string& signals, const std::string& p) {
  // cluster a b weight coactions keys a_first b_first first last median_dt a_events b_events signals p_value expected
  return c + T + a + T + b + T + weight + T + weight + T + "2" + T + "1" + T + "1" + T + "1699999200" + T + "1699999320" + T + "5" + T +
         "2" + T + "2" + T + signals + T + p + T + "-\n";
}
}  // namespace

// A median of 6.75 s is exported as 6.75, not cut to whole seconds.
BOOST_AUTO_TEST_CASE(graph_median_fraction) {
  Fixture fx;
  Reporter r = fx.make();
  BOOST_REQUIRE(r.add_networks(*mem(kNet1, "networks.jsonl")).ok());
  std::string line = cluster_line("000001", "x:a", "x:b", "4", "text:4", "-");
  line.replace(line.find("\t5\t"), 3, "\t6.75\t");
  BOOST_REQUIRE(r.add_clusters(*mem("#chorus-clusters v1 {}\n" + line, "clusters.tsv")).ok());
  BOOST_TEST(fx.errors.empty());
  const std::string g = written(r, &Reporter::write_graphml);
  BOOST_TEST(g.find("<data key=\"e3\">6.75</data>") != std::string::npos, g);
  const std::string x = written(r, &Reporter::write_gexf);
  BOOST_TEST(x.find("<attvalue for=\"3\" value=\"6.75\"/>") != std::string::npos, x);
}

BOOST_AUTO_TEST_CASE(graphml_and_gexf) {
  Fixture fx;
  Reporter r = fx.make();
  BOOST_REQUIRE(r.add_networks(*mem(kNet1 + kNet2, "networks.jsonl")).ok());
  std::string clusters = "#chorus-clusters v1 {}\n";
  clusters += cluster_line("000001", "x:a", "x:b", "4", "text:2,url:2", "0.001");
  clusters += cluster_line("000001", "x:a", "x:c", "3", "text:3", "-");
  clusters += cluster_line("000001", "x:b", "x:c", "3", "text:3", "-");
  clusters += cluster_line("000002", "x:d", "x:e", "2", "text:2", "-");
  clusters += cluster_line("000003", "x:c", "x:d", "1", "text:1", "-");   // 000001's c to 000002's d: left out
  clusters += cluster_line("000004", "x:p", "x:q", "1", "text:1", "-");   // no reported network: skipped
  clusters += cluster_line("000005", "x:a", "x:zz", "1", "text:1", "-");  // zz is in no network: left out
  BOOST_REQUIRE(r.add_clusters(*mem(clusters, "clusters.tsv")).ok());
  BOOST_TEST(fx.errors.empty());
  BOOST_TEST(r.stats().edges == 4u);
  BOOST_TEST(r.stats().unknown_edges == 2u);
  BOOST_TEST(r.networks()[0].edge_list.size() == 3u);
  BOOST_TEST(r.networks()[1].edge_list.size() == 1u);

  const std::string g = written(r, &Reporter::write_graphml);
  BOOST_TEST(count_of(g, "<node ") == 5u);  // 3 + 2 accounts
  BOOST_TEST(count_of(g, "<edge ") == 4u);
  BOOST_TEST(count_of(g, "<key ") == 18u);  // 10 node and 8 edge attributes
  // Nodes n0..n2 are x:a, x:b, x:c (sorted); n3, n4 x:d, x:e.
  BOOST_TEST(g.find("<node id=\"n0\"><data key=\"v0\">x:a</data><data key=\"v1\">000001</data><data key=\"v2\">coordinated</data>"
                    "<data key=\"v3\">0.8</data></node>") != std::string::npos,
             g);
  BOOST_TEST(g.find("<node id=\"n4\"><data key=\"v0\">x:e</data><data key=\"v1\">000002</data>") != std::string::npos);
  // e0: a-b, weight 4, co-actions 4, keys 2, median 5 s, p 0.001, first 22:00:00, last 22:02:00.
  BOOST_TEST(g.find("<edge id=\"e0\" source=\"n0\" target=\"n1\"><data key=\"e0\">4</data><data key=\"e1\">4</data>"
                    "<data key=\"e2\">2</data><data key=\"e3\">5</data><data key=\"e4\">0.001</data>"
                    "<data key=\"e5\">text:2,url:2</data><data key=\"e6\">2023-11-14T22:00:00Z</data>"
                    "<data key=\"e7\">2023-11-14T22:02:00Z</data></edge>") != std::string::npos,
             g);
  BOOST_TEST(g.find("<edge id=\"e1\" source=\"n0\" target=\"n2\">") != std::string::npos);
  BOOST_TEST(g.find("<edge id=\"e2\" source=\"n1\" target=\"n2\">") != std::string::npos);
  BOOST_TEST(g.find("<edge id=\"e3\" source=\"n3\" target=\"n4\">") != std::string::npos);
  // No p-value ("-"): no e4 data on that edge.
  BOOST_TEST(g.find("<edge id=\"e3\" source=\"n3\" target=\"n4\"><data key=\"e0\">2</data><data key=\"e1\">2</data>"
                    "<data key=\"e2\">2</data><data key=\"e3\">5</data><data key=\"e5\">text:2</data>") != std::string::npos,
             g);
  const std::string tail = "  </graph>\n</graphml>\n";
  BOOST_TEST(g.compare(g.size() - tail.size(), tail.size(), tail) == 0);

  const std::string x = written(r, &Reporter::write_gexf);
  BOOST_TEST(count_of(x, "<node ") == 5u);
  BOOST_TEST(count_of(x, "<edge ") == 4u);
  BOOST_TEST(x.find("<node id=\"n2\" label=\"x:c\"><attvalues><attvalue for=\"1\" value=\"000001\"/>") != std::string::npos, x);
  BOOST_TEST(x.find("<edge id=\"e3\" source=\"n3\" target=\"n4\" weight=\"2\">") != std::string::npos, x);

  // JSON: the edges drawn per network.
  const std::string json = written(r, &Reporter::write_json);
  BOOST_TEST(count_of(json, "\"drawn_edges\":3}") == 1u);
  BOOST_TEST(count_of(json, "\"drawn_edges\":1}") == 1u);
}

BOOST_AUTO_TEST_CASE(graphml_without_clusters_and_escaped_names) {
  Fixture fx;
  Reporter r = fx.make();
  BOOST_REQUIRE(r.add_networks(
                     *mem("{\"id\":\"n<1>\",\"accounts\":[\"x:<b>&\\\"'\",\"x:ok\"],\"score\":0.5,\"verdict\":\"review\"}\n", "n.jsonl"))
                    .ok());
  const std::string g = written(r, &Reporter::write_graphml);
  BOOST_TEST(count_of(g, "<node ") == 2u);
  BOOST_TEST(count_of(g, "<edge ") == 0u);
  BOOST_TEST(g.find("<data key=\"v0\">x:&lt;b&gt;&amp;&quot;&#39;</data><data key=\"v1\">n&lt;1&gt;</data>") != std::string::npos, g);
  const std::string x = written(r, &Reporter::write_gexf);
  BOOST_TEST(x.find("label=\"x:&lt;b&gt;&amp;&quot;&#39;\"") != std::string::npos, x);
  BOOST_TEST(count_of(x, "<edge ") == 0u);
}

BOOST_AUTO_TEST_CASE(clusters_wrong_stream) {
  Fixture fx;
  Reporter r = fx.make();
  BOOST_REQUIRE(r.add_networks(*mem(kNet1, "networks.jsonl")).ok());
  Status st = r.add_clusters(*mem(kNet1, "networks.jsonl"));
  BOOST_TEST(!st.ok());
  BOOST_TEST(r.data_error());
  BOOST_TEST(st.message() == "networks.jsonl:1: not a chorus clusters stream (first line '#chorus-clusters v1 {...}')");
}

BOOST_AUTO_TEST_SUITE_END()

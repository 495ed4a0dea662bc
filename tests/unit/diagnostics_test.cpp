// Tests of lib/diagnostics.hpp: the `prog: file:line: message` form, the
// context line (control bytes shown as '?', cut short around the column) with
// its caret, warnings, notes and the progress line, written to an
// open_memstream sink.
#include "diagnostics.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// A FILE* that collects into memory.
class MemSink {
 public:
  MemSink() : f_(open_memstream(&buf_, &size_)) { BOOST_REQUIRE(f_ != nullptr); }
  ~MemSink() {
    std::fclose(f_);
    std::free(buf_);
  }
  std::FILE* file() { return f_; }
  std::string text() {
    std::fflush(f_);
    return std::string(buf_, size_);
  }

 private:
  char* buf_ = nullptr;
  size_t size_ = 0;
  std::FILE* f_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(diagnostics)

BOOST_AUTO_TEST_CASE(gnu_message_forms) {
  MemSink sink;
  chorus::Diagnostics d("chorus-parse", sink.file());
  BOOST_TEST(d.prog() == "chorus-parse");
  d.error("cannot open output");
  d.error_at("events.jsonl", 12, "missing required field 'id'");
  d.error_at("events.jsonl", 0, "truncated zstd stream");
  d.error_at("(stdin)", 3, "invalid JSON");
  BOOST_TEST(sink.text() ==
             "chorus-parse: cannot open output\n"
             "chorus-parse: events.jsonl:12: missing required field 'id'\n"
             "chorus-parse: events.jsonl: truncated zstd stream\n"
             "chorus-parse: (stdin):3: invalid JSON\n");
  BOOST_TEST(d.errors_reported() == 4u);
}

BOOST_AUTO_TEST_CASE(warnings_and_notes_are_not_errors) {
  MemSink sink;
  chorus::Diagnostics d("chorus-x", sink.file());
  d.warning("--memory below 64M is slow");
  d.note("skipped 1 of 3 records (1 missing field)");
  BOOST_TEST(sink.text() ==
             "chorus-x: warning: --memory below 64M is slow\n"
             "chorus-x: skipped 1 of 3 records (1 missing field)\n");
  BOOST_TEST(d.errors_reported() == 0u);
}

BOOST_AUTO_TEST_CASE(context_line_and_caret) {
  MemSink sink;
  chorus::Diagnostics d("chorus-parse", sink.file());
  d.error_with_context("e.jsonl", 7, "invalid JSON: expected ':'", "{\"id\" \"e1\"}", 7);
  BOOST_TEST(sink.text() ==
             "chorus-parse: e.jsonl:7: invalid JSON: expected ':'\n"
             "  {\"id\" \"e1\"}\n"
             "        ^\n");
  BOOST_TEST(d.errors_reported() == 1u);
}

BOOST_AUTO_TEST_CASE(context_without_column_has_no_caret) {
  MemSink sink;
  chorus::Diagnostics d("p", sink.file());
  d.error_with_context("f", 1, "bad", "text");
  BOOST_TEST(sink.text() == "p: f:1: bad\n  text\n");
}

BOOST_AUTO_TEST_CASE(control_bytes_are_replaced) {
  MemSink sink;
  chorus::Diagnostics d("p", sink.file());
  std::string text = std::string("a\tb\rc\x1b[31md\x7f", 12) + std::string(1, '\0') + "e\n";
  d.error_with_context("f", 2, "bad", text, 3);
  BOOST_TEST(sink.text() == "p: f:2: bad\n  a?b?c?[31md??e?\n    ^\n");
}

BOOST_AUTO_TEST_CASE(long_lines_are_cut_around_the_column) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>('a' + i % 26);
  {
    MemSink sink;
    chorus::Diagnostics d("p", sink.file());
    d.error_with_context("f", 1, "bad", text, 1);
    std::string out = sink.text();
    BOOST_TEST(out == "p: f:1: bad\n  " + text.substr(0, 72) + "\n  ^\n");
  }
  {
    // Far into the line: the shown part starts 36 bytes before the column, the caret stays under it.
    MemSink sink;
    chorus::Diagnostics d("p", sink.file());
    d.error_with_context("f", 1, "bad", text, 200);
    std::string out = sink.text();
    std::string shown = text.substr(200 - 1 - 35, 72);
    BOOST_TEST(out == "p: f:1: bad\n  " + shown + "\n  " + std::string(35, ' ') + "^\n");
    BOOST_TEST(shown[35] == text[199]);  // the byte the caret points at
  }
  {
    // A column just past the end (an unexpected end of input): the caret after the text.
    MemSink sink;
    chorus::Diagnostics d("p", sink.file());
    d.error_with_context("f", 1, "unexpected end", "{\"a\":", 6);
    BOOST_TEST(sink.text() == "p: f:1: unexpected end\n  {\"a\":\n       ^\n");
  }
  {
    // A column far past the end: no caret pointing at nothing.
    MemSink sink;
    chorus::Diagnostics d("p", sink.file());
    d.error_with_context("f", 1, "bad", "abc", 50);
    std::string out = sink.text();
    BOOST_TEST(out.find('^') == std::string::npos, out);
  }
}

BOOST_AUTO_TEST_CASE(progress_line_is_cleared_before_messages) {
  MemSink sink;
  chorus::Diagnostics d("p", sink.file());
  d.progress("1.2M records");
  d.progress("2.4M records");
  d.error_at("f", 9, "bad");
  d.note("done");
  const std::string want =
      "\rp: 1.2M records\x1b[K"
      "\rp: 2.4M records\x1b[K"
      "\r\x1b[K"
      "p: f:9: bad\n"
      "p: done\n";
  BOOST_TEST(sink.text() == want);
  d.clear_progress();  // nothing shown: nothing written
  BOOST_TEST(sink.text() == want);
}

BOOST_AUTO_TEST_CASE(display_names) {
  BOOST_TEST(chorus::display_name("-") == "(stdin)");
  BOOST_TEST(chorus::display_name("events.jsonl") == "events.jsonl");
  BOOST_TEST(chorus::display_name("./-") == "./-");
}

BOOST_AUTO_TEST_SUITE_END()

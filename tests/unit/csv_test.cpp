// Tests of lib/csv.hpp: RFC 4180 rows (quoted commas, doubled quotes,
// embedded newlines and the line each row starts on), CRLF, the byte order
// mark, an unterminated quote, rows over max_row, and a random round trip
// through an RFC 4180 writer written here.
#include "csv.hpp"

#include <boost/test/unit_test.hpp>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using chorus::CsvReader;
using chorus::InputStream;
using Fields = std::vector<std::string>;

struct Row {
  CsvReader::Outcome outcome;
  uint64_t line;
  Fields fields;
  bool unterminated;
};

// A source handing out its bytes in pieces of at most `piece` bytes.
class PieceSource : public chorus::ByteSource {
 public:
  PieceSource(std::string bytes, size_t piece) : bytes_(std::move(bytes)), piece_(piece) {}
  chorus::Result<size_t> read(char* buf, size_t n) override {
    size_t k = std::min({n, piece_, bytes_.size() - pos_});
    std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string bytes_;
  size_t piece_, pos_ = 0;
};

std::vector<Row> read_rows(const std::string& csv, size_t max_row = 1 << 20, size_t piece = 0) {
  std::unique_ptr<InputStream> in =
      piece ? InputStream::from_source(std::make_unique<PieceSource>(csv, piece), "t.csv")
            : InputStream::from_source(chorus::memory_source(csv), "t.csv");
  CsvReader reader(*in, max_row);
  std::vector<Row> rows;
  for (int guard = 0; guard < 1000000; ++guard) {
    auto r = reader.next();
    BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? "" : r.status().message()));
    if (*r == CsvReader::Outcome::kEnd) return rows;
    Row row{*r, reader.line(), {}, reader.unterminated_quote()};
    if (*r == CsvReader::Outcome::kRow)
      for (auto f : reader.fields()) row.fields.emplace_back(f);
    rows.push_back(std::move(row));
  }
  BOOST_FAIL("CsvReader never ended");
  return rows;
}

Fields only_row(const std::string& csv) {
  auto rows = read_rows(csv);
  BOOST_TEST_REQUIRE(rows.size() == 1u, "rows in " << csv);
  BOOST_TEST((rows[0].outcome == CsvReader::Outcome::kRow));
  return rows[0].fields;
}

// RFC 4180 writing: quote a field holding a comma, quote, CR or LF.
std::string csv_field(const std::string& f) {
  if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
  std::string s = "\"";
  for (char c : f) {
    if (c == '"') s += '"';
    s += c;
  }
  return s + "\"";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(csv)

BOOST_AUTO_TEST_CASE(plain_rows) {
  auto rows = read_rows("id,name\n1,alice\n2,bob\n");
  BOOST_TEST_REQUIRE(rows.size() == 3u);
  BOOST_TEST(rows[0].fields == (Fields{"id", "name"}));
  BOOST_TEST(rows[2].fields == (Fields{"2", "bob"}));
  BOOST_TEST(rows[2].line == 3u);
  BOOST_TEST(only_row("a,,c,") == (Fields{"a", "", "c", ""}));  // empty fields, no final newline
  BOOST_TEST(only_row("\n") == Fields{""});                       // a blank line: one empty field
  BOOST_TEST(read_rows("").empty());
}

BOOST_AUTO_TEST_CASE(quoted_commas_and_doubled_quotes) {
  BOOST_TEST(only_row("a,\"b,c\",d\n") == (Fields{"a", "b,c", "d"}));
  BOOST_TEST(only_row("\"say \"\"hi\"\"\",x\n") == (Fields{"say \"hi\"", "x"}));
  BOOST_TEST(only_row("\"\"\"\"\n") == Fields{"\""});
  BOOST_TEST(only_row("\"\",\"\"\n") == (Fields{"", ""}));
  BOOST_TEST(only_row("\"a\"\"\"\n") == Fields{"a\""});
  // A quote inside an unquoted field is a character; text after a closing quote is kept.
  BOOST_TEST(only_row("a\"b,c\n") == (Fields{"a\"b", "c"}));
  BOOST_TEST(only_row("\"a\"b,c\n") == (Fields{"ab", "c"}));
}

BOOST_AUTO_TEST_CASE(embedded_newlines_and_line_numbers) {
  std::string csv = "h1,h2\n\"two\nlines\",x\n\"three\n\nlines\",y\nlast,z\n";
  auto rows = read_rows(csv);
  BOOST_TEST_REQUIRE(rows.size() == 4u);
  BOOST_TEST(rows[0].line == 1u);
  BOOST_TEST(rows[1].line == 2u);
  BOOST_TEST(rows[1].fields == (Fields{"two\nlines", "x"}));
  BOOST_TEST(rows[2].line == 4u);
  BOOST_TEST(rows[2].fields == (Fields{"three\n\nlines", "y"}));
  BOOST_TEST(rows[3].line == 7u);
  BOOST_TEST(rows[3].fields == (Fields{"last", "z"}));
}

BOOST_AUTO_TEST_CASE(crlf_line_ends) {
  auto rows = read_rows("a,b\r\n\"q\r\nx\",c\r\nd,e\r\n");
  BOOST_TEST_REQUIRE(rows.size() == 3u);
  BOOST_TEST(rows[0].fields == (Fields{"a", "b"}));
  BOOST_TEST(rows[1].fields == (Fields{"q\r\nx", "c"}));  // inside quotes, kept as written
  BOOST_TEST(rows[1].line == 2u);
  BOOST_TEST(rows[2].fields == (Fields{"d", "e"}));
  BOOST_TEST(rows[2].line == 4u);
  // A lone CR inside a field is a character; a final CR at the end of input ends the row.
  BOOST_TEST(only_row("a\rb,c\n") == (Fields{"a\rb", "c"}));
  BOOST_TEST(only_row("a,b\r") == (Fields{"a", "b"}));
  // A quoted field followed by CRLF.
  BOOST_TEST(only_row("\"a\"\r\n") == Fields{"a"});
}

BOOST_AUTO_TEST_CASE(byte_order_mark) {
  auto rows = read_rows("\xEF\xBB\xBFid,name\n1,x\n");
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[0].fields == (Fields{"id", "name"}));
  BOOST_TEST(rows[0].line == 1u);
  // Handed out a byte at a time.
  auto dribbled = read_rows("\xEF\xBB\xBFid,name\n1,x\n", 1 << 20, 1);
  BOOST_TEST_REQUIRE(dribbled.size() == 2u);
  BOOST_TEST(dribbled[0].fields == (Fields{"id", "name"}));
  // Only at the start; a BOM alone is an empty input; short inputs are fine.
  BOOST_TEST(only_row("a,\xEF\xBB\xBF\n") == (Fields{"a", "\xEF\xBB\xBF"}));
  BOOST_TEST(read_rows("\xEF\xBB\xBF").empty());
  BOOST_TEST(only_row("a") == Fields{"a"});
  BOOST_TEST(only_row("\xEF\xBB") == Fields{"\xEF\xBB"});
}

BOOST_AUTO_TEST_CASE(unterminated_quote) {
  auto rows = read_rows("ok,1\n\"open,2\nstill open\n");
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(!rows[0].unterminated);
  BOOST_TEST(rows[1].unterminated);
  BOOST_TEST(rows[1].line == 2u);
  BOOST_TEST(rows[1].fields == Fields{"open,2\nstill open\n"});
}

BOOST_AUTO_TEST_CASE(too_long_rows_are_skipped) {
  std::string csv = "short,1\n" + std::string(50, 'x') + "\nafter,3\n";
  auto rows = read_rows(csv, 10);
  BOOST_TEST_REQUIRE(rows.size() == 3u);
  BOOST_TEST((rows[1].outcome == CsvReader::Outcome::kTooLong));
  BOOST_TEST(rows[1].line == 2u);
  BOOST_TEST(rows[2].fields == (Fields{"after", "3"}));
  BOOST_TEST(rows[2].line == 3u);
  // Its quotes are not trusted: skipping stops at the next line end.
  auto q = read_rows("\"" + std::string(50, 'q') + "\nrest\",x\nnext\n", 10);
  BOOST_TEST_REQUIRE(q.size() >= 2u);
  BOOST_TEST((q[0].outcome == CsvReader::Outcome::kTooLong));
  BOOST_TEST(q[0].line == 1u);
  BOOST_TEST(q[1].line == 2u);
  BOOST_TEST(q.back().fields == Fields{"next"});
  BOOST_TEST(q.back().line == 3u);
  // A very long row costs no memory beyond max_row (and still ends).
  auto huge = read_rows(std::string(5000000, 'h') + "\nend\n", 1000);
  BOOST_TEST_REQUIRE(huge.size() == 2u);
  BOOST_TEST((huge[0].outcome == CsvReader::Outcome::kTooLong));
  BOOST_TEST(huge[1].fields == Fields{"end"});
  BOOST_TEST(huge[1].line == 2u);
  // A row of exactly max_row bytes is fine.
  BOOST_TEST((read_rows(std::string(10, 'x') + "\n", 10)[0].outcome == CsvReader::Outcome::kRow));
  BOOST_TEST((read_rows(std::string(11, 'x') + "\n", 10)[0].outcome == CsvReader::Outcome::kTooLong));
}

// The same row over max_row is too long whether or not a newline ends the input.
BOOST_AUTO_TEST_CASE(too_long_last_row_without_newline) {
  auto with = read_rows("ok\n" + std::string(11, 'x') + "\n", 10);
  BOOST_TEST_REQUIRE(with.size() == 2u);
  BOOST_TEST((with[1].outcome == CsvReader::Outcome::kTooLong));
  auto without = read_rows("ok\n" + std::string(11, 'x'), 10);
  BOOST_TEST_REQUIRE(without.size() == 2u);
  BOOST_TEST((without[1].outcome == CsvReader::Outcome::kTooLong));
}

BOOST_AUTO_TEST_CASE(raw_text_for_messages) {
  std::unique_ptr<InputStream> in = InputStream::from_source(chorus::memory_source("a,\"b\"\"c\"\n"), "t.csv");
  CsvReader reader(*in, 100);
  auto r = reader.next();
  BOOST_TEST_REQUIRE(r.ok());
  BOOST_TEST(std::string(reader.raw(100)) == "a,\"b\"\"c\"\n");
  BOOST_TEST(std::string(reader.raw(3)) == "a,\"");
}

BOOST_AUTO_TEST_CASE(random_round_trip) {
  // Random tables written the RFC 4180 way, read back in pieces of every size.
  std::mt19937 rng(4180);
  static const char* atoms[] = {"a", "b", "1", " ", ",", "\"", "\n", "\r\n", "é", "🙂", "\r", "x,y", "\"\""};
  for (int round = 0; round < 150; ++round) {
    std::vector<Fields> table;
    std::vector<uint64_t> lines;
    std::string csv;
    uint64_t line = 1;
    bool crlf = round % 2;
    int n_rows = 1 + rng() % 30;
    for (int r = 0; r < n_rows; ++r) {
      Fields row;
      int n_fields = 1 + rng() % 5;
      for (int f = 0; f < n_fields; ++f) {
        std::string v;
        int n = rng() % 6;
        for (int k = 0; k < n; ++k) v += atoms[rng() % 13];
        row.push_back(v);
      }
      if (row.size() == 1 && row[0].empty()) row[0].assign(1, 'e');  // a lone empty field reads as a blank line
      lines.push_back(line);
      for (size_t f = 0; f < row.size(); ++f) {
        if (f) csv += ',';
        csv += csv_field(row[f]);
        for (char c : row[f]) line += c == '\n';
      }
      csv += crlf ? "\r\n" : "\n";
      ++line;
      table.push_back(row);
    }
    size_t piece = 1 + rng() % 17;
    auto rows = read_rows(csv, 1 << 20, round % 3 == 0 ? 0 : piece);
    BOOST_TEST_CONTEXT("round " << round) {
      BOOST_TEST_REQUIRE(rows.size() == table.size());
      for (size_t r = 0; r < rows.size(); ++r) {
        BOOST_TEST(rows[r].fields == table[r], "row " << r);
        BOOST_TEST(rows[r].line == lines[r], "row " << r);
        BOOST_TEST(!rows[r].unterminated);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(input_errors_pass_through) {
  std::string z = "\x28\xB5\x2F\xFD\x00";  // a zstd magic and then nothing: truncated
  std::unique_ptr<InputStream> in = InputStream::from_source(chorus::memory_source(z), "t.csv.zst");
  CsvReader reader(*in, 100);
  auto r = reader.next();
  BOOST_TEST(!r.ok());
}

BOOST_AUTO_TEST_SUITE_END()

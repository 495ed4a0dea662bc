// Tests of lib/input.hpp: InputStream over in-memory sources (plain bytes,
// zstd frames of every kind, and the ways a zstd stream can be damaged), and
// LineBlockReader's split into blocks of whole lines (numbering, the last
// line, CRLF, lines over max_line). The zstd test data is compressed here with
// libzstd, so no fixture file can drift from the code under test.
#include "input.hpp"

#include <zstd.h>

#include <boost/test/unit_test.hpp>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using chorus::ByteSource;
using chorus::InputStream;
using chorus::LineBlockReader;

std::string zstd_frame(const std::string& data, int level = 3, bool checksum = false) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress2(c, out.data(), out.size(), data.data(), data.size());
  ZSTD_freeCCtx(c);
  BOOST_REQUIRE(!ZSTD_isError(n));
  out.resize(n);
  return out;
}

// The simple one-shot API, as the brief asks for ordinary frames.
std::string zstd_compress(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  BOOST_REQUIRE(!ZSTD_isError(n));
  out.resize(n);
  return out;
}

// A skippable frame (magic 0x184D2A5?, little-endian size, payload).
std::string skippable_frame(const std::string& payload, unsigned variant = 0) {
  std::string f(8, '\0');
  uint32_t magic = 0x184D2A50u + variant, size = static_cast<uint32_t>(payload.size());
  std::memcpy(f.data(), &magic, 4);
  std::memcpy(f.data() + 4, &size, 4);
  return f + payload;
}

// Text that compresses well but not trivially, with a line structure.
std::string sample_text(size_t bytes, unsigned seed = 1) {
  std::mt19937 rng(seed);
  static const char* words[] = {"alpha", "beta", "gamma", "delta", "chorus", "{\"id\":", "\"x\"}", "🙂", "é"};
  std::string s;
  while (s.size() < bytes) {
    s += words[rng() % 9];
    s += rng() % 7 == 0 ? '\n' : ' ';
  }
  s.resize(bytes);
  return s;
}

// A source that hands out its bytes in small, irregular pieces (like a pipe).
class DribbleSource : public ByteSource {
 public:
  DribbleSource(std::string bytes, unsigned seed, size_t max_piece)
      : bytes_(std::move(bytes)), rng_(seed), max_piece_(max_piece) {}
  chorus::Result<size_t> read(char* buf, size_t n) override {
    size_t k = std::min({n, bytes_.size() - pos_, 1 + rng_() % max_piece_});
    std::memcpy(buf, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
  std::mt19937 rng_;
  size_t max_piece_;
};

// A source that fails after handing out some bytes.
class FailingSource : public ByteSource {
 public:
  explicit FailingSource(std::string first) : first_(std::move(first)) {}
  chorus::Result<size_t> read(char* buf, size_t n) override {
    if (!first_.empty()) {
      size_t k = std::min(n, first_.size());
      std::memcpy(buf, first_.data(), k);
      first_.erase(0, k);
      return k;
    }
    return chorus::Status::error("Input/output error");
  }

 private:
  std::string first_;
};

struct ReadResult {
  std::string data;        // everything read before the end or the error
  bool ok = true;
  std::string error;
};

ReadResult read_everything(InputStream& in, size_t chunk = 4096) {
  ReadResult r;
  std::vector<char> buf(chunk);
  for (int guard = 0; guard < 10000000; ++guard) {
    auto n = in.read(buf.data(), buf.size());
    if (!n) {
      r.ok = false;
      r.error = n.status().message();
      return r;
    }
    if (*n == 0) return r;
    r.data.append(buf.data(), *n);
  }
  BOOST_FAIL("read never ended");
  return r;
}

ReadResult read_bytes(const std::string& bytes, size_t chunk = 4096, const std::string& name = "test.in") {
  auto in = InputStream::from_source(chorus::memory_source(bytes), name);
  return read_everything(*in, chunk);
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(input)

BOOST_AUTO_TEST_CASE(plain_bytes) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{3}, size_t{4}, size_t{5}, size_t{1000}, size_t{300000}}) {
    BOOST_TEST_CONTEXT("size " << size) {
      std::string data = sample_text(size);
      auto in = InputStream::from_source(chorus::memory_source(data), "plain.txt");
      auto r = read_everything(*in, 1000);
      BOOST_TEST(r.ok);
      BOOST_TEST(r.data == data);
      BOOST_TEST(!in->compressed());
      BOOST_TEST(in->raw_bytes_read() == size);
      BOOST_TEST(in->name() == "plain.txt");
      // The end stays the end.
      char c;
      auto again = in->read(&c, 1);
      BOOST_TEST_REQUIRE(again.ok());
      BOOST_TEST(*again == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(zstd_single_frame) {
  for (size_t chunk : {size_t{1} << 16, size_t{7}, size_t{1}}) {
    std::string data = sample_text(chunk == 1 ? 20000 : 500000);  // byte by byte is slow: keep it short
    std::string z = zstd_compress(data);
    BOOST_TEST_CONTEXT("chunk " << chunk) {
      auto in = InputStream::from_source(chorus::memory_source(z), "data.zst");
      auto r = read_everything(*in, chunk);
      BOOST_TEST(r.ok, r.error);
      BOOST_TEST(r.data == data);
      BOOST_TEST(in->compressed());
      BOOST_TEST(in->raw_bytes_read() == z.size());
    }
  }
}

BOOST_AUTO_TEST_CASE(zstd_from_a_dribbling_source) {
  // Sniffing the magic and decompressing must not depend on how reads are cut.
  std::string data = sample_text(50000, 7);
  std::string z = zstd_frame(data) + zstd_frame("tail\n");
  for (unsigned seed = 1; seed <= 5; ++seed) {
    auto in = InputStream::from_source(std::make_unique<DribbleSource>(z, seed, 3), "pipe");
    auto r = read_everything(*in, 1 + seed * 97);
    BOOST_TEST(r.ok, r.error);
    BOOST_TEST(r.data == data + "tail\n");
  }
  auto in = InputStream::from_source(std::make_unique<DribbleSource>(data, 9, 2), "pipe");
  auto r = read_everything(*in);
  BOOST_TEST(r.data == data);
  BOOST_TEST(!in->compressed());
}

BOOST_AUTO_TEST_CASE(zstd_multi_frame) {
  std::string a = sample_text(70000, 2), b = sample_text(5, 3), c = sample_text(200000, 4);
  std::string z = zstd_compress(a) + zstd_compress(b) + zstd_frame(c, 19, true) + zstd_compress("");
  auto r = read_bytes(z, 12345);
  BOOST_TEST(r.ok, r.error);
  BOOST_TEST(r.data == a + b + c);
}

BOOST_AUTO_TEST_CASE(zstd_skippable_frames) {
  std::string a = "first\n", b = "second\n";
  // Skippable frames first (the sniffer must take them for zstd), between and last.
  std::string z = skippable_frame("metadata") + zstd_compress(a) + skippable_frame("", 15) + zstd_compress(b) +
                  skippable_frame(std::string(100000, 'x'), 7);
  auto r = read_bytes(z);
  BOOST_TEST(r.ok, r.error);
  BOOST_TEST(r.data == a + b);
  // A stream of nothing but a skippable frame is an empty input.
  auto e = read_bytes(skippable_frame("only"));
  BOOST_TEST(e.ok, e.error);
  BOOST_TEST(e.data.empty());
}

BOOST_AUTO_TEST_CASE(zstd_truncated_frame_is_an_error) {
  std::string data = sample_text(3000, 5);
  for (bool checksum : {false, true}) {
    std::string z = zstd_frame(data, 3, checksum);
    // Every cut that keeps the magic number: an error saying "truncated", never a clean end.
    for (size_t cut = 4; cut < z.size(); ++cut) {
      BOOST_TEST_CONTEXT("checksum " << checksum << ", cut at " << cut << " of " << z.size()) {
        auto r = read_bytes(z.substr(0, cut), 4096, "cut.zst");
        BOOST_TEST(!r.ok);
        BOOST_TEST(contains(r.error, "truncated"), r.error);
        BOOST_TEST(contains(r.error, "cut.zst"), r.error);
        BOOST_TEST(data.compare(0, r.data.size(), r.data) == 0);  // what came out was right
      }
    }
  }
  // A large multi-block frame cut in its middle: the blocks before come out, then the error.
  std::string big = sample_text(1 << 20, 6);
  std::string z = zstd_compress(big);
  auto r = read_bytes(z.substr(0, z.size() / 2));
  BOOST_TEST(!r.ok);
  BOOST_TEST(contains(r.error, "truncated"), r.error);
  BOOST_TEST(r.data.size() > 0u);
  BOOST_TEST(big.compare(0, r.data.size(), r.data) == 0);
}

BOOST_AUTO_TEST_CASE(zstd_second_frame_truncated) {
  std::string a = sample_text(1000, 8), b = sample_text(1000, 9);
  std::string za = zstd_compress(a), zb = zstd_compress(b);
  for (size_t cut = 1; cut < zb.size(); ++cut) {
    BOOST_TEST_CONTEXT("second frame cut at " << cut) {
      auto r = read_bytes(za + zb.substr(0, cut));
      BOOST_TEST(!r.ok);  // never a clean end after the first frame
      if (cut >= 4) BOOST_TEST(contains(r.error, "truncated"), r.error);
    }
  }
}

BOOST_AUTO_TEST_CASE(zstd_corrupt_bytes) {
  std::string data = sample_text(4000, 10);
  std::string z = zstd_frame(data, 3, true);
  // A reserved block type in the first block header is corrupt whatever the content.
  {
    std::string bad = z;
    // The frame header's size, from its descriptor byte (RFC 8878 3.1.1.1).
    unsigned fhd = static_cast<unsigned char>(z[4]);
    bool single_segment = fhd & 0x20;
    static const size_t did_size[] = {0, 1, 2, 4}, fcs_size[] = {0, 2, 4, 8};
    size_t fcs = (fhd >> 6) == 0 ? (single_segment ? 1 : 0) : fcs_size[fhd >> 6];
    size_t header = 4 + 1 + (single_segment ? 0 : 1) + did_size[fhd & 3] + fcs;
    bad[header] = static_cast<char>((static_cast<unsigned char>(bad[header]) & ~0x06) | 0x06);
    auto r = read_bytes(bad, 4096, "bad.zst");
    BOOST_TEST(!r.ok);
    BOOST_TEST(contains(r.error, "bad.zst: corrupt zstd stream"), r.error);
  }
  // Any flipped byte after the magic: an error, or (a flip the format ignores) the same data.
  int errors = 0;
  for (size_t pos = 4; pos < z.size(); ++pos) {
    std::string bad = z;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x5a);
    auto r = read_bytes(bad);
    BOOST_TEST_CONTEXT("flip at " << pos) {
      if (r.ok) BOOST_TEST(r.data == data);
      else {
        ++errors;
        BOOST_TEST((contains(r.error, "corrupt") || contains(r.error, "truncated")), r.error);
      }
    }
  }
  BOOST_TEST(errors > 0);
}

BOOST_AUTO_TEST_CASE(zstd_trailing_garbage) {
  std::string data = "{\"id\":1}\n";
  std::string z = zstd_compress(data);
  auto r = read_bytes(z + "garbage after the frame");
  BOOST_TEST(!r.ok);
  BOOST_TEST(contains(r.error, "trailing garbage"), r.error);
  BOOST_TEST(r.data == data);  // the good frame before it was read
  for (const std::string& tail : {std::string("x"), std::string("xy"), std::string("xyz")}) {
    auto s = read_bytes(z + tail);
    BOOST_TEST(!s.ok);
    BOOST_TEST(contains(s.error, "trailing garbage"), s.error);
  }
  auto n = read_bytes(z + std::string(4, '\0'));
  BOOST_TEST(!n.ok);
}

BOOST_AUTO_TEST_CASE(read_error_names_the_input) {
  auto in = InputStream::from_source(std::make_unique<FailingSource>("some bytes"), "disk.jsonl");
  auto r = read_everything(*in);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error == "disk.jsonl: read error: Input/output error");
  auto early = InputStream::from_source(std::make_unique<FailingSource>(""), "early");
  auto e = read_everything(*early);
  BOOST_TEST(!e.ok);
  BOOST_TEST(contains(e.error, "early: read error"), e.error);
}

BOOST_AUTO_TEST_CASE(open_missing_file) {
  auto in = InputStream::open("/nonexistent/chorus/input.jsonl");
  BOOST_TEST_REQUIRE(!in.ok());
  BOOST_TEST(in.status().message() == "/nonexistent/chorus/input.jsonl: No such file or directory");
  auto all = chorus::read_all("/nonexistent/chorus/input.jsonl");
  BOOST_TEST(!all.ok());
}

// ---- LineBlockReader ----

// What a LineBlockReader gave: line number -> text, and the lines it called too long.
struct Lines {
  std::map<uint64_t, std::string> text;
  std::vector<uint64_t> overlong;
  std::string joined;  // the blocks' bytes back to back
  size_t blocks = 0;
  bool ok = true;
  std::string error;
};

Lines read_lines(InputStream& in, size_t block_size, size_t max_line, size_t padding = 64) {
  Lines out;
  LineBlockReader reader(in, block_size, max_line, padding);
  LineBlockReader::Block block;
  for (int guard = 0; guard < 1000000; ++guard) {
    auto more = reader.next(block);
    if (!more) {
      out.ok = false;
      out.error = more.status().message();
      return out;
    }
    if (!*more) return out;
    ++out.blocks;
    // The padding after the block is readable (a sanitizer build checks this).
    volatile char sink = 0;
    for (size_t k = 0; k < padding; ++k) sink = sink + block.data[block.size + k];
    out.joined.append(block.data, block.size);
    for (uint64_t n : block.overlong) out.overlong.push_back(n);
    // The block's newline index is every '\n' of the block, in order (found here by a plain scan).
    std::vector<size_t> want_newlines;
    for (size_t k = 0; k < block.size; ++k)
      if (block.data[k] == '\n') want_newlines.push_back(k);
    BOOST_TEST(block.newlines == want_newlines, "newline index of block " << out.blocks);
    uint64_t line = block.first_line;
    size_t start = 0;
    while (start < block.size) {
      const char* nl = static_cast<const char*>(std::memchr(block.data + start, '\n', block.size - start));
      size_t end = nl ? static_cast<size_t>(nl - block.data) : block.size;
      BOOST_TEST(out.text.count(line) == 0u, "line " << line << " delivered twice");
      out.text[line++] = std::string(block.data + start, end - start);
      start = end + 1;
    }
  }
  BOOST_FAIL("LineBlockReader never ended");
  return out;
}

Lines read_lines(const std::string& bytes, size_t block_size, size_t max_line) {
  auto in = InputStream::from_source(chorus::memory_source(bytes), "lines");
  return read_lines(*in, block_size, max_line);
}

// Checks a reader's output against the lines of `input`: every line up to
// max_line comes with its number and text, every longer one is reported once
// and is either absent or blanked to spaces.
void check_against_model(const std::string& input, const Lines& got, size_t max_line) {
  BOOST_TEST_REQUIRE(got.ok, got.error);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < input.size()) {
    size_t nl = input.find('\n', start);
    size_t end = nl == std::string::npos ? input.size() : nl;
    lines.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  std::vector<uint64_t> want_overlong;
  for (size_t i = 0; i < lines.size(); ++i) {
    uint64_t n = i + 1;
    if (lines[i].size() > max_line) {
      want_overlong.push_back(n);
      auto it = got.text.find(n);
      if (it != got.text.end()) BOOST_TEST(it->second == std::string(lines[i].size(), ' '), "line " << n);
    } else {
      auto it = got.text.find(n);
      if (it == got.text.end()) {
        // An empty last line after the final '\n' does not exist; any other line must.
        BOOST_ERROR("line " << n << " missing");
        continue;
      }
      BOOST_TEST(it->second == lines[i], "line " << n);
    }
  }
  BOOST_TEST(got.overlong == want_overlong, "overlong lines");
  BOOST_TEST(got.text.size() <= lines.size());
  if (!got.text.empty()) BOOST_TEST(got.text.rbegin()->first <= lines.size());
}

BOOST_AUTO_TEST_CASE(blocks_of_whole_lines) {
  std::string input;
  for (int i = 1; i <= 200; ++i) input += "{\"n\":" + std::to_string(i) + "}\n";
  auto got = read_lines(input, 16, 40);
  check_against_model(input, got, 40);
  BOOST_TEST(got.joined == input);
  BOOST_TEST(got.blocks > 20u);  // the tiny block size really split the input
  BOOST_TEST(got.text.size() == 200u);
  BOOST_TEST(got.text[137] == "{\"n\":137}");
}

BOOST_AUTO_TEST_CASE(line_numbering_across_block_and_read_boundaries) {
  // Random line lengths (some over max_line), random block sizes, random read pieces.
  for (unsigned seed = 1; seed <= 60; ++seed) {
    std::mt19937 rng(seed);
    const size_t max_line = 8 + rng() % 40;
    const size_t block_size = std::vector<size_t>{1, 2, 7, 16, 33, 64, 200, 5000}[rng() % 8];
    std::string input;
    int n_lines = 1 + rng() % 120;
    for (int i = 0; i < n_lines; ++i) {
      size_t len = rng() % 4 == 0 ? max_line + rng() % (3 * max_line + 2) : rng() % (max_line + 1);
      if (rng() % 10 == 0) len = 0;
      for (size_t k = 0; k < len; ++k) input += static_cast<char>('a' + (i + k) % 26);
      if (i + 1 < n_lines || rng() % 2) input += '\n';
    }
    BOOST_TEST_CONTEXT("seed " << seed << " block " << block_size << " max_line " << max_line) {
      auto in = InputStream::from_source(std::make_unique<DribbleSource>(input, seed, 1 + rng() % 50), "lines");
      auto got = read_lines(*in, block_size, max_line);
      check_against_model(input, got, max_line);
    }
  }
}

BOOST_AUTO_TEST_CASE(last_line_without_newline) {
  auto got = read_lines("one\ntwo\nthree", 4, 100);
  check_against_model("one\ntwo\nthree", got, 100);
  BOOST_TEST(got.text[3] == "three");
  BOOST_TEST(got.joined == "one\ntwo\nthree");
  auto single = read_lines("only", 1 << 20, 100);
  BOOST_TEST(single.text.size() == 1u);
  BOOST_TEST(single.text[1] == "only");
  auto empty = read_lines("", 16, 100);
  BOOST_TEST(empty.ok);
  BOOST_TEST(empty.blocks == 0u);
}

BOOST_AUTO_TEST_CASE(crlf_lines) {
  std::string input = "{\"a\":1}\r\n{\"a\":2}\r\n\r\n{\"a\":4}\r\n";
  auto got = read_lines(input, 8, 100);
  BOOST_TEST(got.joined == input);  // '\r' is JSON whitespace: kept for the parser
  BOOST_TEST(got.text[1] == "{\"a\":1}\r");
  BOOST_TEST(got.text[3] == "\r");
  BOOST_TEST(got.text[4] == "{\"a\":4}\r");
  BOOST_TEST(got.text.size() == 4u);
}

BOOST_AUTO_TEST_CASE(overlong_lines_inside_a_block_are_blanked) {
  std::string input = "short\n" + std::string(30, 'x') + "\nok\n" + std::string(11, 'y') + "\n" +
                      std::string(10, 'z') + "\n";
  auto got = read_lines(input, 1 << 16, 10);
  check_against_model(input, got, 10);
  BOOST_TEST(got.overlong == (std::vector<uint64_t>{2, 4}));
  BOOST_TEST(got.text[2] == std::string(30, ' '));
  BOOST_TEST(got.text[4] == std::string(11, ' '));
  BOOST_TEST(got.text[5] == std::string(10, 'z'));  // exactly max_line is allowed
  BOOST_TEST(got.text[3] == "ok");
}

BOOST_AUTO_TEST_CASE(overlong_line_longer_than_the_buffer) {
  // block_size 16, max_line 10: the buffer holds 16 bytes, the line is 100 000.
  std::string input = "ab\n" + std::string(100000, 'x') + "\ncd\n";
  auto got = read_lines(input, 16, 10);
  check_against_model(input, got, 10);
  BOOST_TEST(got.overlong == std::vector<uint64_t>{2});
  BOOST_TEST(got.text[1] == "ab");
  BOOST_TEST(got.text[3] == "cd");
  BOOST_TEST(got.joined.size() < 100u);  // the long line was discarded while streaming
  // At the end of input, without a newline.
  auto tail = read_lines("ab\n" + std::string(5000, 'x'), 16, 10);
  check_against_model("ab\n" + std::string(5000, 'x'), tail, 10);
  BOOST_TEST(tail.overlong == std::vector<uint64_t>{2});
  // As the first line, and twice in a row.
  std::string two = std::string(70, 'x') + "\n" + std::string(70, 'y') + "\nend";
  auto first = read_lines(two, 8, 20);
  check_against_model(two, first, 20);
  BOOST_TEST(first.overlong == (std::vector<uint64_t>{1, 2}));
  BOOST_TEST(first.text[3] == "end");
}

BOOST_AUTO_TEST_CASE(reads_zstd_input) {
  std::string input;
  for (int i = 1; i <= 5000; ++i) input += "line " + std::to_string(i) + "\n";
  auto in = InputStream::from_source(chorus::memory_source(zstd_compress(input)), "lines.zst");
  auto got = read_lines(*in, 1000, 100);
  check_against_model(input, got, 100);
  BOOST_TEST(got.joined == input);
}

BOOST_AUTO_TEST_CASE(input_error_surfaces_from_next) {
  auto in = InputStream::from_source(chorus::memory_source(zstd_compress("a\nb\n").substr(0, 10)), "t.zst");
  auto got = read_lines(*in, 16, 100);
  BOOST_TEST(!got.ok);
  BOOST_TEST(contains(got.error, "truncated"), got.error);
}

BOOST_AUTO_TEST_SUITE_END()

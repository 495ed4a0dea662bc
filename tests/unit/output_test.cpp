// Tests of lib/output.hpp: the buffered writer into a string, into a plain
// and a ".zst" file (decompressed here with libzstd directly), and its error
// handling: a write to /dev/full fails at close(), never silently.
#include "output.hpp"

#include <unistd.h>
#include <zstd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace {

using chorus::OutputStream;

// A fresh directory under $TMPDIR (or /tmp), removed with its files at the end.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/chorus-output-test-XXXXXX";
    char* p = ::mkdtemp(tmpl.data());
    BOOST_REQUIRE(p != nullptr);
    path_ = p;
  }
  ~TempDir() {
    for (const auto& f : files_) std::remove(f.c_str());
    ::rmdir(path_.c_str());
  }
  std::string file(const std::string& name) {
    files_.push_back(path_ + "/" + name);
    return files_.back();
  }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Every frame of `z`, decompressed; fails the test on any zstd error or leftover.
std::string zstd_decompress(const std::string& z) {
  ZSTD_DCtx* d = ZSTD_createDCtx();
  std::string out;
  std::string buf(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer in{z.data(), z.size(), 0};
  size_t last = 1;  // 0 once the last frame read has ended
  for (;;) {
    ZSTD_outBuffer o{buf.data(), buf.size(), 0};
    last = ZSTD_decompressStream(d, &o, &in);
    if (ZSTD_isError(last)) {
      ZSTD_freeDCtx(d);
      BOOST_FAIL("zstd: " << ZSTD_getErrorName(last));
    }
    out.append(buf.data(), o.pos);
    // All input taken and room left in the output: the decoder holds nothing back.
    if (in.pos == in.size && o.pos < o.size) break;
  }
  ZSTD_freeDCtx(d);
  BOOST_TEST(last == 0u, "the zstd frame was finished");
  return out;
}

// Writes the same mix of calls to `out` and to the returned string.
std::string write_mix(OutputStream& out, size_t approx_bytes, unsigned seed) {
  std::mt19937 rng(seed);
  std::string want;
  while (want.size() < approx_bytes) {
    switch (rng() % 4) {
      case 0: {
        std::string s(rng() % 100, static_cast<char>('a' + rng() % 26));
        s += '\n';
        out.write(s);
        want += s;
        break;
      }
      case 1: {
        char c = static_cast<char>(rng() % 256);
        out.put(c);
        want += c;
        break;
      }
      case 2: {
        size_t n = rng() % 64;
        char* p = out.reserve(n);
        for (size_t k = 0; k < n; ++k) p[k] = static_cast<char>('0' + k % 10);
        out.commit(n);
        for (size_t k = 0; k < n; ++k) want += static_cast<char>('0' + k % 10);
        break;
      }
      case 3: {
        if (rng() % 50 == 0) {  // now and then, something bigger than the buffer
          std::string big(300000 + rng() % 1000, 'B');
          out.write(big);
          want += big;
        }
        break;
      }
    }
  }
  return want;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(output)

BOOST_AUTO_TEST_CASE(to_string_gets_everything) {
  std::string target;
  auto out = OutputStream::to_string(&target);
  std::string want = write_mix(*out, 1000000, 1);
  BOOST_TEST(out->close().ok());
  BOOST_TEST(target.size() == want.size());
  BOOST_TEST((target == want));
  BOOST_TEST(!out->failed());
}

BOOST_AUTO_TEST_CASE(to_string_is_buffered_until_close) {
  std::string target;
  auto out = OutputStream::to_string(&target);
  out->write("hello ");
  out->put('w');
  char* p = out->reserve(4);
  std::memcpy(p, "orld", 4);
  out->commit(4);
  BOOST_TEST(target.empty());
  BOOST_TEST(out->close().ok());
  BOOST_TEST(target == "hello world");
  BOOST_TEST(out->close().ok());  // a second close is harmless
  BOOST_TEST(target == "hello world");
}

BOOST_AUTO_TEST_CASE(reserve_larger_than_the_buffer) {
  std::string target;
  auto out = OutputStream::to_string(&target);
  out->write("head:");
  const size_t n = 1 << 20;  // four times the buffer
  char* p = out->reserve(n);
  std::memset(p, 'r', n);
  out->commit(n);
  out->write(":tail");
  BOOST_TEST(out->close().ok());
  BOOST_TEST(target == "head:" + std::string(n, 'r') + ":tail");
}

BOOST_AUTO_TEST_CASE(destructor_flushes) {
  std::string target;
  {
    auto out = OutputStream::to_string(&target);
    out->write("unclosed");
  }
  BOOST_TEST(target == "unclosed");
}

BOOST_AUTO_TEST_CASE(plain_file) {
  TempDir dir;
  std::string path = dir.file("events.jsonl");
  auto out = OutputStream::open(path);
  BOOST_TEST_REQUIRE(out.ok());
  std::string want = write_mix(**out, 700000, 2);
  BOOST_TEST((*out)->close().ok());
  BOOST_TEST((*out)->name() == path);
  BOOST_TEST((slurp(path) == want));
}

BOOST_AUTO_TEST_CASE(zst_file_decompresses_to_what_was_written) {
  TempDir dir;
  for (int level : {1, 3, 19}) {
    BOOST_TEST_CONTEXT("level " << level) {
      std::string path = dir.file("events" + std::to_string(level) + ".jsonl.zst");
      auto out = OutputStream::open(path, level);
      BOOST_TEST_REQUIRE(out.ok());
      std::string want = write_mix(**out, level == 19 ? 100000 : 700000, 3 + level);
      BOOST_TEST((*out)->close().ok());
      std::string z = slurp(path);
      BOOST_TEST_REQUIRE(z.size() >= 4u);
      BOOST_TEST(static_cast<unsigned char>(z[0]) == 0x28u);  // the zstd magic, 28 B5 2F FD
      BOOST_TEST(static_cast<unsigned char>(z[3]) == 0xFDu);
      BOOST_TEST(z.size() < want.size());
      BOOST_TEST((zstd_decompress(z) == want));
    }
  }
  // An empty output is still one complete (empty) frame.
  std::string path = dir.file("empty.zst");
  auto out = OutputStream::open(path);
  BOOST_TEST_REQUIRE(out.ok());
  BOOST_TEST((*out)->close().ok());
  std::string z = slurp(path);
  BOOST_TEST(z.size() > 0u);
  BOOST_TEST(zstd_decompress(z).empty());
}

BOOST_AUTO_TEST_CASE(zst_only_by_name) {
  TempDir dir;
  std::string path = dir.file("events.zstd");  // not ".zst": written plain
  auto out = OutputStream::open(path);
  BOOST_TEST_REQUIRE(out.ok());
  (*out)->write("plain\n");
  BOOST_TEST((*out)->close().ok());
  BOOST_TEST(slurp(path) == "plain\n");
}

BOOST_AUTO_TEST_CASE(dev_full_fails_at_close) {
  if (::access("/dev/full", W_OK) != 0) {
    BOOST_TEST_MESSAGE("no writable /dev/full: skipped");
    return;
  }
  // A small write stays in the buffer: the error comes at close.
  {
    auto out = OutputStream::open("/dev/full");
    BOOST_TEST_REQUIRE(out.ok());
    (*out)->write("{\"id\":\"e1\"}\n");
    BOOST_TEST(!(*out)->failed());
    chorus::Status st = (*out)->close();
    BOOST_TEST(!st.ok());
    BOOST_TEST(st.message() == "/dev/full: write error: No space left on device");
    BOOST_TEST((*out)->failed());
    BOOST_TEST(!(*out)->close().ok());  // and stays reported
  }
  // A large write fails on the way; later writes are dropped; close still says so.
  {
    auto out = OutputStream::open("/dev/full");
    BOOST_TEST_REQUIRE(out.ok());
    (*out)->write(std::string(1 << 20, 'x'));
    BOOST_TEST((*out)->failed());
    (*out)->write("more");
    chorus::Status st = (*out)->close();
    BOOST_TEST(!st.ok());
    BOOST_TEST(st.message().find("No space left on device") != std::string::npos, st.message());
  }
}

BOOST_AUTO_TEST_CASE(open_error_names_the_path) {
  auto out = OutputStream::open("/nonexistent/chorus/out.jsonl");
  BOOST_TEST_REQUIRE(!out.ok());
  BOOST_TEST(out.status().message() == "/nonexistent/chorus/out.jsonl: No such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()

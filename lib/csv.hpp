// csv.hpp — an RFC 4180 reader over an InputStream: quoted fields may hold
// commas, doubled quotes and newlines; CRLF or LF line ends; a UTF-8 byte
// order mark at the start is dropped. Each row knows the line it starts on.
// A row longer than max_row bytes is reported and skipped up to the next
// line end (its quotes are not trusted), so memory stays bounded. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "input.hpp"
#include "status.hpp"

namespace chorus {

class CsvReader {
 public:
  CsvReader(InputStream& in, size_t max_row);

  enum class Outcome { kRow, kTooLong, kEnd };
  // Reads the next row into fields(); kTooLong reports a skipped row at line().
  Result<Outcome> next();
  const std::vector<std::string_view>& fields() const { return fields_; }
  uint64_t line() const { return row_line_; }
  // The row's raw text so far (for messages), cut to n bytes.
  std::string_view raw(size_t n) const { return std::string_view(raw_).substr(0, n); }
  bool unterminated_quote() const { return unterminated_; }

 private:
  Result<int> get();  // next byte, or -1 at end
  InputStream& in_;
  size_t max_row_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false, started_ = false;
  uint64_t line_ = 1, row_line_ = 1;
  std::string row_;                 // field bytes, back to back
  std::vector<size_t> bounds_;      // end offset of each field in row_
  std::vector<std::string_view> fields_;
  std::string raw_;
  bool unterminated_ = false;
};

}  // namespace chorus

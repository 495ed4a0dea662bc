#include "csv.hpp"

namespace chorus {

CsvReader::CsvReader(InputStream& in, size_t max_row) : in_(in), max_row_(max_row), buf_(1 << 16) {}

Result<int> CsvReader::get() {
  if (pos_ == end_) {
    if (eof_) return -1;
    auto r = in_.read(buf_.data(), buf_.size());
    if (!r) return r.status();
    if (*r == 0) {
      eof_ = true;
      return -1;
    }
    pos_ = 0;
    end_ = *r;
  }
  return static_cast<unsigned char>(buf_[pos_++]);
}

Result<CsvReader::Outcome> CsvReader::next() {
  row_.clear();
  bounds_.clear();
  raw_.clear();
  unterminated_ = false;
  row_line_ = line_;
  if (!started_) {
    started_ = true;
    // Drop a UTF-8 byte order mark: look at the first three bytes in place.
    while (!eof_ && end_ < 3) {
      auto r = in_.read(buf_.data() + end_, buf_.size() - end_);
      if (!r) return r.status();
      if (*r == 0) eof_ = true;
      end_ += *r;
    }
    if (end_ >= 3 && static_cast<unsigned char>(buf_[0]) == 0xEF && static_cast<unsigned char>(buf_[1]) == 0xBB &&
        static_cast<unsigned char>(buf_[2]) == 0xBF)
      pos_ = 3;
  }
  bool in_quotes = false, any = false, quoted_field = false, after_quote = false;
  for (;;) {
    auto r = get();
    if (!r) return r.status();
    int c = *r;
    if (c < 0) {
      if (!any) return Outcome::kEnd;
      if (row_.size() > max_row_) return Outcome::kTooLong;
      if (in_quotes) unterminated_ = true;
      bounds_.push_back(row_.size());
      break;
    }
    any = true;
    if (raw_.size() < 256) raw_ += static_cast<char>(c);
    if (row_.size() > max_row_) {
      // Too long: skip to the end of this physical line, whatever the quotes say.
      while (c >= 0 && c != '\n') {
        auto g = get();
        if (!g) return g.status();
        c = *g;
      }
      ++line_;
      return Outcome::kTooLong;
    }
    if (in_quotes) {
      if (c == '"') {
        auto p = get();
        if (!p) return p.status();
        if (*p == '"') {
          row_ += '"';
          if (raw_.size() < 256) raw_ += '"';  // raw() shows the text as written
        } else {
          in_quotes = false;
          after_quote = true;
          if (*p >= 0) --pos_;  // not consumed
        }
      } else {
        if (c == '\n') ++line_;
        row_ += static_cast<char>(c);
      }
      continue;
    }
    if (c == '"' && !quoted_field && (bounds_.empty() ? row_.empty() : row_.size() == bounds_.back())) {
      in_quotes = quoted_field = true;
      continue;
    }
    if (c == ',') {
      bounds_.push_back(row_.size());
      quoted_field = after_quote = false;
      continue;
    }
    if (c == '\r') {
      auto p = get();
      if (!p) return p.status();
      if (*p == '\n' || *p < 0) {
        if (*p == '\n' && raw_.size() < 256) raw_ += '\n';
        ++line_;
        bounds_.push_back(row_.size());
        break;
      }
      --pos_;
      row_ += '\r';
      continue;
    }
    if (c == '\n') {
      ++line_;
      bounds_.push_back(row_.size());
      break;
    }
    (void)after_quote;  // text after a closing quote is kept, as most readers do
    row_ += static_cast<char>(c);
  }
  fields_.clear();
  size_t start = 0;
  for (size_t b : bounds_) {
    fields_.emplace_back(row_.data() + start, b - start);
    start = b;
  }
  return Outcome::kRow;
}

}  // namespace chorus

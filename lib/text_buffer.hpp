// text_buffer.hpp — a growable byte buffer for formatters on hot paths. Unlike
// std::string it never zero-fills and its appends inline to a bounds check
// and a memcpy. Not thread-safe.
#pragma once

#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

namespace chorus {

class TextBuffer {
 public:
  TextBuffer() = default;
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;
  ~TextBuffer() { std::free(data_); }

  void append(const char* p, size_t n) {
    if (n == 0) return;  // p may be null (an empty string_view): memcpy must not see it
    reserve_more(n);
    std::memcpy(data_ + size_, p, n);
    size_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void push_back(char c) {
    reserve_more(1);
    data_[size_++] = c;
  }
  TextBuffer& operator+=(char c) {
    push_back(c);
    return *this;
  }
  TextBuffer& operator+=(std::string_view s) {
    append(s);
    return *this;
  }
  // Room for n more bytes; write them at end() and then commit(n).
  void reserve_more(size_t n) {
    if (cap_ - size_ < n) grow(n);
  }
  char* end() { return data_ + size_; }
  void commit(size_t n) { size_ += n; }

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }
  void resize(size_t n) { size_ = n; }  // shrink only
  std::string_view view() const { return {data_, size_}; }

 private:
  void grow(size_t n) {
    size_t cap = cap_ ? cap_ : 4096;
    while (cap - size_ < n) cap *= 2;
    char* p = static_cast<char*>(std::realloc(data_, cap));
    if (!p) throw std::bad_alloc();
    data_ = p;
    cap_ = cap;
  }
  char* data_ = nullptr;
  size_t size_ = 0, cap_ = 0;
};

}  // namespace chorus

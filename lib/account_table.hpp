// account_table.hpp — chorus-join's accounts: each distinct account name gets
// a dense 32-bit id, in the order names are first seen. Compact, because it
// grows with the input: the names back to back in one buffer, an end offset
// per id and an open-addressing table of ids (at most half full), about
// 24 bytes per account plus its name. memory_bytes() says what it holds, so
// the caller can count it against its budget. Not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chorus {

class AccountTable {
 public:
  // The id of `name`, added when new.
  uint32_t intern(std::string_view name);
  std::optional<uint32_t> find(std::string_view name) const;
  std::string_view name(uint32_t id) const {
    const uint64_t begin = id ? ends_[id - 1] : 0;
    return std::string_view(names_).substr(begin, ends_[id] - begin);
  }
  size_t size() const { return ends_.size(); }
  // The largest of its three buffers (each grows by doubling).
  size_t largest_part_bytes() const {
    return std::max({names_.capacity(), ends_.capacity() * sizeof(uint64_t), slots_.capacity() * sizeof(uint32_t)});
  }
  size_t memory_bytes() const {
    return names_.capacity() + ends_.capacity() * sizeof(uint64_t) + slots_.capacity() * sizeof(uint32_t);
  }

 private:
  size_t slot_of(std::string_view name) const;  // where `name` is, or the empty slot it would take
  void grow();

  std::string names_;
  std::vector<uint64_t> ends_;
  std::vector<uint32_t> slots_ = std::vector<uint32_t>(1024, 0);  // id + 1; 0: empty
};

}  // namespace chorus

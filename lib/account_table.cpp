#include "account_table.hpp"

#include <xxhash.h>

namespace chorus {

size_t AccountTable::slot_of(std::string_view name) const {
  const size_t mask = slots_.size() - 1;
  for (size_t s = XXH3_64bits(name.data(), name.size()) & mask;; s = (s + 1) & mask)
    if (slots_[s] == 0 || this->name(slots_[s] - 1) == name) return s;
}

std::optional<uint32_t> AccountTable::find(std::string_view name) const {
  const uint32_t v = slots_[slot_of(name)];
  if (v == 0) return std::nullopt;
  return v - 1;
}

uint32_t AccountTable::intern(std::string_view name) {
  size_t s = slot_of(name);
  if (slots_[s] != 0) return slots_[s] - 1;
  const auto id = static_cast<uint32_t>(ends_.size());
  names_ += name;
  ends_.push_back(names_.size());
  slots_[s] = id + 1;
  if (2 * ends_.size() > slots_.size()) grow();
  return id;
}

void AccountTable::grow() {
  std::vector<uint32_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  for (uint32_t id = 0; id < ends_.size(); ++id) slots_[slot_of(name(id))] = id + 1;
}

}  // namespace chorus

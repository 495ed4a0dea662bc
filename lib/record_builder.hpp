// record_builder.hpp — turns what an Extractor found into canonical Events
// and Accounts, checking every value's type: a missing or wrongly typed
// required field, an unreadable timestamp or an unknown type is an error
// naming the field. Entities are taken from the text when the record has no
// entity arrays. Not thread-safe: one per Extractor.
#pragma once

#include <optional>
#include <string>

#include "event.hpp"
#include "extractor.hpp"
#include "field_map.hpp"
#include "status.hpp"
#include "text_entities.hpp"

namespace chorus {

class RecordBuilder {
 public:
  RecordBuilder(const FieldMap& map, const Extractor& ex);

  // The views in `ev` borrow from the record (so from the parser) and stay
  // valid until the next document is extracted.
  Status build_event(const RawRecord& r, EventView& ev);
  // The profile fields of `r` into `a` (account and platform are left to the caller).
  // Returns whether any profile field was there.
  Result<bool> build_profile(const RawRecord& r, Account& a);
  // A page profile's id (kProfileId), or nullopt.
  std::optional<std::string> profile_id(const RawRecord& r);

 private:
  // The first alternative that holds a value (null and "" only when no other
  // does). For a scalar field an empty "*"/"[k=v]" match holds no value either.
  const SlotValue* pick(const RawRecord& r, Field f, bool scalar = false) const;
  // The getters below run for every field of every event, so they report a
  // wrong type by returning false and leave the message, with its string
  // building, to the *_error functions called on that path only.
  // A text field: `out` is nullopt when absent; `clean` as in SlotValue.
  bool text_value(const RawRecord& r, Field f, bool allow_number, std::optional<std::string_view>& out,
                  bool* clean = nullptr) const;
  Status text_error(const RawRecord& r, Field f) const;
  Status list_value(const RawRecord& r, Field f, std::vector<std::string_view>& out, bool& found, char strip,
                    bool& clean);
  bool count_value(const RawRecord& r, Field f, std::optional<int64_t>& out) const;
  Status count_error(Field f) const;
  Result<std::optional<Micros>> time_value(const RawRecord& r, Field f);
  Result<std::optional<bool>> bool_value(const RawRecord& r, Field f);
  bool truthy(const SlotValue* v) const;
  std::string where(Field f) const;

  const FieldMap& map_;
  const Extractor& ex_;
};

}  // namespace chorus

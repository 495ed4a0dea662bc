// extractor.hpp — reads the values a FieldMap asks for out of one JSON
// document in a single forward pass with simdjson On-Demand. The map's paths
// are compiled into a trie, so each member of the document is looked at once
// whatever the number of fields; members no path names are skipped (checked
// by simdjson for UTF-8 and bracket balance only) or, with keep_extra, copied
// raw into the record's `extra`. Not thread-safe: one Extractor per thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "field_map.hpp"
#include "status.hpp"

namespace chorus {

enum class JsonKind : uint8_t { kMissing, kNull, kString, kNumber, kBool, kArray, kObject };

// What one path alternative found in a record. The views point into the
// parser's buffers (or the Extractor's arena) and stay valid until the next
// document is extracted.
struct SlotValue {
  uint32_t gen = 0;             // the record generation that wrote it (else stale)
  bool present = false;         // the path led somewhere (even to null or an empty array)
  JsonKind kind = JsonKind::kMissing;
  std::string_view scalar;      // string content, number token, "true"/"false"
  std::vector<std::string_view> items;  // strings of an array, or of every "*" match
  bool non_string_item = false; // an array element that was an object, array, bool or null
  bool collected = false;       // filled by a "*" or "[k=v]" path (kind kArray), not an array value
  // The scalar (clean) or every item (items_clean) needs no JSON escaping: it is
  // the raw text of a string without a backslash, which stage 1 has already
  // checked holds no quote or control character, or a number token. The
  // writer then copies it between quotes without scanning it again.
  bool clean = false;
  bool items_clean = true;
};

// All slots of one record (or one profile of a page). Opening a record for the
// next document only bumps `gen`: a slot is reset when first written, so the
// cost of a record follows the fields it has, not the fields the map names.
struct RawRecord {
  std::vector<SlotValue> slots;  // indexed by Extractor::slot_of
  uint32_t gen = 1;
  std::string extra;             // "{...}" of unmapped members when keep_extra, else empty
  bool extra_open = false;

  SlotValue& touch(int slot) {
    SlotValue& v = slots[slot];
    if (v.gen != gen) {
      v.gen = gen;
      v.present = true;
      v.kind = JsonKind::kMissing;
      v.scalar = {};
      v.items.clear();
      v.non_string_item = false;
      v.collected = false;
      v.clean = false;
      v.items_clean = true;
    }
    return v;
  }
  // The slot if this record wrote it, else null.
  const SlotValue* get(int slot) const {
    const SlotValue& v = slots[slot];
    return v.gen == gen ? &v : nullptr;
  }
};

class Extractor {
 public:
  Extractor(const FieldMap& map, bool want_profiles, bool keep_extra);

  // The slot of a field's k-th alternative path, or -1.
  int slot_of(Field f, size_t alternative) const {
    return alternative < n_alternatives_[static_cast<size_t>(f)] ? first_slot_[static_cast<size_t>(f)] + static_cast<int>(alternative) : -1;
  }
  size_t alternatives(Field f) const { return n_alternatives_[static_cast<size_t>(f)]; }
  int type_rule_slot(size_t rule) const { return type_rule_slots_[rule]; }

  // Walks one document. On success, records() holds the records it contained
  // (the document itself, or the elements under the map's records path) and
  // profiles() the page's profiles. A simdjson error code is returned as is.
  simdjson::error_code extract(simdjson::ondemand::document& doc);

  size_t record_count() const { return page_seen_ ? n_records_ - 1 : 1; }
  const RawRecord& record(size_t i) const { return records_[page_seen_ ? i + 1 : 0]; }
  size_t profile_count() const { return n_profiles_; }
  const RawRecord& profile(size_t i) const { return profiles_[i]; }

 private:
  struct Filter {
    std::string key, value;     // elements whose `key` equals `value`
    std::string member;         // ... give their `member`
    std::vector<int> slots;
  };
  struct Node {
    std::vector<std::pair<std::string, uint32_t>> children;  // member name -> node, sorted
    // Each child's name and closing quote as little-endian words with masks,
    // so a raw member name is matched with one or a few 64-bit compares.
    struct NameWords {
      uint64_t word[4], mask[4];
      uint8_t n;
    };
    std::vector<NameWords> names;
    uint8_t first[256] = {};        // 1 + index of the first child whose name starts with a byte
    bool plain_keys = true;         // no child name holds '"' or '\\': compare names raw
    int each = -1;                  // node applied to every array element
    std::vector<Filter> filters;    // [key=value]/member steps at this array
    struct Leaf {
      int slot;
      bool collects;                // under "*": each value is one more item
    };
    std::vector<Leaf> leaves;       // the value here is captured into these slots
    std::vector<int> reach_slots;   // slots marked present when an array here is walked
    enum Scope : uint8_t { kSame, kRecord, kProfile } elements = kSame;  // what an element opens
    bool record_root = false;       // members here that no path names go to `extra`
    bool plain_leaf = false;        // only captures a value: no children, "*" or filters
  };

  uint32_t add_path(uint32_t root, const Path& p, size_t from, int slot);
  uint32_t child(uint32_t node, const std::string& key);
  void index_children();
  simdjson::error_code walk(simdjson::ondemand::value v, uint32_t node, RawRecord* rec);
  simdjson::error_code walk_object(simdjson::ondemand::object obj, uint32_t node, RawRecord* rec);
  simdjson::error_code capture(simdjson::ondemand::value& v, simdjson::ondemand::json_type t, const Node& n,
                               RawRecord* rec);
  simdjson::error_code walk_filtered(simdjson::ondemand::array arr, const Node& n, RawRecord* rec);
  RawRecord* open(std::deque<RawRecord>& pool, size_t& count);
  void append_extra(RawRecord* rec, std::string_view key, std::string_view raw);

  std::vector<Node> nodes_;
  std::vector<std::vector<uint16_t>> order_;  // per node: 1 + child index last seen at each member position
  // A field's alternatives have consecutive slots: first_slot_[f] + k.
  int first_slot_[kFieldCount] = {};
  size_t n_alternatives_[kFieldCount] = {};
  std::vector<bool> slot_collects_;  // per slot, at build time only
  std::vector<int> type_rule_slots_;
  size_t n_slots_ = 0;
  bool keep_extra_;
  // Deques: a record's address must not move while a walk below it opens more.
  std::deque<RawRecord> records_, profiles_;  // records_[0] is the document itself
  size_t n_records_ = 0, n_profiles_ = 0;
  bool page_seen_ = false;
  int page_marker_slot_ = -1;  // the document was a page: its records are records_[1..]
  std::string key_buf_;
  simdjson::dom::parser dom_;        // checks the members copied into `extra`
  simdjson::padded_string extra_check_;
  std::deque<std::string> arena_;  // strings the walk had to copy (filter matches)
  size_t arena_used_ = 0;
};

}  // namespace chorus

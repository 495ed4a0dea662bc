#include "extractor.hpp"

#include <algorithm>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "json_writer.hpp"

namespace chorus {

using simdjson::error_code;
namespace od = simdjson::ondemand;

namespace {

std::string_view trim_token(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r'))
    t.remove_suffix(1);
  return t;
}

// Whether s[0, n) holds a backslash. The string lies inside a padded simdjson
// input (its closing quote, the rest of the document and at least
// SIMDJSON_PADDING bytes follow), so whole 32-byte words may be read past n.
// Inlined, because strings are short and memchr's call costs more than the scan.
[[gnu::always_inline]] inline bool has_backslash(const char* s, size_t n) {
#if defined(__AVX2__)
  const __m256i bs = _mm256_set1_epi8('\\');
  for (size_t i = 0; i < n; i += 32) {
    uint32_t m = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i)), bs)));
    if (n - i < 32) m &= (uint32_t{1} << (n - i)) - 1;
    if (m) return true;
  }
  return false;
#else
  return std::memchr(s, '\\', n) != nullptr;
#endif
}

// The value of a string token: the text between the quotes when it holds no
// escape (stage 1 validated its UTF-8 and rejected raw control characters;
// nothing is copied, and `clean` says it needs no JSON escaping), else
// simdjson's unescaped copy. Inlined into the walk, so that the view and the
// flag stay in registers.
[[gnu::always_inline]] inline error_code string_of(od::value& v, std::string_view& out, bool& clean) {
  std::string_view s = trim_token(v.raw_json_token());
  if (s.size() >= 2 && s.back() == '"' && !has_backslash(s.data() + 1, s.size() - 2)) {
    out = s.substr(1, s.size() - 2);
    clean = true;
    return simdjson::SUCCESS;
  }
  clean = false;
  return v.get_string().get(out);
}

}  // namespace

Extractor::Extractor(const FieldMap& map, bool want_profiles, bool keep_extra) : keep_extra_(keep_extra) {
  nodes_.emplace_back();  // 0: the document
  nodes_[0].record_root = true;
  uint32_t record_node = 0;

  auto new_slot = [&](bool collects) {
    slot_collects_.push_back(collects);
    return static_cast<int>(n_slots_++);
  };
  // A paged export: the records path leads to an array whose elements are records.
  uint32_t page_record_node = 0, page_profile_node = 0;
  if (map.records) {
    uint32_t n = 0;
    for (const auto& s : map.records->steps) n = child(n, s.key);
    nodes_[n].each = static_cast<int>(nodes_.size());
    nodes_[n].elements = Node::kRecord;
    nodes_.emplace_back();
    page_record_node = static_cast<uint32_t>(nodes_.size() - 1);
    nodes_[page_record_node].record_root = true;
    record_node = page_record_node;
  }
  if (map.profiles && want_profiles) {
    uint32_t n = 0;
    for (const auto& s : map.profiles->steps) n = child(n, s.key);
    nodes_[n].each = static_cast<int>(nodes_.size());
    nodes_[n].elements = Node::kProfile;
    nodes_.emplace_back();
    page_profile_node = static_cast<uint32_t>(nodes_.size() - 1);
  }
  for (size_t f = 0; f < kFieldCount; ++f) {
    Field field = static_cast<Field>(f);
    if (is_profile_field(field) && !want_profiles) continue;
    first_slot_[f] = static_cast<int>(n_slots_);
    n_alternatives_[f] = map.fields[f].size();
    for (const Path& p : map.fields[f]) {
      int slot = new_slot(p.collects());
      if (is_profile_field(field) && map.profiles) {
        add_path(page_profile_node, p, 0, slot);
      } else {
        add_path(0, p, 0, slot);
        if (record_node != 0) add_path(record_node, p, 0, slot);
      }
    }
  }
  if (map.page_marker) {
    page_marker_slot_ = new_slot(false);
    add_path(0, *map.page_marker, 0, page_marker_slot_);
  }
  for (const auto& rule : map.type_rules) {
    int slot = new_slot(rule.path.collects());
    type_rule_slots_.push_back(slot);
    add_path(0, rule.path, 0, slot);
    if (record_node != 0) add_path(record_node, rule.path, 0, slot);
  }
  index_children();
}

// Sorts each node's children by name and indexes them by first byte, so a
// member name is compared with the few children sharing its first byte.
void Extractor::index_children() {
  order_.assign(nodes_.size(), {});
  for (auto& n : nodes_) {
    n.plain_leaf = n.children.empty() && n.each < 0 && n.filters.empty() && !n.leaves.empty();
    std::sort(n.children.begin(), n.children.end());
    if (n.children.size() > 255) n.plain_keys = false;  // the index holds 255 entries
    std::fill(std::begin(n.first), std::end(n.first), 0);
    n.names.clear();
    for (const auto& [k, c] : n.children) {
      Node::NameWords w{};
      std::string quoted = k + '"';  // plain_keys guarantees at most 32 bytes
      w.n = static_cast<uint8_t>((quoted.size() + 7) / 8);
      for (size_t i = 0; i < quoted.size() && i < 32; ++i) {
        w.word[i / 8] |= static_cast<uint64_t>(static_cast<unsigned char>(quoted[i])) << (8 * (i % 8));
        w.mask[i / 8] |= uint64_t{0xFF} << (8 * (i % 8));
      }
      n.names.push_back(w);
    }
    for (size_t i = n.children.size(); i-- > 0;)
      if (n.plain_keys) n.first[static_cast<unsigned char>(n.children[i].first[0])] = static_cast<uint8_t>(i + 1);
  }
}

uint32_t Extractor::child(uint32_t node, const std::string& key) {
  for (const auto& [k, c] : nodes_[node].children)
    if (k == key) return c;
  uint32_t c = static_cast<uint32_t>(nodes_.size());
  nodes_.emplace_back();
  nodes_[node].children.emplace_back(key, c);
  // Raw comparison reads 32 bytes of the input from the name on: keep that within the padding.
  if (key.empty() || key.size() >= 32 || key.find_first_of("\"\\") != std::string::npos)
    nodes_[node].plain_keys = false;
  return c;
}

uint32_t Extractor::add_path(uint32_t node, const Path& p, size_t from, int slot) {
  for (size_t i = from; i < p.steps.size(); ++i) {
    const PathStep& s = p.steps[i];
    if (s.kind == PathStep::kKey) {
      node = child(node, s.key);
    } else if (s.kind == PathStep::kEach) {
      nodes_[node].reach_slots.push_back(slot);
      if (nodes_[node].each < 0) {
        nodes_[node].each = static_cast<int>(nodes_.size());
        nodes_.emplace_back();
      }
      node = static_cast<uint32_t>(nodes_[node].each);
    } else {  // filter: parse_path guarantees exactly one key follows
      nodes_[node].reach_slots.push_back(slot);
      nodes_[node].filters.push_back({s.key, s.value, p.steps[i + 1].key, {slot}});
      return node;
    }
  }
  nodes_[node].leaves.push_back({slot, slot_collects_[slot]});
  return node;
}

RawRecord* Extractor::open(std::deque<RawRecord>& pool, size_t& count) {
  if (count == pool.size()) pool.emplace_back();
  RawRecord* r = &pool[count++];
  if (r->slots.size() != n_slots_) r->slots.resize(n_slots_);
  ++r->gen;
  r->extra.clear();
  r->extra_open = false;
  return r;
}

error_code Extractor::extract(od::document& doc) {
  n_records_ = 0;
  n_profiles_ = 0;
  arena_used_ = 0;
  RawRecord* root = open(records_, n_records_);  // records_[0]: the document itself
  page_seen_ = false;
  od::object obj;
  error_code e = doc.get_object().get(obj);
  if (e) return e == simdjson::INCORRECT_TYPE ? simdjson::INCORRECT_TYPE : e;
  e = walk_object(obj, 0, root);
  if (e) return e;
  if (page_marker_slot_ >= 0 && root->get(page_marker_slot_)) page_seen_ = true;
  if (root->extra_open) root->extra += '}';
  return simdjson::SUCCESS;
}

void Extractor::append_extra(RawRecord* rec, std::string_view key, std::string_view raw) {
  rec->extra += rec->extra_open ? ',' : '{';
  rec->extra_open = true;
  append_json_string(rec->extra, key);
  rec->extra += ':';
  rec->extra.append(trim_token(raw));
}

error_code Extractor::walk_object(od::object obj, uint32_t node, RawRecord* rec) {
  const Node& n = nodes_[node];
  // Records of one export list their members in one order: the child matched at
  // each position last time is tried first.
  std::vector<uint16_t>& order = order_[node];
  size_t position = 0;
  for (auto field : obj) {
    error_code e = field.error();
    if (e) return e;
    int found = -1;
    // simdjson decodes a member name once (its raw form is consumed): keep it.
    bool decoded = false;
    auto decode_and_find = [&]() -> error_code {
      std::string_view key;
      if (error_code d = field.value_unsafe().unescaped_key().get(key)) return d;
      key_buf_.assign(key);
      decoded = true;
      for (const auto& [name, c] : n.children)
        if (name == key_buf_) {
          found = static_cast<int>(c);
          break;
        }
      return simdjson::SUCCESS;
    };
    if (n.plain_keys) {
      // Member names are compared as written first (fast), then decoded when
      // they hold an escape. The raw name is followed by its closing quote and
      // more input (or padding).
      const char* p = field.value_unsafe().key().raw();
      // Names are under 32 bytes and the input is padded, so reading 32 bytes is safe.
      uint64_t in[4];
      std::memcpy(in, p, sizeof in);
      auto matches = [&](const Node::NameWords& w) {
        for (uint8_t j = 0; j < w.n; ++j)
          if ((in[j] & w.mask[j]) != w.word[j]) return false;
        return true;
      };
      if (position < order.size() && order[position] > 0 && matches(n.names[order[position] - 1])) {
        found = static_cast<int>(n.children[order[position] - 1].second);
      } else {
        for (size_t i = n.first[static_cast<unsigned char>(p[0])]; i > 0 && i <= n.children.size(); ++i) {
          const Node::NameWords& w = n.names[i - 1];
          if ((in[0] & 0xFF) != (w.word[0] & 0xFF)) break;  // past the children with this first byte
          if (matches(w)) {
            found = static_cast<int>(n.children[i - 1].second);
            if (position < 64) {
              if (order.size() <= position) order.resize(position + 1, 0);
              order[position] = static_cast<uint16_t>(i);
            }
            break;
          }
        }
      }
      if (found < 0) {
        // A name written with escapes ("i\u0064") is the same member: compare
        // it decoded. Only names holding a backslash pay for this.
        size_t k = 0;
        while (p[k] != '"' && p[k] != '\\') ++k;
        if (p[k] == '\\' && (e = decode_and_find())) return e;
      }
      ++position;
    } else if ((e = decode_and_find())) {
      return e;
    }
    if (found >= 0) {
      const Node& c = nodes_[found];
      if (c.plain_leaf) {
        // A plain leaf, the common case: capture without the general walk.
        od::value& v = field.value_unsafe().value();
        od::json_type t;
        if ((e = v.type().get(t))) return e;
        if (t == od::json_type::string && c.leaves.size() == 1 && !c.leaves[0].collects) {
          // A string for one field, most members of most records: taken here,
          // saving capture()'s call and switch (~10 % of the walk).
          std::string_view s;
          bool clean;
          if ((e = string_of(v, s, clean))) return e;
          SlotValue& sv = rec->touch(c.leaves[0].slot);
          sv.kind = JsonKind::kString;
          sv.scalar = s;
          sv.clean = clean;
        } else if ((e = capture(v, t, c, rec))) {
          return e;
        }
      } else if ((e = walk(field.value_unsafe().value(), static_cast<uint32_t>(found), rec))) {
        return e;
      }
    } else if (keep_extra_ && n.record_root) {
      if (!decoded && (e = decode_and_find())) return e;  // finds nothing: only decodes
      od::value v = field.value_unsafe().value();
      od::json_type t;
      if ((e = v.type().get(t))) return e;
      // What is copied into the output must be valid JSON, so unlike skipped
      // members it is checked fully: scalars by their getters, objects and
      // arrays by a DOM parse of their text (depth limit included).
      std::string_view raw;
      if (t == od::json_type::object || t == od::json_type::array) {
        if (t == od::json_type::object) {
          od::object o;
          if ((e = v.get_object().get(o)) || (e = o.raw_json().get(raw))) return e;
        } else {
          od::array a;
          if ((e = v.get_array().get(a)) || (e = a.raw_json().get(raw))) return e;
        }
        raw = trim_token(raw);
        extra_check_ = simdjson::padded_string(raw);
        if ((e = dom_.parse(extra_check_).error())) return e;
      } else {
        raw = v.raw_json_token();
        if (t == od::json_type::string) {
          std::string_view s;
          e = v.get_string().get(s);
        } else if (t == od::json_type::number) {
          double d;
          e = v.get_double().get(d);
          if (e == simdjson::NUMBER_OUT_OF_RANGE) e = simdjson::SUCCESS;  // big integers are valid JSON
        } else if (t == od::json_type::boolean) {
          bool b;
          e = v.get_bool().get(b);
        } else {
          bool n;
          e = v.is_null().get(n);
          if (!e && !n) e = simdjson::N_ATOM_ERROR;
        }
        if (e) return e;
      }
      append_extra(rec, key_buf_, raw);
    }
  }
  return simdjson::SUCCESS;
}

error_code Extractor::walk(od::value v, uint32_t node_index, RawRecord* rec) {
  const Node& n = nodes_[node_index];
  od::json_type t;
  error_code e = v.type().get(t);
  if (e) return e;
  if (!n.leaves.empty()) {
    if (t != od::json_type::object || n.children.empty()) return capture(v, t, n, rec);
    // Both a value of its own (e.g. a type rule testing /retweeted_status) and a way
    // to deeper paths (/retweeted_status/id_str): note it, then go in.
    for (const auto& leaf : n.leaves) rec->touch(leaf.slot).kind = JsonKind::kObject;
  }
  if (t == od::json_type::object) {
    if (n.elements != Node::kSame && n.each >= 0) {
      // A page whose records path holds one object rather than an array of them.
      RawRecord* r = n.elements == Node::kRecord ? open(records_, n_records_) : open(profiles_, n_profiles_);
      if (n.elements == Node::kRecord) page_seen_ = true;
      od::object o;
      if ((e = v.get_object().get(o))) return e;
      if ((e = walk_object(o, static_cast<uint32_t>(n.each), r))) return e;
      if (r->extra_open) r->extra += '}';
      return simdjson::SUCCESS;
    }
    od::object o;
    if ((e = v.get_object().get(o))) return e;
    return walk_object(o, node_index, rec);
  }
  if (t == od::json_type::array && (n.each >= 0 || !n.filters.empty())) {
    for (int s : n.reach_slots) {
      SlotValue& sv = rec->touch(s);
      sv.kind = JsonKind::kArray;
      sv.collected = true;
    }
    od::array arr;
    if ((e = v.get_array().get(arr))) return e;
    if (!n.filters.empty()) return walk_filtered(arr, n, rec);
    if (n.elements == Node::kRecord) page_seen_ = true;
    for (auto elt : arr) {
      od::value ev;
      if ((e = elt.get(ev))) return e;
      RawRecord* r = rec;
      if (n.elements == Node::kRecord) r = open(records_, n_records_);
      else if (n.elements == Node::kProfile) r = open(profiles_, n_profiles_);
      if ((e = walk(ev, static_cast<uint32_t>(n.each), r))) return e;
      if (r != rec && r->extra_open) r->extra += '}';
    }
    return simdjson::SUCCESS;
  }
  // Not the shape the path expects (a string where an object was): nothing to take.
  return simdjson::SUCCESS;
}

error_code Extractor::walk_filtered(od::array arr, const Node& n, RawRecord* rec) {
  // Each element is read once: the tested members and the wanted members are kept
  // as strings, then every filter that matches delivers its member.
  struct Seen {
    std::string_view key;
    std::string value;
    bool is_string;
  };
  std::vector<Seen> seen;
  for (auto elt : arr) {
    od::value ev;
    error_code e = elt.get(ev);
    if (e) return e;
    od::json_type t;
    if ((e = ev.type().get(t))) return e;
    if (t != od::json_type::object) continue;
    od::object o;
    if ((e = ev.get_object().get(o))) return e;
    seen.clear();
    for (auto field : o) {
      std::string_view key;
      if ((e = field.unescaped_key().get(key))) return e;
      const Filter* wanted = nullptr;
      for (const auto& f : n.filters)
        if (f.key == key || f.member == key) wanted = &f;
      if (!wanted) continue;
      od::value fv = field.value();
      od::json_type ft;
      if ((e = fv.type().get(ft))) return e;
      std::string_view name = wanted->key == key ? std::string_view(wanted->key) : std::string_view(wanted->member);
      if (ft == od::json_type::string) {
        std::string_view s;
        if ((e = fv.get_string().get(s))) return e;
        seen.push_back({name, std::string(s), true});
      } else if (ft == od::json_type::number) {
        seen.push_back({name, std::string(trim_token(fv.raw_json_token())), true});
      }
    }
    for (const auto& f : n.filters) {
      const Seen* test = nullptr;
      const Seen* member = nullptr;
      for (const auto& s : seen) {
        if (s.key == f.key) test = &s;
        if (s.key == f.member) member = &s;
      }
      if (test && member && test->value == f.value) {
        if (arena_used_ == arena_.size()) arena_.emplace_back();
        std::string& kept = arena_[arena_used_++];
        kept = member->value;
        for (int slot : f.slots) {
          SlotValue& sv = rec->touch(slot);
          sv.kind = JsonKind::kArray;
          sv.collected = true;
          sv.items.push_back(kept);
          sv.items_clean = false;  // decoded by simdjson: may need escaping
        }
      }
    }
  }
  return simdjson::SUCCESS;
}


// Numbers are kept as their tokens and checked where they are converted (a
// count, a time, an id), so a number no field uses costs nothing.
[[gnu::always_inline]] inline error_code Extractor::capture(od::value& v, od::json_type t, const Node& n, RawRecord* rec) {
  error_code e;
  switch (t) {
    case od::json_type::string:
    case od::json_type::number:
    case od::json_type::boolean: {
      std::string_view s;
      JsonKind kind;
      // A number token is not checked by stage 1 (`1\x01` passes as one): only
      // strings and true/false are known clean here.
      bool clean = t != od::json_type::number;
      if (t == od::json_type::string) {
        if ((e = string_of(v, s, clean))) return e;
        kind = JsonKind::kString;
      } else if (t == od::json_type::number) {
        s = trim_token(v.raw_json_token());
        kind = JsonKind::kNumber;
      } else {
        bool b;
        if ((e = v.get_bool().get(b))) return e;
        s = b ? "true" : "false";
        kind = JsonKind::kBool;
      }
      for (const auto& leaf : n.leaves) {
        SlotValue& sv = rec->touch(leaf.slot);
        if (!leaf.collects) {
          sv.kind = kind;
          sv.scalar = s;
          sv.clean = clean;
        } else {
          sv.kind = JsonKind::kArray;
          sv.collected = true;
          if (kind == JsonKind::kBool) sv.non_string_item = true;
          else sv.items.push_back(s);
          sv.items_clean &= clean;
        }
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null;
      if ((e = v.is_null().get(is_null))) return e;
      for (const auto& leaf : n.leaves) {
        SlotValue& sv = rec->touch(leaf.slot);
        if (!leaf.collects) sv.kind = JsonKind::kNull;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array arr;
      if ((e = v.get_array().get(arr))) return e;
      for (const auto& leaf : n.leaves) rec->touch(leaf.slot).kind = JsonKind::kArray;
      for (auto elt : arr) {
        od::value ev;
        if ((e = elt.get(ev))) return e;
        od::json_type et;
        if ((e = ev.type().get(et))) return e;
        std::string_view s;
        bool ok = true, clean = false;  // a number token may hold anything (see above)
        if (et == od::json_type::string) {
          if ((e = string_of(ev, s, clean))) return e;
        } else if (et == od::json_type::number) {
          s = trim_token(ev.raw_json_token());
        } else {
          ok = false;  // skipped by on-demand on the next iteration
        }
        for (const auto& leaf : n.leaves) {
          SlotValue& sv = rec->touch(leaf.slot);
          if (ok) sv.items.push_back(s);
          else sv.non_string_item = true;
          sv.items_clean &= clean;
        }
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      // An object where a value was expected: record its presence (type rules use
      // that, e.g. a retweeted_status object) and let on-demand skip its content.
      for (const auto& leaf : n.leaves) {
        SlotValue& sv = rec->touch(leaf.slot);
        if (leaf.collects) sv.non_string_item = true;
        else sv.kind = JsonKind::kObject;
      }
      return simdjson::SUCCESS;
    }
  }
  return simdjson::SUCCESS;
}

}  // namespace chorus

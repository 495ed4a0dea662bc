// Tests of lib/near_dup.hpp: recall and precision measured over generated
// perturbation sets — copies with words substituted (keeping at least 70 % of
// the word 3-shingles), words added before or after, word order rotated, the
// generator's own paraphrases — against unrelated texts that share stock
// phrases, hashtags or common words; then determinism, identical texts,
// short texts, the memory counter and the memory limit.
#include "near_dup.hpp"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gen_text.hpp"

namespace {

using chorus::NearDupParams;
using chorus::NearDuplicateIndex;
using chorus::gen::Rng;
using Words = std::vector<std::string>;

// What the text normaliser hands over, closely enough for generated English:
// lower case, punctuation dropped, single spaces.
std::string normalize(std::string_view text) {
  std::string out;
  bool space = true;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool word = (u >= 0x80) || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (word) {
      if (space && !out.empty()) out += ' ';
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
      space = false;
    } else {
      space = true;
    }
  }
  return out;
}

Words split(std::string_view text) {
  Words w;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (j > i) w.emplace_back(text.substr(i, j - i));
    i = j + 1;
  }
  return w;
}

std::string join(const Words& w) {
  std::string out;
  for (const auto& x : w) {
    if (!out.empty()) out += ' ';
    out += x;
  }
  return out;
}

std::set<std::string> shingles(const Words& w) {
  std::set<std::string> s;
  for (size_t i = 0; i + 3 <= w.size(); ++i) s.insert(w[i] + ' ' + w[i + 1] + ' ' + w[i + 2]);
  return s;
}

// Share of a's shingles that b keeps, and the Jaccard similarity.
double kept(const Words& a, const Words& b) {
  auto sa = shingles(a), sb = shingles(b);
  size_t both = 0;
  for (const auto& x : sa) both += sb.count(x);
  return sa.empty() ? 0 : static_cast<double>(both) / static_cast<double>(sa.size());
}
double jaccard(const Words& a, const Words& b) {
  auto sa = shingles(a), sb = shingles(b);
  size_t both = 0;
  for (const auto& x : sa) both += sb.count(x);
  return static_cast<double>(both) / static_cast<double>(sa.size() + sb.size() - both);
}

std::string sentence(Rng& rng, int lo, int hi) {
  std::string s;
  chorus::gen::append_sentence(s, rng, chorus::gen::Lang::kEn, lo, hi);
  return normalize(s);
}

std::string other_word(Rng& rng, const std::string& not_this) {
  std::string w;
  do w = normalize(chorus::gen::content_word(rng));
  while (w == not_this || w.empty());
  return w;
}

// `k` distinct positions substituted by other words.
Words substituted(const Words& base, size_t k, Rng& rng) {
  Words w = base;
  std::vector<size_t> pos(base.size());
  for (size_t i = 0; i < pos.size(); ++i) pos[i] = i;
  for (size_t i = 0; i < k; ++i) {
    std::swap(pos[i], pos[i + rng.below(pos.size() - i)]);
    w[pos[i]] = other_word(rng, base[pos[i]]);
  }
  return w;
}

enum Kind {
  kBase,
  kIdentical,
  kSubstitutedFew,   // 1 or 2 words
  kSubstitutedMost,  // as many as keep >= 70 % of the shingles
  kPrefix,
  kSuffix,
  kPrefixSuffix,
  kRotated,
  kParaphrase,       // gen::paraphrase of gen::narrative
  kUnrelated,
  kKinds
};
const char* const kKindNames[] = {"base",   "identical", "substituted 1-2", "substituted max",
                                  "prefix", "suffix",    "prefix+suffix",   "rotated",
                                  "paraphrase (gen)", "unrelated"};

struct Item {
  std::string text;
  int family;  // the base it was made from; unrelated texts have their own
  Kind kind;
  double kept, jaccard;  // against its family's base
};

const char* const kAdded[] = {"breaking",      "read this",   "must see",       "important",   "wow",
                              "please read",   "thread",      "share this",     "rt if you agree",
                              "wake up people", "think about it", "spread the word", "so true"};

std::string added_words(Rng& rng) {
  if (rng.chance(0.5)) return kAdded[rng.below(std::size(kAdded))];
  return sentence(rng, 1, 5);
}

// The perturbation sets: `bases` base texts of 15-40 words, each followed
// (later in the stream) by one copy of every kind; narratives with three
// paraphrases each; and unrelated texts that share what unrelated posts
// share: a stock opening, a tail of popular hashtags, common words.
std::vector<Item> make_items(uint64_t seed, int bases, int narratives, int unrelated) {
  Rng rng(seed);
  std::vector<Item> firsts, later;
  int family = 0;
  for (int b = 0; b < bases; ++b, ++family) {
    Words base = split(sentence(rng, 15, 40));
    auto add = [&](Kind kind, const Words& w) {
      later.push_back({join(w), family, kind, kept(base, w), jaccard(base, w)});
    };
    firsts.push_back({join(base), family, kBase, 1, 1});
    add(kIdentical, base);
    // One or two words, keeping 70 % (two neighbours of the last word may not).
    Words few;
    do few = substituted(base, 1 + rng.below(2), rng);
    while (kept(base, few) < 0.7);
    add(kSubstitutedFew, few);
    // The most substitutions that still keep 70 %: k from high to low, a few
    // tries each (the positions decide how many shingles go).
    for (size_t k = base.size() / 3, found = 0; !found; --k)
      for (int attempt = 0; attempt < 20 && !found; ++attempt) {
        Words w = substituted(base, k, rng);
        if (kept(base, w) >= 0.7) {
          add(kSubstitutedMost, w);
          found = 1;
        }
      }
    add(kPrefix, split(added_words(rng) + ' ' + join(base)));
    add(kSuffix, split(join(base) + ' ' + added_words(rng)));
    add(kPrefixSuffix, split(added_words(rng) + ' ' + join(base) + ' ' + added_words(rng)));
    Words rot = base;
    std::rotate(rot.begin(), rot.begin() + static_cast<std::ptrdiff_t>(1 + rng.below(base.size() - 1)), rot.end());
    add(kRotated, rot);
  }
  for (int n = 0; n < narratives; ++n, ++family) {
    std::string original = chorus::gen::narrative(rng);
    Words base = split(normalize(original));
    firsts.push_back({join(base), family, kBase, 1, 1});
    for (int c = 0; c < 3; ++c) {
      Words w = split(normalize(chorus::gen::paraphrase(original, rng)));
      later.push_back({join(w), family, kParaphrase, kept(base, w), jaccard(base, w)});
    }
  }
  const char* const openings[] = {"good morning everyone", "happy new year to all my friends", "thank you so much",
                                  "breaking news", "i can not believe", "just saw this"};
  std::string tags;
  for (int i = 0; i < 4; ++i) tags += ' ' + normalize(chorus::gen::popular_hashtag(rng));
  for (int u = 0; u < unrelated; ++u, ++family) {
    std::string text;
    switch (u % 3) {
      case 0: text = std::string(openings[rng.below(std::size(openings))]) + ' ' + sentence(rng, 6, 18); break;
      case 1: text = sentence(rng, 6, 18) + tags; break;
      default: text = sentence(rng, 8, 25); break;
    }
    later.push_back({text, family, kUnrelated, 0, 0});
  }
  // Bases first (an original is posted before its copies), the rest mixed.
  for (size_t i = later.size(); i > 1; --i) std::swap(later[i - 1], later[rng.below(i)]);
  firsts.insert(firsts.end(), later.begin(), later.end());
  return firsts;
}

struct Measured {
  double recall[kKinds] = {};
  size_t copies[kKinds] = {}, found[kKinds] = {};
  size_t kept70[kKinds] = {}, found70[kKinds] = {};
  double precision = 1;
  size_t pairs = 0, wrong_pairs = 0, unrelated_grouped = 0;
  double ns_per_text = 0;
  size_t groups = 0, memory = 0, distinct = 0;
};

Measured measure(const std::vector<Item>& items, const NearDupParams& params) {
  NearDuplicateIndex index(params);
  std::vector<XXH128_hash_t> keys(items.size());
  const std::clock_t start = std::clock();  // processor time: the machine may be busy
  for (size_t i = 0; i < items.size(); ++i) {
    auto key = index.assign(items[i].text);
    BOOST_REQUIRE(key.has_value());
    keys[i] = *key;
  }
  Measured m;
  m.ns_per_text = static_cast<double>(std::clock() - start) * 1e9 / CLOCKS_PER_SEC / static_cast<double>(items.size());
  m.groups = index.groups();
  m.memory = index.memory_bytes();
  std::set<std::string> distinct;
  for (const auto& it : items) distinct.insert(it.text);
  m.distinct = distinct.size();

  auto id = [](XXH128_hash_t k) { return std::make_pair(k.high64, k.low64); };
  std::map<int, std::pair<uint64_t, uint64_t>> base_key;
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].kind == kBase) base_key[items[i].family] = id(keys[i]);
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    if (it.kind == kBase || it.kind == kUnrelated) continue;
    bool hit = base_key.at(it.family) == id(keys[i]);
    ++m.copies[it.kind];
    m.found[it.kind] += hit;
    if (it.kept >= 0.7) {
      ++m.kept70[it.kind];
      m.found70[it.kind] += hit;
    }
  }
  for (int k = 0; k < kKinds; ++k)
    m.recall[k] = m.copies[k] ? static_cast<double>(m.found[k]) / static_cast<double>(m.copies[k]) : 1;

  // Pairwise precision: of the pairs of texts given one key, the share made
  // from the same base.
  std::map<std::pair<uint64_t, uint64_t>, std::map<int, size_t>> by_key;
  for (size_t i = 0; i < items.size(); ++i) ++by_key[id(keys[i])][items[i].family];
  for (const auto& [key, families] : by_key) {
    size_t n = 0, same = 0;
    for (const auto& [f, c] : families) {
      n += c;
      same += c * (c - 1) / 2;
    }
    m.pairs += n * (n - 1) / 2;
    m.wrong_pairs += n * (n - 1) / 2 - same;
  }
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].kind == kUnrelated && by_key[id(keys[i])].size() > 1) ++m.unrelated_grouped;
  m.precision = m.pairs ? 1 - static_cast<double>(m.wrong_pairs) / static_cast<double>(m.pairs) : 1;
  return m;
}

void report(const char* what, const Measured& m) {
  BOOST_TEST_MESSAGE(what << ": " << m.ns_per_text << " ns/text, " << m.groups << " groups, " << m.memory
                          << " bytes (" << m.memory / m.distinct << " per distinct text)");
  for (int k = kIdentical; k < kUnrelated; ++k)
    BOOST_TEST_MESSAGE("  recall " << kKindNames[k] << ": " << m.recall[k] << " (" << m.found[k] << "/"
                                   << m.copies[k] << "; keeping >= 70 %: " << m.found70[k] << "/" << m.kept70[k]
                                   << ")");
  BOOST_TEST_MESSAGE("  precision " << m.precision << " (" << m.wrong_pairs << " wrong of " << m.pairs
                                    << " pairs); unrelated texts grouped: " << m.unrelated_grouped);
}

std::string words_text(int n, const char* prefix = "w") {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ' ';
    s += prefix;
    s += std::to_string(i);
  }
  return s;
}

bool same(const std::optional<XXH128_hash_t>& a, const std::optional<XXH128_hash_t>& b) {
  return a && b && XXH128_isEqual(*a, *b);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(near_dup)

BOOST_AUTO_TEST_CASE(perturbation_sets_recall_and_precision) {
  const auto items = make_items(20240601, 1000, 300, 3000);
  // The sets are what they claim to be: substituted copies keep 70 % of the
  // shingles, and the hardest are near the threshold.
  double most_jaccard = 0;
  for (const auto& it : items) {
    if (it.kind == kSubstitutedFew || it.kind == kSubstitutedMost) BOOST_TEST(it.kept >= 0.7);
    if (it.kind == kSubstitutedMost) most_jaccard += it.jaccard / 1000;
  }
  BOOST_TEST_MESSAGE("mean Jaccard similarity of 'substituted max' copies: " << most_jaccard);
  BOOST_TEST(most_jaccard < 0.62);
  Measured m = measure(items, NearDupParams{});
  report("bases first", m);
  BOOST_TEST(m.recall[kIdentical] == 1.0);
  for (int k : {kSubstitutedFew, kSubstitutedMost, kPrefix, kSuffix, kPrefixSuffix, kRotated})
    BOOST_TEST(m.recall[k] >= 0.98, kKindNames[k] << " recall " << m.recall[k]);
  // The generator's paraphrases (a substitution or two, sentences swapped, a
  // prefix or suffix, together): most keep 70 % of the shingles; those must
  // be found.
  BOOST_TEST(static_cast<double>(m.found70[kParaphrase]) >= 0.97 * static_cast<double>(m.kept70[kParaphrase]));
  BOOST_TEST(m.recall[kParaphrase] >= 0.95);
  BOOST_TEST(m.precision >= 0.99);
  BOOST_TEST(m.unrelated_grouped <= 3u);  // of 3,000
}

BOOST_AUTO_TEST_CASE(copies_before_their_original_still_group) {
  // Shuffled: a copy may come first and the original join it; members indexed
  // beside the first text let later copies find the group through them.
  auto items = make_items(77, 1000, 300, 3000);
  Rng rng(5);
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.below(i)]);
  Measured m = measure(items, NearDupParams{});
  report("shuffled", m);
  // A copy that comes first starts the group; one far from it (two copies
  // are less alike than each is to the original) joins only through members
  // indexed beside it, or starts a group of its own.
  for (int k : {kSubstitutedFew, kPrefix, kSuffix, kPrefixSuffix, kRotated})
    BOOST_TEST(m.recall[k] >= 0.95, kKindNames[k] << " recall " << m.recall[k]);
  for (int k : {kSubstitutedMost, kParaphrase}) BOOST_TEST(m.recall[k] >= 0.85, kKindNames[k] << " recall " << m.recall[k]);
  BOOST_TEST(m.precision >= 0.99);
}

BOOST_AUTO_TEST_CASE(same_order_same_keys) {
  const auto items = make_items(3, 200, 50, 300);
  NearDuplicateIndex a{NearDupParams{}}, b{NearDupParams{}};
  for (const auto& it : items) BOOST_TEST(same(a.assign(it.text), b.assign(it.text)));
  BOOST_TEST(a.groups() == b.groups());
  BOOST_TEST(a.memory_bytes() == b.memory_bytes());
  // Another seed hashes differently but finds the same groups here.
  NearDupParams other;
  other.seed = 12345;
  NearDuplicateIndex c{NearDupParams{}}, d{other};
  size_t agree = 0;
  std::map<std::pair<uint64_t, uint64_t>, std::pair<uint64_t, uint64_t>> map;
  for (const auto& it : items) {
    auto kc = *c.assign(it.text), kd = *d.assign(it.text);
    auto [pos, fresh] = map.emplace(std::make_pair(kc.high64, kc.low64), std::make_pair(kd.high64, kd.low64));
    agree += pos->second == std::make_pair(kd.high64, kd.low64);
  }
  BOOST_TEST(static_cast<double>(agree) >= 0.99 * static_cast<double>(items.size()));
}

BOOST_AUTO_TEST_CASE(the_key_is_the_first_texts_hash) {
  NearDuplicateIndex index{NearDupParams{}};
  std::string first = words_text(20);
  auto key = index.assign(first);
  XXH128_hash_t own = XXH3_128bits(first.data(), first.size());
  BOOST_TEST(same(key, own));
  Words w = split(first);
  w[10] = "changed";
  BOOST_TEST(same(index.assign(join(w)), own));
  BOOST_TEST(index.groups() == 1u);
  std::string other = words_text(20, "v");
  BOOST_TEST(same(index.assign(other), XXH3_128bits(other.data(), other.size())));
  BOOST_TEST(index.groups() == 2u);
}

BOOST_AUTO_TEST_CASE(identical_texts_always_share_a_key) {
  // Repeats interleaved with near copies that change what is indexed (and
  // so what a text would match if it were looked at afresh).
  NearDuplicateIndex index{NearDupParams{}};
  Rng rng(11);
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) texts.push_back(sentence(rng, 3, 30));
  for (int i = 0; i < 300; ++i) texts.push_back(join(substituted(split(texts[rng.below(300)]), 1, rng)));
  std::unordered_map<std::string, XXH128_hash_t> seen;
  size_t after_first_round = 0;
  for (int round = 0; round < 3; ++round) {
    for (const auto& t : texts) {
      auto key = index.assign(t);
      if (!key) continue;
      auto [pos, fresh] = seen.emplace(t, *key);
      if (!fresh) BOOST_TEST(XXH128_isEqual(pos->second, *key));
    }
    if (round == 0) after_first_round = index.memory_bytes();
  }
  BOOST_TEST(index.memory_bytes() == after_first_round);  // repeats add nothing
  // Many copies of one text: one key, and the index does not grow.
  std::string t = words_text(25);
  auto key = index.assign(t);
  size_t bytes = index.memory_bytes(), groups = index.groups(), indexed = index.indexed_texts();
  for (int i = 0; i < 10000; ++i) BOOST_TEST_REQUIRE(same(index.assign(t), key));
  BOOST_TEST(index.memory_bytes() == bytes);
  BOOST_TEST(index.groups() == groups);
  BOOST_TEST(index.indexed_texts() == indexed);
}

BOOST_AUTO_TEST_CASE(short_texts) {
  NearDuplicateIndex index{NearDupParams{}};
  BOOST_TEST(!index.assign("").has_value());
  BOOST_TEST(!index.assign("hello").has_value());
  BOOST_TEST(!index.assign("good morning").has_value());
  BOOST_TEST(!index.assign("  good   morning ").has_value());
  BOOST_TEST(index.groups() == 0u);
  // Three words: one shingle; identical copies share it, others do not.
  auto a = index.assign("good morning everyone");
  BOOST_TEST(a.has_value());
  BOOST_TEST(same(index.assign("good morning everyone"), a));
  BOOST_TEST(!same(index.assign("good morning friends"), a));
  BOOST_TEST(!same(index.assign("everyone good morning"), a));
  // A shorter shingle changes what counts as short.
  NearDupParams one;
  one.shingle = 1;
  NearDuplicateIndex words{one};
  BOOST_TEST(words.assign("hello").has_value());
  // Four and five words: one substitution leaves J = 1/3 and 2/4 at most.
  BOOST_TEST(same(index.assign("see you all tomorrow night"), index.assign("see you all tomorrow evening")));
  BOOST_TEST(!same(index.assign("see you at noon"), index.assign("see you at five")));
}

BOOST_AUTO_TEST_CASE(unrelated_texts_sharing_words_stay_apart) {
  NearDuplicateIndex index{NearDupParams{}};
  std::set<std::pair<uint64_t, uint64_t>> keys;
  Rng rng(99);
  const char* common[] = {"the", "and", "a", "to", "of", "is", "in", "it", "for", "on", "that", "this", "you", "we"};
  size_t n = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string t;
    switch (i % 4) {
      case 0:  // the same stock phrase, different content
        t = "happy new year to all my friends and family " + sentence(rng, 8, 16);
        break;
      case 1:  // the same hashtags
        t = sentence(rng, 8, 16) + " maga trump2024 america first breaking news";
        break;
      case 2:  // only the most common words
        for (int w = 0; w < 20; ++w) {
          if (w) t += ' ';
          t += common[rng.below(std::size(common))];
        }
        break;
      default:  // the same stock phrase twice around different content
        t = "good morning everyone " + sentence(rng, 8, 16) + " good morning everyone";
        break;
    }
    keys.insert({index.assign(t)->high64, index.assign(t)->low64});
    ++n;
  }
  BOOST_TEST(keys.size() >= n - 2);
  BOOST_TEST(index.groups() == keys.size());
}

BOOST_AUTO_TEST_CASE(long_texts_use_the_bottom_k_estimate) {
  // 300 words: 298 shingles, past sketch_limit (128), so only the smallest
  // 128 fingerprints are kept and compared.
  NearDuplicateIndex index{NearDupParams{}};
  Rng rng(21);
  size_t found = 0, apart = 0;
  const int n = 100;
  std::vector<Words> bases;
  for (int i = 0; i < n; ++i) bases.push_back(split(sentence(rng, 300, 300)));
  std::vector<XXH128_hash_t> keys;
  for (const auto& b : bases) keys.push_back(*index.assign(join(b)));
  for (int i = 0; i < n; ++i) {
    Words copy = substituted(bases[i], 15, rng);  // ~85 % of the shingles kept
    BOOST_TEST(jaccard(bases[i], copy) >= 0.65);
    found += same(index.assign(join(copy)), keys[i]);
    Words rotated = bases[i];
    std::rotate(rotated.begin(), rotated.begin() + 100, rotated.end());
    found += same(index.assign(join(rotated)), keys[i]);
  }
  for (int i = 0; i + 1 < n; i += 2) {  // half of one, half of another: J ~ 1/3
    Words mixed(bases[i].begin(), bases[i].begin() + 150);
    mixed.insert(mixed.end(), bases[i + 1].begin() + 150, bases[i + 1].end());
    auto key = index.assign(join(mixed));
    apart += !same(key, keys[i]) && !same(key, keys[i + 1]);
  }
  BOOST_TEST(found >= 2u * n - 2);
  BOOST_TEST(apart >= n / 2 - 1u);
  // A long text near a short one: sizes too far apart to be near.
  std::string short_text = join(std::vector<std::string>(bases[0].begin(), bases[0].begin() + 20));
  BOOST_TEST(!same(index.assign(short_text), keys[0]));
}

BOOST_AUTO_TEST_CASE(words_are_hashed_whole) {
  // Words longer than 16 bytes, and words that differ only past the 8th or
  // 16th byte, or only in length, are different words.
  NearDuplicateIndex index{NearDupParams{}};
  std::set<std::pair<uint64_t, uint64_t>> keys;
  const char* words[] = {"abcdefgh",          "abcdefghi",          "abcdefgh1",           "abcdefgh2",
                         "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnopr", "abcdefghijklmnopqrstuvwxyz0123",
                         "abcdefghijklmnopqrstuvwxyz0124", "a", "ab", "abc", "\xd0\xbf\xd1\x80\xd0\xb8", "\xd0\xbf\xd1\x80\xd0\xb0"};
  for (const char* w : words) {
    auto key = index.assign(std::string("one ") + w + " two");
    keys.insert({key->high64, key->low64});
  }
  BOOST_TEST(keys.size() == std::size(words));
  BOOST_TEST(index.groups() == std::size(words));
}

BOOST_AUTO_TEST_CASE(many_texts_sharing_a_phrase_cost_bounded_verification) {
  // Every text shares a 12-word phrase and differs in 10 words (drawn from
  // a million): J = 10 / 28, below the threshold, but their band keys
  // collide often.
  NearDupParams p;
  NearDuplicateIndex index{p};
  Rng rng(8);
  const std::string phrase = "we the people of this great nation demand answers from our leaders today";
  std::set<std::pair<uint64_t, uint64_t>> keys;
  const int n = 3000;
  for (int i = 0; i < n; ++i) {
    Words w = split(phrase);
    for (int k = 0; k < 10; ++k) w.push_back(std::to_string(rng.below(1000000)));
    auto key = index.assign(join(w));
    keys.insert({key->high64, key->low64});
  }
  BOOST_TEST(keys.size() == static_cast<size_t>(n));
  // Keys shared by max_per_band_key texts take no more: a text meets a few
  // texts under each of its common keys, not all of them.
  BOOST_TEST(index.verifications() <= 16u * n);
  BOOST_TEST_MESSAGE("verifications per text sharing a phrase: " << static_cast<double>(index.verifications()) / n);
}

BOOST_AUTO_TEST_CASE(memory_grows_with_distinct_texts) {
  NearDuplicateIndex index{NearDupParams{}};
  size_t empty = index.memory_bytes();
  BOOST_TEST(empty > 0u);
  BOOST_TEST(empty < 64u * 1024);
  Rng rng(1);
  const int n = 50000;
  for (int i = 0; i < n; ++i) index.assign(sentence(rng, 18, 22));
  size_t full = index.memory_bytes();
  double per_text = static_cast<double>(full - empty) / n;
  BOOST_TEST_MESSAGE("memory: " << per_text << " bytes per distinct 20-word text, " << index.groups() << " groups");
  BOOST_TEST(per_text > 100);
  BOOST_TEST(per_text < 600);
  BOOST_TEST(index.groups() >= static_cast<size_t>(n) - 50);
}

BOOST_AUTO_TEST_CASE(memory_limit_freezes_the_index) {
  NearDupParams p;
  p.max_memory = 256 * 1024;
  NearDuplicateIndex index{p};
  BOOST_TEST(!index.frozen());
  Rng rng(2);
  std::vector<std::string> texts;
  for (int i = 0; i < 5000; ++i) texts.push_back(sentence(rng, 15, 25));
  std::vector<XXH128_hash_t> first(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    first[i] = *index.assign(texts[i]);
    BOOST_TEST_REQUIRE(index.memory_bytes() <= p.max_memory);
  }
  BOOST_TEST(index.frozen());
  BOOST_TEST(index.overflow() > 0u);
  BOOST_TEST(index.groups() + index.overflow() == texts.size());
  const size_t groups = index.groups(), bytes = index.memory_bytes();
  // Frozen: identical texts still share keys, near copies still join the
  // groups held, and a text that joins none is keyed by itself.
  for (size_t i = 0; i < texts.size(); ++i) BOOST_TEST_REQUIRE(same(index.assign(texts[i]), first[i]));
  Words w = split(texts[0]);
  w[w.size() / 2] = "changed";
  BOOST_TEST(same(index.assign(join(w)), first[0]));
  std::string fresh = words_text(20, "fresh");
  BOOST_TEST(same(index.assign(fresh), XXH3_128bits(fresh.data(), fresh.size())));
  BOOST_TEST(index.groups() == groups);
  BOOST_TEST(index.memory_bytes() == bytes);
}

BOOST_AUTO_TEST_CASE(bad_params) {
  BOOST_TEST(chorus::validate(NearDupParams{}).ok());
  NearDupParams p;
  p.shingle = 0;
  BOOST_TEST(chorus::validate(p).message() == "near: shingle must be 1 to 16 words");
  p = {};
  p.bands = 200;
  BOOST_TEST(!chorus::validate(p).ok());
  p = {};
  p.threshold = 0;
  BOOST_TEST(!chorus::validate(p).ok());
  p.threshold = 1.5;
  BOOST_TEST(!chorus::validate(p).ok());
  p = {};
  p.max_candidates = 0;
  BOOST_TEST(!chorus::validate(p).ok());
}

BOOST_AUTO_TEST_SUITE_END()

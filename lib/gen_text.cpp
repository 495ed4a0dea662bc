#include "gen_text.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

namespace chorus::gen {
namespace {

// ---------------------------------------------------------------------------
// Word lists. The content vocabulary opens with common English words so the
// Zipf skew makes them the frequent ones; generated pseudo-words fill it up
// to a few thousand so unrelated posts rarely share a word 3-shingle.

const char* const kRealWords[] = {
    "people", "time", "year", "day", "today", "world", "life", "news", "game", "team", "city", "country",
    "government", "school", "music", "video", "love", "work", "family", "friends", "money", "food", "weather",
    "election", "vote", "president", "police", "health", "market", "price", "war", "peace", "football", "movie",
    "book", "phone", "car", "home", "night", "week", "morning", "water", "job", "state", "law", "story", "media",
    "truth", "party", "support", "change", "power", "energy", "fire", "rain", "coffee", "season", "match",
    "player", "fans", "show", "song", "album", "tour", "ticket", "student", "teacher", "doctor", "hospital",
    "vaccine", "climate", "economy", "tax", "border", "policy", "report", "data", "science", "research", "space",
    "rocket", "moon", "sun", "sea", "beach", "train", "flight", "airport", "traffic", "road", "bridge", "street",
    "store", "sale", "deal", "brand", "product", "launch", "update", "app", "internet", "online", "stream",
    "live", "chat", "photo", "picture", "art", "design", "fashion", "style", "dog", "cat", "garden", "kitchen",
    "dinner", "lunch", "breakfast", "pizza", "tea", "beer", "wine", "birthday", "wedding", "baby", "kids", "mom",
    "dad", "brother", "sister", "community", "church", "holiday", "weekend", "monday", "friday", "summer",
    "winter", "spring", "autumn", "make", "go", "see", "know", "get", "think", "take", "come", "want", "look",
    "use", "find", "give", "tell", "call", "try", "need", "feel", "leave", "put", "mean", "keep", "let", "begin",
    "seem", "help", "talk", "turn", "start", "hear", "play", "run", "move", "like", "believe", "hold", "bring",
    "happen", "write", "sit", "stand", "lose", "pay", "meet", "include", "continue", "learn", "lead",
    "understand", "watch", "follow", "stop", "create", "speak", "read", "spend", "grow", "open", "walk", "win",
    "offer", "remember", "consider", "appear", "buy", "wait", "serve", "send", "expect", "build", "stay", "fall",
    "cut", "reach", "remain", "good", "new", "first", "last", "long", "great", "little", "own", "other", "old",
    "right", "big", "high", "different", "small", "large", "next", "early", "young", "important", "few",
    "public", "bad", "same", "able", "best", "better", "sure", "free", "true", "full", "real", "hard", "clear",
    "amazing", "crazy", "beautiful", "happy", "sad", "funny", "huge", "local", "national", "global", "official",
    "latest", "strong", "honest", "simple", "easy", "cheap", "expensive", "hot", "cold", "dark", "bright",
    "river", "mountain", "forest", "island", "village", "office", "meeting", "plan", "idea", "question",
    "answer", "problem", "reason", "result", "level", "group", "member", "history", "future", "culture",
    "language", "minister", "council", "court", "judge", "union", "strike", "protest", "crowd", "festival",
    "concert", "stadium", "goal", "coach", "league", "final", "record", "series", "episode", "podcast",
    "channel", "camera", "screen", "battery", "software", "computer", "network", "signal", "storm", "snow",
    "heat", "wind", "flood", "garden", "farm", "bread", "cheese", "chocolate", "recipe", "restaurant",
};

const char* const kFunctionEn[] = {"the", "a", "to", "of", "and", "in", "is", "it", "for", "on", "that", "this",
                                   "with", "you", "I", "we", "they", "my", "our", "at", "be", "not", "so", "but",
                                   "just", "all", "are", "was", "have", "what", "about", "more", "now", "when",
                                   "how", "why", "can", "will", "from", "out", "up", "no", "really"};
const char* const kFunctionEs[] = {"el", "la", "de", "que", "y", "en", "a", "los", "las", "un", "una",
                                   "por", "con", "para", "no", "es", "se", "lo", "más", "pero", "muy", "ya",
                                   "hoy", "todo", "este", "esta", "como", "cuando", "porque", "sí"};
const char* const kFunctionPt[] = {"o", "a", "de", "que", "e", "do", "da", "em", "um", "uma", "para",
                                   "com", "não", "os", "as", "por", "mais", "mas", "muito", "já", "hoje",
                                   "tudo", "isso", "esse", "quando", "porque", "sim", "foi", "é"};
const char* const kFunctionDe[] = {"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den",
                                   "mit", "von", "auf", "für", "es", "im", "dem", "sich", "auch", "wir",
                                   "ich", "sie", "heute", "noch", "schon", "aber", "sehr", "nur", "wie", "was"};
const char* const kFunctionFr[] = {"le", "la", "les", "de", "des", "et", "est", "un", "une", "en",
                                   "que", "pour", "pas", "dans", "sur", "avec", "ce", "qui", "il", "on",
                                   "nous", "je", "plus", "mais", "très", "tout", "aujourd'hui", "comme", "bien"};
const char* const kFunctionIt[] = {"il", "la", "di", "che", "e", "è", "un", "una", "per", "non", "in",
                                   "con", "del", "della", "sono", "ma", "più", "molto", "anche", "oggi",
                                   "come", "questo", "tutto", "ci", "ho", "si"};
const char* const kFunctionRu[] = {"и", "в", "не", "на", "что", "я", "с", "это", "как", "он", "мы", "они",
                                   "по", "но", "все", "так", "уже", "сегодня", "очень", "еще", "там", "вот",
                                   "да", "нет", "просто", "где", "когда", "почему"};

struct WordList {
  const char* const* words;
  size_t size;
};

template <size_t N>
constexpr WordList list_of(const char* const (&a)[N]) {
  return {a, N};
}

WordList function_words(Lang lang) {
  switch (lang) {
    case Lang::kEn: return list_of(kFunctionEn);
    case Lang::kEs: return list_of(kFunctionEs);
    case Lang::kPt: return list_of(kFunctionPt);
    case Lang::kDe: return list_of(kFunctionDe);
    case Lang::kFr: return list_of(kFunctionFr);
    case Lang::kIt: return list_of(kFunctionIt);
    case Lang::kRu: return list_of(kFunctionRu);
  }
  return list_of(kFunctionEn);
}

const char* const kStockEn[] = {"good morning", "Good morning everyone", "gm", "Happy New Year!", "happy new year",
                                "thank you", "Thank you!", "congratulations", "Happy Friday", "happy birthday",
                                "RIP", "lol", "same", "this", "wow", "so true", "Good night", "Let's go!"};
const char* const kStockEs[] = {"buenos días", "Feliz año nuevo", "gracias", "buenas noches", "jajaja"};
const char* const kStockPt[] = {"bom dia", "Feliz ano novo", "obrigado", "boa noite", "kkkkk"};
const char* const kStockDe[] = {"Guten Morgen", "Frohes neues Jahr", "danke", "Gute Nacht"};
const char* const kStockFr[] = {"Bonjour", "Bonne année", "merci", "Bonne nuit"};
const char* const kStockIt[] = {"Buongiorno", "Buon anno", "grazie", "Buonanotte"};
const char* const kStockRu[] = {"Доброе утро", "С Новым годом!", "спасибо", "Спокойной ночи"};

const char* const kReplyEn[] = {"so true", "no way", "this!", "exactly", "agreed", "lol", "what?", "same here",
                                "love this", "100%", "facts", "well said", "not really", "source?"};

const char* const kEmoji[] = {"🔥", "👇", "‼️", "✅", "😡", "🙏", "💯", "⚠️", "😂", "❤️", "👏", "🤔", "😱", "🇺🇸",
                              "👀", "💪", "🎉", "😢"};

const char* const kPopularTags[] = {
    "news", "breaking", "football", "music", "love", "photography", "tbt", "MondayMotivation", "NewYear",
    "travel", "food", "fitness", "art", "gaming", "tech", "AI", "crypto", "bitcoin", "climate", "health",
    "politics", "election2024", "NBA", "NFL", "PremierLeague", "F1", "movies", "Netflix", "books", "fashion",
    "style", "nature", "sunset", "dogsoftwitter", "catsoftwitter", "weekend", "FridayFeeling", "coffee",
    "science", "space", "economy", "business", "startup", "education", "jobs", "weather", "traffic", "live",
    "fyp", "viral", "trending", "foryou", "tiktok", "funny", "meme", "anime", "kpop", "Eurovision", "Oscars",
};

const char* const kFirstNames[] = {
    "james", "mary", "john", "linda", "robert", "emma", "michael", "olivia", "david", "sophia", "daniel", "ava",
    "carlos", "lucia", "jose", "maria", "juan", "sofia", "pedro", "ana", "lukas", "lena", "felix", "hannah",
    "pierre", "camille", "louis", "chloe", "marco", "giulia", "luca", "chiara", "ivan", "anna", "dmitri",
    "olga", "sergei", "elena", "raj", "priya", "amit", "neha", "chen", "li", "wei", "yuki", "kenji", "aisha",
    "omar", "fatima", "ali", "noah", "liam", "mia", "ella", "jack", "grace", "ben", "lily", "sam", "zoe",
    "alex", "kate", "tom", "sara", "nick", "julia", "max", "eva", "leo", "nina", "tyler", "megan", "kevin",
    "laura", "brian", "rachel", "jason", "amy", "ryan", "jessica"};
const char* const kLastNames[] = {
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
    "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
    "lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker",
    "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams",
    "nelson", "baker", "hall", "rivera", "campbell", "mitchell", "carter", "roberts", "muller", "schmidt",
    "schneider", "fischer", "weber", "meyer", "dubois", "moreau", "laurent", "bernard", "rossi", "russo",
    "ferrari", "esposito", "bianchi", "ivanov", "smirnov", "kuznetsov", "popov", "petrov", "silva", "santos",
    "oliveira", "souza", "costa", "kumar", "sharma", "patel", "singh", "khan", "wang", "zhang", "tanaka",
    "sato", "kim", "park"};

// ---------------------------------------------------------------------------
// Tables built once: the content vocabulary and the tag pool. Built from a
// fixed seed, not the run's, so the "language" is the same in every data set.

struct Tables {
  std::vector<std::string> vocab;  // content words, most frequent first
  size_t real = 0;                 // vocab[0, real) are the real English words
  std::vector<std::string_view> function[7];  // by Lang
  std::vector<std::string> tags;   // popular tags, most frequent first
  Tables();
};

std::string pseudo_word(Rng& rng) {
  static const char* const onsets[] = {"b",  "c",  "d",  "f",  "g",  "h",  "k",  "l",  "m",  "n",
                                       "p",  "r",  "s",  "t",  "v",  "z",  "br", "cr", "dr", "gr",
                                       "pr", "st", "tr", "pl", "sh", "ch", "th", "fl", "sl", "w"};
  static const char* const vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "a", "e", "o"};
  static const char* const codas[] = {"", "", "", "n", "r", "s", "l", "t", "m", "nd", "st", "rk", "x"};
  std::string w;
  int syllables = static_cast<int>(rng.between(2, 3));
  for (int i = 0; i < syllables; ++i) {
    w += rng.pick(onsets);
    w += rng.pick(vowels);
    if (i == syllables - 1 || rng.chance(0.3)) w += rng.pick(codas);
  }
  return w;
}

std::string capitalised(std::string_view w) {
  std::string s(w);
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

Tables::Tables() {
  constexpr size_t kVocab = 4000;
  std::unordered_set<std::string> seen;
  for (const char* w : kRealWords)
    if (seen.insert(w).second) vocab.emplace_back(w);
  real = vocab.size();
  for (int l = 0; l < 7; ++l) {
    WordList fw = function_words(static_cast<Lang>(l));
    function[l].assign(fw.words, fw.words + fw.size);
  }
  Rng rng(0x636f6e74656e74ULL);  // fixed: "content"
  while (vocab.size() < kVocab) {
    std::string w = pseudo_word(rng);
    if (seen.insert(w).second) vocab.push_back(std::move(w));
  }
  for (const char* t : kPopularTags) tags.emplace_back(t);
  Rng trng(0x686173687461677ULL);  // fixed: "hashtag"
  std::unordered_set<std::string> tseen(tags.begin(), tags.end());
  while (tags.size() < 1500) {
    std::string t = fresh_hashtag(trng);
    if (tseen.insert(t).second) tags.push_back(std::move(t));
  }
}

const Tables& tables() {
  static const Tables t;
  return t;
}

// Zipf-like rank in [0, n): density ~ rank^(-2/3), cheap and libm-free.
size_t skewed(Rng& rng, size_t n) {
  double u = rng.unit();
  size_t i = static_cast<size_t>(static_cast<double>(n) * u * u * u);
  return i < n ? i : n - 1;
}

void append_random_chars(std::string& out, Rng& rng, int n, std::string_view alphabet) {
  for (int i = 0; i < n; ++i) out += alphabet[rng.below(alphabet.size())];
}

constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kUrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void append_slug(std::string& out, Rng& rng, int min_words, int max_words) {
  int n = static_cast<int>(rng.between(min_words, max_words));
  for (int i = 0; i < n; ++i) {
    if (i) out += '-';
    out += content_word(rng);
  }
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// ---------------------------------------------------------------------------
// Narratives: patterns over synonym groups. %N is a word of group N, %X and %Y
// the narrative's two topic words (so different campaigns differ).

const std::vector<std::vector<std::string_view>> kSynonyms = {
    {"government", "regime", "administration", "authorities"},
    {"hiding", "concealing", "burying", "suppressing"},
    {"truth", "facts", "reality"},
    {"people", "citizens", "public", "voters"},
    {"media", "press", "journalists"},
    {"lying", "deceiving", "misleading"},
    {"corrupt", "crooked", "rotten", "dishonest"},
    {"elites", "insiders", "oligarchs", "bureaucrats"},
    {"destroying", "ruining", "wrecking", "sabotaging"},
    {"country", "nation", "homeland"},
    {"money", "cash", "funds"},
    {"stolen", "taken", "looted", "siphoned"},
    {"dangerous", "harmful", "reckless"},
    {"secret", "hidden", "covert"},
    {"plan", "scheme", "plot", "agenda"},
    {"leaders", "officials", "politicians"},
    {"children", "kids", "families"},
    {"shocking", "disturbing", "alarming", "outrageous"},
    {"proof", "evidence"},
    {"everyone", "everybody"},
    {"know", "realize", "understand", "see"},
    {"tell", "show", "admit"},
    {"prices", "costs", "bills"},
    {"rising", "soaring", "climbing"},
    {"huge", "massive", "enormous"},
    {"deleted", "censored", "removed", "banned"},
    {"share", "spread", "repost"},
};

const char* const kPatterns[] = {
    "The %0 is %1 the %2 about the %X %Y.",
    "%19 needs to %20 what the %4 will never %21 you about %X.",
    "%6 %7 are %8 our %9 while %22 keep %23.",
    "This is %18 of a %13 %14 by the %15 to control %X.",
    "Our %16 deserve better than this %12 %X %14.",
    "The %X %Y was %11 from the %3 and nobody talks about it.",
    "%26 this before it gets %25 by the %4.",
    "The %4 keeps %5 the %3 about %X every single day.",
    "Why are the %15 silent about the %24 %X %Y %14?",
    "%17 %18 shows the %0 knew about %X all along.",
    "They think the %3 will never %20 the %2 about %Y.",
    "Millions in %10 have been %11 while our %16 suffer.",
};

const char* const kPrefixes[] = {"BREAKING:", "Read this:", "Important:", "Wow.", "Unbelievable.", "Please read:",
                                 "Thread:", "Must see:"};
const char* const kSuffixes[] = {"Share this!", "Spread the word.", "RT if you agree.", "Wake up people!",
                                 "Think about it.", "Retweet!"};

const std::unordered_map<std::string_view, size_t>& synonym_index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, size_t>;
    for (size_t g = 0; g < kSynonyms.size(); ++g)
      for (auto w : kSynonyms[g]) m->emplace(w, g);
    return m;
  }();
  return *index;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    if (j > i) words.emplace_back(text.substr(i, j - i));
    i = j + 1;
  }
  return words;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out += ' ';
    out += words[i];
  }
  return out;
}

bool ends_sentence(const std::string& w) {
  return !w.empty() && (w.back() == '.' || w.back() == '!' || w.back() == '?');
}

// Replaces the word at `i` by a synonym, or by another content word when it
// has none; keeps a leading capital and trailing punctuation.
void substitute(std::vector<std::string>& words, size_t i, Rng& rng) {
  std::string& w = words[i];
  size_t end = w.size();
  while (end > 0 && (w[end - 1] == '.' || w[end - 1] == ',' || w[end - 1] == '!' || w[end - 1] == '?')) --end;
  std::string core = w.substr(0, end), tail = w.substr(end);
  bool cap = !core.empty() && core[0] >= 'A' && core[0] <= 'Z';
  std::string lower = core;
  if (cap) lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
  std::string repl;
  auto it = synonym_index().find(lower);
  if (it != synonym_index().end()) {
    const auto& group = kSynonyms[it->second];
    do repl = std::string(group[rng.below(group.size())]);
    while (repl == lower);
  } else {
    do repl = std::string(content_word(rng));
    while (repl == lower);
  }
  w = (cap ? capitalised(repl) : repl) + tail;
}

}  // namespace

std::string_view lang_code(Lang lang) {
  switch (lang) {
    case Lang::kEn: return "en";
    case Lang::kEs: return "es";
    case Lang::kPt: return "pt";
    case Lang::kDe: return "de";
    case Lang::kFr: return "fr";
    case Lang::kIt: return "it";
    case Lang::kRu: return "ru";
  }
  return "en";
}

namespace {

// A content word from 56 random bits: mostly the common real words, the long
// tail from the whole vocabulary. One draw per word keeps sentences cheap.
std::string_view content_word_from(uint64_t bits) {
  const Tables& t = tables();
  double u = static_cast<double>(bits & 0xffffffff) * 0x1.0p-32;
  size_t n = ((bits >> 32) & 0xff) < 166 ? t.real : t.vocab.size();
  auto i = static_cast<size_t>(static_cast<double>(n) * u * u * u);
  return t.vocab[i < n ? i : n - 1];
}

}  // namespace

std::string_view content_word(Rng& rng) { return content_word_from(rng.next()); }

void append_sentence(std::string& out, Rng& rng, Lang lang, int min_words, int max_words) {
  const auto& fw = tables().function[static_cast<size_t>(lang)];
  int n = static_cast<int>(rng.between(min_words, max_words));
  size_t first = out.size();
  for (int i = 0; i < n; ++i) {
    uint64_t bits = rng.next();
    if (i) out += (bits >> 56) < 10 ? ", " : " ";  // a comma now and then
    if (((bits >> 48) & 0xff) < 102) out += fw[((bits & 0xffffffff) * fw.size()) >> 32];  // 40 %: function words
    else out += content_word_from(bits);
  }
  if (first < out.size() && out[first] >= 'a' && out[first] <= 'z') out[first] = static_cast<char>(out[first] - 32);
  uint64_t end = rng.below(20);
  if (end < 11) out += '.';
  else if (end < 14) out += '!';
  else if (end < 16) out += '?';
}

void append_reply_text(std::string& out, Rng& rng, Lang lang) {
  if (lang == Lang::kEn && rng.chance(0.3)) out += rng.pick(kReplyEn);
  else append_sentence(out, rng, lang, 3, 12);
}

std::string_view stock_phrase(Rng& rng, Lang lang) {
  // English phrases are posted everywhere; the local ones in their language.
  if (lang == Lang::kEn || rng.chance(0.3)) return rng.pick(kStockEn);
  switch (lang) {
    case Lang::kEs: return rng.pick(kStockEs);
    case Lang::kPt: return rng.pick(kStockPt);
    case Lang::kDe: return rng.pick(kStockDe);
    case Lang::kFr: return rng.pick(kStockFr);
    case Lang::kIt: return rng.pick(kStockIt);
    case Lang::kRu: return rng.pick(kStockRu);
    case Lang::kEn: break;
  }
  return rng.pick(kStockEn);
}

std::string_view emoji(Rng& rng) { return rng.pick(kEmoji); }

std::string_view popular_hashtag(Rng& rng) {
  const auto& t = tables().tags;
  return t[skewed(rng, t.size())];
}

std::string fresh_hashtag(Rng& rng) {
  // Mostly real-looking words, so the tags read like tags.
  static const char* const leads[] = {"StandWith", "Stop", "Save", "Free", "Justice4", "No", "Vote", "Ban"};
  auto word = [&] {
    std::string w = rng.chance(0.5) ? std::string(kRealWords[rng.below(std::size(kRealWords))]) : pseudo_word(rng);
    return capitalised(w);
  };
  switch (rng.below(4)) {
    case 0: return std::string(rng.pick(leads)) + word();
    case 1: return word() + word();
    case 2: return word() + std::to_string(2020 + rng.below(6));
    default: return word() + "Now";
  }
}

std::string article_path(Rng& rng, int64_t year, int64_t month) {
  std::string p = "/";
  append_padded(p, static_cast<uint64_t>(year), 4);
  p += '/';
  append_padded(p, static_cast<uint64_t>(month), 2);
  p += '/';
  append_slug(p, rng, 3, 6);
  return p;
}

std::string organic_url(Rng& rng) {
  std::string u;
  switch (rng.below(16)) {
    case 0:
      u = "https://www.youtube.com/watch?v=";
      append_random_chars(u, rng, 11, kUrlSafe);
      break;
    case 1:
      u = "https://youtu.be/";
      append_random_chars(u, rng, 11, kUrlSafe);
      break;
    case 2:
      u = "https://bit.ly/";
      append_random_chars(u, rng, 7, kAlnum);
      break;
    case 3:
      u = "https://www.instagram.com/p/";
      append_random_chars(u, rng, 11, kUrlSafe);
      u += '/';
      break;
    case 4:
      u = "https://open.spotify.com/track/";
      append_random_chars(u, rng, 22, kAlnum);
      break;
    case 5:
      u = "https://medium.com/@";
      u += content_word(rng);
      u += '/';
      append_slug(u, rng, 3, 6);
      u += '-';
      append_random_chars(u, rng, 12, "0123456789abcdef");
      break;
    case 6:
      u = "https://en.wikipedia.org/wiki/";
      u += capitalised(content_word(rng));
      break;
    case 7:
      u = "https://github.com/";
      u += content_word(rng);
      u += '/';
      u += content_word(rng);
      break;
    case 8:
      u = "https://www.amazon.com/dp/B0";
      append_random_chars(u, rng, 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
      break;
    case 9:
      u = "https://www.twitch.tv/";
      u += content_word(rng);
      u += std::to_string(rng.below(100));
      break;
    case 10:
      u = "https://";
      u += content_word(rng);
      u += ".substack.com/p/";
      append_slug(u, rng, 2, 5);
      break;
    case 11:
      u = "https://www.reddit.com/r/";
      u += content_word(rng);
      u += "/comments/";
      append_random_chars(u, rng, 6, "abcdefghijklmnopqrstuvwxyz0123456789");
      u += '/';
      append_slug(u, rng, 2, 5);
      break;
    default: u = news_url(rng);
  }
  return u;
}

std::string news_url(Rng& rng) {
  static const char* const hosts[] = {
      "https://www.bbc.co.uk/news",       "https://www.nytimes.com",   "https://www.theguardian.com/world",
      "https://www.reuters.com/world",    "https://edition.cnn.com",   "https://www.washingtonpost.com/politics",
      "https://www.spiegel.de/politik",   "https://www.lemonde.fr/politique", "https://elpais.com/internacional",
      "https://g1.globo.com/politica",    "https://www.repubblica.it/politica", "https://apnews.com/article",
      "https://www.aljazeera.com/news",   "https://www.npr.org/sections/news"};
  std::string u = rng.pick(hosts);
  u += article_path(rng, 2024, 1 + static_cast<int64_t>(rng.below(12)));
  if (rng.chance(0.3)) u += ".html";
  return u;
}

std::string fringe_domain(Rng& rng) {
  static const char* const kinds[] = {"news", "daily", "times", "report", "today", "post", "insider", "truth", "info",
                                      "voice", "herald", "watch"};
  static const char* const tlds[] = {".com", ".net", ".info", ".org", ".co", ".news", ".online"};
  std::string d(content_word(rng));
  d += rng.chance(0.5) ? "-" : "";
  d += rng.pick(kinds);
  if (rng.chance(0.2)) d += std::to_string(rng.between(1, 99));
  d += rng.pick(tlds);
  return d;
}

std::string tracking_variant(std::string_view url, Rng& rng) {
  // Split "scheme://host/path".
  size_t p = url.find("://");
  std::string_view rest = p == std::string_view::npos ? url : url.substr(p + 3);
  size_t slash = rest.find('/');
  std::string_view host = rest.substr(0, slash), path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (host.substr(0, 4) == "www.") host.remove_prefix(4);

  std::string u = rng.chance(0.75) ? "https://" : "http://";
  if (rng.chance(0.5)) u += "www.";
  u += host;
  u += path.empty() ? "/" : path;
  if (!path.empty() && path.back() != '/' && rng.chance(0.3)) u += '/';

  static const char* const sources[] = {"twitter", "facebook", "tw", "fb", "social", "t.co", "share"};
  static const char* const media[] = {"social", "share", "post", "referral"};
  std::vector<std::string> params;
  auto utm = [&] {
    params.push_back(std::string("utm_source=") + rng.pick(sources));
    params.push_back(std::string("utm_medium=") + rng.pick(media));
    std::string c = "utm_campaign=";
    if (rng.chance(0.5)) c += content_word(rng);
    else append_random_chars(c, rng, 6, "abcdefghijklmnopqrstuvwxyz0123456789");
    params.push_back(c);
    if (rng.chance(0.3)) params.push_back("utm_content=" + std::to_string(rng.below(1000)));
  };
  auto fbclid = [&] {
    std::string f = "fbclid=IwAR";
    append_random_chars(f, rng, 40, kUrlSafe);
    params.push_back(f);
  };
  uint64_t r = rng.below(100);
  if (r < 15) {
  } else if (r < 60) {
    utm();
  } else if (r < 85) {
    fbclid();
  } else if (r < 95) {
    std::string g = "gclid=Cj0K";
    append_random_chars(g, rng, 30, kUrlSafe);
    params.push_back(g);
  } else {
    utm();
    fbclid();
  }
  // Parameter order varies between sharers; the canonical URL sorts them.
  if (params.size() > 1) std::rotate(params.begin(), params.begin() + rng.below(params.size()), params.end());
  for (size_t i = 0; i < params.size(); ++i) {
    u += i ? '&' : '?';
    u += params[i];
  }
  if (rng.chance(0.1)) {
    u += '#';
    u += content_word(rng);
  }
  return u;
}

std::string_view first_name(uint64_t i) { return kFirstNames[i % std::size(kFirstNames)]; }
std::string_view last_name(uint64_t i) { return kLastNames[i % std::size(kLastNames)]; }
uint64_t first_name_count() { return std::size(kFirstNames); }
uint64_t last_name_count() { return std::size(kLastNames); }

std::string obfuscate(std::string_view text, Rng& rng) {
  std::string s(text);
  enum { kEditCase, kEditPunct, kEditHomoglyph, kEditZeroWidth, kEditEmoji, kEditCount };
  bool on[kEditCount] = {};
  int n = static_cast<int>(rng.between(1, 3));
  for (int i = 0; i < n; ++i) on[rng.below(kEditCount)] = true;

  if (on[kEditCase]) {
    uint64_t mode = rng.below(3);
    bool start = true;
    for (char& c : s) {
      bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z';
      if (mode == 0 && lower) c = static_cast<char>(c - 32);
      else if (mode == 1 && upper) c = static_cast<char>(c + 32);
      else if (mode == 2 && start && lower) c = static_cast<char>(c - 32);
      start = c == ' ';
    }
  }
  if (on[kEditPunct]) {
    static const char* const ends[] = {"!", "!!", "!!!", "...", "?!", " !", ""};
    while (!s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?')) s.pop_back();
    s += rng.pick(ends);
    if (rng.chance(0.3)) {
      size_t sp = s.find(' ');
      if (sp != std::string::npos) s.insert(sp, ",");
    }
  }
  if (on[kEditHomoglyph]) {
    // Latin letter -> Cyrillic look-alike (UTF-8).
    static const std::pair<char, const char*> glyphs[] = {
        {'a', "\xD0\xB0"}, {'e', "\xD0\xB5"}, {'o', "\xD0\xBE"}, {'p', "\xD1\x80"}, {'c', "\xD1\x81"},
        {'x', "\xD1\x85"}, {'i', "\xD1\x96"}, {'A', "\xD0\x90"}, {'E', "\xD0\x95"}, {'O', "\xD0\x9E"},
        {'P', "\xD0\xA0"}, {'C', "\xD0\xA1"}, {'X', "\xD0\xA5"}};
    double q = 0.15 + 0.25 * rng.unit();
    std::string t;
    t.reserve(s.size() * 2);
    for (char c : s) {
      const char* sub = nullptr;
      for (const auto& [latin, cyr] : glyphs)
        if (c == latin) sub = cyr;
      if (sub && rng.chance(q)) t += sub;
      else t += c;
    }
    s = std::move(t);
  }
  if (on[kEditZeroWidth]) {
    static const char* const zw[] = {"\xE2\x80\x8B", "\xE2\x80\x8D", "\xEF\xBB\xBF"};
    int k = static_cast<int>(rng.between(1, 3));
    for (int i = 0; i < k && s.size() > 1; ++i) {
      size_t pos = 1 + rng.below(s.size() - 1);
      while (pos < s.size() && is_continuation(s[pos])) ++pos;
      s.insert(pos, rng.pick(zw));
    }
  }
  if (on[kEditEmoji]) {
    int k = static_cast<int>(rng.between(1, 3));
    std::string e;
    for (int i = 0; i < k; ++i) e += rng.pick(kEmoji);
    if (rng.chance(0.7)) s += " " + e;
    else s = e + " " + s;
  }
  if (s == text) s.insert(s.empty() ? 0 : 1, "\xE2\x80\x8B");  // U+200B: never a clean copy
  return s;
}

std::string narrative(Rng& rng) {
  std::string x(content_word(rng)), y(content_word(rng));
  size_t picked[3];
  for (int i = 0; i < 3; ++i) {
    bool again;
    do {
      picked[i] = rng.below(std::size(kPatterns));
      again = false;
      for (int j = 0; j < i; ++j) again |= picked[j] == picked[i];
    } while (again);
  }
  std::string out;
  for (int i = 0; i < 3; ++i) {
    if (i) out += ' ';
    size_t start = out.size();
    for (const char* p = kPatterns[picked[i]]; *p; ++p) {
      if (*p != '%') {
        out += *p;
        continue;
      }
      ++p;
      if (*p == 'X' || *p == 'Y') {
        out += *p == 'X' ? x : y;
        continue;
      }
      size_t g = 0;
      while (p[0] >= '0' && p[0] <= '9') g = g * 10 + static_cast<size_t>(*p++ - '0');
      --p;
      const auto& group = kSynonyms[g];
      out += group[rng.below(group.size())];
    }
    if (out[start] >= 'a' && out[start] <= 'z') out[start] = static_cast<char>(out[start] - 32);
  }
  return out;
}

std::string paraphrase(std::string_view text, Rng& rng) {
  std::vector<std::string> words = split_words(text);
  if (words.empty()) return std::string(text) + " " + rng.pick(kSuffixes);
  // Prefer words that have synonyms: that is what a paraphrasing writer does.
  std::vector<size_t> candidates;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string w = words[i];
    while (!w.empty() && !(std::isalpha(static_cast<unsigned char>(w.back())))) w.pop_back();
    if (!w.empty() && w[0] >= 'A' && w[0] <= 'Z') w[0] = static_cast<char>(w[0] + 32);
    if (synonym_index().count(w)) candidates.push_back(i);
  }
  int subs = rng.chance(0.6) ? 1 : 2;
  size_t done = words.size();  // never the same word twice: a second edit could undo the first
  for (int k = 0; k < subs; ++k) {
    size_t i = candidates.empty() ? rng.below(words.size()) : candidates[rng.below(candidates.size())];
    if (i == done) continue;
    substitute(words, i, rng);
    done = i;
  }
  if (rng.chance(0.2)) {
    // Swap two adjacent sentences.
    std::vector<std::vector<std::string>> sentences(1);
    for (auto& w : words) {
      sentences.back().push_back(w);
      if (ends_sentence(w)) sentences.emplace_back();
    }
    if (sentences.back().empty()) sentences.pop_back();
    if (sentences.size() >= 2) {
      size_t i = rng.below(sentences.size() - 1);
      std::swap(sentences[i], sentences[i + 1]);
      words.clear();
      for (auto& s : sentences) words.insert(words.end(), s.begin(), s.end());
    }
  }
  std::string out;
  if (rng.chance(0.3)) {
    out += rng.pick(kPrefixes);
    out += ' ';
  }
  out += join_words(words);
  if (rng.chance(0.3)) {
    out += ' ';
    out += rng.pick(kSuffixes);
  }
  return out;
}

void append_padded(std::string& out, uint64_t n, int width) {
  char buf[24];
  char* end = buf + sizeof buf;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n);
  while (end - p < width && p > buf) *--p = '0';
  out.append(p, end);
}

}  // namespace chorus::gen

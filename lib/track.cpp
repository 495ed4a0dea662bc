// track.cpp — see track.hpp.
#include "track.hpp"

#include <simdjson.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <unordered_map>

#include "json_writer.hpp"
#include "json_lines.hpp"
#include "line_reader.hpp"
#include "tsv.hpp"
#include "score.hpp"
#include "stream_header.hpp"

namespace chorus {

namespace {

constexpr std::string_view kStateKind = "track-state";


std::string errno_message(const std::string& what) { return what + ": " + std::strerror(errno); }

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}


// An array of strings, or false.
bool string_array(simdjson::dom::object o, const char* name, std::vector<std::string>& out) {
  simdjson::dom::array a;
  if (o[name].get(a)) return false;
  out.clear();
  for (auto e : a) {
    std::string_view s;
    if (e.get(s)) return false;
    out.emplace_back(s);
  }
  return true;
}

// The account name of a profile as networks write it: "platform:account" (or
// the account alone without a platform). Networks hold names with the TSV
// escapes undone, so none are applied here.
std::string profile_name(std::string_view platform, std::string_view account) {
  if (platform.empty()) return std::string(account);
  return std::string(platform) + ":" + std::string(account);
}

std::string normalise_link(std::string_view s) {
  std::string t;
  for (unsigned char c : s) {
    if ((c >= '0' && c <= '9') || c == '@' || c == '_' || c == '.' || c == '-' || c == ' ') continue;
    t += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c);
  }
  return t;
}

void append_returning(std::string& o, const Returning& r) {
  o += "{\"account\":";
  append_json_string(o, r.account);
  o += ",\"how\":";
  append_json_string(o, r.via == "account" ? "same" : "linked");
  o += ",\"via\":";
  append_json_string(o, r.via);
  o += ",\"removed_account\":";
  append_json_string(o, r.removed_account);
  o += ",\"removed_network\":";
  append_json_string(o, r.removed_network);
  o += ",\"removed_run\":";
  append_json_string(o, r.removed_run);
  o += '}';
}

}  // namespace

std::string stable_id(int64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "CIB-%06lld", static_cast<long long>(number));
  return buf;
}

std::vector<std::string> link_keys(std::string_view handle, std::string_view name) {
  std::vector<std::string> keys;
  if (auto h = normalise_link(handle); h.size() >= 3) keys.push_back("handle:" + h);
  if (auto n = normalise_link(name); n.size() >= 3) keys.push_back("name:" + n);
  return keys;
}

std::string format_track_state(const TrackState& state) {
  std::string params = "{\"next\":";
  append_int(params, state.next_number);
  params += ",\"runs\":";
  append_json_string_array(params, state.runs);
  params += '}';
  std::string o = format_stream_header(kStateKind, 1, params);
  for (const auto& n : state.networks) {
    o += "{\"network\":";
    append_json_string(o, stable_id(n.number));
    o += ",\"first_run\":";
    append_json_string(o, n.first_run);
    o += ",\"last_run\":";
    append_json_string(o, n.last_run);
    o += ",\"runs\":";
    append_int(o, n.runs);
    o += ",\"removed_run\":";
    if (n.removed_run.empty())
      o += "null";
    else
      append_json_string(o, n.removed_run);
    o += ",\"accounts\":";
    append_json_string_array(o, n.accounts);
    o += "}\n";
  }
  for (const auto& [account, r] : state.removed) {
    o += "{\"removed\":";
    append_json_string(o, account);
    o += ",\"network\":";
    append_json_string(o, r.network);
    o += ",\"run\":";
    append_json_string(o, r.run);
    o += ",\"keys\":";
    append_json_string_array(o, r.keys);
    o += "}\n";
  }
  return o;
}

Result<TrackState> parse_track_state(std::string_view text, const std::string& name) {
  TrackState st;
  if (text.empty()) return st;
  simdjson::dom::parser parser;
  uint64_t line_no = 0;
  size_t pos = 0;
  int64_t last_number = 0;
  std::string last_removed;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) return Status::error(line_error(name, line_no + 1, "truncated state (no final newline)"));
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    auto bad = [&](const std::string& m) { return Status::error(line_error(name, line_no, m)); };
    if (line_no == 1) {
      auto header = parse_stream_header(line, kStateKind);
      if (!header) return bad(header.status().message());
      simdjson::dom::object o;
      int64_t next = 0;
      if (parser.parse(header->params).get(o) || o["next"].get(next) || next < 1 || !string_array(o, "runs", st.runs))
        return bad("malformed state header parameters");
      st.next_number = next;
      continue;
    }
    simdjson::dom::object o;
    if (parser.parse(line.data(), line.size()).get(o)) return bad("invalid JSON in the state");
    std::string_view id = str_member(o, "network");
    if (!id.empty() && str_member(o, "removed").empty()) {
      TrackedNetwork n;
      long long number = 0;
      char tail = 0;
      if (id.size() < 10 || id.substr(0, 4) != "CIB-" ||
          std::sscanf(std::string(id.substr(4)).c_str(), "%lld%c", &number, &tail) != 1 || number < 1 ||
          number <= last_number || number >= st.next_number)
        return bad("bad or unordered network id");
      n.number = last_number = number;
      n.first_run = str_member(o, "first_run");
      n.last_run = str_member(o, "last_run");
      n.removed_run = str_member(o, "removed_run");
      if (o["runs"].get(n.runs) || n.runs < 1 || n.first_run.empty() || n.last_run.empty() ||
          !string_array(o, "accounts", n.accounts))
        return bad("malformed network record");
      sort_unique(n.accounts);
      st.networks.push_back(std::move(n));
      continue;
    }
    std::string_view account = str_member(o, "removed");
    if (account.empty()) return bad("neither a network nor a removed account");
    if (!last_removed.empty() && std::string(account) <= last_removed) return bad("removed accounts out of order");
    last_removed = account;
    RemovedAccount r;
    r.network = str_member(o, "network");
    r.run = str_member(o, "run");
    if (r.network.empty() || r.run.empty() || !string_array(o, "keys", r.keys)) return bad("malformed removed account");
    sort_unique(r.keys);
    st.removed.emplace(std::string(account), std::move(r));
  }
  if (line_no == 0) return Status::error(name + ": empty state");
  return st;
}

std::vector<NetworkMatch> match_networks(const std::vector<TrackedNetwork>& known, const std::vector<TodayNetwork>& today,
                                         double min_overlap) {
  std::unordered_map<std::string_view, std::vector<int64_t>> where;
  for (size_t k = 0; k < known.size(); ++k)
    for (const auto& a : known[k].accounts) where[a].push_back(static_cast<int64_t>(k));
  struct Candidate {
    double overlap;
    int64_t shared, today, known;
  };
  std::vector<Candidate> cand;
  for (size_t t = 0; t < today.size(); ++t) {
    std::map<int64_t, int64_t> shared;
    for (const auto& a : today[t].accounts) {
      auto w = where.find(a);
      if (w == where.end()) continue;
      for (int64_t k : w->second) ++shared[k];
    }
    for (auto [k, s] : shared) {
      int64_t uni = static_cast<int64_t>(today[t].accounts.size() + known[k].accounts.size()) - s;
      double j = static_cast<double>(s) / static_cast<double>(uni);
      if (j >= min_overlap) cand.push_back({j, s, static_cast<int64_t>(t), k});
    }
  }
  // Known networks are by number, so a lower index is a lower stable id.
  std::sort(cand.begin(), cand.end(), [](const Candidate& x, const Candidate& y) {
    if (x.overlap != y.overlap) return x.overlap > y.overlap;
    if (x.shared != y.shared) return x.shared > y.shared;
    if (x.today != y.today) return x.today < y.today;
    return x.known < y.known;
  });
  std::vector<NetworkMatch> out(today.size());
  std::vector<bool> taken(known.size(), false);
  for (const auto& c : cand) {
    if (out[c.today].known >= 0 || taken[c.known]) continue;
    out[c.today] = {c.known, c.overlap};
    taken[c.known] = true;
  }
  return out;
}

Tracker::Tracker(ErrorHandler on_error, size_t max_line) : on_error_(std::move(on_error)), max_line_(max_line) {}

bool Tracker::bad_line(const std::string& file, uint64_t line, const std::string& message) {
  ++bad_lines_;
  if (!on_error_(file, line, message)) stopped_ = true;
  return !stopped_;
}

Status Tracker::refuse(std::string message) {
  data_error_ = true;
  return Status::error(std::move(message));
}

Status Tracker::add_networks(InputStream& in) {
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "networks", bad, [&](std::string m) { return refuse(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        TodayNetwork n;
        std::string_view id;
        if (o["id"].get(id) || id.empty()) return bad(line, "no \"id\" string (networks)");
        if (!string_array(o, "accounts", n.accounts) || n.accounts.empty())
          return bad(line, "no \"accounts\" array of strings (networks)");
        n.cluster = id;
        sort_unique(n.accounts);
        n.coordinated = str_member(o, "verdict") == "coordinated";
        for (auto field : o) {
          if (field.key == "id" || field.key == "track") continue;
          n.members.emplace_back(std::string(field.key), simdjson::minify(field.value));
        }
        today_.push_back(std::move(n));
        return true;
      });
  return st;
}

Status Tracker::add_accounts(InputStream& in) {
  auto bad = [&](uint64_t line, const std::string& m) { return bad_line(in.name(), line, m); };
  Status st = read_json_lines(
      in, max_line_, "account profiles", bad, [&](std::string m) { return refuse(std::move(m)); },
      [&](simdjson::dom::object o, uint64_t line) {
        std::string_view account;
        if (o["account"].get(account) || account.empty()) return bad(line, "no \"account\" string (account profiles)");
        auto& keys = profile_keys_[profile_name(str_member(o, "platform"), account)];
        for (auto& k : link_keys(str_member(o, "handle"), str_member(o, "name"))) keys.push_back(std::move(k));
        sort_unique(keys);
        return true;
      });
  return st;
}

Tracker::Outcome Tracker::run(const TrackState& before, const std::string& run, double min_overlap) const {
  Outcome out;
  out.state = before;
  TrackState& st = out.state;
  st.runs.push_back(run);
  auto matches = match_networks(before.networks, today_, min_overlap);

  // Removed accounts by link key, each list sorted (the map is by account).
  std::map<std::string, std::vector<const std::pair<const std::string, RemovedAccount>*>> by_key;
  for (const auto& r : before.removed)
    for (const auto& k : r.second.keys) by_key[k].push_back(&r);
  auto returning = [&](const std::string& account, Returning& ret) {
    if (auto r = before.removed.find(account); r != before.removed.end()) {
      ret = {account, "account", account, r->second.network, r->second.run};
      return true;
    }
    auto p = profile_keys_.find(account);
    if (p == profile_keys_.end()) return false;
    for (const auto& k : p->second) {  // "handle:" keys before "name:" keys
      auto b = by_key.find(k);
      if (b == by_key.end()) continue;
      for (const auto* r : b->second) {
        if (r->first == account) continue;
        ret = {account, k.substr(0, k.find(':')), r->first, r->second.network, r->second.run};
        return true;
      }
    }
    return false;
  };

  std::set<std::string_view> in_networks;
  std::vector<TrackedNetwork> added;
  for (size_t t = 0; t < today_.size(); ++t) {
    const TodayNetwork& n = today_[t];
    const NetworkMatch& m = matches[t];
    TrackedNetwork* tracked;
    std::vector<std::string> fresh_accounts;
    if (m.known >= 0) {
      ++out.tracked;
      tracked = &st.networks[static_cast<size_t>(m.known)];
      std::set_difference(n.accounts.begin(), n.accounts.end(), tracked->accounts.begin(), tracked->accounts.end(),
                          std::back_inserter(fresh_accounts));
      tracked->runs += 1;
    } else {
      ++out.fresh;
      added.push_back({});
      tracked = &added.back();
      tracked->number = st.next_number++;
      tracked->first_run = run;
      tracked->runs = 1;
      fresh_accounts = n.accounts;
    }
    tracked->last_run = run;
    tracked->accounts = n.accounts;
    if (n.coordinated && tracked->removed_run.empty()) tracked->removed_run = run;
    const std::string id = stable_id(tracked->number);

    std::string& o = out.output;
    o += "{\"id\":";
    append_json_string(o, id);
    for (const auto& [key, value] : n.members) {
      o += ',';
      append_json_string(o, key);
      o += ':';
      o += value;
    }
    o += ",\"track\":{\"run\":";
    append_json_string(o, run);
    o += ",\"cluster\":";
    append_json_string(o, n.cluster);
    o += ",\"first_run\":";
    append_json_string(o, tracked->first_run);
    o += ",\"runs\":";
    append_int(o, tracked->runs);
    o += ",\"overlap\":";
    o += m.known >= 0 ? format_decimal(m.overlap, 3) : "null";
    o += ",\"new_accounts\":";
    append_json_string_array(o, fresh_accounts);
    o += ",\"returning\":[";
    bool comma = false;
    for (const auto& a : n.accounts) {
      in_networks.insert(a);
      Returning r;
      if (!returning(a, r)) continue;
      (r.via == "account" ? out.same : out.linked) += 1;
      if (comma) o += ',';
      comma = true;
      append_returning(o, r);
    }
    o += "]}}\n";

    if (n.coordinated)
      for (const auto& a : n.accounts)
        if (!st.removed.count(a)) st.removed[a] = {id, run, {}};
  }
  for (auto& a : added) st.networks.push_back(std::move(a));  // numbers above every known one: order kept

  for (const auto& [account, keys] : profile_keys_) {
    if (!in_networks.count(account)) {
      Returning r;
      if (returning(account, r)) out.outside.push_back(std::move(r));
    }
    // Removed accounts (earlier or today) keep the link keys of their profiles.
    if (auto r = st.removed.find(account); r != st.removed.end()) {
      r->second.keys.insert(r->second.keys.end(), keys.begin(), keys.end());
      sort_unique(r->second.keys);
    }
  }
  return out;
}

StateDir::~StateDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

Status StateDir::open(const std::string& dir) {
  dir_ = dir;
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) return Status::error(errno_message(dir));
  const std::string lock = dir + "/lock";
  lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (lock_fd_ < 0) return Status::error(errno_message(lock));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return Status::error(dir + ": state is locked by another chorus-track run");
    return Status::error(errno_message(lock));
  }
  return {};
}

Result<std::string> StateDir::read() const {
  const std::string path = state_path();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::string();
    return Status::error(errno_message(path));
  }
  std::string text;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = Status::error(errno_message(path));
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

Status StateDir::commit(const std::string& text, const std::function<void()>& before_rename) const {
  const std::string tmp = dir_ + "/state.tmp", path = state_path();
  // A temp file left by a killed run is overwritten: the lock makes this run its only writer.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return Status::error(errno_message(tmp));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = Status::error(errno_message(tmp));
      ::close(fd);
      return st;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status st = Status::error(errno_message(tmp));
    ::close(fd);
    return st;
  }
  if (::close(fd) != 0) return Status::error(errno_message(tmp));
  if (before_rename) before_rename();
  // rename(2) replaces the state atomically: a reader sees the old or the new file, never a mix.
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Status::error(errno_message(path));
  // The rename itself is durable once the directory is synced.
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Status::error(errno_message(dir_));
  int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return Status::error(errno_message(dir_));
  return {};
}

}  // namespace chorus

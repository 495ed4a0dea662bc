#include "stream_header.hpp"

#include <charconv>

namespace chorus {

std::string stream_name_of(std::string_view line) {
  if (line.substr(0, 8) != "#chorus-") return "a comment line";
  std::string_view kind = line.substr(8, line.find(' ') == std::string_view::npos ? std::string_view::npos : line.find(' ') - 8);
  if (kind.size() > 20 || kind.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string_view::npos) return "a chorus stream";
  return "a chorus " + std::string(kind) + " stream";
}

std::string format_stream_header(std::string_view kind, int version, std::string_view params_json) {
  std::string s = "#chorus-";
  s += kind;
  s += " v";
  s += std::to_string(version);
  s += ' ';
  s += params_json;
  s += '\n';
  return s;
}

Result<StreamHeader> parse_stream_header(std::string_view line, std::string_view want_kind, int max_version) {
  std::string want = "a chorus " + std::string(want_kind) + " stream (first line '#chorus-" + std::string(want_kind) +
                     " v1 {...}')";
  constexpr std::string_view kPrefix = "#chorus-";
  if (line.substr(0, kPrefix.size()) != kPrefix) return Status::error("not " + want);
  line.remove_prefix(kPrefix.size());
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return Status::error("malformed stream header: expected " + want);
  StreamHeader h;
  h.kind = std::string(line.substr(0, sp));
  line.remove_prefix(sp + 1);
  if (h.kind != want_kind) return Status::error("a chorus " + h.kind + " stream, expected " + want);
  if (line.empty() || line[0] != 'v') return Status::error("malformed stream header: no version");
  sp = line.find(' ');
  std::string_view v = line.substr(1, sp == std::string_view::npos ? std::string_view::npos : sp - 1);
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), h.version);
  if (ec != std::errc() || end != v.data() + v.size() || h.version < 1)
    return Status::error("malformed stream header: bad version '" + std::string(v) + "'");
  if (h.version > max_version)
    return Status::error(std::string(want_kind) + " stream version " + std::to_string(h.version) +
                         " is newer than this chorus reads (" + std::to_string(max_version) + ")");
  if (sp != std::string_view::npos) h.params = std::string(line.substr(sp + 1));
  if (!h.params.empty() && h.params.back() == '\r') h.params.pop_back();
  return h;
}

}  // namespace chorus

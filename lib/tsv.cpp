#include "tsv.hpp"

namespace chorus {

bool split_tabs(std::string_view s, std::string_view* f, size_t n) {
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t tab = s.find('\t', pos);
    if ((tab == std::string_view::npos) != (i + 1 == n)) return false;
    f[i] = s.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos);
    pos = tab + 1;
  }
  return true;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool unescape_tsv_field(std::string_view field, std::string& out) {
  out.clear();
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i == field.size()) return false;
    switch (field[i]) {
      case 't': out.push_back('\t'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case '\\': out.push_back('\\'); break;
      case 'x': {
        if (field.size() - i < 3) return false;  // two hex digits must follow the 'x'
        int hi = hex_value(field[i + 1]), lo = hex_value(field[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default: return false;
    }
  }
  return true;
}

}  // namespace chorus

// text_entities.hpp — hashtags, mentions and URLs found in a post's text, for
// exports whose records carry no entity arrays (SPEC §2). The rules follow
// Twitter's: '#' or '@' after the start or a non-word character, then word
// characters (letters, digits, '_', any non-ASCII letter byte); mentions are
// ASCII letters, digits, '_' and inner '.', at most 30 (TikTok's rule, which
// includes Twitter's); URLs start
// with http:// or https:// (or www.) and end at whitespace, with trailing
// punctuation dropped. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chorus {

// Appends what `text` holds to the lists given (a null list is not wanted);
// the views point into `text`. Hashtags without '#', mentions without '@'.
void find_entities(std::string_view text, std::vector<std::string_view>* hashtags,
                   std::vector<std::string_view>* mentions, std::vector<std::string_view>* urls);

}  // namespace chorus

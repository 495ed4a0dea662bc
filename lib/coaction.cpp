#include "coaction.hpp"

namespace chorus {

CoActionSweep::CoActionSweep(SweepOptions options, Emit emit) : opt_(options), emit_(std::move(emit)) {}

void CoActionSweep::begin_key() {
  window_.clear();
  in_window_.clear();
  key_hot_ = false;
  ++stats_.keys;
}

void CoActionSweep::pop_front() {
  auto it = in_window_.find(window_.front().account);
  if (--it->second == 0) in_window_.erase(it);
  window_.pop_front();
}

void CoActionSweep::add(Micros ts, uint32_t account, std::string_view event) {
  ++stats_.marks;
  while (!window_.empty() && ts - window_.front().ts > opt_.window) pop_front();
  const uint64_t limit = opt_.max_accounts;
  size_t accounts = in_window_.size() + (in_window_.count(account) ? 0 : 1);
  bool hot = limit && (accounts > limit || window_.size() >= 8 * limit);
  const Side later{ts, account, event};
  if (!hot) {
    for (const Entry& e : window_)
      if (e.account != account && e.event != event) {
        emit_(Side{e.ts, e.account, e.event}, later);
        ++stats_.coactions;
      }
  } else {
    ++stats_.hot_marks;
    if (!key_hot_) ++stats_.hot_keys, key_hot_ = true;
    // Co-actions the window offers: its marks of other accounts (O(1), not a scan).
    auto own = in_window_.find(account);
    const uint64_t possible = window_.size() - (own == in_window_.end() ? 0 : own->second);
    uint64_t made = 0;
    // Cap: only accounts already in the window (the first ones, while it
    // filled up) go on pairing, with the latest marks first; a newcomer to a
    // full window pairs with nothing. So a flood of new accounts costs
    // nothing, whatever its size.
    if (opt_.hot == HotPolicy::kCap && own != in_window_.end())
      for (auto it = window_.rbegin(); it != window_.rend() && made < limit; ++it)
        if (it->account != account && it->event != event) {
          emit_(Side{it->ts, it->account, it->event}, later);
          ++made;
        }
    stats_.coactions += made;
    stats_.capped_coactions += possible > made ? possible - made : 0;
  }
  window_.push_back(Entry{ts, account, std::string(event)});
  ++in_window_[account];
  if (limit && window_.size() > 8 * limit) pop_front();
}

}  // namespace chorus

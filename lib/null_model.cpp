// null_model.cpp — see null_model.hpp.
#include "null_model.hpp"

#include <algorithm>
#include <cmath>
#include <xxhash.h>

namespace chorus {

namespace {

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Marks of one shared key: a's times [a0, a1), b's times [b0, b1) in the flat vectors.
struct SharedKey {
  uint32_t a0, a1, b0, b1;
};

// Pairs (x in xs, y in ys) with |x - y| <= w; ys sorted.
uint64_t close_pairs(const Micros* xs, size_t nx, const Micros* ys, size_t ny, Micros w) {
  uint64_t n = 0;
  for (size_t i = 0; i < nx; ++i) {
    const Micros* lo = std::lower_bound(ys, ys + ny, xs[i] - w);
    const Micros* hi = std::upper_bound(lo, ys + ny, xs[i] + w);
    n += static_cast<uint64_t>(hi - lo);
  }
  return n;
}

}  // namespace

EventLoads::EventLoads(std::vector<double> loads) : loads_(std::move(loads)) {
  std::sort(loads_.begin(), loads_.end());
  prefix_.assign(1, 0);
  for (double x : loads_) prefix_.push_back(prefix_.back() + x);
}

double EventLoads::expected(uint64_t marks, uint64_t total) const {
  if (marks == 0 || total == 0) return 0;
  const double c = static_cast<double>(marks) / static_cast<double>(total);
  // Events with load >= 1/c are certain to share a key.
  const size_t i = static_cast<size_t>(std::lower_bound(loads_.begin(), loads_.end(), 1 / c) - loads_.begin());
  return c * prefix_[i] + static_cast<double>(loads_.size() - i);
}

double poisson_upper_tail(uint64_t k, double lambda) {
  if (k == 0) return 1;
  if (lambda <= 0) return 0;
  auto term = [&](double i) { return std::exp(-lambda + i * std::log(lambda) - std::lgamma(i + 1)); };
  if (static_cast<double>(k) <= lambda) {
    double lower = 0;
    for (uint64_t i = 0; i < k; ++i) lower += term(static_cast<double>(i));
    return std::clamp(1 - lower, 0.0, 1.0);
  }
  // Terms fall from k on (lambda / (i + 1) < 1): sum until they no longer count.
  double sum = 0, t = term(static_cast<double>(k));
  for (uint64_t i = k; t > 0 && t > sum * 1e-17; ++i) {
    sum += t;
    t *= lambda / static_cast<double>(i + 1);
  }
  return std::min(sum, 1.0);
}

uint64_t account_hash(std::string_view name) { return XXH3_64bits(name.data(), name.size()); }

Micros null_shift(const NullParams& p, uint64_t account, uint32_t round) {
  if (p.max_shift <= 0) return 0;
  uint64_t r = splitmix(splitmix(p.seed ^ account) + round);
  const uint64_t width = 2 * static_cast<uint64_t>(p.max_shift) + 1;
  return static_cast<Micros>(r % width) - p.max_shift;
}

NullResult null_test(const NullParams& p, uint64_t a_hash, const std::vector<TimedKey>& a, uint64_t b_hash,
                     const std::vector<TimedKey>& b) {
  // The keys both acted on, whenever: only there can a shift make co-actions.
  std::vector<SharedKey> keys;
  std::vector<Micros> ta, tb;
  std::vector<uint64_t> ea, eb;
  // Walk the shorter list, and find its keys in the longer by galloping:
  // a busy account (thousands of marks) with many edges costs its partners'
  // marks times a logarithm, not its own marks, per edge.
  auto gather = [](const std::vector<TimedKey>& v, size_t& i, uint64_t k, std::vector<Micros>& t, std::vector<uint64_t>& e) {
    for (; i < v.size() && v[i].key == k; ++i) {
      t.push_back(v[i].ts);
      e.push_back(v[i].event);
    }
  };
  auto seek = [](const std::vector<TimedKey>& v, size_t from, uint64_t k) {
    size_t step = 1, lo = from, hi = from;
    while (hi < v.size() && v[hi].key < k) {
      lo = hi + 1;
      hi = from + step;
      step *= 2;
    }
    hi = std::min(hi, v.size());
    return static_cast<size_t>(std::lower_bound(v.begin() + static_cast<std::ptrdiff_t>(lo), v.begin() + static_cast<std::ptrdiff_t>(hi),
                                                k, [](const TimedKey& x, uint64_t key) { return x.key < key; }) -
                               v.begin());
  };
  const bool a_short = a.size() <= b.size();
  const std::vector<TimedKey>& s_list = a_short ? a : b;
  const std::vector<TimedKey>& l_list = a_short ? b : a;
  for (size_t i = 0, j = 0; i < s_list.size() && j < l_list.size();) {
    const uint64_t k = s_list[i].key;
    j = seek(l_list, j, k);
    if (j == l_list.size()) break;
    if (l_list[j].key != k) {
      while (i < s_list.size() && s_list[i].key == k) ++i;
      continue;
    }
    SharedKey sk;
    size_t& ia = a_short ? i : j;
    size_t& ib = a_short ? j : i;
    sk.a0 = static_cast<uint32_t>(ta.size());
    gather(a, ia, k, ta, ea);
    sk.a1 = static_cast<uint32_t>(ta.size());
    sk.b0 = static_cast<uint32_t>(tb.size());
    gather(b, ib, k, tb, eb);
    sk.b1 = static_cast<uint32_t>(tb.size());
    keys.push_back(sk);
  }
  NullResult r;
  // Co-actions, and the events of each side that took part in one.
  std::vector<uint64_t> hit_a, hit_b;
  for (const SharedKey& s : keys)
    for (uint32_t x = s.a0; x < s.a1; ++x)
      for (uint32_t y = s.b0; y < s.b1; ++y)
        if (ta[x] - tb[y] <= p.window && tb[y] - ta[x] <= p.window) {
          ++r.observed;
          hit_a.push_back(ea[x]);
          hit_b.push_back(eb[y]);
        }
  for (auto* v : {&hit_a, &hit_b}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  r.a_events = hit_a.size();
  r.b_events = hit_b.size();
  if (p.rounds == 0) return r;

  const Micros period = std::max<Micros>(p.span_length + p.window + 1, 1);
  auto wrap = [&](Micros t, Micros shift) {
    Micros x = (t - p.span_begin + shift) % period;
    if (x < 0) x += period;
    return p.span_begin + x;
  };
  std::vector<Micros> sa(ta.size()), sb(tb.size());
  uint64_t total = 0, at_least = 0;
  for (uint32_t round = 0; round < p.rounds; ++round) {
    const Micros da = null_shift(p, a_hash, round), db = null_shift(p, b_hash, round);
    for (size_t i = 0; i < ta.size(); ++i) sa[i] = wrap(ta[i], da);
    for (size_t i = 0; i < tb.size(); ++i) sb[i] = wrap(tb[i], db);
    uint64_t n = 0;
    for (const SharedKey& s : keys) {
      // A wrap can put a key's shifted times out of order.
      std::sort(sb.begin() + s.b0, sb.begin() + s.b1);
      n += close_pairs(&sa[s.a0], s.a1 - s.a0, &sb[s.b0], s.b1 - s.b0, p.window);
    }
    total += n;
    at_least += n >= r.observed;
  }
  r.expected = static_cast<double>(total) / p.rounds;
  r.p_value = static_cast<double>(1 + at_least) / (1 + static_cast<double>(p.rounds));
  return r;
}

}  // namespace chorus

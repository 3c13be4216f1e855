#include "tsdb/index/postings.h"

#include <algorithm>
#include <iterator>
#include <queue>

namespace argus::tsdb::index {

PostingsList Intersect(std::vector<PostingsList> lists) {
  if (lists.empty()) return {};
  // Smallest first: the result only shrinks, and each step costs about the smaller size.
  std::sort(lists.begin(), lists.end(),
            [](const PostingsList& a, const PostingsList& b) { return a.size() < b.size(); });
  PostingsList out = std::move(lists[0]);
  for (size_t i = 1; i < lists.size() && !out.empty(); ++i) {
    const PostingsList& b = lists[i];
    size_t w = 0;
    auto it = b.begin();
    for (uint64_t ref : out) {
      it = std::lower_bound(it, b.end(), ref);
      if (it == b.end()) break;
      if (*it == ref) out[w++] = ref;
    }
    out.resize(w);
  }
  return out;
}

PostingsList Merge(std::vector<PostingsList> lists) {
  lists.erase(
      std::remove_if(lists.begin(), lists.end(), [](const PostingsList& l) { return l.empty(); }),
      lists.end());
  if (lists.empty()) return {};
  if (lists.size() == 1) return std::move(lists[0]);
  if (lists.size() == 2) {
    PostingsList out;
    out.reserve(lists[0].size() + lists[1].size());
    std::set_union(lists[0].begin(), lists[0].end(), lists[1].begin(), lists[1].end(),
                   std::back_inserter(out));
    return out;
  }
  // k-way merge with a heap of (next ref, list index).
  using Head = std::pair<uint64_t, size_t>;
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heap;
  std::vector<size_t> pos(lists.size(), 0);
  size_t total = 0;
  for (size_t i = 0; i < lists.size(); ++i) {
    heap.emplace(lists[i][0], i);
    total += lists[i].size();
  }
  PostingsList out;
  out.reserve(total);
  while (!heap.empty()) {
    auto [ref, i] = heap.top();
    heap.pop();
    if (out.empty() || out.back() != ref) out.push_back(ref);
    if (++pos[i] < lists[i].size()) heap.emplace(lists[i][pos[i]], i);
  }
  return out;
}

PostingsList Without(const PostingsList& a, const PostingsList& b) {
  PostingsList out;
  out.reserve(a.size());
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace argus::tsdb::index

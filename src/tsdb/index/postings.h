// Set operations on postings lists: ascending, duplicate-free series refs.
#pragma once

#include <cstdint>
#include <vector>

namespace argus::tsdb::index {

using PostingsList = std::vector<uint64_t>;

// Refs present in every list; empty for no lists.
PostingsList Intersect(std::vector<PostingsList> lists);
// Refs present in any list.
PostingsList Merge(std::vector<PostingsList> lists);
// Refs of `a` not in `b`.
PostingsList Without(const PostingsList& a, const PostingsList& b);

}  // namespace argus::tsdb::index

#include "tsdb/head/interner.h"

#include "base/check.h"

namespace argus::tsdb::head {

const std::string* Interner::Intern(absl::string_view s) {
  std::lock_guard l(mu_);
  auto it = refs_.find(s);
  if (it == refs_.end()) it = refs_.emplace(std::string(s), 0).first;
  ++it->second;
  return &it->first;
}

void Interner::Release(const std::string* s) {
  std::lock_guard l(mu_);
  auto it = refs_.find(*s);
  ARGUS_CHECK(it != refs_.end() && &it->first == s, "Release of a string Intern did not return");
  if (--it->second == 0) refs_.erase(it);
}

}  // namespace argus::tsdb::head

// Interned label strings of the head: each distinct name or value is stored once however many
// series use it, and freed when the last series using it is garbage-collected.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "absl/container/node_hash_map.h"
#include "absl/strings/string_view.h"

namespace argus::tsdb::head {

// Thread-safe.
class Interner {
 public:
  // The stable copy of `s`; its reference count goes up by one. The pointer stays valid until
  // a matching number of Release calls.
  const std::string* Intern(absl::string_view s);
  // REQUIRES: `s` came from Intern on this interner.
  void Release(const std::string* s);

 private:
  mutable std::mutex mu_;  // std::, see Head::visibility_mu_
  absl::node_hash_map<std::string, uint64_t> refs_;
};

}  // namespace argus::tsdb::head

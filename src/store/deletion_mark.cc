#include "store/deletion_mark.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace argus::store {

absl::StatusOr<int64_t> ParseDeletionTime(absl::string_view json) {
  const nlohmann::json j = nlohmann::json::parse(json.begin(), json.end(), nullptr,
                                                 /*allow_exceptions=*/false);
  if (!j.is_object()) return absl::InvalidArgumentError("deletion mark: not a JSON object");
  const auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer() || version->get<int64_t>() != 1) {
    return absl::InvalidArgumentError("deletion mark: unexpected version (want 1)");
  }
  const auto t = j.find("deletion_time");
  if (t == j.end() || !t->is_number_integer()) {
    return absl::InvalidArgumentError("deletion mark: no integer deletion_time");
  }
  return t->get<int64_t>();
}

}  // namespace argus::store

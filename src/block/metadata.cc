#include "block/metadata.h"

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "nlohmann/json.hpp"

namespace argus::block {

using nlohmann::ordered_json;

absl::StatusOr<Meta> ParseMeta(absl::string_view json, absl::string_view source) {
  Meta m;
  ASSIGN_OR_RETURN(m.prom, tsdb::block::ParseMeta(json, source));
  // nlohmann::json throws; this is its boundary.
  try {
    const ordered_json j = ordered_json::parse(json.begin(), json.end());
    if (!j.contains("thanos")) return m;
    const ordered_json& t = j.at("thanos");
    const int version = t.value("version", 0);
    if (version != 0 && version != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": unexpected thanos meta version ", version));
    }
    std::vector<labels::Label> ls;
    const ordered_json labels = t.value("labels", ordered_json::object());
    for (const auto& [k, v] : labels.items()) {
      ls.push_back({k, v.get<std::string>()});
    }
    m.thanos.labels = labels::Labels::FromUnsorted(std::move(ls));
    if (t.contains("downsample")) {
      m.thanos.downsample_resolution = t.at("downsample").value("resolution", int64_t{0});
    }
    m.thanos.source = t.value("source", "");
    for (const ordered_json& f : t.value("files", ordered_json::array())) {
      File& file = m.thanos.files.emplace_back();
      file.rel_path = f.at("rel_path").get<std::string>();
      if (f.contains("size_bytes")) file.size_bytes = f.at("size_bytes").get<int64_t>();
    }
    return m;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", e.what()));
  }
}

std::string FormatMeta(const Meta& m) {
  ordered_json j = tsdb::block::MetaJson(m.prom);
  ordered_json t;
  t["version"] = 1;
  ordered_json ls = ordered_json::object();
  for (const labels::Label& l : m.thanos.labels) ls[l.name] = l.value;
  t["labels"] = ls;
  t["downsample"] = {{"resolution", m.thanos.downsample_resolution}};
  t["source"] = m.thanos.source;
  if (!m.thanos.files.empty()) {
    ordered_json files = ordered_json::array();
    for (const File& f : m.thanos.files) {
      ordered_json o;
      o["rel_path"] = f.rel_path;
      if (f.size_bytes.has_value()) o["size_bytes"] = *f.size_bytes;
      files.push_back(o);
    }
    t["files"] = files;
  }
  j["thanos"] = t;
  return j.dump(1, '\t');
}

}  // namespace argus::block

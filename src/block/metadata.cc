#include "block/metadata.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "base/status.h"
#include "nlohmann/json.hpp"

namespace argus::block {
namespace {

using nlohmann::ordered_json;

// The value of `key` in object `j`, or null when it is absent or JSON null (Go's decoder
// leaves the field empty in both cases).
const ordered_json* Field(const ordered_json& j, const char* key) {
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

// Parses the thanos section `t` into `out`; nlohmann::json exceptions propagate.
absl::Status ParseThanos(const ordered_json& t, absl::string_view source, Thanos& out) {
  if (!t.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": thanos section is not an object"));
  }
  const ordered_json* version = Field(t, "version");
  const int v = version == nullptr ? 0 : version->get<int>();
  if (v != 0 && v != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": unexpected meta file Thanos section version ", v));
  }
  if (const ordered_json* l = Field(t, "labels")) {
    std::vector<labels::Label> ls;
    for (auto& [name, value] : l->get<std::map<std::string, std::string>>()) {
      ls.push_back({name, value});
    }
    out.labels = labels::Labels::FromSorted(std::move(ls));
  }
  if (const ordered_json* d = Field(t, "downsample")) {
    if (const ordered_json* r = Field(*d, "resolution")) {
      out.downsample_resolution = r->get<int64_t>();
    }
  }
  if (const ordered_json* s = Field(t, "source")) out.source = s->get<std::string>();
  if (const ordered_json* s = Field(t, "segment_files")) {
    out.segment_files = s->get<std::vector<std::string>>();
  }
  if (const ordered_json* files = Field(t, "files")) {
    for (const ordered_json& f : files->get<std::vector<ordered_json>>()) {
      File& file = out.files.emplace_back();
      file.rel_path = f.at("rel_path").get<std::string>();
      if (const ordered_json* size = Field(f, "size_bytes")) file.size_bytes = size->get<int64_t>();
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Meta> ParseMeta(absl::string_view json, absl::string_view source) {
  Meta m;
  ASSIGN_OR_RETURN(m.prom, tsdb::block::ParseMeta(json, source));
  // nlohmann::json throws; this is its boundary.
  try {
    const ordered_json j = ordered_json::parse(json.begin(), json.end());
    if (const ordered_json* t = Field(j, "thanos"))
      RETURN_IF_ERROR(ParseThanos(*t, source, m.thanos));
    return m;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", e.what()));
  }
}

absl::StatusOr<Meta> ReadMeta(Env* env, const std::string& dir) {
  const std::string path = JoinPath(dir, tsdb::block::kMetaFilename);
  ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  return ParseMeta(text, path);
}

std::string FormatMeta(const Meta& m) {
  ordered_json t = ordered_json::object();
  ordered_json ls = ordered_json::object();
  for (const labels::Label& l : m.thanos.labels) ls[l.name] = l.value;
  t["labels"] = std::move(ls);
  t["downsample"] = {{"resolution", m.thanos.downsample_resolution}};
  t["source"] = m.thanos.source;
  if (!m.thanos.segment_files.empty()) t["segment_files"] = m.thanos.segment_files;
  if (!m.thanos.files.empty()) {
    ordered_json files = ordered_json::array();
    for (const File& f : m.thanos.files) {
      ordered_json o = {{"rel_path", f.rel_path}};
      if (f.size_bytes != 0) o["size_bytes"] = f.size_bytes;
      files.push_back(std::move(o));
    }
    t["files"] = std::move(files);
  }
  // A struct in Go, so never omitted; Argus records no index statistics.
  t["index_stats"] = ordered_json::object();
  ordered_json j = tsdb::block::MetaJson(m.prom);
  j["thanos"] = std::move(t);
  // Invalid UTF-8 becomes U+FFFD as in Go. The characters Go's encoder escapes (HTML-safe
  // output) can only occur inside strings, so replacing them in the text is exact.
  return absl::StrReplaceAll(j.dump(1, '\t', false, ordered_json::error_handler_t::replace),
                             {{"<", "\\u003c"},
                              {">", "\\u003e"},
                              {"&", "\\u0026"},
                              {"\xe2\x80\xa8", "\\u2028"},
                              {"\xe2\x80\xa9", "\\u2029"}}) +
         "\n";
}

}  // namespace argus::block

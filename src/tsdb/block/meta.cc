#include "tsdb/block/meta.h"

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "nlohmann/json.hpp"

namespace argus::tsdb::block {
namespace {

using nlohmann::ordered_json;

absl::StatusOr<Ulid> UlidField(const ordered_json& j, const char* key, absl::string_view source) {
  if (!j.contains(key) || !j[key].is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": missing string field ", key));
  }
  absl::StatusOr<Ulid> u = Ulid::Parse(j[key].get<std::string>());
  if (!u.ok()) return Annotate(u.status(), source);
  return u;
}

}  // namespace

absl::StatusOr<BlockMeta> ParseMeta(absl::string_view json, absl::string_view source) {
  // nlohmann::json throws; this is its boundary.
  try {
    ordered_json j = ordered_json::parse(json.begin(), json.end());
    BlockMeta m;
    ASSIGN_OR_RETURN(m.ulid, UlidField(j, "ulid", source));
    m.min_time = j.at("minTime").get<int64_t>();
    m.max_time = j.at("maxTime").get<int64_t>();
    m.version = j.value("version", 0);
    if (m.version != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": unexpected meta file version ", m.version));
    }
    if (j.contains("stats")) {
      const ordered_json& s = j["stats"];
      m.stats.num_samples = s.value("numSamples", uint64_t{0});
      m.stats.num_series = s.value("numSeries", uint64_t{0});
      m.stats.num_chunks = s.value("numChunks", uint64_t{0});
      m.stats.num_tombstones = s.value("numTombstones", uint64_t{0});
    }
    if (j.contains("compaction")) {
      const ordered_json& c = j["compaction"];
      m.compaction_level = c.value("level", 1);
      for (const auto& s : c.value("sources", ordered_json::array())) {
        ASSIGN_OR_RETURN(Ulid u, Ulid::Parse(s.get<std::string>()));
        m.sources.push_back(u);
      }
      for (const auto& p : c.value("parents", ordered_json::array())) {
        BlockDesc d;
        ASSIGN_OR_RETURN(d.ulid, UlidField(p, "ulid", source));
        d.min_time = p.at("minTime").get<int64_t>();
        d.max_time = p.at("maxTime").get<int64_t>();
        m.parents.push_back(d);
      }
    }
    return m;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": ", e.what()));
  }
}

absl::StatusOr<BlockMeta> ReadMeta(Env* env, const std::string& dir) {
  const std::string path = JoinPath(dir, kMetaFilename);
  ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  return ParseMeta(text, path);
}

ordered_json MetaJson(const BlockMeta& m) {
  ordered_json j;
  j["ulid"] = m.ulid.ToString();
  j["minTime"] = m.min_time;
  j["maxTime"] = m.max_time;
  ordered_json stats;
  stats["numSamples"] = m.stats.num_samples;
  stats["numSeries"] = m.stats.num_series;
  stats["numChunks"] = m.stats.num_chunks;
  if (m.stats.num_tombstones > 0) stats["numTombstones"] = m.stats.num_tombstones;
  j["stats"] = stats;
  ordered_json c;
  c["level"] = m.compaction_level;
  ordered_json sources = ordered_json::array();
  for (const Ulid& u : m.sources) sources.push_back(u.ToString());
  c["sources"] = sources;
  if (!m.parents.empty()) {
    ordered_json parents = ordered_json::array();
    for (const BlockDesc& p : m.parents) {
      parents.push_back(
          {{"ulid", p.ulid.ToString()}, {"minTime", p.min_time}, {"maxTime", p.max_time}});
    }
    c["parents"] = parents;
  }
  j["compaction"] = c;
  j["version"] = m.version;
  return j;
}

std::string FormatMeta(const BlockMeta& m) { return MetaJson(m).dump(1, '\t'); }

absl::Status WriteMeta(Env* env, const std::string& dir, const BlockMeta& meta) {
  return WriteFileAtomically(env, JoinPath(dir, kMetaFilename), FormatMeta(meta));
}

}  // namespace argus::tsdb::block

#include "base/logging.h"

#include <atomic>
#include <memory>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace argus::log {
namespace {

struct State {
  std::atomic<int> level{static_cast<int>(Level::kInfo)};
  std::atomic<Format> format{Format::kLogfmt};
  std::mutex mu;  // guards replacing `logger`
  std::shared_ptr<spdlog::logger> logger;
};

State& GetState() {
  static State* const state = [] {
    auto* s = new State;
    s->logger = std::make_shared<spdlog::logger>("argus",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
    s->logger->set_pattern("%v");
    s->logger->flush_on(spdlog::level::trace);
    return s;
  }();
  return *state;
}

std::shared_ptr<spdlog::logger> CurrentLogger() {
  State& s = GetState();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.logger;
}

// Flag spellings, indexed by Level.
constexpr absl::string_view kLevelNames[] = {"debug", "info", "warn", "error"};

constexpr absl::string_view LevelName(Level level) { return kLevelNames[static_cast<int>(level)]; }

absl::string_view BaseName(absl::string_view path) {
  size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

// logfmt quoting as go-kit does it: bare unless the value is empty or holds a space, '=', '"'
// or a control character; quoted values escape '"', '\\' and newlines.
void AppendLogfmtValue(std::string& out, absl::string_view v) {
  bool needs_quotes = v.empty();
  for (char c : v) {
    if (c <= ' ' || c == '=' || c == '"' || c == 0x7f) needs_quotes = true;
  }
  if (!needs_quotes) {
    out.append(v.data(), v.size());
    return;
  }
  out.push_back('"');
  for (char c : v) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

absl::Status Configure(absl::string_view level, absl::string_view format, std::ostream* out) {
  int parsed_level = -1;
  for (int i = 0; i < 4; ++i) {
    if (level == kLevelNames[i]) parsed_level = i;
  }
  if (parsed_level < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("unrecognized log level \"", level, "\" (want debug, info, warn or error)"));
  }
  Format parsed_format;
  if (format == "logfmt") {
    parsed_format = Format::kLogfmt;
  } else if (format == "json") {
    parsed_format = Format::kJson;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unrecognized log format \"", format, "\" (want logfmt or json)"));
  }
  State& s = GetState();
  s.level.store(parsed_level);
  s.format.store(parsed_format);
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (out != nullptr) {
    sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*out, /*force_flush=*/true);
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  auto logger = std::make_shared<spdlog::logger>("argus", std::move(sink));
  logger->set_pattern("%v");
  logger->flush_on(spdlog::level::trace);
  std::lock_guard<std::mutex> lock(s.mu);
  s.logger = std::move(logger);
  return absl::OkStatus();
}

bool Enabled(Level level) { return static_cast<int>(level) >= GetState().level.load(); }

void Write(Level level, absl::string_view msg, std::initializer_list<Field> fields,
           const std::source_location& loc) {
  std::string ts = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  std::string caller = absl::StrCat(BaseName(loc.file_name()), ":", loc.line());
  std::string line;
  if (GetState().format.load() == Format::kJson) {
    nlohmann::ordered_json j;
    j["ts"] = ts;
    j["caller"] = caller;
    j["level"] = LevelName(level);
    j["msg"] = std::string(msg);
    for (const Field& f : fields) j[std::string(f.key)] = f.value;
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    absl::StrAppend(&line, "ts=", ts, " caller=", caller, " level=", LevelName(level), " msg=");
    AppendLogfmtValue(line, msg);
    for (const Field& f : fields) {
      absl::StrAppend(&line, " ", f.key, "=");
      AppendLogfmtValue(line, f.value);
    }
  }
  // The string_view overload writes the line as is (no format-string interpretation).
  CurrentLogger()->log(spdlog::source_loc{}, spdlog::level::info, spdlog::string_view_t(line));
}

}  // namespace argus::log

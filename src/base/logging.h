// Structured logging in the two formats Prometheus and Thanos offer: logfmt (default) and JSON,
// selected with --log.format, filtered with --log.level. Thread-safe; lines go to stderr unless
// a test redirects them.
//
//   log::Info("Server is ready to receive web requests.", {{"address", addr}});
//   => ts=2026-11-28T01:39:02.123Z caller=server.cc:42 level=info msg="Server is ready ..."
//   address=:9090
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <source_location>
#include <string>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace argus::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class Format { kLogfmt, kJson };

// One key=value pair of a log line. Values are rendered to text when the field is built.
struct Field {
  template <typename V>
  Field(absl::string_view k, const V& v) : key(k), value(Render(v)) {}

  absl::string_view key;
  std::string value;

 private:
  template <typename V>
  static std::string Render(const V& v) {
    if constexpr (std::is_same_v<V, absl::Status>) {
      return v.ToString();
    } else if constexpr (std::is_same_v<V, bool>) {
      return v ? "true" : "false";
    } else {
      return absl::StrCat(v);
    }
  }
};

// Parses the flag values ("debug|info|warn|error", "logfmt|json") and applies them. `out`, when
// given, receives the lines instead of stderr (for tests); it must outlive all logging.
// Errors: InvalidArgument naming the bad value.
absl::Status Configure(absl::string_view level, absl::string_view format,
                       std::ostream* out = nullptr);

// True when lines of `level` are written under the current configuration.
bool Enabled(Level level);

// Writes one line. Prefer the level helpers below.
void Write(Level level, absl::string_view msg, std::initializer_list<Field> fields,
           const std::source_location& loc);

inline void Debug(absl::string_view msg, std::initializer_list<Field> fields = {},
                  const std::source_location& loc = std::source_location::current()) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, msg, fields, loc);
}
inline void Info(absl::string_view msg, std::initializer_list<Field> fields = {},
                 const std::source_location& loc = std::source_location::current()) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, msg, fields, loc);
}
inline void Warn(absl::string_view msg, std::initializer_list<Field> fields = {},
                 const std::source_location& loc = std::source_location::current()) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, msg, fields, loc);
}
inline void Error(absl::string_view msg, std::initializer_list<Field> fields = {},
                  const std::source_location& loc = std::source_location::current()) {
  if (Enabled(Level::kError)) Write(Level::kError, msg, fields, loc);
}

}  // namespace argus::log

// Fuzz build only, force-included into every C++ file by the top-level CMakeLists.txt.
//
// Debian 12's clang 14 lacks __builtin_source_location (clang 15 added it), so with GCC 12's
// libstdc++ <source_location> declares nothing and src/base/logging.h does not compile. This
// supplies the C++20 std::source_location from the builtins clang 14 has, evaluated at the call
// site like the real one. Every object of the fuzz build is compiled with clang and sees this
// definition, and none of the GCC-built libraries we link uses the type, so the layout cannot
// disagree. A no-op wherever the library provides the type.
#pragma once

#ifdef __cplusplus
#include <source_location>

#if !defined(__cpp_lib_source_location) && defined(__clang__)
#include <cstdint>

namespace std {

struct source_location {
  // constexpr, not consteval: clang 14 rejects consteval calls in default arguments.
  static constexpr source_location current(const char* file = __builtin_FILE(),
                                           const char* function = __builtin_FUNCTION(),
                                           uint_least32_t line = __builtin_LINE(),
                                           uint_least32_t column = __builtin_COLUMN()) noexcept {
    source_location loc;
    loc.file_ = file;
    loc.function_ = function;
    loc.line_ = line;
    loc.column_ = column;
    return loc;
  }
  constexpr source_location() noexcept = default;
  constexpr uint_least32_t line() const noexcept { return line_; }
  constexpr uint_least32_t column() const noexcept { return column_; }
  constexpr const char* file_name() const noexcept { return file_; }
  constexpr const char* function_name() const noexcept { return function_; }

 private:
  const char* file_ = "";
  const char* function_ = "";
  uint_least32_t line_ = 0;
  uint_least32_t column_ = 0;
};

}  // namespace std

#endif
#endif

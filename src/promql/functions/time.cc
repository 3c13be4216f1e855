// Functions of time: time, timestamp, vector, scalar, and the calendar functions year, month,
// day_of_month, day_of_week, day_of_year, days_in_month, hour, minute (functions.go of v2.42),
// which read UTC dates exactly as Go's time package computes them.
#include <cstdint>
#include <limits>

#include "promql/functions/internal.h"

namespace argus::promql::functions_internal {
namespace {

void Time(std::span<const Value* const>, std::span<const parser::ExprPtr>, EvalNodeHelper& enh,
          absl::Status&) {
  AppendSample(enh, {}, static_cast<double>(enh.ts) / 1000);
}

// The sample's own timestamp (the engine hands a vector selector's samples over with theirs).
void Timestamp(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
               EvalNodeHelper& enh, absl::Status&) {
  for (const Sample& s : VectorArg(vals, 0)) {
    AppendSample(enh, DropMetricName(enh, s.metric), static_cast<double>(s.t) / 1000);
  }
}

void VectorFn(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
              EvalNodeHelper& enh, absl::Status&) {
  AppendSample(enh, {}, ScalarArg(vals, 0));
}

// The value of a one-element vector, else NaN.
void ScalarFn(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
              EvalNodeHelper& enh, absl::Status&) {
  const Vector& v = VectorArg(vals, 0);
  AppendSample(enh, {}, v.size() == 1 ? v[0].v : std::numeric_limits<double>::quiet_NaN());
}

// Go's int64(x) on amd64: truncation toward zero; NaN and out-of-range values give MinInt64.
int64_t GoInt64(double x) {
  if (!(x >= -0x1p63 && x < 0x1p63)) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(x);
}

// A UTC calendar date of Unix seconds, computed as Go's time package does: from seconds since
// its absolute zero (year -292277022399) in wrapping unsigned arithmetic, so that even the
// timestamps Go wraps around (NaN -> MinInt64) give its results.
struct Date {
  int64_t year;
  int month;    // 1-12
  int day;      // 1-31
  int yday;     // 0-365
  int weekday;  // 0 = Sunday
  int hour;
  int minute;
};

bool IsLeap(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

Date DateOf(int64_t unix_seconds) {
  constexpr uint64_t kSecondsPerDay = 86400;
  constexpr uint64_t kUnixToAbsolute = 9223372028715321600ull;  // Go's unix->absolute seconds
  constexpr int64_t kAbsoluteZeroYear = -292277022399;
  constexpr uint64_t kDaysPer400Years = 365 * 400 + 97;
  constexpr uint64_t kDaysPer100Years = 365 * 100 + 24;
  constexpr uint64_t kDaysPer4Years = 365 * 4 + 1;
  constexpr int kDaysBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

  const uint64_t abs = static_cast<uint64_t>(unix_seconds) + kUnixToAbsolute;
  Date date{};
  // January 1 of the absolute year 0 was a Monday.
  date.weekday = static_cast<int>(((abs + kSecondsPerDay) % (7 * kSecondsPerDay)) / kSecondsPerDay);
  date.hour = static_cast<int>((abs % kSecondsPerDay) / 3600);
  date.minute = static_cast<int>((abs % 3600) / 60);

  uint64_t d = abs / kSecondsPerDay;
  uint64_t n = d / kDaysPer400Years;
  uint64_t y = 400 * n;
  d -= kDaysPer400Years * n;
  n = d / kDaysPer100Years;
  n -= n >> 2;
  y += 100 * n;
  d -= kDaysPer100Years * n;
  n = d / kDaysPer4Years;
  y += 4 * n;
  d -= kDaysPer4Years * n;
  n = d / 365;
  n -= n >> 2;
  y += n;
  d -= 365 * n;
  date.year = static_cast<int64_t>(y) + kAbsoluteZeroYear;
  date.yday = static_cast<int>(d);

  int day = date.yday;
  if (IsLeap(date.year)) {
    if (day == 31 + 29 - 1) {
      date.month = 2;
      date.day = 29;
      return date;
    }
    if (day > 31 + 29 - 1) --day;  // pretend February 29 was not there
  }
  int month = day / 31;  // at most one month too low
  int begin = kDaysBefore[month];
  if (day >= kDaysBefore[month + 1]) begin = kDaysBefore[++month];
  date.month = month + 1;
  date.day = day - begin + 1;
  return date;
}

int DaysInMonth(int64_t year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// f(date) of each sample's value taken as Unix seconds, without __name__; with no argument,
// of the step's time.
template <double (*F)(const Date&)>
void DateFn(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
            EvalNodeHelper& enh, absl::Status&) {
  if (vals.empty()) {
    AppendSample(enh, {}, F(DateOf(enh.ts / 1000)));
    return;
  }
  for (const Sample& s : VectorArg(vals, 0)) {
    AppendSample(enh, DropMetricName(enh, s.metric), F(DateOf(GoInt64(s.v))));
  }
}

double Year(const Date& d) { return static_cast<double>(d.year); }
double Month(const Date& d) { return d.month; }
double DayOfMonth(const Date& d) { return d.day; }
double DayOfWeek(const Date& d) { return d.weekday; }
double DayOfYear(const Date& d) { return d.yday + 1; }
double DaysInMonthOf(const Date& d) { return DaysInMonth(d.year, d.month); }
double Hour(const Date& d) { return d.hour; }
double Minute(const Date& d) { return d.minute; }

constexpr NamedFunction kFunctions[] = {
    {"time", Time},
    {"timestamp", Timestamp},
    {"vector", VectorFn},
    {"scalar", ScalarFn},
    {"year", DateFn<Year>},
    {"month", DateFn<Month>},
    {"day_of_month", DateFn<DayOfMonth>},
    {"day_of_week", DateFn<DayOfWeek>},
    {"day_of_year", DateFn<DayOfYear>},
    {"days_in_month", DateFn<DaysInMonthOf>},
    {"hour", DateFn<Hour>},
    {"minute", DateFn<Minute>},
};

}  // namespace

std::span<const NamedFunction> TimeFunctions() { return kFunctions; }

}  // namespace argus::promql::functions_internal

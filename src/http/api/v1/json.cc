#include "http/api/v1/json.h"

#include <cstring>
#include <span>
#include <system_error>
#include <thread>
#include <variant>
#include <vector>

#include "base/decimal.h"
#include "base/go_strconv.h"

namespace argus::http::api {
namespace {

constexpr char kHex[] = "0123456789abcdef";
// Sample values are in fixed notation for decimal exponents in [kMinFixedExp, kMaxFixedExp).
constexpr int kMinFixedExp = -6;
constexpr int kMaxFixedExp = 21;
constexpr size_t kMaxValueChars = kGoShortestMaxChars + kMaxFixedExp;
// '[' + a timestamp (a sign, 16 digits, '.', 3 digits) + ',' + a quoted value + ']'.
constexpr size_t kMaxPointChars = 1 + 21 + 1 + kMaxValueChars + 2 + 1;

// Bytes that end a plain run: quote, backslash, control bytes, HTML specials, non-ASCII.
bool Special(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= 0x80;
}

void AppendUnicodeEscape(unsigned code, std::string* out) {
  const char buf[6] = {'\\',
                       'u',
                       kHex[(code >> 12) & 0xf],
                       kHex[(code >> 8) & 0xf],
                       kHex[(code >> 4) & 0xf],
                       kHex[code & 0xf]};
  out->append(buf, 6);
}

// Writes the sample timestamp `ms` to `p` as seconds, the fraction in exactly three digits when
// not zero (1435781451.781, 1.500, -0.005, 12): jsonutil.MarshalTimestamp; returns the end.
char* WriteTimestamp(int64_t ms, char* p) {
  uint64_t t = static_cast<uint64_t>(ms);
  if (ms < 0) {
    *p++ = '-';
    t = 0 - t;  // also right for INT64_MIN
  }
  p = WriteDecimal(t / 1000, p);
  const unsigned frac = t % 1000;
  if (frac != 0) {
    p[0] = '.';
    p[1] = static_cast<char>('0' + frac / 100);
    p[2] = static_cast<char>('0' + frac / 10 % 10);
    p[3] = static_cast<char>('0' + frac % 10);
    p += 4;
  }
  return p;
}

// Writes the sample value `v` to `p` as a quoted string (jsonutil.MarshalValue): strconv 'f' -1,
// but in exponent form below 1e-6 and from 1e21 in magnitude ("1e-07", "1e+21"); "NaN", "+Inf",
// "-Inf". Returns the end.
char* WriteSampleValue(double v, char* p) {
  *p++ = '"';
  p = GoWriteShortest(v, kMinFixedExp, kMaxFixedExp, p);
  *p++ = '"';
  return p;
}

// Writes the rest of a point after its timestamp: ,"v"]; returns the end.
char* EndPoint(double v, char* p) {
  *p++ = ',';
  p = WriteSampleValue(v, p);
  *p++ = ']';
  return p;
}

// Writes [t,"v"] of one sample to `p`; returns the end.
char* WritePoint(int64_t t, double v, char* p) {
  *p++ = '[';
  return EndPoint(v, WriteTimestamp(t, p));
}

void AppendPoint(int64_t t, double v, std::string* out) {
  char buf[kMaxPointChars];
  out->append(buf, WritePoint(t, v, buf) - buf);
}

// The written forms of recent timestamps: a range result's series mostly share their steps, so
// each step's text is made once and copied after that (direct-mapped by a hash of the time).
class TimestampTexts {
 public:
  TimestampTexts() : slots_(kSlots) {}

  // WriteTimestamp(ms, p). REQUIRES: p has room for kTextChars.
  char* Write(int64_t ms, char* p) {
    Slot& s = slots_[(static_cast<uint64_t>(ms) * 0x9E3779B97F4A7C15ULL) >> (64 - kSlotBits)];
    if (s.len == 0 || s.ms != ms) {
      s.ms = ms;
      s.len = static_cast<uint8_t>(WriteTimestamp(ms, s.text) - s.text);
    }
    std::memcpy(p, s.text, kTextChars);  // a fixed-size copy; only len bytes count
    return p + s.len;
  }

 private:
  static constexpr int kSlotBits = 12;
  static constexpr size_t kSlots = size_t{1} << kSlotBits;
  static constexpr size_t kTextChars = 22;  // a sign, 17 digits, '.', 3 digits fit
  struct Slot {
    int64_t ms = 0;
    uint8_t len = 0;
    char text[kTextChars];
  };
  std::vector<Slot> slots_;
};

// The points of a series, comma-separated, written through a stack buffer appended to `out`
// a few kilobytes at a time.
void AppendPoints(const std::vector<promql::FPoint>& points, TimestampTexts& times,
                  std::string* out) {
  char buf[8192];
  char* p = buf;
  for (size_t j = 0; j < points.size(); ++j) {
    if (p + 1 + kMaxPointChars > buf + sizeof buf) {
      out->append(buf, p - buf);
      p = buf;
    }
    if (j > 0) *p++ = ',';
    *p++ = '[';
    p = EndPoint(points[j].v, times.Write(points[j].t, p));
  }
  out->append(buf, p - buf);
}

// encoding/json's float64 for the scalar and string results' timestamps: never NaN or huge,
// so always the plain shortest form.
void AppendGoJsonSeconds(int64_t ms, std::string* out) {
  out->append(GoFormatF(static_cast<double>(ms) / 1000));
}

void AppendResult(const promql::Vector& vec, std::string* out) {
  out->append("{\"resultType\":\"vector\",\"result\":[");
  for (size_t i = 0; i < vec.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append("{\"metric\":");
    AppendLabels(vec[i].metric, out);
    out->append(",\"value\":");
    AppendPoint(vec[i].t, vec[i].v, out);
    out->push_back('}');
  }
  out->append("]}");
}

// Series of a matrix result, comma-separated, appended to `out`.
void AppendSeries(std::span<const promql::Series> series, std::string* out) {
  size_t points = 0;
  for (const promql::Series& s : series) points += s.points.size();
  // Room for typical points (~30 bytes) and label sets, so the buffer grows at most rarely.
  out->reserve(out->size() + points * 32 + series.size() * 256);
  TimestampTexts times;
  for (size_t i = 0; i < series.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append("{\"metric\":");
    AppendLabels(series[i].metric, out);
    // As Prometheus: a series without points has no "values" key.
    if (!series[i].points.empty()) {
      out->append(",\"values\":[");
      AppendPoints(series[i].points, times, out);
      out->push_back(']');
    }
    out->push_back('}');
  }
}

// A matrix of more points than this is written by two threads, each half of its series.
constexpr size_t kParallelPoints = 100'000;

void AppendResult(const promql::Matrix& mat, std::string* out) {
  out->append("{\"resultType\":\"matrix\",\"result\":[");
  size_t points = 0;
  for (const promql::Series& s : mat) points += s.points.size();
  const std::span<const promql::Series> all(mat);
  if (points < kParallelPoints || mat.size() < 2) {
    AppendSeries(all, out);
  } else {
    // Formatting dominates large answers; the second half goes to its own buffer meanwhile
    // (or after the first, when no thread can be started).
    const size_t half = mat.size() / 2;
    std::string second;
    std::thread helper;
    try {
      helper = std::thread([&] { AppendSeries(all.subspan(half), &second); });
    } catch (const std::system_error&) {
    }
    AppendSeries(all.first(half), out);
    if (helper.joinable()) {
      helper.join();
    } else {
      AppendSeries(all.subspan(half), &second);
    }
    out->push_back(',');
    out->append(second);
  }
  out->append("]}");
}

void AppendResult(const promql::Scalar& s, std::string* out) {
  out->append("{\"resultType\":\"scalar\",\"result\":[");
  AppendGoJsonSeconds(s.t, out);
  out->append(",\"");
  out->append(GoFormatF(s.v));  // Scalar.MarshalJSON: 'f' -1 throughout
  out->append("\"]}");
}

void AppendResult(const promql::String& s, std::string* out) {
  out->append("{\"resultType\":\"string\",\"result\":[");
  AppendGoJsonSeconds(s.t, out);
  out->push_back(',');
  AppendJsonString(s.v, out);
  out->append("]}");
}

}  // namespace

void AppendJsonString(absl::string_view s, std::string* out) {
  out->push_back('"');
  size_t run = 0;  // start of the pending plain run
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    if (!Special(c)) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      int n;
      const char32_t r = DecodeRune(s.substr(i), &n);
      if (r == kRuneError && n == 1) {
        out->append(s.data() + run, i - run);
        out->append("\\ufffd");
        run = ++i;
        continue;
      }
      // U+2028 and U+2029 break JavaScript string literals: escaped.
      if (r == 0x2028 || r == 0x2029) {
        out->append(s.data() + run, i - run);
        AppendUnicodeEscape(r, out);
        i += 3;
        run = i;
        continue;
      }
      i += n;
      continue;
    }
    out->append(s.data() + run, i - run);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        AppendUnicodeEscape(c, out);
    }
    run = ++i;
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendLabels(const labels::Labels& lset, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const labels::Label& l : lset) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(l.name, out);
    out->push_back(':');
    AppendJsonString(l.value, out);
  }
  out->push_back('}');
}

void AppendStringArray(const std::vector<std::string>& values, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(values[i], out);
  }
  out->push_back(']');
}

void AppendQueryData(const promql::Value& value, std::string* out) {
  std::visit([out](const auto& v) { AppendResult(v, out); }, value);
}

}  // namespace argus::http::api

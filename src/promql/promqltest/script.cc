#include "promql/promqltest/script.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/units.h"
#include "promql/promqltest/go_number.h"
#include "re2/re2.h"

namespace argus::promql::promqltest {
namespace {

absl::Status LineError(size_t index, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("line ", index + 1, ": ", what));
}

// The trimmed lines, comment lines emptied (test.go's getLines).
std::vector<std::string> Lines(absl::string_view text) {
  std::vector<std::string> lines;
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    l = absl::StripAsciiWhitespace(l);
    lines.emplace_back(absl::StartsWith(l, "#") ? absl::string_view() : l);
  }
  return lines;
}

// `load <interval>` at lines[*i] and its series; leaves *i on the block's last line.
absl::StatusOr<LoadCmd> ParseLoad(const std::vector<std::string>& lines, size_t* i) {
  static const LazyRE2 kLoad = {R"(^load\s+(.+?)$)"};
  std::string interval;
  if (!RE2::FullMatch(lines[*i], *kLoad, &interval)) {
    return LineError(*i, "invalid load command. (load <step:duration>)");
  }
  LoadCmd cmd;
  cmd.line = static_cast<int>(*i) + 1;
  absl::StatusOr<int64_t> ms = ParsePromDuration(interval);
  if (!ms.ok()) {
    return LineError(
        *i, absl::StrCat("invalid step definition \"", interval, "\": ", ms.status().message()));
  }
  cmd.interval_ms = *ms;
  while (*i + 1 < lines.size() && !lines[*i + 1].empty()) {
    ++*i;
    absl::StatusOr<SeriesDesc> desc = ParseSeriesDesc(lines[*i]);
    if (!desc.ok()) return LineError(*i, desc.status().message());
    cmd.series.push_back(*std::move(desc));
  }
  return cmd;
}

// `eval[_fail|_ordered] instant at <duration> <expr>` at lines[*i] and its expected lines.
absl::StatusOr<EvalCmd> ParseEval(const std::vector<std::string>& lines, size_t* i) {
  static const LazyRE2 kEval = {R"(^eval(?:_(fail|ordered))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$)"};
  std::string mod, at;
  EvalCmd cmd;
  if (!RE2::FullMatch(lines[*i], *kEval, &mod, &at, &cmd.expr)) {
    return LineError(*i,
                     "invalid evaluation command. (eval[_fail|_ordered] instant [at "
                     "<offset:duration>] <query>");
  }
  cmd.line = static_cast<int>(*i) + 1;
  cmd.kind = mod == "fail"      ? EvalKind::kFail
             : mod == "ordered" ? EvalKind::kOrdered
                                : EvalKind::kInstant;
  absl::StatusOr<int64_t> at_ms = ParsePromDuration(at);
  if (!at_ms.ok()) {
    return LineError(
        *i, absl::StrCat("invalid evaluation time \"", at, "\": ", at_ms.status().message()));
  }
  cmd.at_ms = *at_ms;
  for (int position = 1; *i + 1 < lines.size() && !lines[*i + 1].empty(); ++position) {
    ++*i;
    if (absl::StatusOr<double> v = ParseGoNumber(lines[*i]); v.ok()) {
      cmd.scalar = *v;
      break;
    }
    absl::StatusOr<SeriesDesc> desc = ParseSeriesDesc(lines[*i]);
    if (!desc.ok()) return LineError(*i, desc.status().message());
    if (desc->values.size() != 1 || desc->values[0].omitted) {
      return LineError(*i, "an expected sample needs exactly one value");
    }
    ExpectedSample sample{std::move(desc->metric), desc->values[0].value, position};
    bool replaced = false;
    for (ExpectedSample& s : cmd.samples) {
      if (s.metric == sample.metric) {
        s = sample;
        replaced = true;
      }
    }
    if (!replaced) cmd.samples.push_back(std::move(sample));
  }
  return cmd;
}

}  // namespace

absl::StatusOr<std::vector<Command>> ParseScript(absl::string_view text) {
  const std::vector<std::string> lines = Lines(text);
  std::vector<Command> cmds;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.empty()) continue;
    std::string word = absl::AsciiStrToLower(l.substr(0, l.find_first_of(" \t")));
    if (word == "clear") {
      cmds.emplace_back(ClearCmd{static_cast<int>(i) + 1});
    } else if (word == "load") {
      absl::StatusOr<LoadCmd> load = ParseLoad(lines, &i);
      if (!load.ok()) return load.status();
      cmds.emplace_back(*std::move(load));
    } else if (absl::StartsWith(word, "eval")) {
      absl::StatusOr<EvalCmd> eval = ParseEval(lines, &i);
      if (!eval.ok()) return eval.status();
      cmds.emplace_back(*std::move(eval));
    } else {
      return LineError(i, absl::StrCat("invalid command \"", l, "\""));
    }
  }
  return cmds;
}

}  // namespace argus::promql::promqltest

// label_replace and label_join (functions.go of v2.42): rewrite one label of each sample, the
// metric name kept. Identical output label sets are the engine's error to raise.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "metrics/registry.h"
#include "model/labels/regexp.h"
#include "promql/functions/internal.h"

namespace argus::promql::functions_internal {
namespace {

// `l` with `name` set to `value`, or without `name` when `value` is empty.
labels::Labels WithLabel(const labels::Labels& l, absl::string_view name, absl::string_view value) {
  std::vector<labels::Label> out;
  out.reserve(l.size() + 1);
  bool placed = value.empty();
  for (const labels::Label& label : l) {
    if (!placed && label.name > name) {
      out.push_back({std::string(name), std::string(value)});
      placed = true;
    }
    if (label.name != name) out.push_back(label);
  }
  if (!placed) out.push_back({std::string(name), std::string(value)});
  return labels::Labels::FromSorted(std::move(out));
}

// label_replace(v, dst, replacement, src, regex): where the anchored regex matches src's value
// (empty when absent), dst becomes the expanded replacement ($1, ${name}); else the sample
// passes unchanged. The regex and dst are checked at the first call.
void LabelReplace(std::span<const Value* const> vals, std::span<const parser::ExprPtr> args,
                  EvalNodeHelper& enh, absl::Status& error) {
  const absl::string_view dst = StringArg(args, 1);
  const absl::string_view repl = StringArg(args, 2);
  const absl::string_view src = StringArg(args, 3);
  FunctionState& st = State(enh);
  if (st.regex == nullptr) {
    const absl::string_view regex = StringArg(args, 4);
    auto re = labels::CompileAnchored(regex);
    if (!re.ok()) {
      error = absl::FailedPreconditionError(
          absl::StrCat("invalid regular expression in label_replace(): ", regex));
      return;
    }
    if (!metrics::IsValidLabelName(dst)) {
      error = absl::FailedPreconditionError(
          absl::StrCat("invalid destination label name in label_replace(): ", dst));
      return;
    }
    st.regex = *std::move(re);
    st.replacement.emplace(repl, *st.regex);
    st.submatches.resize(st.replacement->groups_needed());
  }
  std::string expanded;
  for (const Sample& s : VectorArg(vals, 0)) {
    auto [it, inserted] = st.labels_cache.try_emplace(s.metric.Hash());
    if (inserted) {
      const absl::string_view value = s.metric.Get(src);
      if (st.regex->Match(re2::StringPiece(value.data(), value.size()), 0, value.size(),
                          RE2::UNANCHORED, st.submatches.data(),
                          static_cast<int>(st.submatches.size()))) {
        expanded.clear();
        st.replacement->Expand(st.submatches.data(), &expanded);
        it->second = WithLabel(s.metric, dst, expanded);
      } else {
        it->second = s.metric;
      }
    }
    AppendSample(enh, it->second, s.v);
  }
}

// label_join(v, dst, separator, src...): dst becomes the src values (empty when absent)
// joined by the separator, or is removed when that is empty.
void LabelJoin(std::span<const Value* const> vals, std::span<const parser::ExprPtr> args,
               EvalNodeHelper& enh, absl::Status& error) {
  const absl::string_view dst = StringArg(args, 1);
  const absl::string_view sep = StringArg(args, 2);
  for (size_t i = 3; i < args.size(); ++i) {
    if (!metrics::IsValidLabelName(StringArg(args, i))) {
      error = absl::FailedPreconditionError(
          absl::StrCat("invalid source label name in label_join(): ", StringArg(args, i)));
      return;
    }
  }
  if (!metrics::IsValidLabelName(dst)) {
    error = absl::FailedPreconditionError(
        absl::StrCat("invalid destination label name in label_join(): ", dst));
    return;
  }
  FunctionState& st = State(enh);
  std::string joined;
  for (const Sample& s : VectorArg(vals, 0)) {
    auto [it, inserted] = st.labels_cache.try_emplace(s.metric.Hash());
    if (inserted) {
      joined.clear();
      for (size_t i = 3; i < args.size(); ++i) {
        if (i > 3) absl::StrAppend(&joined, sep);
        absl::StrAppend(&joined, s.metric.Get(StringArg(args, i)));
      }
      it->second = WithLabel(s.metric, dst, joined);
    }
    AppendSample(enh, it->second, s.v);
  }
}

constexpr NamedFunction kFunctions[] = {
    {"label_replace", LabelReplace},
    {"label_join", LabelJoin},
};

}  // namespace

std::span<const NamedFunction> LabelFunctions() { return kFunctions; }

}  // namespace argus::promql::functions_internal

// absent and absent_over_time (functions.go of v2.42).
#include "promql/functions/absent.h"

#include <string>
#include <vector>

#include "promql/functions/internal.h"

namespace argus::promql {

labels::Labels AbsentLabels(const parser::Expr& arg) {
  const parser::Expr& e = parser::Unwrap(arg);
  const parser::Expr* vs = nullptr;
  if (e.kind == parser::NodeKind::kVectorSelector) {
    vs = &e;
  } else if (e.kind == parser::NodeKind::kMatrixSelector) {
    vs = parser::As<parser::MatrixSelector>(e).vector_selector.get();
  } else {
    return {};
  }
  struct Entry {
    labels::Label label;
    bool set;   // currently in the output
    bool seen;  // an equality matcher has set it once
  };
  std::vector<Entry> entries;
  for (const labels::Matcher& m : parser::As<parser::VectorSelector>(*vs).matchers) {
    if (m.name() == labels::kMetricName) continue;
    Entry* entry = nullptr;
    for (Entry& en : entries) {
      if (en.label.name == m.name()) entry = &en;
    }
    if (entry == nullptr) entry = &entries.emplace_back(Entry{{m.name(), ""}, false, false});
    if (m.type() == labels::MatchType::kEqual && !entry->seen) {
      entry->label.value = m.value();
      entry->set = true;
      entry->seen = true;
    } else {
      entry->set = false;
    }
  }
  std::vector<labels::Label> out;
  for (Entry& en : entries) {
    // Go's label builder drops labels set to "".
    if (en.set && !en.label.value.empty()) out.push_back(std::move(en.label));
  }
  return labels::Labels::FromUnsorted(std::move(out));
}

namespace functions_internal {
namespace {

void Absent(std::span<const Value* const> vals, std::span<const parser::ExprPtr> args,
            EvalNodeHelper& enh, absl::Status&) {
  if (!VectorArg(vals, 0).empty()) return;
  AppendSample(enh, AbsentLabels(*args[0]), 1);
}

// Called only for series with samples in the window: 1 says "present at this step"; the engine
// turns the steps no series covers into absent_over_time's result, labelled by AbsentLabels.
void AbsentOverTime(std::span<const Value* const>, std::span<const parser::ExprPtr>,
                    EvalNodeHelper& enh, absl::Status&) {
  AppendSample(enh, {}, 1);
}

constexpr NamedFunction kFunctions[] = {
    {"absent", Absent},
    {"absent_over_time", AbsentOverTime},
};

}  // namespace

std::span<const NamedFunction> AbsentFunctions() { return kFunctions; }

}  // namespace functions_internal
}  // namespace argus::promql

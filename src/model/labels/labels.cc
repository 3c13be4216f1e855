#include "model/labels/labels.h"

#include <algorithm>

#include "base/go_strconv.h"
#include "xxhash.h"

namespace argus::labels {

Labels::Labels(std::initializer_list<Label> labels)
    : Labels(FromUnsorted(std::vector<Label>(labels))) {}

Labels Labels::FromUnsorted(std::vector<Label> labels) {
  std::stable_sort(labels.begin(), labels.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  // Keep the last of equal names.
  std::vector<Label> unique;
  for (Label& l : labels) {
    if (!unique.empty() && unique.back().name == l.name) {
      unique.back() = std::move(l);
    } else {
      unique.push_back(std::move(l));
    }
  }
  return FromSorted(std::move(unique));
}

Labels Labels::FromSorted(std::vector<Label> labels) {
  Labels ls;
  ls.labels_ = std::move(labels);
  return ls;
}

absl::string_view Labels::Get(absl::string_view name) const {
  for (const Label& l : labels_) {
    if (l.name == name) return l.value;
  }
  return "";
}

bool Labels::Has(absl::string_view name) const {
  for (const Label& l : labels_) {
    if (l.name == name) return true;
  }
  return false;
}

std::string Labels::ToString() const {
  std::string out = "{";
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels_[i].name;
    out += '=';
    out += GoQuote(labels_[i].value);
  }
  out += '}';
  return out;
}

uint64_t Labels::Hash() const {
  LabelsHasher h;
  for (const Label& l : labels_) h.Add(l.name, l.value);
  return h.Finish();
}

// One-shot over a reused buffer: the streaming API allocated its state on every call.
LabelsHasher::LabelsHasher()
    : buf_([]() -> std::string& {
        thread_local std::string buf;
        return buf;
      }()) {
  buf_.clear();
}

void LabelsHasher::Add(absl::string_view name, absl::string_view value) {
  buf_.append(name.data(), name.size());
  buf_.push_back('\xff');
  buf_.append(value.data(), value.size());
  buf_.push_back('\xff');
}

uint64_t LabelsHasher::Finish() const { return XXH64(buf_.data(), buf_.size(), 0); }

int Compare(const Labels& a, const Labels& b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (int c = a[i].name.compare(b[i].name); c != 0) return c < 0 ? -1 : 1;
    if (int c = a[i].value.compare(b[i].value); c != 0) return c < 0 ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace argus::labels

#include "model/labels/labels.h"

#include <algorithm>

#include "base/go_strconv.h"
#include "xxhash.h"

namespace argus::labels {

Labels::Labels(std::initializer_list<Label> labels)
    : Labels(FromUnsorted(std::vector<Label>(labels))) {}

Labels Labels::FromUnsorted(std::vector<Label> labels) {
  // Mostly they are sorted already (labels from the wire, from another Labels).
  if (std::adjacent_find(labels.begin(), labels.end(), [](const Label& a, const Label& b) {
        return !(a.name < b.name);
      }) == labels.end()) {
    return FromSorted(std::move(labels));
  }
  std::stable_sort(labels.begin(), labels.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  // Keep the last of equal names.
  size_t kept = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (kept > 0 && labels[kept - 1].name == labels[i].name) {
      labels[kept - 1] = std::move(labels[i]);
    } else {
      if (kept != i) labels[kept] = std::move(labels[i]);
      ++kept;
    }
  }
  labels.resize(kept);
  return FromSorted(std::move(labels));
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

// Label sets: the identity of a series. Sorted by name, names unique, compared and printed as
// Prometheus's model/labels does (labels.Compare, Labels.String).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace argus::labels {

inline constexpr char kMetricName[] = "__name__";

struct Label {
  std::string name;
  std::string value;
  friend bool operator==(const Label&, const Label&) = default;
};

// An immutable, sorted set of labels. Cheap to move; copying copies the strings.
class Labels {
 public:
  Labels() = default;
  // Sorts by name. REQUIRES: names unique (a later duplicate wins when they are not).
  Labels(std::initializer_list<Label> labels);
  static Labels FromUnsorted(std::vector<Label> labels);
  // REQUIRES: `labels` sorted by name with unique names.
  static Labels FromSorted(std::vector<Label> labels);

  size_t size() const { return labels_.size(); }
  bool empty() const { return labels_.empty(); }
  std::vector<Label>::const_iterator begin() const { return labels_.begin(); }
  std::vector<Label>::const_iterator end() const { return labels_.end(); }
  const Label& operator[](size_t i) const { return labels_[i]; }

  // The value of `name`, or "" when absent (the data model treats both alike).
  absl::string_view Get(absl::string_view name) const;
  bool Has(absl::string_view name) const;

  // {__name__="up", job="api"} with Go-quoted values.
  std::string ToString() const;
  // xxhash64 over "name\xffvalue\xff..." as Prometheus's Labels.Hash.
  uint64_t Hash() const;

  // Prometheus's labels.Compare: pairwise by name, then value; a prefix sorts first.
  friend int Compare(const Labels& a, const Labels& b);
  friend bool operator==(const Labels& a, const Labels& b) { return a.labels_ == b.labels_; }
  friend bool operator<(const Labels& a, const Labels& b) { return Compare(a, b) < 0; }

 private:
  std::vector<Label> labels_;
};

int Compare(const Labels& a, const Labels& b);

// Labels::Hash of labels held some other way: Add each pair in label order, then Finish. At
// most one alive per thread at a time (they share a buffer).
class LabelsHasher {
 public:
  LabelsHasher();
  void Add(absl::string_view name, absl::string_view value);
  uint64_t Finish() const;

 private:
  std::string& buf_;
};

}  // namespace argus::labels

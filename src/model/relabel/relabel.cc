#include "model/relabel/relabel.h"

#include <openssl/evp.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "metrics/registry.h"
#include "model/labels/regexp.h"
#include "model/relabel/internal/go_strings.h"
#include "model/relabel/internal/template.h"

namespace argus::relabel {

struct Config::Compiled {
  Compiled(std::unique_ptr<const RE2> r, const std::string& target, const std::string& repl)
      : re(std::move(r)),
        target_label(target, *re),
        replacement(repl, *re),
        groups(std::max(target_label.groups_needed(), replacement.groups_needed())) {}

  std::unique_ptr<const RE2> re;
  internal::Template target_label;
  internal::Template replacement;
  int groups;  // submatches the templates read
};

namespace {

using labels::Label;
using LabelVec = std::vector<Label>;

// Per-thread buffers, so that relabeling a series allocates only for the labels it returns.
struct Scratch {
  std::string joined;
  std::string target;
  std::string value;
  std::vector<re2::StringPiece> groups;
  LabelVec mapped;
};

LabelVec::iterator Find(LabelVec& ls, absl::string_view name) {
  return std::lower_bound(ls.begin(), ls.end(), name,
                          [](const Label& l, absl::string_view n) { return l.name < n; });
}

absl::string_view Get(LabelVec& ls, absl::string_view name) {
  auto it = Find(ls, name);
  return it != ls.end() && it->name == name ? absl::string_view(it->value) : absl::string_view();
}

void Del(LabelVec& ls, absl::string_view name) {
  auto it = Find(ls, name);
  if (it != ls.end() && it->name == name) ls.erase(it);
}

// Sets `name` to `value`; an empty value deletes the label, as Prometheus's labels.Builder.
void Set(LabelVec& ls, absl::string_view name, absl::string_view value) {
  if (value.empty()) return Del(ls, name);
  auto it = Find(ls, name);
  if (it != ls.end() && it->name == name) {
    it->value.assign(value.data(), value.size());
  } else {
    ls.insert(it, Label{std::string(name), std::string(value)});
  }
}

// The source label values joined by the separator; a view into `ls` or `s.joined`, valid until
// either changes.
absl::string_view SourceValue(LabelVec& ls, const Config& c, Scratch& s) {
  if (c.source_labels.size() == 1) return Get(ls, c.source_labels[0]);
  s.joined.clear();
  for (size_t i = 0; i < c.source_labels.size(); ++i) {
    if (i > 0) s.joined.append(c.separator);
    const absl::string_view v = Get(ls, c.source_labels[i]);
    s.joined.append(v.data(), v.size());
  }
  return s.joined;
}

bool Matches(const RE2& re, absl::string_view s) {
  return re.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::ANCHOR_BOTH, nullptr, 0);
}

// Matches with the submatches the rule's templates need in s.groups.
bool MatchGroups(const Config::Compiled& k, absl::string_view s, Scratch& scratch) {
  scratch.groups.assign(k.groups, re2::StringPiece());
  return k.re->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::ANCHOR_BOTH,
                     scratch.groups.data(), k.groups);
}

// Prometheus's sum64: the MD5 sum's bytes big-endian into 64 bits, so its last 8 bytes remain.
uint64_t Md5Sum64(absl::string_view s) {
  static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  unsigned char sum[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), sum, &len, md5, nullptr);
  uint64_t v = 0;
  for (int i = 8; i < 16; ++i) v = (v << 8) | sum[i];
  return v;
}

// Applies one rule to `ls`; false drops the label set.
bool Apply(LabelVec& ls, const Config& c, Scratch& s) {
  const Config::Compiled& k = *c.compiled;
  const absl::string_view val = SourceValue(ls, c, s);
  switch (c.action) {
    case Action::kDrop:
      return !Matches(*k.re, val);
    case Action::kKeep:
      return Matches(*k.re, val);
    case Action::kDropEqual:
      return Get(ls, c.target_label) != val;
    case Action::kKeepEqual:
      return Get(ls, c.target_label) == val;
    case Action::kReplace:
      if (!MatchGroups(k, val, s)) return true;
      s.target.clear();
      k.target_label.Expand(s.groups.data(), &s.target);
      s.value.clear();
      k.replacement.Expand(s.groups.data(), &s.value);
      // Prometheus then deletes the unexpanded target_label, not the expanded name.
      if (!metrics::IsValidLabelName(s.target) || s.value.empty()) {
        Del(ls, c.target_label);
      } else {
        Set(ls, s.target, s.value);
      }
      return true;
    case Action::kLowercase:
      internal::GoToLower(val, &s.value);
      Set(ls, c.target_label, s.value);
      return true;
    case Action::kUppercase:
      internal::GoToUpper(val, &s.value);
      Set(ls, c.target_label, s.value);
      return true;
    case Action::kHashMod:
      Set(ls, c.target_label, absl::AlphaNum(Md5Sum64(val) % c.modulus).Piece());
      return true;
    case Action::kLabelMap:
      // Every new name comes from the labels as they were before this rule; a later source
      // label wins when two map to the same name.
      s.mapped.clear();
      for (const Label& l : ls) {
        if (!MatchGroups(k, l.name, s)) continue;
        s.target.clear();
        k.replacement.Expand(s.groups.data(), &s.target);
        s.mapped.push_back({s.target, l.value});
      }
      for (const Label& l : s.mapped) Set(ls, l.name, l.value);
      return true;
    case Action::kLabelDrop:
    case Action::kLabelKeep: {
      const bool drop_matching = c.action == Action::kLabelDrop;
      std::erase_if(ls, [&](const Label& l) { return Matches(*k.re, l.name) == drop_matching; });
      return true;
    }
  }
  return true;
}

}  // namespace

absl::Status Config::Compile() {
  absl::StatusOr<std::unique_ptr<const RE2>> re = labels::CompileAnchored(regex);
  if (!re.ok()) return re.status();
  compiled = std::make_shared<const Compiled>(*std::move(re), target_label, replacement);
  return absl::OkStatus();
}

std::optional<labels::Labels> Process(const labels::Labels& lset,
                                      const std::vector<Config>& rules) {
  LabelVec ls(lset.begin(), lset.end());
  thread_local Scratch scratch;
  for (size_t i = 0; i < rules.size(); ++i) {
    if (!Apply(ls, rules[i], scratch)) return std::nullopt;
    // Labels with empty values are absent for Prometheus's labels.Builder, which drops them
    // from the result of the first rule; that rule's labelmap still sees them (and so deletes
    // the names they map to).
    if (i == 0) std::erase_if(ls, [](const Label& l) { return l.value.empty(); });
  }
  if (ls.empty()) return std::nullopt;
  return labels::Labels::FromSorted(std::move(ls));
}

}  // namespace argus::relabel

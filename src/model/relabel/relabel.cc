#include "model/relabel/relabel.h"

#include <openssl/evp.h>

#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace argus::relabel {
namespace {

bool IsNameChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; a name is the longest run of letters,
// digits and underscores (ASCII here), so "$1x" names the group "1x"; an unknown or unmatched
// group expands to nothing and a malformed reference is a literal "$".
std::string Expand(absl::string_view tmpl, const RE2& re,
                   const std::vector<re2::StringPiece>& groups) {
  std::string out;
  while (!tmpl.empty()) {
    const size_t dollar = tmpl.find('$');
    absl::StrAppend(&out, tmpl.substr(0, dollar));
    if (dollar == absl::string_view::npos) break;
    tmpl.remove_prefix(dollar);
    if (tmpl.size() > 1 && tmpl[1] == '$') {
      out.push_back('$');
      tmpl.remove_prefix(2);
      continue;
    }
    absl::string_view rest = tmpl.substr(1);
    const bool brace = !rest.empty() && rest[0] == '{';
    if (brace) rest.remove_prefix(1);
    size_t n = 0;
    while (n < rest.size() && IsNameChar(rest[n])) ++n;
    if (n == 0 || (brace && (n >= rest.size() || rest[n] != '}'))) {
      out.push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    const std::string name(rest.substr(0, n));
    tmpl = rest.substr(n + (brace ? 1 : 0));
    int num = 0;
    for (char c : name) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (name.size() > 1 && name[0] == '0') num = -1;
    if (num < 0) {
      const auto& named = re.NamedCapturingGroups();
      auto it = named.find(name);
      num = it == named.end() ? -1 : it->second;
    }
    if (num >= 0 && static_cast<size_t>(num) < groups.size() && groups[num].data() != nullptr) {
      out.append(groups[num].data(), groups[num].size());
    }
  }
  return out;
}

// Matches `s` against the fully anchored rule regex, filling every group; false if no match.
bool MatchGroups(const RE2& re, absl::string_view s, std::vector<re2::StringPiece>* groups) {
  groups->assign(re.NumberOfCapturingGroups() + 1, re2::StringPiece());
  return re.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::ANCHOR_BOTH,
                  groups->data(), static_cast<int>(groups->size()));
}

bool Matches(const RE2& re, absl::string_view s) {
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

// The last 8 bytes of the MD5 sum, big-endian (Prometheus's sum64 over all 16 shifts the first
// 8 out).
uint64_t Md5Sum64(absl::string_view s) {
  unsigned char sum[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), sum, &len, EVP_md5(), nullptr);
  uint64_t v = 0;
  for (int i = 8; i < 16; ++i) v = (v << 8) | sum[i];
  return v;
}

using Builder = std::map<std::string, std::string>;

void Set(Builder& b, const std::string& name, std::string value) {
  if (value.empty()) {
    b.erase(name);
  } else {
    b[name] = std::move(value);
  }
}

// Applies one rule; false drops the label set.
bool Apply(Builder& b, const Config& c) {
  std::vector<std::string> values;
  values.reserve(c.source_labels.size());
  for (const std::string& n : c.source_labels) {
    auto it = b.find(n);
    values.push_back(it == b.end() ? "" : it->second);
  }
  const std::string val = absl::StrJoin(values, c.separator);
  const RE2& re = *c.compiled;
  auto get = [&b](const std::string& n) -> std::string {
    auto it = b.find(n);
    return it == b.end() ? "" : it->second;
  };
  switch (c.action) {
    case Action::kDrop:
      return !Matches(re, val);
    case Action::kKeep:
      return Matches(re, val);
    case Action::kDropEqual:
      return get(c.target_label) != val;
    case Action::kKeepEqual:
      return get(c.target_label) == val;
    case Action::kReplace: {
      std::vector<re2::StringPiece> groups;
      if (!MatchGroups(re, val, &groups)) return true;
      const std::string target = Expand(c.target_label, re, groups);
      bool valid = !target.empty() && !absl::ascii_isdigit(static_cast<unsigned char>(target[0]));
      for (char ch : target) valid = valid && IsNameChar(ch);
      if (!valid) return true;
      Set(b, target, Expand(c.replacement, re, groups));
      return true;
    }
    case Action::kLowercase:
      Set(b, c.target_label, absl::AsciiStrToLower(val));
      return true;
    case Action::kUppercase:
      Set(b, c.target_label, absl::AsciiStrToUpper(val));
      return true;
    case Action::kHashMod:
      Set(b, c.target_label, absl::StrCat(Md5Sum64(val) % c.modulus));
      return true;
    case Action::kLabelMap: {
      Builder add;
      for (const auto& [name, value] : b) {
        std::vector<re2::StringPiece> groups;
        if (MatchGroups(re, name, &groups)) add[Expand(c.replacement, re, groups)] = value;
      }
      for (auto& [name, value] : add) Set(b, name, std::move(value));
      return true;
    }
    case Action::kLabelDrop:
    case Action::kLabelKeep:
      for (auto it = b.begin(); it != b.end();) {
        const bool match = Matches(re, it->first);
        if (match == (c.action == Action::kLabelDrop)) {
          it = b.erase(it);
        } else {
          ++it;
        }
      }
      return true;
  }
  return true;
}

}  // namespace

absl::Status Config::Compile() {
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_shared<RE2>(absl::StrCat("^(?:", regex, ")$"), opts);
  if (!re->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("error parsing regexp: ", re->error(), ": `", regex, "`"));
  }
  compiled = std::move(re);
  return absl::OkStatus();
}

std::optional<labels::Labels> Process(const labels::Labels& lset,
                                      const std::vector<Config>& rules) {
  Builder b;
  for (const labels::Label& l : lset) b[l.name] = l.value;
  for (const Config& c : rules) {
    if (!Apply(b, c)) return std::nullopt;
  }
  if (b.empty()) return std::nullopt;
  std::vector<labels::Label> out;
  out.reserve(b.size());
  for (auto& [n, v] : b) out.push_back({n, std::move(v)});
  return labels::Labels::FromSorted(std::move(out));
}

}  // namespace argus::relabel

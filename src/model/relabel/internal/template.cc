#include "model/relabel/internal/template.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "base/go_strconv.h"
#include "model/relabel/internal/go_strings.h"

namespace argus::relabel::internal {
namespace {

// Whether `r` is a letter (category L) or decimal digit (Nd), as Go's unicode.IsLetter and
// unicode.IsDigit decide.
bool IsUnicodeLetterOrDigit(char32_t r) {
  static const RE2 kClass(R"([\pL\p{Nd}])");
  std::string utf8;
  AppendUtf8(r, &utf8);
  return RE2::FullMatch(utf8, kClass);
}

// The length of the group name at the start of `s` (0 if none).
size_t NameLength(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (!absl::ascii_isalnum(c) && c != '_') break;
      ++i;
      continue;
    }
    const DecodedRune d = DecodeUtf8(s.substr(i));
    if (d.rune == kRuneError || !IsUnicodeLetterOrDigit(d.rune)) break;
    i += d.width;
  }
  return i;
}

struct Reference {
  std::string name;
  int number;  // -1 when the name is not a number
  absl::string_view rest;
};

// Reads the reference after a "$": name or {name}; nullopt when malformed.
std::optional<Reference> ReadReference(absl::string_view s) {
  const bool brace = !s.empty() && s[0] == '{';
  if (brace) s.remove_prefix(1);
  const size_t n = NameLength(s);
  if (n == 0) return std::nullopt;
  if (brace && (n >= s.size() || s[n] != '}')) return std::nullopt;
  Reference ref{std::string(s.substr(0, n)), 0, s.substr(n + (brace ? 1 : 0))};
  for (char c : ref.name) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) || ref.number >= 100000000) {
      ref.number = -1;
      break;
    }
    ref.number = ref.number * 10 + (c - '0');
  }
  if (ref.name.size() > 1 && ref.name[0] == '0') ref.number = -1;  // no leading zeros
  return ref;
}

}  // namespace

Template::Template(absl::string_view tmpl, const RE2& re) {
  std::string text;
  while (!tmpl.empty()) {
    const size_t dollar = tmpl.find('$');
    if (dollar == absl::string_view::npos) break;
    text.append(tmpl.data(), dollar);
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      text.push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    std::optional<Reference> ref = ReadReference(tmpl);
    if (!ref.has_value()) {
      text.push_back('$');
      continue;
    }
    tmpl = ref->rest;
    int group = ref->number;
    if (group < 0) {
      const auto& named = re.NamedCapturingGroups();
      auto it = named.find(ref->name);
      if (it != named.end()) group = it->second;
    }
    if (group < 0 || group > re.NumberOfCapturingGroups()) continue;  // expands to nothing
    pieces_.push_back({std::move(text), group});
    text.clear();
    groups_needed_ = std::max(groups_needed_, group + 1);
  }
  text.append(tmpl.data(), tmpl.size());
  if (!text.empty()) pieces_.push_back({std::move(text), -1});
}

void Template::Expand(const re2::StringPiece* groups, std::string* out) const {
  for (const Piece& p : pieces_) {
    out->append(p.text);
    if (p.group >= 0 && groups[p.group].data() != nullptr) {
      out->append(groups[p.group].data(), groups[p.group].size());
    }
  }
}

}  // namespace argus::relabel::internal

// Items as Prometheus describes them in errors (lex.go's Item.String and desc), and the
// item classes the grammar uses.
#include <string>

#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "promql/parser/lexer.h"

namespace argus::promql::parser {
namespace {

// ItemTypeStr of lex.go: the types whose items describe themselves without a type word.
bool HasTypeStr(ItemType t) {
  switch (t) {
    case ItemType::kError:
    case ItemType::kEOF:
    case ItemType::kComment:
    case ItemType::kIdentifier:
    case ItemType::kMetricIdentifier:
    case ItemType::kNumber:
    case ItemType::kDuration:
    case ItemType::kString:
    case ItemType::kAt:
      return false;
    default:
      return true;
  }
}

// ItemType.desc() for the types without a type string. Prometheus prints the @ token's
// type as its yacc token number.
std::string TypeDesc(ItemType t) {
  switch (t) {
    case ItemType::kError:
      return "error";
    case ItemType::kEOF:
      return "end of input";
    case ItemType::kComment:
      return "comment";
    case ItemType::kIdentifier:
      return "identifier";
    case ItemType::kMetricIdentifier:
      return "metric identifier";
    case ItemType::kString:
      return "string";
    case ItemType::kNumber:
      return "number";
    case ItemType::kDuration:
      return "duration";
    default:
      return "\"<Item 57385>\"";
  }
}

// Item.String() of lex.go.
std::string ItemString(const Item& item) {
  const ItemType t = item.type;
  if (t == ItemType::kEOF) return "EOF";
  if (t == ItemType::kError) return std::string(item.val);
  if (t == ItemType::kIdentifier || t == ItemType::kMetricIdentifier) return GoQuote(item.val);
  if (IsKeywordItem(t)) return absl::StrCat("<", item.val, ">");
  if (IsOperatorItem(t)) return absl::StrCat("<op:", item.val, ">");
  if (IsAggregatorItem(t)) return absl::StrCat("<aggr:", item.val, ">");
  // %.10q: at most 10 runes, quoted.
  int runes = 0;
  size_t i = 0;
  while (i < item.val.size() && runes < 10) {
    int w;
    DecodeRune(item.val.substr(i), &w);
    i += w;
    ++runes;
  }
  if (i < item.val.size()) return GoQuote(item.val.substr(0, i)) + "...";
  return GoQuote(item.val);
}

}  // namespace

bool IsOperatorItem(ItemType t) { return t >= ItemType::kAdd && t <= ItemType::kAtan2; }
bool IsAggregatorItem(ItemType t) { return t >= ItemType::kAvg && t <= ItemType::kTopk; }
bool IsKeywordItem(ItemType t) { return t >= ItemType::kBool && t <= ItemType::kWithout; }

bool IsMetricIdentifierItem(ItemType t) {
  switch (t) {
    case ItemType::kIdentifier:
    case ItemType::kMetricIdentifier:
    case ItemType::kBy:
    case ItemType::kWithout:
    case ItemType::kLand:
    case ItemType::kLor:
    case ItemType::kLunless:
    case ItemType::kOffset:
    case ItemType::kStart:
    case ItemType::kEnd:
      return true;
    default:
      return IsAggregatorItem(t);
  }
}

bool IsLabelItem(ItemType t) {
  switch (t) {
    case ItemType::kIdentifier:
    case ItemType::kMetricIdentifier:
    case ItemType::kLand:
    case ItemType::kLor:
    case ItemType::kLunless:
    case ItemType::kStart:
    case ItemType::kEnd:
    case ItemType::kAtan2:
      return true;
    case ItemType::kWithout:
      return false;
    default:
      return IsAggregatorItem(t) || IsKeywordItem(t);
  }
}

std::string ItemDesc(const Item& item) {
  if (HasTypeStr(item.type)) return ItemString(item);
  if (item.type == ItemType::kEOF) return TypeDesc(item.type);
  return absl::StrCat(TypeDesc(item.type), " ", ItemString(item));
}

}  // namespace argus::promql::parser

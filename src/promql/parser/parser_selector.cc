// Vector and matrix selectors, subqueries, the offset and @ modifiers, and the literal items
// (numbers, durations, strings) as generated_parser.y's actions read them.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "base/units.h"
#include "model/labels/selector.h"
#include "promql/parser/parser_impl.h"

namespace argus::promql::parser {
namespace {

// strconv.ParseInt(s, 0, 64) for the digit strings the lexer produces ("0x1f", "017", "12").
std::optional<int64_t> GoParseIntBase0(absl::string_view s) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (const char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    if (d >= base) return std::nullopt;
    if (v > (uint64_t{INT64_MAX} - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      return std::nullopt;
    }
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  return static_cast<int64_t>(v);
}

}  // namespace

std::optional<double> Parser::ParseNumberItem(const Item& item) {
  if (std::optional<int64_t> i = GoParseIntBase0(item.val)) return static_cast<double>(*i);
  absl::StatusOr<double> f = GoParseFloat(item.val);
  if (!f.ok()) {
    Fail(item.pos, absl::StrCat("error parsing number: ", f.status().message()));
    return std::nullopt;
  }
  return *f;
}

std::optional<int64_t> Parser::ParseDurationItem(const Item& item) {
  const absl::StatusOr<int64_t> d = ParsePromDuration(item.val);
  const int pos = item.pos;
  if (!d.ok()) {
    Fail(pos, std::string(d.status().message()));
    return std::nullopt;
  }
  if (*d == 0) {
    Fail(pos, "duration must be greater than 0");
    return std::nullopt;
  }
  return *d;
}

std::optional<std::string> Parser::UnquoteItem(const Item& item) {
  absl::StatusOr<std::string> s = labels::UnquoteGoString(item.val);
  if (!s.ok()) {
    Fail(item.pos,
         absl::StrCat("error unquoting string ", GoQuote(item.val), ": ", s.status().message()));
    return std::nullopt;
  }
  return *std::move(s);
}

ExprPtr Parser::ParseVectorSelector(const Item* name) {
  auto vs = std::make_unique<VectorSelector>();
  if (name != nullptr) {
    vs->name = std::string(name->val);
    vs->pos = PositionRange{name->pos, name->pos + static_cast<int>(name->val.size())};
  }
  if (Peek().type == ItemType::kLeftBrace) {
    if (name == nullptr) vs->pos.start = Peek().pos;
    if (!ParseLabelMatchers(vs.get())) return nullptr;
    vs->pos.end = last_closing_;
  }
  if (failed()) return nullptr;
  if (!vs->name.empty()) {
    absl::StatusOr<labels::Matcher> m =
        labels::Matcher::Create(labels::MatchType::kEqual, "__name__", vs->name);
    vs->matchers.push_back(*std::move(m));
  }
  return vs;
}

bool Parser::ParseLabelMatchers(VectorSelector* vs) {
  static constexpr char kCtx[] = "label matching";
  Next();  // {
  if (Peek().type == ItemType::kRightBrace) {
    Next();
    return true;
  }
  for (;;) {
    const Item label = Peek();
    if (label.type != ItemType::kIdentifier) {
      Unexpected(kCtx, "identifier or \"}\"");
      return false;
    }
    Next();
    const Item op = Peek();
    labels::MatchType type;
    switch (op.type) {
      case ItemType::kEql:
        type = labels::MatchType::kEqual;
        break;
      case ItemType::kNeq:
        type = labels::MatchType::kNotEqual;
        break;
      case ItemType::kEqlRegex:
        type = labels::MatchType::kRegexMatch;
        break;
      case ItemType::kNeqRegex:
        type = labels::MatchType::kRegexNoMatch;
        break;
      default:
        Unexpected(kCtx, "label matching operator");
        return false;
    }
    Next();
    const Item value = Peek();
    if (value.type != ItemType::kString) {
      Unexpected(kCtx, "string");
      return false;
    }
    Next();
    std::optional<std::string> v = UnquoteItem(value);
    if (!v.has_value()) return false;
    absl::StatusOr<labels::Matcher> m =
        labels::Matcher::Create(type, std::string(label.val), *std::move(v));
    if (!m.ok()) {
      Fail(label.pos, std::string(m.status().message()));
      return false;
    }
    vs->matchers.push_back(*std::move(m));
    const ItemType t = Peek().type;
    if (t == ItemType::kRightBrace) {
      Next();
      return true;
    }
    if (t != ItemType::kComma) {
      Unexpected(kCtx, "\",\" or \"}\"");
      return false;
    }
    Next();
    if (Peek().type == ItemType::kRightBrace) {
      Next();
      return true;
    }
  }
}

ExprPtr Parser::ParsePostfix(ExprPtr e) {
  while (e != nullptr && !failed()) {
    switch (Peek().type) {
      case ItemType::kOffset:
        e = ParseOffset(std::move(e));
        break;
      case ItemType::kAt:
        e = ParseAt(std::move(e));
        break;
      case ItemType::kLeftBracket:
        e = ParseRangeOrSubquery(std::move(e));
        break;
      default:
        return e;
    }
  }
  return failed() ? nullptr : std::move(e);
}

ExprPtr Parser::ParseOffset(ExprPtr e) {
  Next();  // offset
  bool negative = false;
  if (Peek().type == ItemType::kSub) {
    Next();
    negative = true;
  }
  const Item d = Peek();
  if (d.type != ItemType::kDuration) {
    Unexpected("offset", "duration");
    return nullptr;
  }
  Next();
  std::optional<int64_t> ms = ParseDurationItem(d);
  if (!ms.has_value()) return nullptr;
  int64_t* original = nullptr;
  int64_t* effective = nullptr;
  switch (e->kind) {
    case NodeKind::kVectorSelector:
      original = &As<VectorSelector>(*e).original_offset_ms;
      effective = &As<VectorSelector>(*e).offset_ms;
      break;
    case NodeKind::kMatrixSelector: {
      auto& vs = As<VectorSelector>(*As<MatrixSelector>(*e).vector_selector);
      original = &vs.original_offset_ms;
      effective = &vs.offset_ms;
      break;
    }
    case NodeKind::kSubquery:
      original = &As<SubqueryExpr>(*e).original_offset_ms;
      effective = &As<SubqueryExpr>(*e).offset_ms;
      break;
    default:
      Fail(e->pos,
           "offset modifier must be preceded by an instant vector selector or range vector "
           "selector or a subquery");
      return nullptr;
  }
  if (*original != 0) {
    Fail(e->pos, "offset may not be set multiple times");
    return nullptr;
  }
  *original = *effective = negative ? -*ms : *ms;
  e->pos.end = last_closing_;
  return e;
}

ExprPtr Parser::ParseAt(ExprPtr e) {
  Next();  // @
  static constexpr char kCtx[] = "@";
  static constexpr char kWant[] = "timestamp";
  AtModifier at = AtModifier::kTimestamp;
  double ts = 0;
  const Item first = Peek();
  if (first.type == ItemType::kStart || first.type == ItemType::kEnd) {
    Next();
    if (Peek().type != ItemType::kLeftParen) {
      Unexpected(kCtx, kWant);
      return nullptr;
    }
    Next();
    if (Peek().type != ItemType::kRightParen) {
      Unexpected(kCtx, kWant);
      return nullptr;
    }
    Next();
    at = first.type == ItemType::kStart ? AtModifier::kStart : AtModifier::kEnd;
  } else {
    bool negative = false;
    if (first.type == ItemType::kAdd || first.type == ItemType::kSub) {
      Next();
      negative = first.type == ItemType::kSub;
    }
    const Item num = Peek();
    if (num.type != ItemType::kNumber) {
      Unexpected(kCtx, kWant);
      return nullptr;
    }
    Next();
    std::optional<double> v = ParseNumberItem(num);
    if (!v.has_value()) return nullptr;
    ts = negative ? -*v : *v;
    if (std::isinf(ts) || std::isnan(ts) || ts >= 9223372036854775807.0 ||
        ts <= -9223372036854775808.0) {
      Fail(e->pos, "timestamp out of bounds for @ modifier: " + GoFormatFixed(ts));
      return nullptr;
    }
  }
  AtModifier* target = nullptr;
  int64_t* target_ms = nullptr;
  switch (e->kind) {
    case NodeKind::kVectorSelector:
      target = &As<VectorSelector>(*e).at;
      target_ms = &As<VectorSelector>(*e).at_ms;
      break;
    case NodeKind::kMatrixSelector: {
      auto& vs = As<VectorSelector>(*As<MatrixSelector>(*e).vector_selector);
      target = &vs.at;
      target_ms = &vs.at_ms;
      break;
    }
    case NodeKind::kSubquery:
      target = &As<SubqueryExpr>(*e).at;
      target_ms = &As<SubqueryExpr>(*e).at_ms;
      break;
    default:
      Fail(e->pos,
           "@ modifier must be preceded by an instant vector selector or range vector selector "
           "or a subquery");
      return nullptr;
  }
  if (*target != AtModifier::kNone) {
    Fail(e->pos, "@ <timestamp> may not be set multiple times");
    return nullptr;
  }
  *target = at;
  if (at == AtModifier::kTimestamp) {
    *target_ms = GoFloatToInt64(std::round(ts * 1000.0));  // timestamp.FromFloatSeconds
  }
  e->pos.end = last_closing_;
  return e;
}

ExprPtr Parser::ParseRangeOrSubquery(ExprPtr e) {
  const Item open = Next();  // [
  const Item range = Peek();
  if (range.type != ItemType::kDuration) {
    Unexpected("subquery selector", "duration");
    return nullptr;
  }
  Next();
  std::optional<int64_t> range_ms = ParseDurationItem(range);
  if (!range_ms.has_value()) return nullptr;
  if (Peek().type == ItemType::kRightBracket) {
    Next();
    const char* err = nullptr;
    if (e->kind != NodeKind::kVectorSelector) {
      err = "ranges only allowed for vector selectors";
    } else if (As<VectorSelector>(*e).original_offset_ms != 0) {
      err = "no offset modifiers allowed before range";
    } else if (As<VectorSelector>(*e).at == AtModifier::kTimestamp) {
      err = "no @ modifiers allowed before range";
    }
    if (err != nullptr) {
      Fail(open.pos, err);
      return nullptr;
    }
    auto m = std::make_unique<MatrixSelector>();
    m->range_ms = *range_ms;
    m->pos = PositionRange{e->pos.start, last_closing_};
    m->vector_selector = std::move(e);
    return m;
  }
  if (Peek().type != ItemType::kColon) {
    Unexpected("subquery or range", "\":\" or \"]\"");
    return nullptr;
  }
  Next();
  auto sq = std::make_unique<SubqueryExpr>();
  sq->range_ms = *range_ms;
  const Item step = Peek();
  if (step.type == ItemType::kDuration) {
    Next();
    std::optional<int64_t> step_ms = ParseDurationItem(step);
    if (!step_ms.has_value()) return nullptr;
    sq->step_ms = *step_ms;
    if (Peek().type != ItemType::kRightBracket) {
      Unexpected("subquery selector", "\"]\"");
      return nullptr;
    }
  } else if (step.type != ItemType::kRightBracket) {
    Unexpected("subquery selector", "duration or \"]\"");
    return nullptr;
  }
  const Item close = Next();
  sq->pos = PositionRange{e->pos.start, close.pos + 1};
  sq->expr = std::move(e);
  return sq;
}

}  // namespace argus::promql::parser

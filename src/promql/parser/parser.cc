#include "promql/parser/parser.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "promql/parser/parser_impl.h"

namespace argus::promql::parser {

const Item& Parser::Peek() {
  if (!peeked_.has_value()) {
    Item item;
    do {
      item = lex_.Next();
    } while (item.type == ItemType::kComment);
    peeked_ = item;
    if (item.type == ItemType::kError) Fail(item.pos, std::string(item.val));
  }
  return *peeked_;
}

Item Parser::Next() {
  Item item = Peek();
  switch (item.type) {
    case ItemType::kRightBrace:
    case ItemType::kRightParen:
    case ItemType::kRightBracket:
    case ItemType::kDuration:
    case ItemType::kNumber:
      last_closing_ = item.pos + static_cast<int>(item.val.size());
      break;
    default:
      break;
  }
  if (item.type != ItemType::kEOF && item.type != ItemType::kError) peeked_.reset();
  return item;
}

void Parser::Fail(PositionRange pr, std::string msg) {
  if (failed_) return;
  failed_ = true;
  error_pos_ = pr;
  error_msg_ = std::move(msg);
}

void Parser::UnexpectedItem(const Item& item, absl::string_view context,
                            absl::string_view expected) {
  if (item.type == ItemType::kError) return;  // the lexer's message was recorded already
  std::string msg = "unexpected " + ItemDesc(item);
  if (!context.empty()) absl::StrAppend(&msg, " in ", context);
  if (!expected.empty()) absl::StrAppend(&msg, ", expected ", expected);
  Fail(item.pos, std::move(msg));
}

void Parser::UnexpectedHere() { Unexpected(aggregation_depth_ > 0 ? "aggregation" : "", ""); }

absl::Status Parser::ErrorStatus() const {
  // ParseErr.Error(): 1-based line and column (in bytes) of the range's start.
  const int pos = error_pos_.start;
  if (pos < 0 || pos > static_cast<int>(input_.size())) {
    return absl::InvalidArgumentError(absl::StrCat("invalid position: parse error: ", error_msg_));
  }
  int line = 1;
  int last_break = -1;
  for (int i = 0; i < pos; ++i) {
    if (input_[i] == '\n') {
      ++line;
      last_break = i;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(line, ":", pos - last_break, ": parse error: ", error_msg_));
}

absl::StatusOr<ExprPtr> Parser::ParseExpression() {
  if (Peek().type == ItemType::kEOF) Fail(0, "no expression found in input");
  if (failed()) return ErrorStatus();
  ExprPtr e = ParseBinary(0);
  if (!failed() && Peek().type != ItemType::kEOF) UnexpectedHere();
  if (!failed()) Check(*e);
  if (failed()) return ErrorStatus();
  return e;
}

absl::StatusOr<std::vector<labels::Matcher>> Parser::ParseSelector() {
  const Item& first = Peek();
  ExprPtr e;
  if (first.type == ItemType::kLeftBrace) {
    e = ParseVectorSelector(nullptr);
  } else if (IsMetricIdentifierItem(first.type)) {
    const Item name = Next();
    e = ParseVectorSelector(&name);
  } else {
    UnexpectedHere();
  }
  if (!failed() && Peek().type != ItemType::kEOF) UnexpectedHere();
  if (failed()) return ErrorStatus();
  return std::move(As<VectorSelector>(*e).matchers);
}

absl::StatusOr<ExprPtr> ParseExpr(absl::string_view input) {
  return Parser(input).ParseExpression();
}

absl::StatusOr<std::vector<labels::Matcher>> ParseMetricSelector(absl::string_view input) {
  return Parser(input).ParseSelector();
}

}  // namespace argus::promql::parser

// The recursive-descent parser behind ParseExpr/ParseMetricSelector. It accepts the language
// of Prometheus v2.42's generated_parser.y with the same operator precedence, and reports the
// first error that Prometheus would report (its yacc error productions, its semantic checks in
// grammar-action order, then checkAST). Internal to the parser library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "promql/parser/ast.h"
#include "promql/parser/lexer.h"

namespace argus::promql::parser {

class Parser {
 public:
  explicit Parser(absl::string_view input) : input_(input), lex_(input) {}

  absl::StatusOr<ExprPtr> ParseExpression();
  absl::StatusOr<std::vector<labels::Matcher>> ParseSelector();

 private:
  // Items (comments skipped). A lexer error is recorded when it is first peeked.
  const Item& Peek();
  Item Next();

  // Errors: the first one ends the parse (Prometheus reports only its first error).
  bool failed() const { return failed_; }
  void Fail(PositionRange pr, std::string msg);
  void Fail(int pos, std::string msg) { Fail(PositionRange{pos, pos}, std::move(msg)); }
  // "unexpected <item>[ in <context>][, expected <expected>]" about `item`.
  void UnexpectedItem(const Item& item, absl::string_view context, absl::string_view expected);
  void Unexpected(absl::string_view context, absl::string_view expected) {
    UnexpectedItem(Peek(), context, expected);
  }
  // A syntax error without an error production of its own: Prometheus's yacc falls back to
  // the innermost enclosing aggregation's, else to the top-level one.
  void UnexpectedHere();
  absl::Status ErrorStatus() const;

  // parser_expr.cc: expressions and operators.
  ExprPtr ParseBinary(int min_prec);
  ExprPtr ParseUnary();
  ExprPtr ParsePrimary();
  ExprPtr ParseParen();
  bool ParseBinModifiers(BinaryExpr* b);
  bool ParseGroupingLabels(std::vector<std::string>* out);
  ExprPtr ParseAggregate(const Item& op);
  ExprPtr ParseCall(const Item& name);
  // `( [expr {, expr}] )`; false on error.
  bool ParseCallBody(std::vector<ExprPtr>* args);

  // parser_selector.cc: selectors, literals and the postfix modifiers.
  ExprPtr ParseVectorSelector(const Item* name);
  bool ParseLabelMatchers(VectorSelector* vs);
  ExprPtr ParsePostfix(ExprPtr e);
  ExprPtr ParseOffset(ExprPtr e);
  ExprPtr ParseAt(ExprPtr e);
  ExprPtr ParseRangeOrSubquery(ExprPtr e);
  std::optional<int64_t> ParseDurationItem(const Item& item);
  std::optional<double> ParseNumberItem(const Item& item);
  std::optional<std::string> UnquoteItem(const Item& item);

  // check.cc: checkAST.
  ValueType Check(Expr& e);
  void ExpectType(Expr& e, ValueType want, absl::string_view context);
  void CheckBinary(BinaryExpr& b);
  void CheckCall(Call& c);
  void CheckVectorSelector(VectorSelector& vs);

  absl::string_view input_;
  Lexer lex_;
  std::optional<Item> peeked_;
  int last_closing_ = 0;  // end of the last ) ] } number or duration consumed
  int aggregation_depth_ = 0;
  bool failed_ = false;
  PositionRange error_pos_;
  std::string error_msg_;
};

}  // namespace argus::promql::parser

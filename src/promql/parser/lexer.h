// The PromQL lexer (promql/parser/lex.go semantics): turns a query into items, tracking
// braces, brackets and parentheses the way Prometheus does, so that the same inputs are
// rejected with the same messages. Internal to the parser.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace argus::promql::parser {

enum class ItemType {
  kError,  // val is the message
  kEOF,
  kComment,
  kIdentifier,
  kMetricIdentifier,  // an identifier with a ':'
  kNumber,
  kDuration,
  kString,  // val is the quoted text
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kEql,    // '=' (label matching)
  kColon,  // ':' inside brackets
  // Operators.
  kAdd,
  kDiv,
  kEqlc,
  kEqlRegex,
  kGte,
  kGtr,
  kLand,
  kLor,
  kLss,
  kLte,
  kLunless,
  kMod,
  kMul,
  kNeq,
  kNeqRegex,
  kPow,
  kSub,
  kAt,
  kAtan2,
  // Aggregators.
  kAvg,
  kBottomk,
  kCount,
  kCountValues,
  kGroup,
  kMax,
  kMin,
  kQuantile,
  kStddev,
  kStdvar,
  kSum,
  kTopk,
  // Keywords.
  kBool,
  kBy,
  kGroupLeft,
  kGroupRight,
  kIgnoring,
  kOffset,
  kOn,
  kWithout,
  // @ preprocessors.
  kStart,
  kEnd,
};

bool IsOperatorItem(ItemType t);    // kAdd..kAtan2
bool IsAggregatorItem(ItemType t);  // kAvg..kTopk
bool IsKeywordItem(ItemType t);     // kBool..kWithout
// Items that may name a metric (the grammar's metric_identifier: identifiers, aggregators,
// by, without, and, or, unless, offset, start, end).
bool IsMetricIdentifierItem(ItemType t);
// Items that may name a label in by/without/on/ignoring/group_x lists (maybe_label).
bool IsLabelItem(ItemType t);

struct Item {
  ItemType type = ItemType::kEOF;
  int pos = 0;            // byte offset of the item in the input
  absl::string_view val;  // the item's text (for kError: the message, owned by the lexer)
};

// How Prometheus names an item in "unexpected ..." errors (Item.desc()): `identifier "foo"`,
// `"("`, `<op:+>`, `<aggr:sum>`, `<by>`, `end of input`, `number "1"`.
std::string ItemDesc(const Item& item);

class Lexer {
 public:
  explicit Lexer(absl::string_view input) : input_(input) {}

  // The next item, comments included. After kEOF or kError, only kEOF follows.
  Item Next();

 private:
  enum class State { kStatements, kInsideBraces, kDuration, kDone };

  // nullopt: only white space was consumed.
  std::optional<Item> LexStatements();
  std::optional<Item> LexInsideBraces();
  Item LexString(char32_t quote);
  Item LexRawString();
  // nullopt: a valid escape was consumed; else the error item.
  std::optional<Item> LexEscape(char32_t quote);
  Item LexNumberOrDuration();
  Item LexDuration();
  Item LexKeywordOrIdentifier();
  Item LexLineComment();

  char32_t NextRune();  // -1 at the end; 0xFFFD for an invalid byte
  char32_t PeekRune();
  void Backup() { pos_ -= width_; }
  bool Accept(absl::string_view valid);
  void AcceptRun(absl::string_view valid);
  bool ScanNumber();
  bool AcceptRemainingDuration();
  void SkipSpaces();
  Item Emit(ItemType t);
  Item Errorf(std::string msg);

  absl::string_view input_;
  State state_ = State::kStatements;
  int pos_ = 0;
  int start_ = 0;
  int width_ = 0;
  int paren_depth_ = 0;
  bool bracket_open_ = false;
  bool got_colon_ = false;
  std::string error_;
};

}  // namespace argus::promql::parser

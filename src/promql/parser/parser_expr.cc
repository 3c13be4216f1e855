// Expressions: binary operators by precedence climbing, unary signs, parentheses,
// aggregations and function calls.
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "base/go_strconv.h"
#include "metrics/registry.h"
#include "promql/parser/functions.h"
#include "promql/parser/parser_impl.h"

namespace argus::promql::parser {
namespace {

// Binding strength of a binary operator item (0: not one): or < and/unless < comparisons <
// + - < * / % atan2 < ^.
constexpr int kPowPrec = 6;
int Precedence(ItemType t) {
  switch (t) {
    case ItemType::kLor:
      return 1;
    case ItemType::kLand:
    case ItemType::kLunless:
      return 2;
    case ItemType::kEqlc:
    case ItemType::kNeq:
    case ItemType::kLss:
    case ItemType::kGtr:
    case ItemType::kLte:
    case ItemType::kGte:
      return 3;
    case ItemType::kAdd:
    case ItemType::kSub:
      return 4;
    case ItemType::kMul:
    case ItemType::kDiv:
    case ItemType::kMod:
    case ItemType::kAtan2:
      return 5;
    case ItemType::kPow:
      return kPowPrec;
    default:
      return 0;
  }
}

Op BinaryOp(ItemType t) {
  switch (t) {
    case ItemType::kLor:
      return Op::kLor;
    case ItemType::kLand:
      return Op::kLand;
    case ItemType::kLunless:
      return Op::kLunless;
    case ItemType::kEqlc:
      return Op::kEql;
    case ItemType::kNeq:
      return Op::kNeq;
    case ItemType::kLss:
      return Op::kLss;
    case ItemType::kGtr:
      return Op::kGtr;
    case ItemType::kLte:
      return Op::kLte;
    case ItemType::kGte:
      return Op::kGte;
    case ItemType::kAdd:
      return Op::kAdd;
    case ItemType::kSub:
      return Op::kSub;
    case ItemType::kMul:
      return Op::kMul;
    case ItemType::kDiv:
      return Op::kDiv;
    case ItemType::kMod:
      return Op::kMod;
    case ItemType::kAtan2:
      return Op::kAtan2;
    default:
      return Op::kPow;
  }
}

Op AggregateOp(ItemType t) {
  switch (t) {
    case ItemType::kAvg:
      return Op::kAvg;
    case ItemType::kBottomk:
      return Op::kBottomk;
    case ItemType::kCount:
      return Op::kCount;
    case ItemType::kCountValues:
      return Op::kCountValues;
    case ItemType::kGroup:
      return Op::kGroup;
    case ItemType::kMax:
      return Op::kMax;
    case ItemType::kMin:
      return Op::kMin;
    case ItemType::kQuantile:
      return Op::kQuantile;
    case ItemType::kStddev:
      return Op::kStddev;
    case ItemType::kStdvar:
      return Op::kStdvar;
    case ItemType::kTopk:
      return Op::kTopk;
    default:
      return Op::kSum;
  }
}

// Items that can begin an expression.
bool CanStartExpr(ItemType t) {
  switch (t) {
    case ItemType::kNumber:
    case ItemType::kString:
    case ItemType::kLeftParen:
    case ItemType::kLeftBrace:
    case ItemType::kAdd:
    case ItemType::kSub:
      return true;
    default:
      return IsMetricIdentifierItem(t);
  }
}

}  // namespace

ExprPtr Parser::ParseBinary(int min_prec) {
  ExprPtr lhs = ParseUnary();
  while (!failed()) {
    const Item op = Peek();
    const int prec = Precedence(op.type);
    if (prec == 0 || prec < min_prec) break;
    Next();
    auto b = std::make_unique<BinaryExpr>();
    b->op = BinaryOp(op.type);
    if (!ParseBinModifiers(b.get())) return nullptr;
    // ^ is right-associative; the others group to the left.
    b->rhs = ParseBinary(op.type == ItemType::kPow ? prec : prec + 1);
    if (failed()) return nullptr;
    b->pos = PositionRange{lhs->pos.start, b->rhs->pos.end};
    b->lhs = std::move(lhs);
    lhs = std::move(b);
  }
  return failed() ? nullptr : std::move(lhs);
}

ExprPtr Parser::ParseUnary() {
  const ItemType t = Peek().type;
  if (t != ItemType::kAdd && t != ItemType::kSub) return ParsePostfix(ParsePrimary());
  const Item sign = Next();
  const Item& operand = Peek();
  if (t == ItemType::kAdd && operand.type == ItemType::kNumber &&
      absl::EqualsIgnoreCase(operand.val, "inf")) {
    // "+Inf" is how Print writes an infinite literal, so it reads back as that literal even
    // before ^ (where Prometheus would parse +(Inf ^ x), equal in value, and print "++Inf ^ x").
    ExprPtr e = ParsePostfix(ParsePrimary());
    if (failed()) return nullptr;
    e->pos.start = sign.pos;
    return e;
  }
  // A sign binds like * (only ^ and the postfix modifiers bind tighter): -a^b is -(a^b).
  ExprPtr e = ParseBinary(kPowPrec);
  if (failed()) return nullptr;
  if (e->kind == NodeKind::kNumberLiteral) {
    auto& n = As<NumberLiteral>(*e);
    if (t == ItemType::kSub) n.value = -n.value;
    n.pos.start = sign.pos;
    return e;
  }
  auto u = std::make_unique<UnaryExpr>();
  u->op = t == ItemType::kSub ? Op::kSub : Op::kAdd;
  u->pos = PositionRange{sign.pos, e->pos.end};
  u->expr = std::move(e);
  return u;
}

ExprPtr Parser::ParsePrimary() {
  const Item item = Peek();
  if (failed()) return nullptr;
  switch (item.type) {
    case ItemType::kNumber: {
      Next();
      std::optional<double> v = ParseNumberItem(item);
      if (!v.has_value()) return nullptr;
      auto n = std::make_unique<NumberLiteral>();
      n->value = *v;
      n->pos = PositionRange{item.pos, item.pos + static_cast<int>(item.val.size())};
      return n;
    }
    case ItemType::kString: {
      Next();
      std::optional<std::string> v = UnquoteItem(item);
      if (!v.has_value()) return nullptr;
      auto s = std::make_unique<StringLiteral>();
      s->value = std::move(*v);
      s->pos = PositionRange{item.pos, item.pos + static_cast<int>(item.val.size())};
      return s;
    }
    case ItemType::kLeftParen:
      return ParseParen();
    case ItemType::kLeftBrace:
      return ParseVectorSelector(nullptr);
    default:
      break;
  }
  if (IsAggregatorItem(item.type)) {
    Next();
    const ItemType t = Peek().type;
    if (t == ItemType::kLeftParen || t == ItemType::kBy || t == ItemType::kWithout) {
      return ParseAggregate(item);
    }
    return ParseVectorSelector(&item);
  }
  if (item.type == ItemType::kIdentifier) {
    Next();
    if (Peek().type == ItemType::kLeftParen) return ParseCall(item);
    return ParseVectorSelector(&item);
  }
  if (IsMetricIdentifierItem(item.type)) {
    Next();
    return ParseVectorSelector(&item);
  }
  UnexpectedHere();
  return nullptr;
}

ExprPtr Parser::ParseParen() {
  const Item open = Next();
  ExprPtr inner = ParseBinary(0);
  if (failed()) return nullptr;
  if (Peek().type != ItemType::kRightParen) {
    UnexpectedHere();
    return nullptr;
  }
  const Item close = Next();
  auto p = std::make_unique<ParenExpr>();
  p->pos = PositionRange{open.pos, close.pos + 1};
  p->expr = std::move(inner);
  return p;
}

bool Parser::ParseBinModifiers(BinaryExpr* b) {
  // Prometheus gives every binary expression a one-to-one matching while parsing; checkAST
  // drops it unless both sides are vectors.
  VectorMatching& m = b->matching.emplace();
  if (Peek().type == ItemType::kBool) {
    Next();
    b->return_bool = true;
  }
  const ItemType t = Peek().type;
  if (t != ItemType::kOn && t != ItemType::kIgnoring) return !failed();
  Next();
  m.on = t == ItemType::kOn;
  if (!ParseGroupingLabels(&m.matching_labels)) return false;
  const ItemType g = Peek().type;
  if (g != ItemType::kGroupLeft && g != ItemType::kGroupRight) return !failed();
  Next();
  m.card = g == ItemType::kGroupLeft ? Cardinality::kManyToOne : Cardinality::kOneToMany;
  if (Peek().type == ItemType::kLeftParen) return ParseGroupingLabels(&m.include);
  return !failed();
}

bool Parser::ParseGroupingLabels(std::vector<std::string>* out) {
  static constexpr char kCtx[] = "grouping opts";
  if (Peek().type != ItemType::kLeftParen) {
    Unexpected(kCtx, "\"(\"");
    return false;
  }
  Next();
  out->clear();
  if (Peek().type == ItemType::kRightParen) {
    Next();
    return true;
  }
  for (;;) {
    const Item label = Peek();
    if (!IsLabelItem(label.type)) {
      Unexpected(kCtx, "label");
      return false;
    }
    Next();
    if (!metrics::IsValidLabelName(label.val)) {
      UnexpectedItem(label, kCtx, "label");
      return false;
    }
    out->emplace_back(label.val);
    const ItemType t = Peek().type;
    if (t == ItemType::kRightParen) {
      Next();
      return true;
    }
    if (t != ItemType::kComma) {
      Unexpected(kCtx, "\",\" or \")\"");
      return false;
    }
    Next();
    if (Peek().type == ItemType::kRightParen) {
      Next();
      return true;
    }
  }
}

bool Parser::ParseCallBody(std::vector<ExprPtr>* args) {
  if (Peek().type != ItemType::kLeftParen) {
    UnexpectedHere();
    return false;
  }
  Next();
  if (Peek().type == ItemType::kRightParen) {
    Next();
    return true;
  }
  for (;;) {
    ExprPtr arg = ParseBinary(0);
    if (failed()) return false;
    args->push_back(std::move(arg));
    const Item sep = Peek();
    if (sep.type == ItemType::kRightParen) {
      Next();
      return true;
    }
    if (sep.type != ItemType::kComma) {
      UnexpectedHere();
      return false;
    }
    Next();
    // Prometheus's grammar reduces `args ,` whenever what follows cannot start an argument.
    if (const ItemType next = Peek().type; !failed() && !CanStartExpr(next)) {
      Fail(sep.pos, "trailing commas not allowed in function call args");
      return false;
    }
  }
}

ExprPtr Parser::ParseAggregate(const Item& op) {
  auto a = std::make_unique<AggregateExpr>();
  a->op = AggregateOp(op.type);
  ++aggregation_depth_;
  std::vector<ExprPtr> args;
  bool ok = true;
  const auto modifier = [&] {
    a->without = Peek().type == ItemType::kWithout;
    Next();
    return ParseGroupingLabels(&a->grouping);
  };
  if (Peek().type == ItemType::kBy || Peek().type == ItemType::kWithout) {
    ok = modifier() && ParseCallBody(&args);
  } else {
    ok = ParseCallBody(&args);
    if (ok && (Peek().type == ItemType::kBy || Peek().type == ItemType::kWithout)) ok = modifier();
  }
  --aggregation_depth_;
  if (!ok || failed()) return nullptr;
  a->pos = PositionRange{op.pos, last_closing_};
  if (args.empty()) {
    Fail(a->pos, "no arguments for aggregate expression provided");
    return nullptr;
  }
  const bool has_param = a->op == Op::kTopk || a->op == Op::kBottomk || a->op == Op::kCountValues ||
                         a->op == Op::kQuantile;
  const size_t want = has_param ? 2 : 1;
  if (args.size() != want) {
    Fail(a->pos, absl::StrFormat("wrong number of arguments for aggregate expression provided, "
                                 "expected %d, got %d",
                                 want, args.size()));
    return nullptr;
  }
  if (has_param) a->param = std::move(args[0]);
  a->expr = std::move(args[want - 1]);
  return a;
}

ExprPtr Parser::ParseCall(const Item& name) {
  auto c = std::make_unique<Call>();
  if (!ParseCallBody(&c->args)) return nullptr;
  c->func = LookupFunction(name.val);
  if (c->func == nullptr) {
    Fail(name.pos, "unknown function with name " + GoQuote(name.val));
    return nullptr;
  }
  c->pos = PositionRange{name.pos, last_closing_};
  return c;
}

}  // namespace argus::promql::parser

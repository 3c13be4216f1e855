#include "promql/promqltest/at_variants.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "promql/parser/parser.h"

namespace argus::promql::promqltest {
namespace {

using parser::As;
using parser::AtModifier;

parser::ExprPtr Parse(absl::string_view q) {
  absl::StatusOr<parser::ExprPtr> e = parser::ParseExpr(q);
  EXPECT_TRUE(e.ok()) << q << ": " << e.status();
  return e.ok() ? *std::move(e) : nullptr;
}

TEST(AtVariantsTest, SkippedForTimeDependentFunctions) {
  for (absl::string_view q : {"time()", "hour(x)", "sum(timestamp(x))", "-day_of_week()",
                              "max_over_time(predict_linear(y[5m], 1)[10m:])"}) {
    EXPECT_FALSE(AtVariantsApply(*Parse(q))) << q;
  }
  for (absl::string_view q : {"rate(x[5m])", "1 + 2", "sum by (a) (x) / on(a) y"}) {
    EXPECT_TRUE(AtVariantsApply(*Parse(q))) << q;
  }
}

TEST(AtVariantsTest, SetsTimestampsOutsideSubqueriesOnly) {
  parser::ExprPtr e = Parse("x + rate(y[5m] @ 10) + max_over_time(z[5m:1m]) + w @ start()");
  SetAtModifiers(*e, 7000);
  // (((x + rate(y)) + max_over_time(z)) + w)
  auto& top = As<parser::BinaryExpr>(*e);
  auto& w = As<parser::VectorSelector>(*top.rhs);
  auto& mid = As<parser::BinaryExpr>(*top.lhs);
  auto& sq = As<parser::SubqueryExpr>(*As<parser::Call>(*mid.rhs).args[0]);
  auto& z = As<parser::VectorSelector>(*sq.expr);
  auto& low = As<parser::BinaryExpr>(*mid.lhs);
  auto& x = As<parser::VectorSelector>(*low.lhs);
  auto& y = As<parser::VectorSelector>(
      *As<parser::MatrixSelector>(*As<parser::Call>(*low.rhs).args[0]).vector_selector);

  EXPECT_EQ(x.at, AtModifier::kTimestamp);
  EXPECT_EQ(x.at_ms, 7000);
  EXPECT_EQ(y.at, AtModifier::kTimestamp);
  EXPECT_EQ(y.at_ms, 10000);  // an explicit @ stays
  EXPECT_EQ(sq.at, AtModifier::kTimestamp);
  EXPECT_EQ(sq.at_ms, 7000);
  EXPECT_EQ(z.at, AtModifier::kNone);       // relative to the subquery
  EXPECT_EQ(w.at, AtModifier::kTimestamp);  // @ start() is replaced
  EXPECT_EQ(w.at_ms, 7000);
}

TEST(AtVariantsTest, EvaluationTimes) {
  EXPECT_THAT(AtVariantTimes(0), testing::ElementsAre(-1000, 0, 1000));
  EXPECT_THAT(AtVariantTimes(5000), testing::ElementsAre(-50000, 0, 1000, 5000, 50000));
  EXPECT_THAT(AtVariantTimes(7), testing::ElementsAre(-70, 0, 1, 7, 70));
}

}  // namespace
}  // namespace argus::promql::promqltest

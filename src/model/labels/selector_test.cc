#include "model/labels/selector.h"

#include "gtest/gtest.h"

namespace argus::labels {
namespace {

std::string Show(absl::string_view text) {
  absl::StatusOr<std::vector<Matcher>> ms = ParseSelector(text);
  if (!ms.ok()) return std::string(ms.status().message());
  std::string out;
  for (const Matcher& m : *ms) out += m.ToString() + ";";
  return out;
}

TEST(SelectorTest, ParsesTheForms) {
  EXPECT_EQ(Show("up"), "__name__=\"up\";");
  EXPECT_EQ(Show(" job:rate5m { a = \"x\" , b!~'y|z', } "),
            "__name__=\"job:rate5m\";a=\"x\";b!~\"y|z\";");
  EXPECT_EQ(Show("{__name__=~'(?s:.*)'}"), "__name__=~\"(?s:.*)\";");
  EXPECT_EQ(Show("{a=`x\\y`, b=\"q\\\"\\n\\u00e9\"}"), "a=\"x\\\\y\";b=\"q\\\"\\né\";");
}

TEST(SelectorTest, RejectsBadInput) {
  EXPECT_EQ(Show("{}"), "selector {}: a selector needs at least one matcher");
  EXPECT_EQ(Show("{a=b}"), "selector {a=b}: expected a quoted string at position 3");
  EXPECT_EQ(Show("{a=\"b\""), "selector {a=\"b\": expected \",\" or \"}\" at position 6");
  EXPECT_EQ(Show("up{a~\"b\"}"),
            "selector up{a~\"b\"}: expected a match operator (=, !=, =~, !~) at position 4");
  EXPECT_NE(Show("{a=~\"(\"}").find("invalid regular expression"), std::string::npos);
  EXPECT_NE(Show("{a=\"\\q\"}").find("invalid string literal"), std::string::npos);
  EXPECT_EQ(Show("up x"), "selector up x: expected the end of the selector at position 3");
}

}  // namespace
}  // namespace argus::labels

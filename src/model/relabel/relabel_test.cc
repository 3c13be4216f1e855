#include "model/relabel/relabel.h"

#include <string>

#include "base/yaml.h"
#include "gtest/gtest.h"

namespace argus::relabel {
namespace {

using labels::Labels;

// Parses `yaml` (a list of rules) and runs them over `in`; "DROPPED" when dropped.
std::string Relabel(const std::string& yaml, const Labels& in) {
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse(yaml, "test.yml");
  EXPECT_TRUE(doc.ok()) << doc.status();
  absl::StatusOr<std::vector<Config>> rules = ParseConfigs(*doc, doc->root());
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!rules.ok()) return rules.status().ToString();
  std::optional<Labels> out = Process(in, *rules);
  return out.has_value() ? out->ToString() : "DROPPED";
}

std::string ParseError(const std::string& yaml) {
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse(yaml, "test.yml");
  EXPECT_TRUE(doc.ok()) << doc.status();
  absl::StatusOr<std::vector<Config>> rules = ParseConfigs(*doc, doc->root());
  return rules.ok() ? "OK" : std::string(rules.status().message());
}

const Labels kIn({{"__address__", "10.0.0.1:9100"},
                  {"__meta_kubernetes_pod_label_app", "Api"},
                  {"__meta_kubernetes_pod_label_tier", "web"},
                  {"a", "foo"},
                  {"b", "bar"}});

TEST(RelabelTest, Replace) {
  EXPECT_EQ(Relabel("- source_labels: [a, b]\n  regex: 'f(.*);(.*)'\n  target_label: c\n"
                    "  replacement: '${1}-$2'\n",
                    Labels({{"a", "foo"}, {"b", "bar"}})),
            R"({a="foo", b="bar", c="oo-bar"})");
  // No match: unchanged. "$1x" names group "1x", which does not exist.
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: 'x(.*)'\n  target_label: c\n",
                    Labels({{"a", "foo"}})),
            R"({a="foo"})");
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: '(.*)'\n  target_label: c\n"
                    "  replacement: '$1x'\n",
                    Labels({{"a", "foo"}, {"c", "old"}})),
            R"({a="foo"})");  // empty result deletes the target
  // The target label itself can come from the match; an invalid one is skipped.
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: '(.*)'\n  target_label: 'l_$1'\n",
                    Labels({{"a", "foo"}})),
            R"({a="foo", l_foo="foo"})");
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: '(.*)'\n  target_label: '$1'\n",
                    Labels({{"a", "1x"}})),
            R"({a="1x"})");
  // Fully anchored: "oo" does not match "foo".
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: oo\n  target_label: c\n  replacement: y\n",
                    Labels({{"a", "foo"}})),
            R"({a="foo"})");
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: '(?P<first>f)(.*)'\n  target_label: c\n"
                    "  replacement: '$first.$$'\n",
                    Labels({{"a", "foo"}})),
            R"({a="foo", c="f.$"})");
}

TEST(RelabelTest, KeepDropAndEqual) {
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: fo+\n  action: keep\n", kIn).substr(0, 1), "{");
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: bar\n  action: keep\n", kIn), "DROPPED");
  EXPECT_EQ(Relabel("- source_labels: [a]\n  regex: foo\n  action: drop\n", kIn), "DROPPED");
  EXPECT_EQ(Relabel("- source_labels: [a]\n  target_label: b\n  action: keepequal\n", kIn),
            "DROPPED");
  EXPECT_EQ(Relabel("- source_labels: [a]\n  target_label: a\n  action: dropequal\n", kIn),
            "DROPPED");
  EXPECT_EQ(Relabel("- source_labels: [a]\n  target_label: b\n  action: DropEqual\n",
                    Labels({{"a", "x"}, {"b", "y"}})),
            R"({a="x", b="y"})");
}

TEST(RelabelTest, HashModLabelMapDropKeepAndCase) {
  // The last 8 bytes of md5("10.0.0.1:9100"), big-endian, modulo 1000 (Prometheus's sum64).
  EXPECT_EQ(Relabel("- source_labels: [__address__]\n  modulus: 1000\n  target_label: shard\n"
                    "  action: hashmod\n",
                    Labels({{"__address__", "10.0.0.1:9100"}})),
            R"({__address__="10.0.0.1:9100", shard="645"})");
  EXPECT_EQ(Relabel("- regex: __meta_kubernetes_pod_label_(.+)\n  action: labelmap\n", kIn),
            R"({__address__="10.0.0.1:9100", __meta_kubernetes_pod_label_app="Api", )"
            R"(__meta_kubernetes_pod_label_tier="web", a="foo", app="Api", b="bar", tier="web"})");
  EXPECT_EQ(Relabel("- regex: __meta_.*\n  action: labeldrop\n", kIn),
            R"({__address__="10.0.0.1:9100", a="foo", b="bar"})");
  EXPECT_EQ(Relabel("- regex: a|b\n  action: labelkeep\n", kIn), R"({a="foo", b="bar"})");
  EXPECT_EQ(Relabel("- source_labels: [__meta_kubernetes_pod_label_app]\n  target_label: app\n"
                    "  action: lowercase\n- source_labels: [b]\n  target_label: B_up\n"
                    "  action: uppercase\n",
                    Labels({{"__meta_kubernetes_pod_label_app", "Api"}, {"b", "bar"}})),
            R"({B_up="BAR", __meta_kubernetes_pod_label_app="Api", app="api", b="bar"})");
  EXPECT_EQ(Relabel("- regex: .*\n  action: labeldrop\n", kIn), "DROPPED");  // nothing left
}

TEST(RelabelTest, ParseErrorsInPrometheusWords) {
  EXPECT_EQ(ParseError("- action: hashmod\n  target_label: x\n"),
            "test.yml:1:3: relabel configuration for hashmod requires non-zero modulus");
  EXPECT_EQ(ParseError("- action: replace\n"),
            "test.yml:1:3: relabel configuration for replace action requires 'target_label' "
            "value");
  EXPECT_EQ(ParseError("- action: lowercase\n  target_label: '${1}'\n"),
            "test.yml:1:3: \"${1}\" is invalid 'target_label' for lowercase action");
  EXPECT_EQ(ParseError("- action: uppercase\n  target_label: x\n  replacement: y\n"),
            "test.yml:1:3: 'replacement' can not be set for uppercase action");
  EXPECT_EQ(ParseError("- action: labelmap\n  replacement: '1x'\n"),
            "test.yml:1:3: \"1x\" is invalid 'replacement' for labelmap action");
  EXPECT_EQ(ParseError("- action: keepequal\n  target_label: x\n  regex: y\n"),
            "test.yml:1:3: keepequal action requires only 'source_labels' and `target_label`, "
            "and no other fields");
  EXPECT_EQ(ParseError("- action: labeldrop\n  source_labels: [a]\n"),
            "test.yml:1:3: labeldrop action requires only 'regex', and no other fields");
  EXPECT_EQ(ParseError("- action: nope\n"), "test.yml:1:3: unknown relabel action \"nope\"");
  EXPECT_NE(ParseError("- regex: '('\n  target_label: x\n").find("error parsing regexp"),
            std::string::npos);
  EXPECT_NE(ParseError("- sauce_labels: [a]\n").find("field sauce_labels not found"),
            std::string::npos);
  EXPECT_NE(ParseError("- source_labels: ['a-b']\n  target_label: x\n")
                .find("\"a-b\" is not a valid label name"),
            std::string::npos);
}

}  // namespace
}  // namespace argus::relabel

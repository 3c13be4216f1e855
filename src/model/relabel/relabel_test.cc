#include "model/relabel/relabel.h"

#include <string>
#include <vector>

#include "base/yaml.h"
#include "gtest/gtest.h"
#include "model/relabel/internal/go_strings.h"

namespace argus::relabel {
namespace {

using labels::Labels;

constexpr char kDropped[] = "DROPPED";
constexpr char kRuleKind[] = "target relabeling rule in scrape config";

absl::StatusOr<std::vector<Config>> Parse(const std::string& yaml) {
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse(yaml, "test.yml");
  if (!doc.ok()) return doc.status();
  return ParseConfigs(*doc, doc->root(), kRuleKind);
}

struct ProcessCase {
  const char* name;
  std::string rules;  // YAML list
  Labels in;
  std::string want;  // Labels::ToString, or kDropped
};

const Labels kIn({{"__address__", "10.0.0.1:9100"},
                  {"__meta_pod_label_app", "Api"},
                  {"__meta_pod_label_tier", "web"},
                  {"a", "foo"},
                  {"b", "bar"}});

// Expectations follow v2.42's relabel.go (and the cases of its relabel_test.go).
const ProcessCase kProcessCases[] = {
    {"replace_groups",
     "- {source_labels: [a, b], regex: 'f(.*);(.*)', target_label: c, "
     "replacement: '${1}-$2'}",
     Labels({{"a", "foo"}, {"b", "bar"}}), R"({a="foo", b="bar", c="oo-bar"})"},
    {"replace_defaults_copy", "- {source_labels: [a], target_label: c}", Labels({{"a", "foo"}}),
     R"({a="foo", c="foo"})"},
    {"replace_no_match_unchanged", "- {source_labels: [a], regex: 'x(.*)', target_label: c}",
     Labels({{"a", "foo"}}), R"({a="foo"})"},
    {"replace_fully_anchored",
     "- {source_labels: [a], regex: oo, target_label: c, "
     "replacement: y}",
     Labels({{"a", "foo"}}), R"({a="foo"})"},
    {"replace_missing_sources_join_empty",
     "- {source_labels: [x, y], regex: ';', "
     "target_label: c, replacement: z}",
     Labels({{"a", "foo"}}), R"({a="foo", c="z"})"},
    {"replace_separator",
     "- {source_labels: [a, b], separator: '', regex: foobar, "
     "target_label: c, replacement: ok}",
     Labels({{"a", "foo"}, {"b", "bar"}}), R"({a="foo", b="bar", c="ok"})"},
    {"replace_1x_names_group_1x", "- {source_labels: [a], target_label: c, replacement: '$1x'}",
     Labels({{"a", "foo"}, {"c", "old"}}), R"({a="foo"})"},
    {"replace_unicode_name_is_a_group",
     "- {source_labels: [a], target_label: c, "
     "replacement: '$1é-${1}é'}",
     Labels({{"a", "foo"}}), R"({a="foo", c="-fooé"})"},
    {"replace_named_group_and_dollar",
     "- {source_labels: [a], regex: '(?P<first>f)(.*)', "
     "target_label: c, replacement: '$first.$$.$'}",
     Labels({{"a", "foo"}}), R"({a="foo", c="f.$.$"})"},
    {"replace_unknown_and_unmatched_groups",
     "- {source_labels: [a], regex: '(f)|(x)', "
     "target_label: c, replacement: '[$2][$3][$nope]'}",
     Labels({{"a", "f"}}), R"({a="f", c="[][][]"})"},
    {"replace_target_from_match", "- {source_labels: [a], target_label: 'l_$1'}",
     Labels({{"a", "foo"}}), R"({a="foo", l_foo="foo"})"},
    // An invalid expanded name deletes the unexpanded target_label (a no-op here).
    {"replace_invalid_target_skipped", "- {source_labels: [a], target_label: '$1'}",
     Labels({{"a", "1x"}}), R"({a="1x"})"},
    // An empty replacement deletes the unexpanded target_label, not the expanded one.
    {"replace_empty_deletes_raw_target",
     "- {source_labels: [a], regex: '(.*)', target_label: '${1}', replacement: '$2'}",
     Labels({{"a", "foo"}, {"foo", "kept"}}), R"({a="foo", foo="kept"})"},
    {"replace_empty_deletes_target",
     "- {source_labels: [a], regex: 'f(.*)', target_label: b, "
     "replacement: '$2'}",
     Labels({{"a", "foo"}, {"b", "bar"}}), R"({a="foo"})"},
    {"empty_input_values_removed", "- {source_labels: [a], regex: x, action: drop}",
     Labels({{"a", "foo"}, {"e", ""}}), R"({a="foo"})"},
    {"no_rules_keep_input", "[]", Labels({{"a", "foo"}, {"e", ""}}), R"({a="foo", e=""})"},
    {"keep_match", "- {source_labels: [a], regex: fo+, action: keep}", Labels({{"a", "foo"}}),
     R"({a="foo"})"},
    {"keep_no_match", "- {source_labels: [a], regex: bar, action: keep}", kIn, kDropped},
    {"keep_missing_label_matches_empty", "- {source_labels: [x], regex: '', action: keep}",
     Labels({{"a", "foo"}}), R"({a="foo"})"},
    {"drop_match", "- {source_labels: [a], regex: foo, action: drop}", kIn, kDropped},
    {"drop_case_insensitive_action", "- {source_labels: [a], regex: bar, action: DROP}",
     Labels({{"a", "foo"}}), R"({a="foo"})"},
    {"keepequal_differs", "- {source_labels: [a], target_label: b, action: keepequal}", kIn,
     kDropped},
    {"keepequal_equal", "- {source_labels: [a], target_label: b, action: keepequal}",
     Labels({{"a", "x"}, {"b", "x"}}), R"({a="x", b="x"})"},
    {"dropequal_equal", "- {source_labels: [a], target_label: a, action: dropequal}", kIn,
     kDropped},
    {"dropequal_differs", "- {source_labels: [a], target_label: b, action: DropEqual}",
     Labels({{"a", "x"}, {"b", "y"}}), R"({a="x", b="y"})"},
    {"hashmod_address",
     "- {source_labels: [__address__], modulus: 1000, target_label: shard, "
     "action: hashmod}",
     Labels({{"__address__", "10.0.0.1:9100"}}), R"({__address__="10.0.0.1:9100", shard="645"})"},
    {"hashmod_prometheus_case",
     "- {source_labels: [c], modulus: 1000, target_label: d, "
     "action: hashmod}",
     Labels({{"c", "baz"}}), R"({c="baz", d="976"})"},
    {"hashmod_newline",
     "- {source_labels: [a], modulus: 1000, target_label: b, "
     "action: hashmod}",
     Labels({{"a", "foo\nbar"}}), R"({a="foo\nbar", b="734"})"},
    {"labelmap", "- {regex: '__meta_pod_label_(.+)', action: labelmap}", kIn,
     R"({__address__="10.0.0.1:9100", __meta_pod_label_app="Api", )"
     R"(__meta_pod_label_tier="web", a="foo", app="Api", b="bar", tier="web"})"},
    {"labelmap_later_source_wins", "- {regex: '(?:x|y)_(.*)', action: labelmap}",
     Labels({{"x_a", "1"}, {"y_a", "2"}}), R"({a="2", x_a="1", y_a="2"})"},
    {"labelmap_overwrites", "- {regex: 'b', replacement: a, action: labelmap}",
     Labels({{"a", "foo"}, {"b", "bar"}}), R"({a="bar", b="bar"})"},
    // The first rule's labelmap still sees empty input values and deletes what they map to.
    {"labelmap_empty_value_deletes", "- {regex: 'm_(.*)', action: labelmap}",
     Labels({{"m_a", ""}, {"a", "foo"}, {"b", "bar"}}), R"({b="bar"})"},
    {"labeldrop", "- {regex: '__meta_.*', action: labeldrop}", kIn,
     R"({__address__="10.0.0.1:9100", a="foo", b="bar"})"},
    {"labelkeep", "- {regex: 'a|b', action: labelkeep}", kIn, R"({a="foo", b="bar"})"},
    {"labeldrop_everything", "- {regex: '.*', action: labeldrop}", kIn, kDropped},
    {"lowercase",
     "- {source_labels: [__meta_pod_label_app], target_label: app, "
     "action: lowercase}",
     kIn,
     R"({__address__="10.0.0.1:9100", __meta_pod_label_app="Api", )"
     R"(__meta_pod_label_tier="web", a="foo", app="api", b="bar"})"},
    {"uppercase_joined",
     "- {source_labels: [a, b], separator: '-', target_label: B_up, "
     "action: uppercase}",
     Labels({{"a", "foo"}, {"b", "bar"}}), R"({B_up="FOO-BAR", a="foo", b="bar"})"},
    {"uppercase_empty_deletes", "- {source_labels: [x], target_label: a, action: uppercase}",
     Labels({{"a", "foo"}, {"b", "bar"}}), R"({b="bar"})"},
    {"lowercase_unicode", "- {source_labels: [a], target_label: b, action: lowercase}",
     Labels({{"a", "ÄΣİ\u212A"}}), R"({a="ÄΣİK", b="äσik"})"},
    {"uppercase_unicode_and_invalid",
     "- {source_labels: [a], target_label: b, "
     "action: uppercase}",
     Labels({{"a", "ßſǅ\xff"}}), R"({a="ßſǅ\xff", b="ßSǄ�"})"},
    {"rules_chain",
     "- {source_labels: [a], target_label: c, replacement: 'x_$1'}\n"
     "- {source_labels: [c], regex: 'x_.*', action: keep}\n"
     "- {regex: 'a', action: labeldrop}",
     Labels({{"a", "foo"}}), R"({c="x_foo"})"},
};

TEST(RelabelTest, ProcessTable) {
  for (const ProcessCase& tc : kProcessCases) {
    SCOPED_TRACE(tc.name);
    absl::StatusOr<std::vector<Config>> rules = Parse(tc.rules);
    ASSERT_TRUE(rules.ok()) << rules.status();
    std::optional<Labels> out = Process(tc.in, *rules);
    EXPECT_EQ(out.has_value() ? out->ToString() : kDropped, tc.want);
  }
}

struct ParseErrorCase {
  std::string rules;
  std::string want;  // the error message
};

// Messages as `promtool check config` prints them for v2.42, positioned by YamlDoc.
const ParseErrorCase kParseErrorCases[] = {
    {"- {action: hashmod, target_label: x}",
     "test.yml:1:3: relabel configuration for hashmod requires non-zero modulus"},
    {"- {action: replace}",
     "test.yml:1:3: relabel configuration for replace action requires 'target_label' value"},
    {"- {action: lowercase}",
     "test.yml:1:3: relabel configuration for lowercase action requires 'target_label' value"},
    {"- {action: keepequal, source_labels: [a]}",
     "test.yml:1:3: relabel configuration for keepequal action requires 'target_label' value"},
    {"- {target_label: 'a$$'}",
     "test.yml:1:3: \"a$$\" is invalid 'target_label' for replace "
     "action"},
    {"- {action: dropequal, target_label: '1x'}",
     "test.yml:1:3: \"1x\" is invalid 'target_label' for dropequal action"},
    {"- {action: hashmod, target_label: '$1', modulus: 2}",
     "test.yml:1:3: \"$1\" is invalid 'target_label' for hashmod action"},
    {"- {action: uppercase, target_label: x, replacement: y}",
     "test.yml:1:3: 'replacement' can not be set for uppercase action"},
    {"- {action: lowercase, target_label: x, replacement: null}",
     "test.yml:1:3: 'replacement' can not be set for lowercase action"},
    {"- {action: labelmap, replacement: '1x'}",
     "test.yml:1:3: \"1x\" is invalid 'replacement' for labelmap action"},
    {"- {action: keepequal, target_label: x, regex: '(.*)'}",
     "test.yml:1:3: keepequal action requires only 'source_labels' and `target_label`, and no "
     "other fields"},
    {"- {action: dropequal, target_label: x, separator: null}",
     "test.yml:1:3: dropequal action requires only 'source_labels' and `target_label`, and no "
     "other fields"},
    {"- {action: labeldrop, source_labels: []}",
     "test.yml:1:3: labeldrop action requires only 'regex', and no other fields"},
    {"- {action: labelkeep, modulus: 3}",
     "test.yml:1:3: labelkeep action requires only 'regex', and no other fields"},
    {"- {action: nope}", "test.yml:1:12: unknown relabel action \"nope\""},
    {"- {action: '', target_label: x}", "test.yml:1:12: unknown relabel action \"\""},
    {"- {action: null, target_label: x}", "test.yml:1:3: relabel action cannot be empty"},
    {"- {regex: '(', target_label: x}",
     "test.yml:1:11: error parsing regexp: missing closing ): `^(?:()$`"},
    {"- {regex: 'a\\C', target_label: x}",
     "test.yml:1:11: error parsing regexp: invalid escape sequence: `\\C`"},
    {"- {sauce_labels: [a]}", "test.yml:1:4: field sauce_labels not found in type relabel.plain"},
    // Invalid label names are reported before unknown fields, wherever they are.
    {"- {sauce: 1, source_labels: [a, 'a-b'], target_label: x}",
     "test.yml:1:33: \"a-b\" is not a valid label name"},
    {"- {target_label: x}\n- null",
     "test.yml:2:3: empty or null target relabeling rule in scrape "
     "config"},
};

TEST(RelabelTest, ParseErrorsInPrometheusWords) {
  for (const ParseErrorCase& tc : kParseErrorCases) {
    SCOPED_TRACE(tc.rules);
    absl::StatusOr<std::vector<Config>> rules = Parse(tc.rules);
    ASSERT_FALSE(rules.ok());
    EXPECT_EQ(rules.status().message(), tc.want);
  }
}

TEST(RelabelTest, ParseAcceptsWhatPrometheusAccepts) {
  // v2.42 checks only that a lowercase target matches relabelTarget, and labelmap ignores
  // target_label; a null regex is the empty regex.
  for (const char* yaml :
       {"- {action: lowercase, source_labels: [a], target_label: '${1}'}",
        "- {action: labelmap, target_label: x}", "", "null", "- {regex: null, target_label: x}"}) {
    SCOPED_TRACE(yaml);
    EXPECT_TRUE(Parse(yaml).ok()) << Parse(yaml).status();
  }
  absl::StatusOr<std::vector<Config>> rules =
      Parse("- {source_labels: [a], regex: null, target_label: x, replacement: y}");
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(Process(Labels({{"a", "foo"}}), *rules)->ToString(), R"({a="foo"})");
  EXPECT_EQ(Process(Labels({{"b", "foo"}}), *rules)->ToString(), R"({b="foo", x="y"})");
}

TEST(RelabelTest, CompileErrorInGoWords) {
  Config c;
  c.regex = "a{2,1}";
  EXPECT_EQ(c.Compile().message(), "error parsing regexp: invalid repeat count: `{2,1}`");
  c.regex = R"(\Q\C\E)";  // quoted: a literal "\C"
  EXPECT_TRUE(c.Compile().ok());
}

TEST(RelabelTest, GoCaseMappingOfInvalidUtf8) {
  std::string out;
  // Truncated, overlong and surrogate sequences: one U+FFFD per byte, as Go's strings.Map.
  internal::GoToLower("A\xe2\x82\xc0\xaf\xed\xa0\x80", &out);
  EXPECT_EQ(out, "a\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
  internal::GoToUpper("a\xF4\x90\x80\x80", &out);  // above U+10FFFF
  EXPECT_EQ(out, "A\uFFFD\uFFFD\uFFFD\uFFFD");
}

}  // namespace
}  // namespace argus::relabel

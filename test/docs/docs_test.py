"""The documentation under docs/ against the code: docs/flags/ is exactly what
scripts/gen_docs.sh makes of the binary's --help; every flag the hand-written pages name is one
the binary has; every metric name they give is one src/ registers; relative links and their
anchors resolve.
Run: ARGUS_BIN=... /usr/bin/python3 -m unittest -v docs_test (from this directory)."""

import difflib
import os
import re
import subprocess
import tempfile
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DOCS = os.path.join(REPO, "docs")
FLAGS = os.path.join(DOCS, "flags")
GEN = os.path.join(REPO, "scripts", "gen_docs.sh")
# The hand-written pages (docs/format/ documents file formats, not the program).
PAGES = ["getting-started.md", "architecture.md", "operations.md"]
# Metric families: the prefixes of every name Argus registers (src/**: "name" literals).
METRIC = re.compile(r"\b((?:prometheus|thanos|objstore|grpc_server|http_requests?|argus|process)"
                    r"_[a-z0-9_]*[a-z0-9])\b")
FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z0-9_.-]*[a-z0-9])")
# Names the pages give that are not Argus's: curl's flag, the seed's replica label.
NOT_FLAGS = {"--data-urlencode"}
NOT_METRICS = {"prometheus_replica"}


def argus_bin():
    path = os.environ.get("ARGUS_BIN")
    if not path:
        raise unittest.SkipTest("ARGUS_BIN is not set")
    return path


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def code_spans(text):
    """The text of every `code span` and fenced block of a markdown page."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M)
    rest = re.sub(r"^```[^\n]*\n.*?^```", "", text, flags=re.S | re.M)
    return fenced + re.findall(r"`([^`\n]+)`", rest)


def slug(heading):
    """GitHub's anchor for a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


class GeneratedFlagDocs(unittest.TestCase):
    def test_flag_pages_are_current(self):
        with tempfile.TemporaryDirectory(prefix="argus-docs-") as out:
            env = dict(os.environ, ARGUS=argus_bin())
            run = subprocess.run(["bash", GEN, out], env=env, capture_output=True, text=True,
                                 timeout=300)
            self.assertEqual(run.returncode, 0, "scripts/gen_docs.sh failed:\n" + run.stderr)
            want = sorted(f for f in os.listdir(out) if f.endswith(".md"))
            have = sorted(f for f in os.listdir(FLAGS) if f.endswith(".md"))
            problems = []
            for name in sorted(set(want) - set(have)):
                problems.append("docs/flags/%s is missing" % name)
            for name in sorted(set(have) - set(want)):
                problems.append("docs/flags/%s is for a subcommand that no longer exists" % name)
            for name in sorted(set(want) & set(have)):
                new, old = read(os.path.join(out, name)), read(os.path.join(FLAGS, name))
                if new != old:
                    diff = difflib.unified_diff(old.splitlines(), new.splitlines(),
                                                "docs/flags/" + name, "argus --help",
                                                lineterm="", n=1)
                    problems.append("\n".join(list(diff)[:60]))
            if problems:
                self.fail("docs/flags/ is out of date: run scripts/gen_docs.sh\n" +
                          "\n".join(problems))


class HandWrittenPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pages = {p: read(os.path.join(DOCS, p)) for p in PAGES}
        cls.flag_text = "\n".join(read(os.path.join(FLAGS, f))
                                  for f in sorted(os.listdir(FLAGS)) if f.endswith(".md"))
        names = set()
        for root, _, files in os.walk(os.path.join(REPO, "src")):
            for f in files:
                if f.endswith((".cc", ".h")) and not f.endswith("_test.cc"):
                    names.update(re.findall(r'"([a-z_:][a-z0-9_:]*)"', read(os.path.join(root, f))))
        cls.registered = names

    def test_flags_exist(self):
        """Every --flag named in a page is in some subcommand's --help."""
        known = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9_.-]*[a-z0-9])", self.flag_text))
        unknown = []
        for page, text in self.pages.items():
            for span in code_spans(text):
                for flag in FLAG.findall(span):
                    if flag not in known and flag not in NOT_FLAGS:
                        unknown.append("%s: %s" % (page, flag))
        if unknown:
            self.fail("flags no subcommand has (see docs/flags/):\n" +
                      "\n".join(sorted(set(unknown))))

    def test_metric_names_exist(self):
        """Every metric name a page gives is registered somewhere under src/."""
        unknown = []
        for page, text in self.pages.items():
            for span in code_spans(text):
                for name in METRIC.findall(span):
                    if name not in self.registered and name not in NOT_METRICS:
                        unknown.append("%s: %s" % (page, name))
        if unknown:
            self.fail("metric names not registered under src/:\n" +
                      "\n".join(sorted(set(unknown))))

    def test_links_resolve(self):
        broken = []
        for page in PAGES + ["flags/" + f for f in sorted(os.listdir(FLAGS))]:
            text = read(os.path.join(DOCS, page))
            for target in re.findall(r"\]\(([^)\s]+)\)", text):
                if re.match(r"[a-z]+:", target):
                    continue  # http(s):, mailto:
                path, _, anchor = target.partition("#")
                full = os.path.normpath(os.path.join(DOCS, os.path.dirname(page), path)) \
                    if path else os.path.join(DOCS, page)
                if not os.path.exists(full):
                    broken.append("%s: %s (no such file)" % (page, target))
                    continue
                if anchor and full.endswith(".md"):
                    headings = re.findall(r"^#+\s+(.*)$", read(full), flags=re.M)
                    if anchor not in {slug(h) for h in headings}:
                        broken.append("%s: %s (no such heading)" % (page, target))
        if broken:
            self.fail("broken links:\n" + "\n".join(broken))


if __name__ == "__main__":
    unittest.main()

#include "objstore/providers/s3/xml.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/go_strconv.h"
#include "base/status.h"

namespace argus::objstore::s3 {
namespace {

// One element of a parsed document: its local name (namespace prefix dropped), its text (the
// decoded character data directly inside it) and its child elements in order.
struct Element {
  std::string name;
  std::string text;
  std::vector<std::unique_ptr<Element>> children;

  const Element* Child(absl::string_view n) const {
    for (const auto& c : children) {
      if (c->name == n) return c.get();
    }
    return nullptr;
  }
  std::string ChildText(absl::string_view n) const {
    const Element* c = Child(n);
    return c == nullptr ? "" : c->text;
  }
};

// A recursive-descent reader of the XML subset S3 sends.
class Parser {
 public:
  explicit Parser(absl::string_view doc) : s_(doc) {}

  absl::StatusOr<std::unique_ptr<Element>> Document() {
    RETURN_IF_ERROR(SkipMisc());
    ASSIGN_OR_RETURN(std::unique_ptr<Element> root, ParseElement(0));
    RETURN_IF_ERROR(SkipMisc());
    if (!s_.empty()) return Error("content after the root element");
    return root;
  }

 private:
  static absl::Status Error(absl::string_view what) {
    return absl::DataLossError(absl::StrCat("malformed XML: ", what));
  }

  // Skips whitespace, the <?xml ...?> declaration, comments and a DOCTYPE.
  absl::Status SkipMisc() {
    for (;;) {
      s_ = absl::StripLeadingAsciiWhitespace(s_);
      absl::string_view end;
      if (absl::StartsWith(s_, "<?")) {
        end = "?>";
      } else if (absl::StartsWith(s_, "<!--")) {
        end = "-->";
      } else if (absl::StartsWith(s_, "<!DOCTYPE")) {
        end = ">";
      } else {
        return absl::OkStatus();
      }
      const size_t at = s_.find(end);
      if (at == absl::string_view::npos) return Error("unterminated declaration or comment");
      s_.remove_prefix(at + end.size());
    }
  }

  absl::Status Decode(absl::string_view raw, std::string* out) {
    while (!raw.empty()) {
      const size_t amp = raw.find('&');
      out->append(raw.data(), std::min(amp, raw.size()));
      if (amp == absl::string_view::npos) break;
      raw.remove_prefix(amp + 1);
      const size_t semi = raw.find(';');
      if (semi == absl::string_view::npos || semi > 10) return Error("bad entity reference");
      const absl::string_view ent = raw.substr(0, semi);
      raw.remove_prefix(semi + 1);
      if (ent == "amp") {
        out->push_back('&');
      } else if (ent == "lt") {
        out->push_back('<');
      } else if (ent == "gt") {
        out->push_back('>');
      } else if (ent == "quot") {
        out->push_back('"');
      } else if (ent == "apos") {
        out->push_back('\'');
      } else if (absl::StartsWith(ent, "#")) {
        const bool hex = absl::StartsWith(ent, "#x") || absl::StartsWith(ent, "#X");
        const absl::string_view digits = ent.substr(hex ? 2 : 1);
        uint32_t cp = 0;
        for (char c : digits) {
          const int d = absl::ascii_isdigit(c)           ? c - '0'
                        : hex && absl::ascii_isxdigit(c) ? absl::ascii_tolower(c) - 'a' + 10
                                                         : -1;
          if (d < 0 || d >= (hex ? 16 : 10)) return Error("bad character reference");
          cp = cp * (hex ? 16 : 10) + d;
          if (cp > 0x10FFFF) return Error("bad character reference");
        }
        if (digits.empty()) return Error("bad character reference");
        AppendUtf8(static_cast<char32_t>(cp), out);
      } else {
        return Error(absl::StrCat("unknown entity &", ent, ";"));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::unique_ptr<Element>> ParseElement(int depth) {
    if (depth > 32) return Error("elements nested too deep");
    if (!absl::StartsWith(s_, "<")) return Error("expected an element");
    const size_t close = s_.find('>');
    if (close == absl::string_view::npos) return Error("unterminated start tag");
    absl::string_view tag = s_.substr(1, close - 1);
    s_.remove_prefix(close + 1);
    const bool empty = absl::ConsumeSuffix(&tag, "/");
    const size_t name_end = tag.find_first_of(" \t\r\n");
    absl::string_view qname = tag.substr(0, name_end);
    if (qname.empty()) return Error("empty tag name");
    auto el = std::make_unique<Element>();
    const size_t colon = qname.find(':');
    el->name = std::string(colon == absl::string_view::npos ? qname : qname.substr(colon + 1));
    if (empty) return el;
    for (;;) {
      const size_t lt = s_.find('<');
      if (lt == absl::string_view::npos) return Error(absl::StrCat("unclosed <", qname, ">"));
      RETURN_IF_ERROR(Decode(s_.substr(0, lt), &el->text));
      s_.remove_prefix(lt);
      if (absl::StartsWith(s_, "</")) {
        const size_t gt = s_.find('>');
        if (gt == absl::string_view::npos ||
            absl::StripAsciiWhitespace(s_.substr(2, gt - 2)) != qname) {
          return Error(absl::StrCat("mismatched end tag for <", qname, ">"));
        }
        s_.remove_prefix(gt + 1);
        return el;
      }
      if (absl::StartsWith(s_, "<![CDATA[")) {
        const size_t end = s_.find("]]>");
        if (end == absl::string_view::npos) return Error("unterminated CDATA");
        el->text.append(s_.data() + 9, end - 9);
        s_.remove_prefix(end + 3);
        continue;
      }
      if (absl::StartsWith(s_, "<!--") || absl::StartsWith(s_, "<?")) {
        RETURN_IF_ERROR(SkipMisc());
        continue;
      }
      ASSIGN_OR_RETURN(std::unique_ptr<Element> child, ParseElement(depth + 1));
      el->children.push_back(std::move(child));
    }
  }

  absl::string_view s_;
};

absl::StatusOr<std::unique_ptr<Element>> Parse(absl::string_view doc, absl::string_view root) {
  ASSIGN_OR_RETURN(std::unique_ptr<Element> el, Parser(doc).Document());
  if (el->name != root) {
    return absl::DataLossError(absl::StrCat("expected <", root, ">, got <", el->name, ">"));
  }
  return el;
}

void Escape(absl::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '"':
        out->append("&quot;");
        break;
      default:
        out->push_back(c);
    }
  }
}

}  // namespace

absl::StatusOr<ListResult> ParseListBucketResult(absl::string_view xml) {
  absl::StatusOr<std::unique_ptr<Element>> root = Parse(xml, "ListBucketResult");
  if (!root.ok()) {
    return absl::DataLossError(
        absl::StrCat("malformed ListBucketResult: ", root.status().message()));
  }
  ListResult out;
  for (const auto& c : (*root)->children) {
    if (c->name == "Contents") {
      ListedObject& o = out.contents.emplace_back();
      o.key = c->ChildText("Key");
      if (!absl::SimpleAtoi(c->ChildText("Size"), &o.size) || o.size < 0) {
        return absl::DataLossError(
            absl::StrCat("malformed ListBucketResult: bad Size for key ", o.key));
      }
      std::string err;
      const std::string modified = c->ChildText("LastModified");
      if (!modified.empty() &&
          !absl::ParseTime(absl::RFC3339_full, modified, &o.last_modified, &err)) {
        return absl::DataLossError(
            absl::StrCat("malformed ListBucketResult: bad LastModified ", modified));
      }
    } else if (c->name == "CommonPrefixes") {
      for (const auto& p : c->children) {
        if (p->name == "Prefix") out.common_prefixes.push_back(p->text);
      }
    } else if (c->name == "IsTruncated") {
      out.is_truncated = absl::AsciiStrToLower(absl::StripAsciiWhitespace(c->text)) == "true";
    } else if (c->name == "NextContinuationToken") {
      out.next_continuation_token = c->text;
    } else if (c->name == "NextMarker") {
      out.next_marker = c->text;
    }
  }
  return out;
}

absl::StatusOr<std::string> ParseUploadId(absl::string_view xml) {
  absl::StatusOr<std::unique_ptr<Element>> root = Parse(xml, "InitiateMultipartUploadResult");
  if (!root.ok()) return root.status();
  std::string id = (*root)->ChildText("UploadId");
  if (id.empty()) return absl::DataLossError("InitiateMultipartUploadResult without UploadId");
  return id;
}

bool ParseError(absl::string_view xml, S3Error* out) {
  absl::StatusOr<std::unique_ptr<Element>> root = Parse(xml, "Error");
  if (!root.ok()) return false;
  out->code = (*root)->ChildText("Code");
  out->message = (*root)->ChildText("Message");
  out->request_id = (*root)->ChildText("RequestId");
  return true;
}

std::string CompleteMultipartUploadXml(const std::vector<std::string>& etags) {
  std::string out = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    absl::StrAppend(&out, "<Part><PartNumber>", i + 1, "</PartNumber><ETag>");
    Escape(etags[i], &out);
    out.append("</ETag></Part>");
  }
  out.append("</CompleteMultipartUpload>");
  return out;
}

}  // namespace argus::objstore::s3

#include "objstore/providers/s3/xml.h"

#include <memory>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/go_strconv.h"
#include "base/status.h"

namespace argus::objstore::s3 {
namespace {

// Deeper nesting than any S3 document has; bounds the recursion on hostile input.
constexpr int kMaxDepth = 32;
// Longer than any entity name (HTML's longest has 31 characters) or character reference.
constexpr size_t kMaxEntity = 32;

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

// What the reader does with a named entity other than XML's five. S3 sends none, but s3rver
// escapes an Error's details with HTML names (&uuml;), which an error report can keep as is.
enum class UnknownEntities { kReject, kKeep };

// A recursive-descent reader of the XML subset S3 sends. Errors: DataLoss.
class Parser {
 public:
  Parser(absl::string_view doc, UnknownEntities unknown) : s_(doc), unknown_(unknown) {}

  absl::StatusOr<std::unique_ptr<Element>> Document() {
    RETURN_IF_ERROR(SkipProlog());
    ASSIGN_OR_RETURN(std::unique_ptr<Element> root, ParseElement(0));
    RETURN_IF_ERROR(SkipProlog());
    if (!s_.empty()) return Error("content after the root element");
    return root;
  }

 private:
  static absl::Status Error(absl::string_view what) { return absl::DataLossError(what); }

  // Drops s_ up to and including `end`.
  absl::Status SkipPast(absl::string_view end) {
    const size_t at = s_.find(end);
    if (at == absl::string_view::npos) return Error(absl::StrCat("no closing ", end));
    s_.remove_prefix(at + end.size());
    return absl::OkStatus();
  }

  // Skips whitespace, the <?xml ...?> declaration, processing instructions, comments and a
  // DOCTYPE.
  absl::Status SkipProlog() {
    for (;;) {
      s_ = absl::StripLeadingAsciiWhitespace(s_);
      if (absl::StartsWith(s_, "<?")) {
        RETURN_IF_ERROR(SkipPast("?>"));
      } else if (absl::StartsWith(s_, "<!--")) {
        RETURN_IF_ERROR(SkipPast("-->"));
      } else if (absl::StartsWith(s_, "<!DOCTYPE")) {
        RETURN_IF_ERROR(SkipPast(">"));
      } else {
        return absl::OkStatus();
      }
    }
  }

  // Appends the code point of a character reference body ("#252", "#xFC") as UTF-8.
  static absl::Status AppendCharRef(absl::string_view ref, std::string* out) {
    const bool hex = absl::ConsumePrefix(&ref, "#x") || absl::ConsumePrefix(&ref, "#X");
    if (!hex) ref.remove_prefix(1);  // '#'
    const int base = hex ? 16 : 10;
    uint32_t cp = 0;
    for (char c : ref) {
      int d = -1;
      if (absl::ascii_isdigit(c)) {
        d = c - '0';
      } else if (hex && absl::ascii_isxdigit(c)) {
        d = absl::ascii_tolower(c) - 'a' + 10;
      }
      if (d < 0) return Error("bad character reference");
      cp = cp * base + d;
      if (cp > 0x10FFFF) return Error("character reference past U+10FFFF");
    }
    if (ref.empty() || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Error("bad character reference");
    }
    AppendUtf8(static_cast<char32_t>(cp), out);
    return absl::OkStatus();
  }

  // Appends character data with its entity and character references decoded.
  absl::Status Decode(absl::string_view raw, std::string* out) const {
    for (;;) {
      const size_t amp = raw.find('&');
      absl::StrAppend(out, raw.substr(0, amp));
      if (amp == absl::string_view::npos) return absl::OkStatus();
      raw.remove_prefix(amp + 1);
      const size_t semi = raw.substr(0, kMaxEntity + 1).find(';');
      if (semi == absl::string_view::npos) return Error("'&' without an entity");
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
        RETURN_IF_ERROR(AppendCharRef(ent, out));
      } else if (unknown_ == UnknownEntities::kKeep && !ent.empty() &&
                 absl::c_all_of(ent, absl::ascii_isalnum)) {
        absl::StrAppend(out, "&", ent, ";");
      } else {
        return Error(absl::StrCat("unknown entity &", ent, ";"));
      }
    }
  }

  // The offset of the '>' that ends the tag at the start of s_ ('>' may appear in quoted
  // attribute values).
  absl::StatusOr<size_t> TagEnd() const {
    char quote = 0;
    for (size_t i = 1; i < s_.size(); ++i) {
      const char c = s_[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      }
    }
    return Error("unterminated tag");
  }

  absl::StatusOr<std::unique_ptr<Element>> ParseElement(int depth) {
    if (depth > kMaxDepth) return Error("elements nested too deep");
    if (!absl::StartsWith(s_, "<")) return Error("expected an element");
    ASSIGN_OR_RETURN(const size_t close, TagEnd());
    absl::string_view tag = s_.substr(1, close - 1);
    s_.remove_prefix(close + 1);
    const bool empty = absl::ConsumeSuffix(&tag, "/");
    const absl::string_view qname = tag.substr(0, tag.find_first_of(" \t\r\n"));
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
      if (absl::ConsumePrefix(&s_, "</")) {
        const size_t gt = s_.find('>');
        if (gt == absl::string_view::npos ||
            absl::StripTrailingAsciiWhitespace(s_.substr(0, gt)) != qname) {
          return Error(absl::StrCat("mismatched end tag for <", qname, ">"));
        }
        s_.remove_prefix(gt + 1);
        return el;
      }
      if (absl::ConsumePrefix(&s_, "<![CDATA[")) {
        const size_t end = s_.find("]]>");
        if (end == absl::string_view::npos) return Error("unterminated CDATA section");
        absl::StrAppend(&el->text, s_.substr(0, end));
        s_.remove_prefix(end + 3);
      } else if (absl::StartsWith(s_, "<!--")) {
        RETURN_IF_ERROR(SkipPast("-->"));
      } else if (absl::StartsWith(s_, "<?")) {
        RETURN_IF_ERROR(SkipPast("?>"));
      } else {
        ASSIGN_OR_RETURN(std::unique_ptr<Element> child, ParseElement(depth + 1));
        el->children.push_back(std::move(child));
      }
    }
  }

  absl::string_view s_;
  const UnknownEntities unknown_;
};

// The root element of `doc`, which must be named `root`. Errors: DataLoss "malformed root: ...".
absl::StatusOr<std::unique_ptr<Element>> Parse(absl::string_view doc, absl::string_view root,
                                               UnknownEntities unknown) {
  absl::StatusOr<std::unique_ptr<Element>> el = Parser(doc, unknown).Document();
  if (!el.ok()) {
    return absl::DataLossError(absl::StrCat("malformed ", root, ": ", el.status().message()));
  }
  if ((*el)->name != root) {
    return absl::DataLossError(
        absl::StrCat("malformed ", root, ": the root element is <", (*el)->name, ">"));
  }
  return el;
}

absl::Status ListError(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("malformed ListBucketResult: ", what));
}

absl::StatusOr<ListedObject> ReadObject(const Element& contents) {
  ListedObject o;
  const Element* key = contents.Child("Key");
  if (key == nullptr) return ListError("<Contents> without <Key>");
  o.key = key->text;
  const std::string size = contents.ChildText("Size");
  if (!absl::SimpleAtoi(size, &o.size) || o.size < 0) {
    return ListError(absl::StrCat("bad <Size> \"", size, "\" of key ", o.key));
  }
  const Element* modified = contents.Child("LastModified");
  std::string err;
  if (modified != nullptr &&
      !absl::ParseTime(absl::RFC3339_full, modified->text, &o.last_modified, &err)) {
    return ListError(absl::StrCat("bad <LastModified> \"", modified->text, "\" of key ", o.key));
  }
  return o;
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
  ASSIGN_OR_RETURN(std::unique_ptr<Element> root,
                   Parse(xml, "ListBucketResult", UnknownEntities::kReject));
  ListResult out;
  for (const auto& c : root->children) {
    if (c->name == "Contents") {
      ASSIGN_OR_RETURN(ListedObject o, ReadObject(*c));
      out.contents.push_back(std::move(o));
    } else if (c->name == "CommonPrefixes") {
      for (const auto& p : c->children) {
        if (p->name == "Prefix") out.common_prefixes.push_back(p->text);
      }
    } else if (c->name == "IsTruncated") {
      const std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(c->text));
      if (v != "true" && v != "false") {
        return ListError(absl::StrCat("bad <IsTruncated> \"", c->text, "\""));
      }
      out.is_truncated = v == "true";
    } else if (c->name == "NextContinuationToken") {
      out.next_continuation_token = c->text;
    } else if (c->name == "NextMarker") {
      out.next_marker = c->text;
    }
  }
  return out;
}

absl::StatusOr<std::string> ParseUploadId(absl::string_view xml) {
  ASSIGN_OR_RETURN(std::unique_ptr<Element> root,
                   Parse(xml, "InitiateMultipartUploadResult", UnknownEntities::kReject));
  std::string id = root->ChildText("UploadId");
  if (id.empty()) return absl::DataLossError("InitiateMultipartUploadResult without UploadId");
  return id;
}

bool ParseError(absl::string_view xml, S3Error* out) {
  absl::StatusOr<std::unique_ptr<Element>> root = Parse(xml, "Error", UnknownEntities::kKeep);
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

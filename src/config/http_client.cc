#include "config/http_client.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "base/status.h"

namespace argus::config {
namespace {

using internal::JoinDir;

absl::Status ReadTLSVersion(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                            std::string* out) {
  RETURN_IF_ERROR(doc.Read(map, key, out));
  if (out->empty() || *out == "TLS10" || *out == "TLS11" || *out == "TLS12" || *out == "TLS13") {
    return absl::OkStatus();
  }
  return doc.Error(map[std::string(key)], absl::StrCat("unknown TLS version: ", *out));
}

absl::StatusOr<BasicAuth> ParseBasicAuth(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(
      internal::CheckFields(doc, node, {"username", "password", "password_file"}, "config.plain"));
  BasicAuth b;
  RETURN_IF_ERROR(doc.Read(node, "username", &b.username));
  RETURN_IF_ERROR(doc.Read(node, "password", &b.password));
  RETURN_IF_ERROR(doc.Read(node, "password_file", &b.password_file));
  return b;
}

absl::StatusOr<Authorization> ParseAuthorization(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(doc, node, {"type", "credentials", "credentials_file"},
                                        "config.Authorization"));
  Authorization a;
  a.type.clear();
  RETURN_IF_ERROR(doc.Read(node, "type", &a.type));
  RETURN_IF_ERROR(doc.Read(node, "credentials", &a.credentials));
  RETURN_IF_ERROR(doc.Read(node, "credentials_file", &a.credentials_file));
  return a;
}

absl::StatusOr<OAuth2> ParseOAuth2(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(
      internal::CheckFields(doc, node,
                            {"client_id", "client_secret", "client_secret_file", "scopes",
                             "token_url", "endpoint_params", "proxy_url", "tls_config"},
                            "config.OAuth2"));
  OAuth2 o;
  RETURN_IF_ERROR(doc.Read(node, "client_id", &o.client_id));
  RETURN_IF_ERROR(doc.Read(node, "client_secret", &o.client_secret));
  RETURN_IF_ERROR(doc.Read(node, "client_secret_file", &o.client_secret_file));
  RETURN_IF_ERROR(doc.Read(node, "scopes", &o.scopes));
  RETURN_IF_ERROR(doc.Read(node, "token_url", &o.token_url));
  RETURN_IF_ERROR(internal::ReadStringMap(doc, node, "endpoint_params", &o.endpoint_params));
  RETURN_IF_ERROR(doc.Read(node, "proxy_url", &o.proxy_url));
  ASSIGN_OR_RETURN(o.tls_config, ParseTLSConfig(doc, internal::Child(node, "tls_config")));
  return o;
}

// A present, non-null section (`basic_auth: {}` counts; `basic_auth:` does not, as in Go).
bool Present(const YAML::Node& node) { return node.IsDefined() && !node.IsNull(); }

// config.HTTPClientConfig.Validate, in its order and words; folds the bearer token forms into
// `authorization`.
absl::Status Validate(const YamlDoc& doc, const YAML::Node& map, const std::string& bearer_token,
                      const std::string& bearer_token_file, HTTPClientConfig* c) {
  auto fail = [&](absl::string_view msg) { return doc.Error(map, msg); };
  const bool bearer = !bearer_token.empty() || !bearer_token_file.empty();
  if (!bearer_token.empty() && !bearer_token_file.empty()) {
    return fail("at most one of bearer_token & bearer_token_file must be configured");
  }
  if ((c->basic_auth || c->oauth2) && bearer) {
    return fail(
        "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
  }
  if (c->basic_auth && !c->basic_auth->password.empty() && !c->basic_auth->password_file.empty()) {
    return fail("at most one of basic_auth password & password_file must be configured");
  }
  if (c->authorization) {
    Authorization& a = *c->authorization;
    if (bearer)
      return fail("authorization is not compatible with bearer_token & bearer_token_file");
    if (!a.credentials.empty() && !a.credentials_file.empty()) {
      return fail("at most one of authorization credentials & credentials_file must be configured");
    }
    a.type = std::string(absl::StripAsciiWhitespace(a.type));
    if (a.type.empty()) a.type = "Bearer";
    if (absl::AsciiStrToLower(a.type) == "basic") {
      return fail("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    if (c->basic_auth || c->oauth2) {
      return fail("at most one of basic_auth, oauth2 & authorization must be configured");
    }
  } else if (bearer) {
    c->authorization = Authorization{"Bearer", bearer_token, bearer_token_file};
  }
  if (c->oauth2) {
    const OAuth2& o = *c->oauth2;
    if (c->basic_auth) {
      return fail("at most one of basic_auth, oauth2 & authorization must be configured");
    }
    if (o.client_id.empty()) return fail("oauth2 client_id must be configured");
    if (o.client_secret.empty() && o.client_secret_file.empty()) {
      return fail("either oauth2 client_secret or client_secret_file must be configured");
    }
    if (o.token_url.empty()) return fail("oauth2 token_url must be configured");
    if (!o.client_secret.empty() && !o.client_secret_file.empty()) {
      return fail("at most one of oauth2 client_secret & client_secret_file must be configured");
    }
  }
  if (!c->proxy_connect_header.empty() && c->proxy_url.empty()) {
    return fail("if proxy_connect_header is configured proxy_url must also be configured");
  }
  return absl::OkStatus();
}

}  // namespace

void TLSConfig::SetDirectory(const std::string& dir) {
  ca_file = JoinDir(dir, ca_file);
  cert_file = JoinDir(dir, cert_file);
  key_file = JoinDir(dir, key_file);
}

void HTTPClientConfig::SetDirectory(const std::string& dir) {
  tls_config.SetDirectory(dir);
  if (basic_auth) basic_auth->password_file = JoinDir(dir, basic_auth->password_file);
  if (authorization)
    authorization->credentials_file = JoinDir(dir, authorization->credentials_file);
  if (oauth2) {
    oauth2->client_secret_file = JoinDir(dir, oauth2->client_secret_file);
    oauth2->tls_config.SetDirectory(dir);
  }
}

const internal::KeyList& HTTPClientKeys() {
  static const internal::KeyList* const kKeys = new internal::KeyList{
      "basic_auth", "authorization",        "oauth2",     "bearer_token",     "bearer_token_file",
      "proxy_url",  "proxy_connect_header", "tls_config", "follow_redirects", "enable_http2"};
  return *kKeys;
}

absl::StatusOr<TLSConfig> ParseTLSConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(doc, node,
                                        {"ca_file", "cert_file", "key_file", "server_name",
                                         "insecure_skip_verify", "min_version", "max_version"},
                                        "config.plain"));
  TLSConfig t;
  RETURN_IF_ERROR(doc.Read(node, "ca_file", &t.ca_file));
  RETURN_IF_ERROR(doc.Read(node, "cert_file", &t.cert_file));
  RETURN_IF_ERROR(doc.Read(node, "key_file", &t.key_file));
  RETURN_IF_ERROR(doc.Read(node, "server_name", &t.server_name));
  RETURN_IF_ERROR(doc.Read(node, "insecure_skip_verify", &t.insecure_skip_verify));
  RETURN_IF_ERROR(ReadTLSVersion(doc, node, "min_version", &t.min_version));
  RETURN_IF_ERROR(ReadTLSVersion(doc, node, "max_version", &t.max_version));
  return t;
}

namespace {

// A secret file's text without trailing whitespace.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path, absl::string_view what) {
  absl::StatusOr<std::string> text = Env::Default()->ReadFile(path);
  if (!text.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("unable to read ", what, " file: ", text.status().message()));
  }
  return std::string(absl::StripTrailingAsciiWhitespace(*text));
}

}  // namespace

absl::StatusOr<HTTPCredentials> ReadCredentials(const HTTPClientConfig& http) {
  HTTPCredentials out;
  if (http.basic_auth) {
    std::string password = http.basic_auth->password;
    if (!http.basic_auth->password_file.empty()) {
      ASSIGN_OR_RETURN(password,
                       ReadSecretFile(http.basic_auth->password_file, "basic auth password"));
    }
    out.basic_auth.emplace(http.basic_auth->username, std::move(password));
  }
  if (http.authorization) {
    std::string credentials = http.authorization->credentials;
    if (!http.authorization->credentials_file.empty()) {
      ASSIGN_OR_RETURN(credentials, ReadSecretFile(http.authorization->credentials_file,
                                                   "authorization credentials"));
    }
    out.authorization_header =
        absl::StrCat("Authorization: ", http.authorization->type, " ", credentials);
  }
  return out;
}

absl::StatusOr<HTTPClientConfig> ParseHTTPClientConfig(const YamlDoc& doc, const YAML::Node& map) {
  HTTPClientConfig c;
  if (!map.IsDefined() || !map.IsMap()) return c;
  if (Present(internal::Child(map, "basic_auth"))) {
    ASSIGN_OR_RETURN(c.basic_auth, ParseBasicAuth(doc, internal::Child(map, "basic_auth")));
  }
  if (Present(internal::Child(map, "authorization"))) {
    ASSIGN_OR_RETURN(c.authorization,
                     ParseAuthorization(doc, internal::Child(map, "authorization")));
  }
  if (Present(internal::Child(map, "oauth2"))) {
    ASSIGN_OR_RETURN(c.oauth2, ParseOAuth2(doc, internal::Child(map, "oauth2")));
  }
  std::string bearer_token, bearer_token_file;
  RETURN_IF_ERROR(doc.Read(map, "bearer_token", &bearer_token));
  RETURN_IF_ERROR(doc.Read(map, "bearer_token_file", &bearer_token_file));
  RETURN_IF_ERROR(doc.Read(map, "proxy_url", &c.proxy_url));
  RETURN_IF_ERROR(
      internal::ReadStringListMap(doc, map, "proxy_connect_header", &c.proxy_connect_header));
  ASSIGN_OR_RETURN(c.tls_config, ParseTLSConfig(doc, internal::Child(map, "tls_config")));
  RETURN_IF_ERROR(doc.Read(map, "follow_redirects", &c.follow_redirects));
  RETURN_IF_ERROR(doc.Read(map, "enable_http2", &c.enable_http2));
  RETURN_IF_ERROR(Validate(doc, map, bearer_token, bearer_token_file, &c));
  return c;
}

}  // namespace argus::config

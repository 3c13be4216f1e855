#include "http/api/v1/endpoint.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "http/api/v1/errors.h"
#include "http/api/v1/json.h"

namespace argus::http::api {

Handler Serve(Endpoint endpoint) {
  return [endpoint = std::move(endpoint)](const Request& req, Response& resp) {
    resp.content_type = "application/json";
    std::string& body = resp.body;
    body = R"({"status":"success","data":)";
    Reply reply{&body, {}};
    const absl::Status st = endpoint(req, reply);
    if (!st.ok()) {
      const ErrorType type = ErrorTypeOf(st.code());
      resp.status = HttpStatusOf(type);
      body =
          absl::StrCat(R"({"status":"error","errorType":")", ErrorTypeName(type), R"(","error":)");
      AppendJsonString(st.message(), &body);
      body.push_back('}');
      return;
    }
    if (!reply.warnings.empty()) {
      body.append(R"(,"warnings":)");
      AppendStringArray(reply.warnings, &body);
    }
    body.push_back('}');
  };
}

}  // namespace argus::http::api

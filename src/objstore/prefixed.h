// The top-level `prefix:` of a Thanos objstore configuration: every object name is placed
// under "<prefix>/" in the underlying bucket, and listings are given back without it.
#pragma once

#include <memory>
#include <string>

#include "objstore/bucket.h"

namespace argus::objstore {

// Wraps `bucket` so that name N is "<prefix>/N" below. Leading and trailing slashes of `prefix`
// are ignored; an empty prefix returns `bucket` itself.
std::unique_ptr<Bucket> WithPrefix(std::unique_ptr<Bucket> bucket, absl::string_view prefix);

}  // namespace argus::objstore

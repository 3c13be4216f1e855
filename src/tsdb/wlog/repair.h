// Repair of a WAL directory after a read error (Prometheus v2.42's WL.Repair), for use while no
// WAL writer has the directory open; WAL::Repair wraps it for an open one.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "base/env.h"
#include "tsdb/wlog/segment.h"

namespace argus::tsdb::wlog {

// Discards everything from the corruption on: deletes every segment after
// `corruption.segment`, and cuts that segment after the last record that ends before
// `corruption.offset`, zero-padding the rest of its page (the surviving bytes are unchanged,
// so a crash mid-repair leaves a valid, merely shorter, segment). Logs warnings naming the
// segment and offset. Errors: InvalidArgument when `corruption` has no segment or names
// another directory, NotFound when the segment does not exist, those of Env.
absl::Status Repair(Env* env, const std::string& dir, const CorruptionInfo& corruption);

}  // namespace argus::tsdb::wlog

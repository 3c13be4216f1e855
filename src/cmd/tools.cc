// `argus tools`: offline utilities. `tools tsdb list|dump` read block directories and print what
// `promtool tsdb list|dump` print.
#include "tsdb/tools/tools.h"

#include <iostream>
#include <limits>
#include <memory>
#include <string>

#include "base/env.h"
#include "cmd/command.h"

namespace argus::cmd {
namespace {

struct ToolsFlags {
  std::string dir;
  bool human = false;
  int64_t min_time = std::numeric_limits<int64_t>::min();
  int64_t max_time = std::numeric_limits<int64_t>::max();
};

int Report(const absl::Status& s) {
  if (s.ok()) return 0;
  std::cerr << s.message() << "\n";
  return 1;
}

}  // namespace

Command AddToolsCommand(CLI::App& root) {
  auto flags = std::make_shared<ToolsFlags>();
  CLI::App* tools = root.add_subcommand("tools", "Tools for TSDB blocks and buckets");
  tools->require_subcommand(1);
  CLI::App* tsdb = tools->add_subcommand("tsdb", "Run tsdb commands");
  tsdb->require_subcommand(1);

  CLI::App* list = tsdb->add_subcommand("list", "List tsdb blocks");
  list->add_flag("-r,--human-readable", flags->human, "Print human readable values");
  list->add_option("db-path", flags->dir, "Database path (default is data/)")->default_val("data/");

  CLI::App* dump = tsdb->add_subcommand("dump", "Dump samples from a TSDB");
  dump->add_option("db-path", flags->dir, "Database path (default is data/)")->default_val("data/");
  dump->add_option("--min-time", flags->min_time, "Minimum timestamp to dump");
  dump->add_option("--max-time", flags->max_time, "Maximum timestamp to dump");

  return {tools, [flags, list, dump] {
            if (list->parsed()) {
              return Report(
                  tsdb::tools::ListBlocks(Env::Default(), flags->dir, flags->human, std::cout));
            }
            if (dump->parsed()) {
              return Report(tsdb::tools::DumpSamples(Env::Default(), flags->dir, flags->min_time,
                                                     flags->max_time, std::cout));
            }
            return 2;
          }};
}

}  // namespace argus::cmd

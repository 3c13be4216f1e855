// `argus tools`: offline utilities. `tools tsdb list|dump|create-blocks-from openmetrics` read
// and write data directories and print what the same `promtool tsdb` commands print;
// `tools bucket upload-blocks` is in tools_bucket.cc.
#include "tsdb/tools/tools.h"

#include <iostream>
#include <limits>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "base/env.h"
#include "cmd/command.h"
#include "model/labels/selector.h"
#include "tsdb/tools/backfill.h"

namespace argus::cmd {
namespace {

struct ToolsFlags {
  std::string dir;
  bool human = false;
  int64_t min_time = std::numeric_limits<int64_t>::min();
  int64_t max_time = std::numeric_limits<int64_t>::max();
  std::string match = "{__name__=~'(?s:.*)'}";
  std::string input;
  std::string max_block_duration = "2h";
  bool quiet = false;
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
  dump->add_option("--match", flags->match, "Series selector")->capture_default_str();

  CLI::App* create =
      tsdb->add_subcommand("create-blocks-from", "Create blocks of data for new recording rules");
  create->require_subcommand(1);
  CLI::App* om = create->add_subcommand(
      "openmetrics", "Import samples from OpenMetrics input and produce TSDB blocks");
  om->add_option("input-file", flags->input, "OpenMetrics file to read samples from")->required();
  om->add_option("output-dir", flags->dir, "Output directory for generated blocks")
      ->default_val("data/");
  om->add_flag("-r,--human-readable", flags->human, "Print human readable values");
  om->add_flag("-q,--quiet", flags->quiet, "Do not print created blocks");
  om->add_option("--max-block-duration", flags->max_block_duration,
                 "Maximum duration created blocks may span. Anything less than 2h is ignored")
      ->capture_default_str();

  Command upload = AddBucketTools(tools);
  return {tools, [flags, list, dump, om, upload] {
            if (upload.app->parsed()) return upload.run();
            if (list->parsed()) {
              return Report(
                  tsdb::tools::ListBlocks(Env::Default(), flags->dir, flags->human, std::cout));
            }
            if (dump->parsed()) {
              absl::StatusOr<std::vector<labels::Matcher>> ms = labels::ParseSelector(flags->match);
              if (!ms.ok()) return Report(ms.status());
              return Report(tsdb::tools::DumpSamples(Env::Default(), flags->dir, flags->min_time,
                                                     flags->max_time, *ms, std::cout));
            }
            if (om->parsed()) {
              tsdb::tools::BackfillOptions opts;
              absl::Duration d;
              if (!absl::ParseDuration(flags->max_block_duration, &d)) {
                return Report(absl::InvalidArgumentError("invalid --max-block-duration " +
                                                         flags->max_block_duration));
              }
              opts.max_block_duration = absl::ToInt64Milliseconds(d);
              opts.human_readable = flags->human;
              opts.quiet = flags->quiet;
              absl::StatusOr<std::string> input = Env::Default()->ReadFile(flags->input);
              if (!input.ok()) return Report(input.status());
              return Report(tsdb::tools::CreateBlocksFromOpenMetrics(Env::Default(), *input,
                                                                     flags->dir, opts, std::cout));
            }
            return 2;
          }};
}

}  // namespace argus::cmd

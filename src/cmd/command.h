// How subcommands plug into the `argus` binary: each Add*Command function declares its
// subcommand and flags on the root CLI11 app and returns how to run it once parsed.
#pragma once

#include <functional>

#include "CLI/CLI.hpp"

namespace argus::cmd {

struct Command {
  CLI::App* app = nullptr;   // the subcommand, owned by the root app
  std::function<int()> run;  // returns the process exit code
};

// `argus server`: scrape, store, rule evaluation and the Prometheus HTTP API.
Command AddServerCommand(CLI::App& root);
// `argus sidecar`: ships the blocks of a Prometheus server running next to it.
Command AddSidecarCommand(CLI::App& root);
// `argus store`: serves the blocks of a bucket over the StoreAPI (Thanos's store gateway).
Command AddStoreCommand(CLI::App& root);
// `argus query`: fans queries out to StoreAPI endpoints, deduplicates, serves PromQL.
Command AddQueryCommand(CLI::App& root);
// `argus tools`: offline utilities (tsdb list, dump, create-blocks-from; bucket upload-blocks).
Command AddToolsCommand(CLI::App& root);
// `argus tools bucket upload-blocks`, declared under `tools`.
Command AddBucketTools(CLI::App* tools);

}  // namespace argus::cmd

// The DB's self-monitoring metrics, named as Prometheus v2.42 names them.
#pragma once

#include "metrics/registry.h"

namespace argus::tsdb {

struct DbMetrics {
  explicit DbMetrics(metrics::Registry& r)
      : compactions(
            r.AddCounter("prometheus_tsdb_compactions_total",
                         "Total number of compactions that were executed for the partition.")),
        compactions_failed(
            r.AddCounter("prometheus_tsdb_compactions_failed_total",
                         "Total number of compactions that failed for the partition.")),
        head_compactions_failed(r.AddCounter("prometheus_tsdb_head_truncations_failed_total",
                                             "Total number of head truncations that failed.")),
        blocks_loaded(
            r.AddGauge("prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks")),
        blocks_corrupt(r.AddGauge("argus_tsdb_blocks_corrupt",
                                  "Number of block directories skipped because they failed to "
                                  "open (see the log for the block, file and offset).")),
        reloads(r.AddCounter("prometheus_tsdb_reloads_total",
                             "Number of times the database reloaded block data from disk.")),
        reloads_failed(r.AddCounter("prometheus_tsdb_reloads_failures_total",
                                    "Number of times the database failed to reloadBlocks block "
                                    "data from disk.")),
        time_retentions(r.AddCounter("prometheus_tsdb_time_retentions_total",
                                     "The number of times that blocks were deleted because the "
                                     "maximum time limit was exceeded.")),
        size_retentions(r.AddCounter("prometheus_tsdb_size_retentions_total",
                                     "The number of times that blocks were deleted because the "
                                     "maximum number of bytes was exceeded.")),
        blocks_bytes(r.AddGauge("prometheus_tsdb_storage_blocks_bytes",
                                "The number of bytes that are currently used for local storage by "
                                "all blocks.")),
        wal_corruptions(r.AddCounter("prometheus_tsdb_wal_corruptions_total",
                                     "Total number of WAL corruptions.")),
        wal_truncations(r.AddCounter("prometheus_tsdb_wal_truncations_total",
                                     "Total number of write log truncations attempted.")),
        checkpoint_creations(r.AddCounter("prometheus_tsdb_checkpoint_creations_total",
                                          "Total number of checkpoint creations attempted.")),
        checkpoint_failed(r.AddCounter("prometheus_tsdb_checkpoint_creations_failed_total",
                                       "Total number of checkpoint creations that failed.")) {}

  metrics::Counter& compactions;
  metrics::Counter& compactions_failed;
  metrics::Counter& head_compactions_failed;
  metrics::Gauge& blocks_loaded;
  metrics::Gauge& blocks_corrupt;
  metrics::Counter& reloads;
  metrics::Counter& reloads_failed;
  metrics::Counter& time_retentions;
  metrics::Counter& size_retentions;
  metrics::Gauge& blocks_bytes;
  metrics::Counter& wal_corruptions;
  metrics::Counter& wal_truncations;
  metrics::Counter& checkpoint_creations;
  metrics::Counter& checkpoint_failed;
};

}  // namespace argus::tsdb

// The head's self-monitoring metrics, named as Prometheus v2.42 names them so existing
// dashboards work (argus_* where Prometheus has no equivalent).
#pragma once

#include "metrics/registry.h"

namespace argus::tsdb::head {

struct HeadMetrics {
  explicit HeadMetrics(metrics::Registry& r)
      : series(
            r.AddGauge("prometheus_tsdb_head_series", "Total number of series in the head block.")),
        series_created(r.AddCounter("prometheus_tsdb_head_series_created_total",
                                    "Total number of series created in the head")),
        series_removed(r.AddCounter("prometheus_tsdb_head_series_removed_total",
                                    "Total number of series removed in the head")),
        samples_appended(r.AddCounter("prometheus_tsdb_head_samples_appended_total",
                                      "Total number of appended samples.")),
        out_of_order(r.AddCounter("prometheus_tsdb_out_of_order_samples_total",
                                  "Total number of out of order samples ingestion failed attempts "
                                  "due to out of order being disabled.")),
        out_of_bound(r.AddCounter("prometheus_tsdb_out_of_bound_samples_total",
                                  "Total number of out of bound samples ingestion failed attempts "
                                  "with out of order support disabled.")),
        duplicates(r.AddCounter("argus_tsdb_duplicate_timestamp_samples_total",
                                "Total number of samples rejected because their series already "
                                "has a different value at that timestamp.")),
        truncations(r.AddCounter("prometheus_tsdb_head_truncations_total",
                                 "Total number of head truncations attempted.")),
        min_time(r.AddGauge("prometheus_tsdb_head_min_time",
                            "Minimum time bound of the head block. The unit is decided by the "
                            "library consumer.")),
        max_time(r.AddGauge("prometheus_tsdb_head_max_time",
                            "Maximum timestamp of the head block. The unit is decided by the "
                            "library consumer.")) {}

  metrics::Gauge& series;
  metrics::Counter& series_created;
  metrics::Counter& series_removed;
  metrics::Counter& samples_appended;
  metrics::Counter& out_of_order;
  metrics::Counter& out_of_bound;
  metrics::Counter& duplicates;
  metrics::Counter& truncations;
  metrics::Gauge& min_time;
  metrics::Gauge& max_time;
};

}  // namespace argus::tsdb::head

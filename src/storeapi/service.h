// The gRPC services over a Store: thanos.Store (Series, LabelNames, LabelValues and the
// legacy Info) and thanos.info.Info, with the StoreAPI's wire rules: whole series, sorted,
// xxhash64 of every chunk, warnings as warning frames, SeriesBatch frames when
// response_batch_size > 1 (sent as the series are selected, encoded by storeapi/wire), errors
// as gRPC codes (InvalidArgument for a bad request,
// ResourceExhausted for a limit).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>

#include "metrics/registry.h"
#include "storeapi/budget.h"
#include "storeapi/source.h"
#include "storeapi/wire.h"
#include "thanos/info.grpc.pb.h"
#include "thanos/rpc.grpc.pb.h"

namespace argus::storeapi {

struct ServiceOptions {
  Limits limits;                  // per Series call
  int max_concurrent_series = 0;  // Series calls served at once, others wait; 0 = unlimited
};

class StoreService final : public thanos::Store::Service {
 public:
  // `store` must outlive the service; metrics go to `registry`.
  StoreService(const Store* store, ServiceOptions opts, metrics::Registry* registry);

  grpc::Status Info(grpc::ServerContext* ctx, const thanos::InfoRequest* req,
                    thanos::InfoResponse* resp) override;
  grpc::Status LabelNames(grpc::ServerContext* ctx, const thanos::LabelNamesRequest* req,
                          thanos::LabelNamesResponse* resp) override;
  grpc::Status LabelValues(grpc::ServerContext* ctx, const thanos::LabelValuesRequest* req,
                           thanos::LabelValuesResponse* resp) override;

 private:
  using SeriesStreamer = grpc::ServerSplitStreamer<thanos::SeriesRequest, WireFrame>;
  // thanos.Store/Series: reads the request, answers with frames built by storeapi/wire.
  grpc::Status Series(SeriesStreamer* stream);
  grpc::Status ServeSeries(const thanos::SeriesRequest& req, SeriesStreamer* stream);
  // Records a finished call in grpc_server_handled_total.
  grpc::Status Handled(const char* method, const char* type, grpc::Status s);

  const Store* store_;
  const ServiceOptions opts_;
  metrics::CounterVec* handled_;
  metrics::Counter* series_sent_;
  metrics::Counter* chunks_sent_;
  std::mutex mu_;
  std::condition_variable slot_freed_;
  int in_flight_ = 0;  // Series calls being served
};

class InfoService final : public thanos::info::Info::Service {
 public:
  // `store` must outlive the service.
  explicit InfoService(const Store* store) : store_(store) {}
  grpc::Status Info(grpc::ServerContext* ctx, const thanos::info::InfoRequest* req,
                    thanos::info::InfoResponse* resp) override;

 private:
  const Store* store_;
};

}  // namespace argus::storeapi

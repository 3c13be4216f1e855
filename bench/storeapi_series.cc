// A StoreAPI Series client for bench/compare_store.sh: calls thanos.Store/Series on ADDRESS
// RUNS times for every series whose __name__ matches NAME_REGEX in [MIN_MS, MAX_MS], reads the
// whole stream, and prints each call's wall time in milliseconds (one a line), then a line
// "series=N chunks=M bytes=B" of the last answer. Exits 1 on a failed call.
// Usage: storeapi_series ADDRESS MIN_MS MAX_MS RUNS [NAME_REGEX=.+]
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include "thanos/rpc.grpc.pb.h"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: storeapi_series ADDRESS MIN_MS MAX_MS RUNS [NAME_REGEX=.+]\n");
    return 2;
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(std::numeric_limits<int>::max());
  auto stub = thanos::Store::NewStub(
      grpc::CreateCustomChannel(argv[1], grpc::InsecureChannelCredentials(), args));
  thanos::SeriesRequest req;
  req.set_min_time(std::strtoll(argv[2], nullptr, 10));
  req.set_max_time(std::strtoll(argv[3], nullptr, 10));
  thanos::LabelMatcher* m = req.add_matchers();
  m->set_type(thanos::LabelMatcher::RE);
  m->set_name("__name__");
  m->set_value(argc > 5 ? argv[5] : ".+");
  const int runs = std::atoi(argv[4]);
  size_t series = 0, chunks = 0, bytes = 0;
  for (int i = 0; i < runs; ++i) {
    series = chunks = bytes = 0;
    grpc::ClientContext ctx;
    const auto start = std::chrono::steady_clock::now();
    auto reader = stub->Series(&ctx, req);
    thanos::SeriesResponse resp;
    while (reader->Read(&resp)) {
      if (!resp.has_series()) continue;
      ++series;
      chunks += resp.series().chunks_size();
      for (const thanos::AggrChunk& c : resp.series().chunks()) bytes += c.raw().data().size();
    }
    const grpc::Status s = reader->Finish();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!s.ok()) {
      std::fprintf(stderr, "Series failed: %s\n", s.error_message().c_str());
      return 1;
    }
    std::printf("%.3f\n", ms);
  }
  std::printf("series=%zu chunks=%zu bytes=%zu\n", series, chunks, bytes);
  return 0;
}

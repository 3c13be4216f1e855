#include "query/fanout.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status.h"

namespace argus::query {
namespace {

// Series an endpoint may have received ahead of the merge.
constexpr size_t kQueuedSeries = 256;
// Series per frame asked of endpoints (stores that predate batching send one per frame).
constexpr int64_t kBatchSize = 64;

// Whether `set` can hold series the matchers select: every matcher on one of its labels
// accepts the label's value.
bool Compatible(const labels::Labels& set, const std::vector<labels::Matcher>& matchers) {
  for (const labels::Matcher& m : matchers) {
    if (set.Has(m.name()) && !m.Matches(set.Get(m.name()))) return false;
  }
  return true;
}

labels::Labels Without(const labels::Labels& in, const std::vector<std::string>& names) {
  std::vector<labels::Label> kept;
  kept.reserve(in.size());
  for (const labels::Label& l : in) {
    if (std::find(names.begin(), names.end(), l.name) == names.end()) kept.push_back(l);
  }
  return labels::Labels::FromSorted(std::move(kept));
}

}  // namespace

std::vector<std::shared_ptr<Endpoint>> EndpointsFor(
    const std::vector<std::shared_ptr<Endpoint>>& endpoints, int64_t min_time, int64_t max_time,
    const std::vector<labels::Matcher>& matchers) {
  std::vector<std::pair<std::vector<labels::Labels>, std::shared_ptr<Endpoint>>> reached;
  for (const std::shared_ptr<Endpoint>& e : endpoints) {
    storeapi::EndpointInfo info = e->info();
    if (!info.has_store_api || info.min_time > max_time || info.max_time < min_time) continue;
    const bool any = info.label_sets.empty() ||
                     std::any_of(info.label_sets.begin(), info.label_sets.end(),
                                 [&](const labels::Labels& s) { return Compatible(s, matchers); });
    if (any) reached.emplace_back(std::move(info.label_sets), e);
  }
  std::stable_sort(reached.begin(), reached.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::shared_ptr<Endpoint>> out;
  out.reserve(reached.size());
  for (auto& [sets, e] : reached) out.push_back(std::move(e));
  return out;
}

void MergeInto(tsdb::ChunkSeries from, tsdb::ChunkSeries* into) {
  into->chunks.insert(into->chunks.end(), from.chunks.begin(), from.chunks.end());
  std::sort(into->chunks.begin(), into->chunks.end(),
            [](const tsdb::ChunkView& a, const tsdb::ChunkView& b) {
              return a.min_time != b.min_time ? a.min_time < b.min_time : a.max_time < b.max_time;
            });
  into->chunks.erase(std::unique(into->chunks.begin(), into->chunks.end(),
                                 [](const tsdb::ChunkView& a, const tsdb::ChunkView& b) {
                                   return a.min_time == b.min_time && a.max_time == b.max_time &&
                                          a.data == b.data;
                                 }),
                     into->chunks.end());
  into->keepalive.insert(into->keepalive.end(), std::make_move_iterator(from.keepalive.begin()),
                         std::make_move_iterator(from.keepalive.end()));
}

// One endpoint's Series call: a thread receives into a bounded queue the merge takes from.
class MergedSeries::Stream {
 public:
  enum class Got { kSeries, kEnd, kFailed };

  // Receives on a thread of its own when `threaded`, else in Pop (one endpoint and no response
  // timeout: nothing to overlap with, and no hand-off to pay for).
  Stream(std::shared_ptr<Endpoint> endpoint, const FanoutRequest& req, bool threaded)
      : endpoint_(std::move(endpoint)), reading_since_(absl::Now()) {
    thanos::SeriesRequest wire;
    wire.set_min_time(req.min_time);
    wire.set_max_time(req.max_time);
    storeapi::AppendWireMatchers(req.matchers, wire.mutable_matchers());
    wire.set_partial_response_strategy(req.partial_response ? thanos::WARN : thanos::ABORT);
    wire.set_skip_chunks(req.skip_chunks);
    wire.set_response_batch_size(kBatchSize);
    if (endpoint_->info().supports_without_replica_labels) {
      for (const std::string& l : req.without_replica_labels) wire.add_without_replica_labels(l);
    } else {
      strip_ = req.without_replica_labels;
    }
    call_ = endpoint_->client().Series(wire, req.deadline);
    if (threaded) thread_ = std::thread([this] { Receive(); });
  }

  ~Stream() {
    {
      std::lock_guard<std::mutex> l(mu_);
      closing_ = true;
    }
    room_cv_.notify_all();
    // Wakes a receiving thread blocked in a read; a call read inline ends (cancelled if
    // unfinished) with `call_`.
    if (thread_.joinable()) {
      call_->Cancel();
      thread_.join();
    }
  }

  const std::string& address() const { return endpoint_->address(); }

  // The next series, waiting until `deadline` and at most `response_timeout` (unless zero)
  // after the endpoint was last asked for a frame. kFailed sets `err`. Takes all the received
  // series at once, so the receiving thread is met once per batch, not per series.
  Got Pop(tsdb::ChunkSeries* out, absl::Status* err, absl::Duration response_timeout,
          absl::Time deadline) {
    if (!thread_.joinable()) return PopInline(out, err);
    if (taken_.empty()) {
      std::unique_lock<std::mutex> l(mu_);
      for (;;) {
        if (!queue_.empty()) {
          taken_.swap(queue_);
          room_cv_.notify_one();
          break;
        }
        if (done_) {
          if (error_.ok()) return Got::kEnd;
          *err = error_;
          return Got::kFailed;
        }
        absl::Time until = deadline;
        const bool limited = response_timeout > absl::ZeroDuration();
        if (limited) until = std::min(until, reading_since_ + response_timeout);
        if (absl::Now() >= until) {
          *err =
              limited && until < deadline
                  ? absl::DeadlineExceededError(absl::StrCat(
                        "failed to receive any data in ", absl::FormatDuration(response_timeout)))
                  : absl::DeadlineExceededError("query deadline exceeded");
          l.unlock();
          call_->Cancel();
          return Got::kFailed;
        }
        waiting_ = true;
        data_cv_.wait_until(l, absl::ToChronoTime(until));
        waiting_ = false;
      }
    }
    *out = std::move(taken_.front());
    taken_.pop_front();
    return Got::kSeries;
  }

  tsdb::ChunkSeries head;
  bool has_head = false;
  bool ended = false;

 private:
  // Series whose replica labels are removed here leave `series` for `held`: their order
  // changes, so they are sorted once all have come.
  void Hold(std::vector<tsdb::ChunkSeries>* series, std::vector<tsdb::ChunkSeries>* held) {
    if (strip_.empty()) return;
    for (tsdb::ChunkSeries& s : *series) {
      s.labels = Without(s.labels, strip_);
      held->push_back(std::move(s));
    }
    series->clear();
  }
  static void SortHeld(std::vector<tsdb::ChunkSeries>* held) {
    std::stable_sort(held->begin(), held->end(),
                     [](const auto& a, const auto& b) { return a.labels < b.labels; });
  }

  Got PopInline(tsdb::ChunkSeries* out, absl::Status* err) {
    while (taken_.empty() && !done_) {
      storeapi::SeriesFrame frame;
      absl::StatusOr<bool> more = call_->Next(&frame);
      if (!more.ok() || !*more) {
        error_ = more.ok() ? absl::OkStatus() : more.status();
        done_ = true;
        SortHeld(&held_);
        for (tsdb::ChunkSeries& s : held_) taken_.push_back(std::move(s));
        break;
      }
      Hold(&frame.series, &held_);
      if (!frame.warning.empty()) {
        std::lock_guard<std::mutex> l(mu_);
        warnings_.push_back(std::move(frame.warning));
      }
      for (tsdb::ChunkSeries& s : frame.series) taken_.push_back(std::move(s));
    }
    if (taken_.empty()) {
      if (error_.ok()) return Got::kEnd;
      *err = error_;
      return Got::kFailed;
    }
    *out = std::move(taken_.front());
    taken_.pop_front();
    return Got::kSeries;
  }

  void Receive() {
    std::vector<tsdb::ChunkSeries> held;  // with labels stripped here: sorted at the end
    storeapi::SeriesFrame frame;
    absl::Status status;
    for (;;) {
      {
        // The endpoint is waited on from here: the response timeout counts from now.
        std::lock_guard<std::mutex> l(mu_);
        reading_since_ = absl::Now();
      }
      absl::StatusOr<bool> more = call_->Next(&frame);
      if (!more.ok() || !*more) {
        status = more.ok() ? absl::OkStatus() : more.status();
        break;
      }
      Hold(&frame.series, &held);
      std::unique_lock<std::mutex> l(mu_);
      if (!frame.warning.empty()) warnings_.push_back(std::move(frame.warning));
      if (frame.series.empty()) continue;
      room_cv_.wait(l, [this] { return queue_.size() < kQueuedSeries || closing_; });
      if (closing_) return;
      for (tsdb::ChunkSeries& s : frame.series) queue_.push_back(std::move(s));
      if (waiting_) data_cv_.notify_one();
    }
    SortHeld(&held);
    std::lock_guard<std::mutex> l(mu_);
    for (tsdb::ChunkSeries& s : held) queue_.push_back(std::move(s));
    error_ = status;
    done_ = true;
    data_cv_.notify_one();
  }

 public:
  // The warning frames received so far, taken.
  std::vector<std::string> TakeWarnings() {
    std::lock_guard<std::mutex> l(mu_);
    return std::move(warnings_);
  }

 private:
  std::shared_ptr<Endpoint> endpoint_;
  std::vector<std::string> strip_;
  std::unique_ptr<storeapi::SeriesStream> call_;
  std::mutex mu_;
  std::condition_variable data_cv_;  // the merge waits for series
  std::condition_variable room_cv_;  // the receiver waits for room in the queue
  std::deque<tsdb::ChunkSeries> queue_;
  std::deque<tsdb::ChunkSeries> taken_;  // the merge's, outside the lock
  std::vector<tsdb::ChunkSeries> held_;  // PopInline's Hold
  std::vector<std::string> warnings_;
  absl::Time reading_since_;  // when the current read began
  absl::Status error_;
  bool done_ = false;
  bool closing_ = false;
  bool waiting_ = false;  // the merge waits on data_cv_
  std::thread thread_;
};

MergedSeries::MergedSeries(const std::vector<std::shared_ptr<Endpoint>>& endpoints,
                           FanoutRequest req, WarningSink warn)
    : req_(std::move(req)), warn_(std::move(warn)) {
  streams_.reserve(endpoints.size());
  const bool threaded = endpoints.size() > 1 || req_.response_timeout > absl::ZeroDuration();
  for (const std::shared_ptr<Endpoint>& e : endpoints) {
    streams_.push_back(std::make_unique<Stream>(e, req_, threaded));
  }
}

MergedSeries::~MergedSeries() {
  for (auto& s : streams_) {
    for (std::string& w : s->TakeWarnings()) warn_(absl::StrCat(s->address(), ": ", w));
  }
}

bool MergedSeries::FillHeads() {
  for (auto& s : streams_) {
    if (s->ended || s->has_head) continue;
    absl::Status err;
    const Stream::Got got = s->Pop(&s->head, &err, req_.response_timeout, req_.deadline);
    if (got != Stream::Got::kSeries) {
      s->ended = true;
      for (std::string& w : s->TakeWarnings()) warn_(absl::StrCat(s->address(), ": ", w));
    }
    switch (got) {
      case Stream::Got::kSeries:
        s->has_head = true;
        break;
      case Stream::Got::kEnd:
        break;
      case Stream::Got::kFailed:
        if (!req_.partial_response) {
          status_ = Annotate(err, absl::StrCat("receive series from ", s->address()));
          return false;
        }
        warn_(absl::StrCat("receive series from ", s->address(), ": ", err.message()));
        break;
    }
  }
  return true;
}

bool MergedSeries::Next() {
  if (!status_.ok() || !FillHeads()) return false;
  size_t min = streams_.size();
  for (size_t i = 0; i < streams_.size(); ++i) {
    if (streams_[i]->has_head &&
        (min == streams_.size() || streams_[i]->head.labels < streams_[min]->head.labels)) {
      min = i;
    }
  }
  if (min == streams_.size()) return false;
  current_ = std::move(streams_[min]->head);
  streams_[min]->has_head = false;
  parts_.clear();
  // Every head with the same labels joins it, including further ones of the same stream.
  std::vector<std::vector<tsdb::ChunkView>> by_stream;  // only once a second stream joins
  for (bool merged = true; merged;) {
    if (!FillHeads()) return false;
    merged = false;
    for (size_t i = 0; i < streams_.size(); ++i) {
      Stream& s = *streams_[i];
      if (!s.has_head || s.head.labels != current_.labels) continue;
      if (by_stream.empty() && i != min) {
        by_stream.resize(streams_.size());
        by_stream[min] = current_.chunks;
      }
      if (!by_stream.empty()) {
        by_stream[i].insert(by_stream[i].end(), s.head.chunks.begin(), s.head.chunks.end());
      }
      MergeInto(std::move(s.head), &current_);
      s.has_head = false;
      merged = true;
    }
  }
  // In endpoint order, so ties between replicas go the same way every time.
  for (std::vector<tsdb::ChunkView>& part : by_stream) {
    if (!part.empty()) parts_.push_back(std::move(part));
  }
  return true;
}

}  // namespace argus::query

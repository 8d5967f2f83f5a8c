#include "mpi/work_dispatcher.h"

#include <cstring>

#include "common/error.h"

namespace au::mpi {
namespace {
constexpr int kRequestTag = 7101;  // worker -> 0: int finished item (-1: none) + its result
constexpr int kAssignTag = 7102;   // 0 -> worker: int next item (-1: no more work)
constexpr int kAhead = 2;          // requests a worker keeps outstanding

std::string encode(int item) {
  return std::string(reinterpret_cast<const char*>(&item), sizeof item);
}
int decode(const std::string& bytes) {
  int item = -1;
  AU_CHECK(bytes.size() >= sizeof item, "a work message of ", bytes.size(), " bytes");
  std::memcpy(&item, bytes.data(), sizeof item);
  return item;
}
}  // namespace

std::vector<std::string> dispatchWork(
    const ProcessGroup& group, int count,
    const std::function<std::string(int item, const std::function<void()>& serve)>& process,
    const std::function<void(int item, const std::string& result)>& on_result) {
  if (!group.isRoot()) {
    // kAhead requests stay outstanding, so the next item is already here when one is done:
    // rank 0 answers only between its own batches.
    for (int i = 0; i < kAhead; ++i) group.send(encode(-1), 0, kRequestTag);
    int outstanding = kAhead;
    // Sent without waiting: a large result would otherwise block until rank 0 next serves.
    PendingSend last;
    // Between batches: rank 0 may be holding a roll call while it waits for results.
    const std::function<void()> progress = [&last, &group] {
      last.test();
      group.answerRollCall();
    };
    for (;;) {
      const int item = decode(group.receive(0, kAssignTag));
      --outstanding;
      if (item < 0) break;
      std::string request = encode(item) + process(item, progress);
      last.wait();
      last = group.sendAsync(std::move(request), 0, kRequestTag);
      ++outstanding;
    }
    // Answers come in order: after the first -1 the rest are -1 too.
    for (; outstanding > 0; --outstanding) group.receive(0, kAssignTag);
    return {};
  }
  std::vector<std::string> results(static_cast<size_t>(count));
  const auto keep = [&](int item, std::string bytes) {
    AU_CHECK(item >= 0 && item < count, "a result for item ", item, " of ", count);
    results[static_cast<size_t>(item)] = std::move(bytes);
    if (on_result) on_result(item, results[static_cast<size_t>(item)]);
  };
  int next = 0;
  int no_more_sent = 0;  // each worker gets exactly kAhead answers of -1 (see above)
  // Keeps the result a request from `from` carries and answers with the next item, or -1 (no
  // more work) once all are handed out.
  const auto answer = [&](int from, const std::string& request) {
    const int done = decode(request);
    if (done >= 0) keep(done, request.substr(sizeof done));
    const int item = next < count ? next++ : -1;
    if (item < 0) ++no_more_sent;
    group.send(encode(item), from, kAssignTag);
  };
  const std::function<void()> serve = [&] {
    int from = 0;
    while (group.probe(kRequestTag, &from)) answer(from, group.receive(from, kRequestTag));
  };
  // The first round in rank order: every worker gets one item before any gets its reserve, so
  // the largest items spread over the ranks (and the first assignment does not depend on timing).
  for (int worker = 1; worker < group.size(); ++worker)
    answer(worker, group.receive(worker, kRequestTag));
  serve();
  while (next < count) {
    const int item = next++;
    keep(item, process(item, serve));
    serve();
  }
  // Nothing left for rank 0: wait for every worker's last result and tell it the work is done.
  while (no_more_sent < kAhead * (group.size() - 1)) {
    int from = 0;
    const std::string request = group.receive(-1, kRequestTag, &from);
    answer(from, request);
  }
  return results;
}

}  // namespace au::mpi

#include "infer/work_dispatcher.h"

#include <cstring>
#include <string>

namespace au::infer {
namespace {
constexpr int kRequestTag = 7101;
constexpr int kAssignTag = 7102;

std::string encode(int item) { return std::string(reinterpret_cast<const char*>(&item), sizeof item); }
int decode(const std::string& bytes) {
  int item = -1;
  std::memcpy(&item, bytes.data(), sizeof item);
  return item;
}
}  // namespace

void dispatchWork(const mpi::ProcessGroup& group, int count,
                  const std::function<void(int item, const std::function<void()>& serve)>& process) {
  if (group.size() == 1) {
    for (int item = 0; item < count; ++item) process(item, [] {});
    return;
  }
  if (!group.isRoot()) {
    for (;;) {
      group.send("", 0, kRequestTag);
      const int item = decode(group.receive(0, kAssignTag));
      if (item < 0) return;
      process(item, [] {});
    }
  }
  int next = 0;
  int finished_workers = 0;
  // Answers every waiting request: the next item, or -1 (no more work) once all are handed out.
  const std::function<void()> serve = [&] {
    int from = 0;
    while (group.probe(kRequestTag, &from)) {
      group.receive(from, kRequestTag);
      const int item = next < count ? next++ : -1;
      if (item < 0) ++finished_workers;
      group.send(encode(item), from, kAssignTag);
    }
  };
  serve();
  while (next < count) {
    const int item = next++;
    process(item, serve);
    serve();
  }
  // Nothing left for rank 0: tell every worker, as it asks, that the work is done.
  while (finished_workers < group.size() - 1) {
    int from = 0;
    group.receive(-1, kRequestTag, &from);
    ++finished_workers;
    group.send(encode(-1), from, kAssignTag);
  }
}

}  // namespace au::infer

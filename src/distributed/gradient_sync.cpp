#include "distributed/gradient_sync.h"

#include <torch/torch.h>

#include <chrono>
#include <mutex>

#include "common/error.h"
#include "common/options.h"

namespace au::distributed {

void describe(OptionSet& options, GradientSyncOptions& sync) {
  options.add("dist.bucket_mb", &sync.bucket_mb,
              "gradient bucket size in MiB (one allreduce per bucket)");
  options.add("dist.overlap", &sync.overlap, "start bucket allreduces during backward");
  options.addCheck([&sync] {
    if (sync.bucket_mb <= 0) AU_THROW(UsageError, "--dist.bucket_mb must be positive");
  });
}

struct GradientSync::Impl {
  struct Slot {
    torch::Tensor param;
    int bucket = 0;
    int64_t offset = 0;
    bool ready = false;
    bool had_gradient = false;  // backward reached it this step
  };
  struct Bucket {
    std::vector<int> slots;
    torch::Tensor flat;
    int pending = 0;
    std::unique_ptr<Work> work;
  };

  Communicator& comm;
  bool overlap = false;
  std::vector<Slot> slots;
  std::vector<Bucket> buckets;
  std::vector<unsigned> hook_handles;
  std::mutex mutex;  // hooks may run on autograd's device threads
  size_t next_to_start = 0;
  double last_wait = 0;

  explicit Impl(Communicator& c) : comm(c) {}

  void fill(Slot& slot, const torch::Tensor& grad) {
    torch::Tensor view =
        buckets[static_cast<size_t>(slot.bucket)].flat.narrow(0, slot.offset, slot.param.numel());
    slot.had_gradient = grad.defined();
    if (slot.had_gradient)
      view.view(slot.param.sizes()).copy_(grad);
    else
      view.zero_();
    slot.ready = true;
  }

  // Starts every bucket that is complete, strictly in bucket order (the same on every rank).
  void startReady() {
    while (next_to_start < buckets.size() && buckets[next_to_start].pending == 0) {
      Bucket& b = buckets[next_to_start++];
      b.work = comm.allreduceSumAsync(b.flat);
    }
  }

  void onGradient(int index, const torch::Tensor& grad) {
    std::lock_guard<std::mutex> lock(mutex);
    Slot& slot = slots[static_cast<size_t>(index)];
    if (slot.ready) return;  // reached twice: the first copy already holds the full gradient
    fill(slot, grad);
    --buckets[static_cast<size_t>(slot.bucket)].pending;
    startReady();
  }
};

GradientSync::GradientSync(Communicator& comm, std::vector<torch::Tensor> parameters,
                           const GradientSyncOptions& options)
    : impl_(std::make_unique<Impl>(comm)) {
  const int64_t bucket_bytes =
      std::max<int64_t>(1, static_cast<int64_t>(options.bucket_mb * 1024 * 1024));
  // Reverse order: backward produces the last layers' gradients first, so early buckets fill
  // early and their allreduce can start while the rest of backward runs.
  int64_t filled = 0;
  for (auto it = parameters.rbegin(); it != parameters.rend(); ++it) {
    const torch::Tensor& p = *it;
    const int64_t bytes = p.numel() * p.element_size();
    auto& buckets = impl_->buckets;
    bool new_bucket = buckets.empty() || (filled > 0 && filled + bytes > bucket_bytes);
    if (!new_bucket) {
      const auto& previous = impl_->slots[static_cast<size_t>(buckets.back().slots.front())].param;
      new_bucket = previous.scalar_type() != p.scalar_type() || previous.device() != p.device();
    }
    if (new_bucket) {
      buckets.emplace_back();
      filled = 0;
    }
    Impl::Slot slot;
    slot.param = p;
    slot.bucket = static_cast<int>(buckets.size() - 1);
    slot.offset = filled / p.element_size();
    filled += bytes;
    buckets.back().slots.push_back(static_cast<int>(impl_->slots.size()));
    impl_->slots.push_back(slot);
  }
  for (auto& b : impl_->buckets) {
    const auto& first = impl_->slots[static_cast<size_t>(b.slots.front())].param;
    int64_t elements = 0;
    for (int s : b.slots) elements += impl_->slots[static_cast<size_t>(s)].param.numel();
    b.flat = torch::zeros({elements}, first.options().requires_grad(false));
    b.pending = static_cast<int>(b.slots.size());
  }
  // One rank has nothing to reduce; a communicator that runs on the caller cannot overlap.
  impl_->overlap = options.overlap && comm.size() > 1 && comm.asynchronous();
  if (impl_->overlap) {
    for (size_t i = 0; i < impl_->slots.size(); ++i) {
      Impl* impl = impl_.get();
      const int index = static_cast<int>(i);
      impl_->hook_handles.push_back(impl_->slots[i].param.register_hook(
          [impl, index](const torch::Tensor& grad) { impl->onGradient(index, grad); }));
    }
  }
}

GradientSync::~GradientSync() {
  for (size_t i = 0; i < impl_->hook_handles.size(); ++i)
    impl_->slots[i].param.remove_hook(impl_->hook_handles[i]);
}

void GradientSync::finish() {
  if (impl_->comm.size() == 1) return;
  torch::NoGradGuard no_grad;
  Impl& impl = *impl_;
  std::lock_guard<std::mutex> lock(impl.mutex);
  // Parameters backward did not reach (or every one, without overlap) go in now.
  for (auto& slot : impl.slots) {
    if (slot.ready) continue;
    impl.fill(slot, slot.param.grad());
    --impl.buckets[static_cast<size_t>(slot.bucket)].pending;
  }
  impl.startReady();
  AU_CHECK(impl.next_to_start == impl.buckets.size(), "every gradient bucket should have started");
  const auto start = std::chrono::steady_clock::now();
  for (auto& b : impl.buckets) b.work->wait();
  impl.last_wait = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto& b : impl.buckets) {
    b.flat.div_(impl.comm.size());
    for (int s : b.slots) {
      auto& slot = impl.slots[static_cast<size_t>(s)];
      // A parameter backward never reached keeps no gradient (as with one rank), so SGD's
      // weight decay and momentum leave it alone. Every rank runs the same graph, so this is
      // the same on every rank.
      if (slot.had_gradient) {
        torch::Tensor mean =
            b.flat.narrow(0, slot.offset, slot.param.numel()).view(slot.param.sizes());
        if (slot.param.grad().defined())
          slot.param.mutable_grad().copy_(mean);
        else
          slot.param.mutable_grad() = mean.clone();
      }
      slot.ready = false;
      slot.had_gradient = false;
    }
    b.pending = static_cast<int>(b.slots.size());
    b.work.reset();
  }
  impl.next_to_start = 0;
}

int GradientSync::numBuckets() const { return static_cast<int>(impl_->buckets.size()); }

std::vector<int64_t> GradientSync::bucketSizes() const {
  std::vector<int64_t> sizes;
  for (const auto& b : impl_->buckets) sizes.push_back(b.flat.numel());
  return sizes;
}

double GradientSync::lastWaitSeconds() const { return impl_->last_wait; }
bool GradientSync::overlapping() const { return impl_->overlap; }

}  // namespace au::distributed

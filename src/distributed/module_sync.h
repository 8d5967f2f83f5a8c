// Keeping the replicas of a module identical across ranks: parameters and buffers broadcast
// from rank 0 at start, and floating-point buffers (BatchNorm running statistics) averaged.
#pragma once

#include <torch/nn/module.h>

#include "distributed/communicator.h"

namespace au::distributed {

/// Collective. Rank `root`'s parameters and buffers replace every rank's.
void broadcastModule(Communicator& comm, torch::nn::Module& module, int root = 0);

/// Collective. Every floating-point buffer (BatchNorm running mean and variance) becomes its
/// mean over ranks, in one fused allreduce. Integer buffers (batch counters) are left alone:
/// they are equal on every rank anyway.
void averageBuffers(Communicator& comm, torch::nn::Module& module);

}  // namespace au::distributed

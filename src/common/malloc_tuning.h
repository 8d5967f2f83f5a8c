// glibc malloc settings for processes that allocate and free large tensors every step.
#pragma once

namespace au {

/// Keeps freed large blocks in the heap for reuse instead of returning them to the kernel:
/// by default glibc maps every block above its threshold afresh, and each reuse then costs a
/// page fault per 4 KiB (measured: 10x fewer faults and ~25% faster r100 forward passes on
/// CPU; BENCHMARKS.md). The price is that memory freed by tensors is not given back to the
/// system while the process lives. No-op where glibc's mallopt is absent. Returns whether
/// the settings took.
bool keepFreedMemoryForReuse();

}  // namespace au

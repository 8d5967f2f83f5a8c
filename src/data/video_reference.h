// Each video's reference face: the per-pixel median of up to a fixed number of its frames, evenly
// spaced. A model with video_reference sees every frame next to its difference from this face,
// so what a person always looks like cancels out (OpenFace's person-specific normalisation does
// the same with features). Training, validation and inference compute it with these functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace au::data {

class ShardDataset;

/// How many frames of a video its reference is the median of, at most.
constexpr int kReferenceFrames = 256;

/// Which of a video's `count` frames (indices 0..count-1, in frame order) make its reference: all
/// of them up to `max_frames`, else `max_frames` evenly spaced ones, the first and last included.
std::vector<int64_t> referencePicks(int64_t count, int max_frames = kReferenceFrames);

/// For each of a video's `count` frames, its place among referencePicks(count, max_frames), or
/// -1 when it is not a pick: where a pass over the frames puts each picked image.
std::vector<int64_t> referenceSlots(int64_t count, int max_frames = kReferenceFrames);

/// The per-pixel median of `count` images of `bytes` bytes each, stored one after another (the
/// lower middle value for an even count, so the result is always one of the pixel's values).
std::vector<uint8_t> medianImage(const uint8_t* images, int64_t count, size_t bytes);

/// Every video's reference over the frames the dataset holds of it (NHWC RGB, 112x112x3 bytes
/// each), in videoNames() order; a video without frames gets zeros. Reads through the dataset's
/// I/O thread.
std::vector<uint8_t> videoReferences(const ShardDataset& dataset,
                                     int max_frames = kReferenceFrames);

}  // namespace au::data

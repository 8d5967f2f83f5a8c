// Reads one aligned face crop (JPEG) into 112x112 RGB bytes. OpenCV stays inside the .cpp,
// in its own library, so that stages reading shards do not link it.
#pragma once

#include <cstdint>
#include <string>

namespace au::io {

enum class FaceImageStatus { kOk, kMissing, kUnreadable };

struct FaceImageResult {
  FaceImageStatus status = FaceImageStatus::kOk;
  bool resized = false;  ///< the file was not 112x112 and was resized
  std::string problem;   ///< why it is missing or unreadable
};

/// Decodes `path` into `rgb` (112*112*3 bytes, row-major RGB). A file that does not exist is
/// kMissing; an empty, truncated (no JPEG end marker) or undecodable file is kUnreadable.
FaceImageResult readFaceImage(const std::string& path, uint8_t* rgb);
/// Decodes JPEG bytes the same way (used by readFaceImage and by benchmarks).
FaceImageResult decodeFaceImage(const std::string& bytes, uint8_t* rgb);

}  // namespace au::io

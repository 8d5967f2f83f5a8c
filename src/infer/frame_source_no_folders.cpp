// Builds without OpenCV (the GPU bundle's au_infer) read shards only.
#include "common/error.h"
#include "infer/frame_source.h"

namespace au::infer {

std::unique_ptr<FrameSource> openFolderFrameSource(const std::string& root) {
  AU_THROW(UsageError, "this build reads shards only (no OpenCV): ", root, " has no manifest.json");
}

}  // namespace au::infer

#include "io/raw_video_name.h"

namespace au::io {

std::string rawVideoName(const std::string& video) {
  for (const std::string suffix : {"_left", "_right"}) {
    if (video.size() > suffix.size() &&
        video.compare(video.size() - suffix.size(), suffix.size(), suffix) == 0)
      return video.substr(0, video.size() - suffix.size());
  }
  return video;
}

}  // namespace au::io

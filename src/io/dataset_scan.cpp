#include "io/dataset_scan.h"

#include <algorithm>
#include <filesystem>

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/annotation_file.h"
#include "io/checksum.h"
#include "io/frame_folder.h"
#include "io/video_list.h"

namespace au::io {
namespace fs = std::filesystem;

namespace {

int countImagesUpTo(const std::vector<int>& numbers, int frames) {
  return static_cast<int>(std::upper_bound(numbers.begin(), numbers.end(), frames) -
                          std::lower_bound(numbers.begin(), numbers.end(), 1));
}

std::vector<VideoEntry> scanAnnotated(const DatasetPaths& paths, const std::string& split) {
  const std::string dir = paths.annotationDir(split);
  if (!fs::is_directory(dir)) throw DataError(dir, 0, "annotation folder not found");
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".txt") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<VideoEntry> videos;
  for (const auto& file : files) {
    const std::string text = readInputFile(file, "annotation file");
    const std::vector<AuLabels> rows = parseAnnotations(text, file);
    VideoEntry v;
    v.name = videoNameOf(file);
    checkVideoName(v.name, file);
    v.split = split;
    v.annotation_file = file;
    v.frames = static_cast<int>(rows.size());
    v.annotation_crc = crc32c(0, text.data(), text.size());
    const std::string frame_dir = paths.framesRoot() + "/" + v.name;
    if (!fs::is_directory(frame_dir))
      throw DataError(file, 0, "video '" + v.name + "' has no frame folder " + frame_dir);
    v.images = countImagesUpTo(listFrameNumbers(frame_dir), v.frames);
    videos.push_back(std::move(v));
  }
  return videos;
}

std::vector<VideoEntry> scanTest(const DatasetPaths& paths) {
  const std::string list = paths.testList();
  std::vector<long> lines;
  const std::vector<std::string> names = readVideoList(list, &lines);
  std::vector<VideoEntry> videos;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string frame_dir = paths.framesRoot() + "/" + names[i];
    if (!fs::is_directory(frame_dir))
      throw DataError(list, lines[i],
                      "test video '" + names[i] + "' has no frame folder " + frame_dir);
    const std::vector<int> numbers = listFrameNumbers(frame_dir);
    VideoEntry v;
    v.name = names[i];
    v.split = "test";
    v.frames = numbers.empty() ? 0 : numbers.back();
    v.images = countImagesUpTo(numbers, v.frames);
    videos.push_back(std::move(v));
  }
  std::sort(videos.begin(), videos.end(),
            [](const VideoEntry& a, const VideoEntry& b) { return a.name < b.name; });
  return videos;
}

}  // namespace

std::vector<VideoEntry> scanSplit(const DatasetPaths& paths, const std::string& split) {
  if (split == "test") return scanTest(paths);
  return scanAnnotated(paths, split);
}

std::vector<std::string> splitsOf(const DatasetPaths& paths) {
  std::vector<std::string> splits{"train", "validation"};
  if (!paths.test_list.empty()) splits.push_back("test");
  return splits;
}

}  // namespace au::io

// cropped_aligned/<video>/%05d.jpg folders as a FrameSource (OpenCV decodes the JPEGs).
#include <algorithm>
#include <filesystem>

#include "common/log.h"
#include "infer/frame_source.h"
#include "io/face_image.h"
#include "io/frame_folder.h"
#include "io/shard_schema.h"

namespace au::infer {
namespace fs = std::filesystem;
namespace {

constexpr size_t kDecodeThreads = 4;

class FolderFrameSource : public FrameSource {
 public:
  explicit FolderFrameSource(std::string root) : root_(std::move(root)) {}
  std::string describe() const override { return "frame folders " + root_; }
  std::string countSource() const override { return "the frame folder (highest image number)"; }
  std::vector<std::string> videos() const override {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(root_))
      if (entry.is_directory()) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  bool has(const std::string& video) const override {
    return fs::is_directory(root_ + "/" + video);
  }
  SourceVideo video(const std::string& name) const override {
    SourceVideo v;
    v.faces = io::listFrameNumbers(root_ + "/" + name);
    v.frames = v.faces.empty() ? 0 : v.faces.back();
    return v;
  }
  std::future<std::vector<bool>> read(const std::string& video, const std::vector<int>& numbers,
                                      uint8_t* out) const override {
    // A few decoding threads per batch: on a GPU one thread would not keep up with the model.
    return std::async(std::launch::async, [root = root_, video, numbers, out] {
      std::vector<char> ok(numbers.size(), 0);
      const auto decode = [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          const std::string path = io::framePath(root, video, numbers[i]);
          const auto r =
              io::readFaceImage(path, out + i * static_cast<size_t>(io::shard::kImageBytes));
          ok[i] = r.status == io::FaceImageStatus::kOk;
          if (!ok[i]) log::warn(path, ": ", r.problem, "; treated as a frame without a face");
        }
      };
      const size_t parts = std::min<size_t>(kDecodeThreads, (numbers.size() + 7) / 8);
      std::vector<std::future<void>> running;
      for (size_t p = 1; p < parts; ++p)
        running.push_back(std::async(std::launch::async, decode, numbers.size() * p / parts,
                                     numbers.size() * (p + 1) / parts));
      decode(0, parts > 1 ? numbers.size() / parts : numbers.size());
      for (auto& r : running) r.get();
      return std::vector<bool>(ok.begin(), ok.end());
    });
  }

 private:
  std::string root_;
};

}  // namespace

std::unique_ptr<FrameSource> openFolderFrameSource(const std::string& root) {
  return std::make_unique<FolderFrameSource>(root);
}

}  // namespace au::infer

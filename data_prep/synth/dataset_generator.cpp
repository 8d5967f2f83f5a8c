#include "synth/dataset_generator.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/log.h"
#include "common/rng.h"
#include "io/annotation_file.h"
#include "io/frame_folder.h"
#include "io/video_list.h"
#include "synth/au_activations.h"
#include "synth/face_renderer.h"

namespace au::synth {
namespace fs = std::filesystem;

namespace {

constexpr const char* kAnnotations = "annotations/AU_Detection_Challenge";
constexpr int kRawWidth = 320;
constexpr int kRawHeight = 240;

// Aff-Wild2 names its videos in a few styles; use them all so parsers meet each.
std::string rawVideoName(int index) {
  switch (index % 3) {
    case 0:
      return "video" + std::to_string(index + 1);
    case 1:
      return std::to_string(index + 1) + "-30-640x360";
    default:
      return std::to_string(index + 1) + "-24-1280x720";
  }
}

// One person in one raw video: what is drawn and what is written down.
struct Track {
  std::string name;
  FaceIdentity identity;
  std::vector<AuIntensity> intensity;
  std::vector<FacePose> pose;
  std::vector<io::AuLabels> labels;
  std::vector<bool> has_image;
};

// Marks stretches of `length_lo..length_hi` frames until about `fraction` of them are marked.
void markStretches(std::vector<bool>& marks, double fraction, int length_lo, int length_hi,
                   Rng& rng) {
  const int frames = static_cast<int>(marks.size());
  int target = static_cast<int>(fraction * frames + 0.5);
  int guard = 0;
  while (target > 0 && guard++ < 1000) {
    const int length =
        length_lo + static_cast<int>(rng.below(static_cast<uint64_t>(length_hi - length_lo + 1)));
    const int start = static_cast<int>(rng.below(static_cast<uint64_t>(frames)));
    for (int f = start; f < std::min(frames, start + length); ++f) {
      if (!marks[static_cast<size_t>(f)]) --target;
      marks[static_cast<size_t>(f)] = true;
    }
  }
}

Track makeTrack(const std::string& name, int frames, uint64_t seed, const SynthOptions& options) {
  Rng rng(seed);
  Track t;
  t.name = name;
  t.identity = sampleIdentity(rng);
  ActivationOptions activation;
  activation.rate_scale = options.rate_scale;
  t.intensity = generateActivations(frames, rng, activation);
  FacePose pose;
  for (int f = 0; f < frames; ++f) {
    pose = samplePose(rng, pose);
    t.pose.push_back(pose);
  }
  std::vector<bool> unknown(static_cast<size_t>(frames), false);
  markStretches(unknown, options.unknown_fraction, 5, 25, rng);
  std::vector<bool> missing(static_cast<size_t>(frames), false);
  markStretches(missing, options.missing_fraction, 1, 6, rng);
  if (rng.bernoulli(options.late_start_fraction)) {
    const int late = 1 + static_cast<int>(rng.below(10));
    for (int f = 0; f < std::min(late, frames); ++f) missing[static_cast<size_t>(f)] = true;
  }
  for (int f = 0; f < frames; ++f) {
    io::AuLabels labels = labelsOf(t.intensity[static_cast<size_t>(f)]);
    if (unknown[static_cast<size_t>(f)]) labels.fill(-1);
    t.labels.push_back(labels);
    t.has_image.push_back(!missing[static_cast<size_t>(f)]);
  }
  return t;
}

void writeJpeg(const std::string& path, const cv::Mat& image, int quality) {
  std::vector<uchar> bytes;
  if (!cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}))
    AU_THROW(Error, "JPEG encoding failed for ", path);
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) AU_THROW(Error, "cannot write ", path);
}

uint64_t frameSeed(uint64_t seed, int raw, int track, int frame) {
  uint64_t state = seed;
  state = splitMix64(state) ^ static_cast<uint64_t>(raw);
  state = splitMix64(state) ^ static_cast<uint64_t>(track);
  state = splitMix64(state) ^ static_cast<uint64_t>(frame);
  return splitMix64(state);
}

void writeRawVideo(const std::string& path, const std::vector<Track>& tracks, uint64_t seed,
                   int raw) {
  cv::VideoWriter writer(path, cv::VideoWriter::fourcc('m', 'p', '4', 'v'), 30.0,
                         cv::Size(kRawWidth, kRawHeight));
  if (!writer.isOpened()) AU_THROW(Error, "cannot open a video writer for ", path);
  const size_t frames = tracks.front().pose.size();
  for (size_t f = 0; f < frames; ++f) {
    std::vector<SceneFace> faces;
    for (const auto& t : tracks) faces.push_back({t.identity, t.pose[f], t.intensity[f]});
    writer.write(
        renderScene(faces, frameSeed(seed, raw, 99, static_cast<int>(f)), kRawWidth, kRawHeight));
  }
}

GeneratedVideo writeTrack(const Track& t, const std::string& split, const std::string& root,
                          uint64_t seed, int raw, int track, const SynthOptions& options) {
  const std::string frame_dir = root + "/cropped_aligned/" + t.name;
  fs::create_directories(frame_dir);
  GeneratedVideo video;
  video.name = t.name;
  video.split = split;
  video.frames = static_cast<int>(t.labels.size());
  for (int f = 0; f < video.frames; ++f) {
    const auto& labels = t.labels[static_cast<size_t>(f)];
    if (labels[0] < 0) ++video.unknown_rows;
    for (int a = 0; a < kNumAus; ++a) video.positives[static_cast<size_t>(a)] += labels[a] == 1;
    if (!t.has_image[static_cast<size_t>(f)]) continue;
    const cv::Mat face =
        renderFace(t.identity, t.pose[static_cast<size_t>(f)], t.intensity[static_cast<size_t>(f)],
                   frameSeed(seed, raw, track, f));
    writeJpeg(io::framePath(root + "/cropped_aligned", t.name, f + 1), face, options.jpeg_quality);
    ++video.images;
  }
  const std::string ann_dir = split == "train" ? root + "/" + kAnnotations + "/Train_Set"
                              : split == "validation"
                                  ? root + "/" + kAnnotations + "/Validation_Set"
                                  : testGroundTruthDir(root);
  fs::create_directories(ann_dir);
  io::writeAnnotationFile(ann_dir + "/" + t.name + ".txt", t.labels);
  return video;
}

// The organisers' ABAW5-style template: one `<video>/<%05d>.jpg` row per frame, videos in the
// template's own order (here by name, unlike the test list) and every frame of each video.
void writeTestTemplate(const std::string& path, std::vector<std::string> names,
                       const std::vector<GeneratedVideo>& videos) {
  std::sort(names.begin(), names.end());
  std::string text = "image_location\n";
  char image[32];
  for (const auto& name : names)
    for (const auto& v : videos)
      if (v.name == name && v.split == "test")
        for (int f = 1; f <= v.frames; ++f) {
          std::snprintf(image, sizeof image, "/%05d.jpg\n", f);
          text += name + image;
        }
  writeFileAtomic(path, text);
}

}  // namespace

std::string testListPath(const std::string& root) {
  return root +
         "/names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_release.txt";
}

std::string testTemplatePath(const std::string& root) {
  return root +
         "/names_of_videos_in_each_test_set/Action_Unit_Detection_Challenge_test_set_template.csv";
}

std::string testGroundTruthDir(const std::string& root) {
  return root + "/test_ground_truth/AU_Detection_Challenge/Test_Set";
}

std::vector<GeneratedVideo> generateDataset(const SynthOptions& options) {
  if (fs::exists(options.out) && !options.overwrite)
    AU_THROW(UsageError, "'", options.out, "' exists; pass --synth.overwrite to replace it");
  const std::string tmp = options.out + ".tmp." + std::to_string(::getpid());
  fs::remove_all(tmp);
  std::vector<GeneratedVideo> videos;
  try {
    fs::create_directories(tmp);
    const uint64_t seed = static_cast<uint64_t>(options.seed);
    std::vector<std::string> test_names;
    const std::vector<std::pair<std::string, int>> splits = {
        {"train", options.train_videos},
        {"validation", options.validation_videos},
        {"test", options.test_videos}};
    int raw = 0;
    for (const auto& [split, count] : splits) {
      for (int i = 0; i < count; ++i, ++raw) {
        Rng rng(seed, {static_cast<uint64_t>(raw)});
        const int frames = options.min_frames + static_cast<int>(rng.below(static_cast<uint64_t>(
                                                    options.max_frames - options.min_frames + 1)));
        const std::string name = rawVideoName(raw);
        std::vector<std::string> names{name};
        if (rng.bernoulli(options.pair_fraction)) names = {name + "_left", name + "_right"};
        std::vector<Track> tracks;
        for (size_t t = 0; t < names.size(); ++t) {
          Rng track_rng(seed, {static_cast<uint64_t>(raw), t + 1});
          tracks.push_back(makeTrack(names[t], frames, track_rng.next(), options));
          videos.push_back(
              writeTrack(tracks.back(), split, tmp, seed, raw, static_cast<int>(t), options));
          if (split == "test") test_names.push_back(names[t]);
        }
        if (options.raw_videos) {
          fs::create_directories(tmp + "/batch1");
          writeRawVideo(tmp + "/batch1/" + name + ".mp4", tracks, seed, raw);
        }
        log::info(split, " ", name, ": ", frames, " frames, ", names.size(),
                  names.size() > 1 ? " people" : " person");
      }
    }
    fs::create_directories(fs::path(testListPath(tmp)).parent_path());
    io::writeVideoList(testListPath(tmp), test_names);
    writeTestTemplate(testTemplatePath(tmp), test_names, videos);
    if (fs::exists(options.out)) fs::remove_all(options.out);
    fs::rename(tmp, options.out);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    throw;
  }
  return videos;
}

}  // namespace au::synth

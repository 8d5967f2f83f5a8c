#include "infer/submission.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::infer {
namespace fs = std::filesystem;

namespace {

std::string predictionLine(const FramePrediction& p) {
  std::string line;
  for (int a = 0; a < io::kNumAus; ++a) {
    line += a ? "," : "";
    line += p[a] ? '1' : '0';
  }
  return line;
}

// The lines of a text file: \r stripped, a trailing empty line dropped.
std::vector<std::string> lines(const std::string& path) {
  std::istringstream in(readInputFile(path, "a submission file"));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

// Parses "v1,...,v12" (0/1 only) starting at `text[begin]`.
FramePrediction parsePrediction(const std::string& text, size_t begin, const std::string& path,
                                long line_number) {
  FramePrediction p{};
  int count = 0;
  size_t pos = begin;
  while (true) {
    const size_t comma = text.find(',', pos);
    const std::string value =
        text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (count < io::kNumAus) {
      if (value != "0" && value != "1")
        throw DataError(path, line_number,
                        "expected 0 or 1 for " + io::kAuNames[count] + ", found '" + value + "'");
      p[count] = value == "1";
    }
    ++count;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (count != io::kNumAus)
    throw DataError(path, line_number, "expected 12 values, found " + std::to_string(count));
  return p;
}

VideoSubmission readAbaw3File(const std::string& path) {
  VideoSubmission v;
  v.video = fs::path(path).stem().string();
  const auto text = lines(path);
  if (text.empty() || text[0] != io::kAuHeader)
    throw DataError(path, 1, "expected the header '" + std::string(io::kAuHeader) + "'");
  for (size_t i = 1; i < text.size(); ++i)
    v.frames.push_back(parsePrediction(text[i], 0, path, static_cast<long>(i + 1)));
  return v;
}

// An ABAW5 row's first column, "<video>/<%05d>.jpg", and where the values after it begin.
struct ImageLocation {
  std::string video;
  int frame = 0;
  size_t values = std::string::npos;  ///< index after the first comma (npos: no comma)
};
ImageLocation parseImageLocation(const std::string& line, const std::string& path, long n) {
  const size_t comma = line.find(',');
  const std::string location = line.substr(0, comma);
  const size_t slash = location.rfind('/');
  if (slash == std::string::npos || slash == 0)
    throw DataError(path, n, "expected '<video>/<frame>.jpg' first, found '" + location + "'");
  ImageLocation l;
  l.video = location.substr(0, slash);
  const std::string image = location.substr(slash + 1);
  char tail[8] = {};
  if (std::sscanf(image.c_str(), "%d.%4s", &l.frame, tail) != 2 || std::string(tail) != "jpg")
    throw DataError(path, n, "expected an image name like 00001.jpg, found '" + image + "'");
  l.values = comma == std::string::npos ? comma : comma + 1;
  return l;
}

// Reads the rows of an ABAW5-layout file (submission or template), checking that each video is
// one block of frames 1..N; `row(video index, location, line, line number)` takes each row.
template <typename Row>
std::vector<std::string> readImageRows(const std::string& path,
                                       const std::vector<std::string>& text, Row row) {
  std::vector<std::string> videos;
  std::set<std::string> finished;
  int expected = 1;
  for (size_t i = 1; i < text.size(); ++i) {
    const long n = static_cast<long>(i + 1);
    const ImageLocation l = parseImageLocation(text[i], path, n);
    if (videos.empty() || videos.back() != l.video) {
      if (!finished.insert(l.video).second)
        throw DataError(path, n, "video " + l.video + " appears in two places");
      videos.push_back(l.video);
      expected = 1;
    }
    if (l.frame != expected)
      throw DataError(path, n,
                      "frame " + std::to_string(l.frame) + " of " + l.video + " where frame " +
                          std::to_string(expected) + " was expected (frames run 1..N)");
    ++expected;
    row(videos.size() - 1, l, text[i], n);
  }
  return videos;
}

std::vector<VideoSubmission> readAbaw5File(const std::string& path) {
  const auto text = lines(path);
  const std::string header = std::string("image_location,") + io::kAuHeader;
  if (text.empty() || text[0] != header)
    throw DataError(path, 1, "expected the header '" + header + "'");
  std::vector<VideoSubmission> videos;
  readImageRows(path, text,
                [&](size_t video, const ImageLocation& l, const std::string& line, long n) {
                  if (video == videos.size()) videos.push_back({l.video, {}});
                  if (l.values == std::string::npos)
                    throw DataError(path, n, "expected 12 values after the image location");
                  videos.back().frames.push_back(parsePrediction(line, l.values, path, n));
                });
  return videos;
}

}  // namespace

void writeAbaw3(const std::string& dir, const std::vector<VideoSubmission>& videos) {
  const std::string tmp = temporaryPath(dir);
  removeTree(tmp);
  fs::create_directories(tmp);
  for (const auto& v : videos) {
    std::string text = std::string(io::kAuHeader) + "\n";
    for (const auto& f : v.frames) text += predictionLine(f) + "\n";
    writeFileAtomic(tmp + "/" + v.video + ".txt", text);
  }
  replaceDirectory(tmp, dir);
}

void writeAbaw5(const std::string& path, const std::vector<VideoSubmission>& videos) {
  std::string text = std::string("image_location,") + io::kAuHeader + "\n";
  char image[32];
  for (const auto& v : videos)
    for (size_t i = 0; i < v.frames.size(); ++i) {
      std::snprintf(image, sizeof image, "/%05zu.jpg,", i + 1);
      text += v.video + image + predictionLine(v.frames[i]) + "\n";
    }
  writeFileAtomic(path, text);
}

std::vector<VideoSubmission> readSubmission(const std::string& path) {
  if (!fs::is_directory(path)) return readAbaw5File(path);
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path))
    if (entry.path().extension() == ".txt") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::vector<VideoSubmission> videos;
  for (const auto& f : files) videos.push_back(readAbaw3File(f));
  return videos;
}

TestTemplate readTestTemplate(const std::string& path) {
  const auto text = lines(path);
  if (text.empty() || text[0].rfind("image_location", 0) != 0)
    throw DataError(path, 1, "expected a header that starts with 'image_location'");
  TestTemplate t;
  t.videos =
      readImageRows(path, text, [&](size_t, const ImageLocation& l, const std::string&, long) {
        t.frames[l.video] = l.frame;
      });
  return t;
}

std::vector<std::string> checkSubmission(const std::string& path,
                                         const std::vector<std::string>& videos,
                                         const std::map<std::string, int>& frame_counts,
                                         bool check_order) {
  std::vector<std::string> problems;
  std::vector<VideoSubmission> submitted;
  try {
    submitted = readSubmission(path);
  } catch (const DataError& e) {
    return {e.what()};
  }
  std::map<std::string, const VideoSubmission*> by_name;
  for (const auto& v : submitted) by_name[v.video] = &v;
  const std::set<std::string> wanted(videos.begin(), videos.end());
  for (const auto& name : videos) {
    const auto it = by_name.find(name);
    if (it == by_name.end()) {
      problems.push_back(name + ": missing");
      continue;
    }
    const auto count = frame_counts.find(name);
    if (count != frame_counts.end() && static_cast<int>(it->second->frames.size()) != count->second)
      problems.push_back(name + ": " + std::to_string(it->second->frames.size()) +
                         " frames, expected " + std::to_string(count->second));
  }
  for (const auto& v : submitted)
    if (!wanted.count(v.video)) problems.push_back(v.video + ": not in the test list");
  if (check_order && problems.empty() && !fs::is_directory(path))
    for (size_t i = 0; i < videos.size(); ++i)
      if (submitted[i].video != videos[i]) {
        problems.push_back("video " + std::to_string(i + 1) + " is " + submitted[i].video +
                           ", expected " + videos[i] + " (the template's order)");
        break;
      }
  return problems;
}

}  // namespace au::infer

#include "infer/validation_results.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::infer {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

// Reads one CSV: into `frames` when it is the first, else checks it has the same frames.
void readCsv(const std::string& path, Candidate& c, ValidationFrames& frames, bool first, const std::string& first_path) {
  std::istringstream in(readInputFile(path, "validation probabilities"));
  std::string line;
  std::getline(in, line);
  std::string header = "video,frame";
  for (const auto& au : io::kAuNames) header += ",prob_" + au;
  for (const auto& au : io::kAuNames) header += ",label_" + au;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line != header) throw DataError(path, 1, "expected au_train's header '" + header + "'");
  long n = 1;
  size_t row = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const auto cells = splitCsv(line);
    if (cells.size() != 2 + 2 * io::kNumAus)
      throw DataError(path, n, "expected " + std::to_string(2 + 2 * io::kNumAus) + " values, found " +
                                   std::to_string(cells.size()));
    FrameProbabilities p{};
    io::AuLabels y{};
    char* end = nullptr;
    const long frame = std::strtol(cells[1].c_str(), &end, 10);
    if (*end != '\0') throw DataError(path, n, "frame '" + cells[1] + "' is not a number");
    for (int a = 0; a < io::kNumAus; ++a) {
      p[a] = std::strtof(cells[2 + a].c_str(), &end);
      if (*end != '\0' || !(p[a] >= 0 && p[a] <= 1))
        throw DataError(path, n, "probability '" + cells[2 + a] + "' of " + io::kAuNames[a] + " is not in [0, 1]");
      const std::string& l = cells[2 + io::kNumAus + a];
      if (l != "0" && l != "1" && l != "-1") throw DataError(path, n, "label '" + l + "' is not 0, 1 or -1");
      y[a] = static_cast<signed char>(std::stoi(l));
    }
    if (first) {
      frames.video.push_back(cells[0]);
      frames.frame.push_back(static_cast<int>(frame));
      frames.labels.push_back(y);
    } else if (row >= frames.video.size() || frames.video[row] != cells[0] || frames.frame[row] != frame ||
               frames.labels[row] != y) {
      throw DataError(path, n, "validated on other frames than " + first_path +
                                   " (selection needs the same validation frames; mix runs of one split or fold)");
    }
    c.probs.push_back(p);
    ++row;
  }
  if (!first && row != frames.video.size())
    throw DataError(path, n, std::to_string(row) + " frames, but " + first_path + " has " +
                                 std::to_string(frames.video.size()));
}

}  // namespace

std::vector<Candidate> loadCandidates(const std::vector<std::string>& run_dirs, ValidationFrames& frames) {
  std::vector<Candidate> candidates;
  std::string first_path;
  for (const auto& run : run_dirs) {
    const std::string folder = run + "/validation";
    if (!fs::is_directory(folder)) throw DataError(folder, 0, "no validation results (is " + run + " an au_train run?)");
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(folder))
      if (e.path().extension() == ".csv" && e.path().filename().string().rfind("epoch_", 0) == 0)
        files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      Candidate c;
      const std::string stem = fs::path(f).stem().string();
      c.name = run + "/" + stem;
      c.checkpoint = run + "/checkpoints/" + stem + ".pt";
      c.config = run + "/config.ini";
      readCsv(f, c, frames, candidates.empty(), first_path);
      if (candidates.empty()) first_path = f;
      candidates.push_back(std::move(c));
    }
  }
  if (candidates.empty()) AU_THROW(UsageError, "no validation results found in the runs given");
  return candidates;
}

}  // namespace au::infer

#include "infer/validation_results.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <set>

#include "common/error.h"
#include "infer/fold_families.h"
#include "metrics/validation_csv.h"

namespace au::infer {
namespace fs = std::filesystem;
namespace {

// Reads one CSV: into `frames` when it is the first, else checks it has the same frames.
void readCsv(const std::string& path, Candidate& c, ValidationFrames& frames, bool first,
             const std::string& first_path) {
  const auto rows = metrics::readValidationCsv(path);
  std::set<std::string> finished;  // videos whose block of rows has ended
  size_t row = 0;
  for (const auto& r : rows) {
    if (first) {
      // Selection smooths and cross-validates whole videos: each must be one block of rows.
      if (!frames.video.empty() && frames.video.back() != r.video) {
        finished.insert(frames.video.back());
        if (finished.count(r.video))
          throw DataError(path, r.line, "the rows of video " + r.video + " are not contiguous");
      }
      // Smoothing lays a video's frames out by number: they must rise strictly.
      if (!frames.video.empty() && frames.video.back() == r.video && r.frame <= frames.frame.back())
        throw DataError(path, r.line,
                        "frame " + std::to_string(r.frame) + " of " + r.video +
                            " does not follow frame " + std::to_string(frames.frame.back()) +
                            " (frames of a video must rise)");
      frames.video.push_back(r.video);
      frames.frame.push_back(r.frame);
      frames.labels.push_back(r.labels);
    } else if (row >= frames.video.size() || frames.video[row] != r.video ||
               frames.frame[row] != r.frame || frames.labels[row] != r.labels) {
      throw DataError(
          path, r.line,
          "validated on other frames than " + first_path +
              " (selection needs the same validation frames; mix runs of one split or fold)");
    }
    c.probs.push_back(r.probs);
    ++row;
  }
  if (!first && row != frames.video.size())
    throw DataError(path, rows.empty() ? 1 : rows.back().line,
                    std::to_string(row) + " frames, but " + first_path + " has " +
                        std::to_string(frames.video.size()));
}

// The run's validation CSVs, sorted: <run>/validation/epoch_NNN.csv.
std::vector<std::string> epochFiles(const std::string& run) {
  const std::string folder = run + "/validation";
  if (!fs::is_directory(folder))
    throw DataError(folder, 0, "no validation results (is " + run + " an au_train run?)");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().extension() == ".csv" && e.path().filename().string().rfind("epoch_", 0) == 0)
      files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string stemOf(const std::string& path) { return fs::path(path).stem().string(); }

std::string runList(const FoldFamily& family) {
  std::string list;
  for (const auto& run : family.runs) list += (list.empty() ? "" : ", ") + run.dir;
  return list;
}

// The epochs ("epoch_NNN") that every run of the family has validated, ascending.
std::vector<std::string> commonEpochs(const FoldFamily& family) {
  std::vector<std::string> common;
  std::string counts;
  for (size_t r = 0; r < family.runs.size(); ++r) {
    std::vector<std::string> stems;
    for (const auto& f : epochFiles(family.runs[r].dir)) stems.push_back(stemOf(f));
    counts += (r ? ", " : "") + family.runs[r].dir + ": " + std::to_string(stems.size());
    if (r == 0) {
      common = stems;
    } else {
      std::vector<std::string> both;
      std::set_intersection(common.begin(), common.end(), stems.begin(), stems.end(),
                            std::back_inserter(both));
      common = both;
    }
  }
  if (common.empty())
    throw DataError(family.runs.front().dir + "/validation", 0,
                    "no epoch is validated by every fold run of family " + family.name +
                        " (validated epochs: " + counts + ")");
  return common;
}

// One epoch of a family: the fold runs' rows, sorted by (video, frame) so that every video is
// one block in frame order whichever fold predicted it. `mine` receives the frames.
Candidate outOfFold(const FoldFamily& family, const std::string& stem, ValidationFrames& mine) {
  struct Row {
    const std::string* video;
    int frame;
    size_t part, row;
  };
  const size_t k = family.runs.size();
  std::vector<Candidate> parts(k);
  std::vector<ValidationFrames> part_frames(k);
  std::vector<std::string> paths;
  std::vector<Row> rows;
  for (size_t r = 0; r < k; ++r) {
    paths.push_back(family.runs[r].dir + "/validation/" + stem + ".csv");
    readCsv(paths[r], parts[r], part_frames[r], true, "");
    for (size_t i = 0; i < part_frames[r].video.size(); ++i)
      rows.push_back({&part_frames[r].video[i], part_frames[r].frame[i], r, i});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (*a.video != *b.video) return *a.video < *b.video;
    if (a.frame != b.frame) return a.frame < b.frame;
    return a.part != b.part ? a.part < b.part : a.row < b.row;
  });
  Candidate c;
  c.name = family.name + "/" + stem;
  for (const auto& run : family.runs)
    c.members.push_back({run.dir + "/checkpoints/" + stem + ".pt", run.dir + "/config.ini", ""});
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& x = rows[i];
    if (i > 0 && *rows[i - 1].video == *x.video && rows[i - 1].frame == x.frame) {
      const size_t other = rows[i - 1].part;
      throw DataError(
          paths[other], 0,
          "video " + *x.video + " frame " + std::to_string(x.frame) +
              (other == x.part ? " appears twice"
                               : " is also in " + paths[x.part] +
                                     " (each video belongs to one fold: are these fold runs of the "
                                     "same shards?)"));
    }
    mine.video.push_back(*x.video);
    mine.frame.push_back(x.frame);
    mine.labels.push_back(part_frames[x.part].labels[x.row]);
    c.probs.push_back(parts[x.part].probs[x.row]);
  }
  return c;
}

}  // namespace

std::vector<Candidate> loadCandidates(const std::vector<std::string>& run_dirs,
                                      ValidationFrames& frames) {
  std::vector<std::string> plain;
  std::vector<FoldRun> fold_runs;
  for (const auto& run : run_dirs) {
    const int fold = runFold(run);
    if (fold >= 0)
      fold_runs.push_back({run, fold});
    else
      plain.push_back(run);
  }
  const auto families = groupFoldFamilies(fold_runs);
  // Selection compares candidates frame by frame: a validation split and the out-of-fold
  // predictions of train+validation are different frames.
  if (!plain.empty() && !families.empty())
    AU_THROW(UsageError, "run ", plain.front(), " validates on the validation split, family ",
             families.front().name, " (", runList(families.front()),
             ") on out-of-fold predictions of train+validation: selection needs the same frames "
             "for every "
             "candidate, so give --select.runs either runs without folds or k-fold runs");

  std::vector<Candidate> candidates;
  std::string first_path;
  for (const auto& run : plain) {
    for (const auto& f : epochFiles(run)) {
      Candidate c;
      const std::string stem = stemOf(f);
      c.name = run + "/" + stem;
      c.checkpoint = run + "/checkpoints/" + stem + ".pt";
      c.config = run + "/config.ini";
      readCsv(f, c, frames, candidates.empty(), first_path);
      if (candidates.empty()) first_path = f;
      candidates.push_back(std::move(c));
    }
  }
  for (const auto& family : families) {
    for (const auto& stem : commonEpochs(family)) {
      ValidationFrames mine;
      Candidate c = outOfFold(family, stem, mine);
      const std::string source = "family " + family.name + " (" + runList(family) + ") " + stem;
      if (candidates.empty()) {
        frames = std::move(mine);
        first_path = source;
      } else if (mine.video != frames.video || mine.frame != frames.frame ||
                 mine.labels != frames.labels) {
        throw DataError(family.runs.front().dir + "/validation/" + stem + ".csv", 0,
                        source + ": its out-of-fold predictions cover other frames (" +
                            std::to_string(mine.video.size()) + ") than " + first_path + " (" +
                            std::to_string(frames.video.size()) +
                            "): selection needs the same frames for every candidate (fold runs of "
                            "the same shards)");
      }
      candidates.push_back(std::move(c));
    }
    frames.oof_folds = std::max(frames.oof_folds, static_cast<int>(family.runs.size()));
  }
  if (candidates.empty()) AU_THROW(UsageError, "no validation results found in the runs given");
  return candidates;
}

}  // namespace au::infer

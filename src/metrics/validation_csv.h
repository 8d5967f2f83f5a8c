// The per-frame validation CSV of an au_train run (<run>/validation/epoch_NNN.csv): per frame
// the video, the frame number, the 12 AU probabilities and the 12 labels. au_train writes it
// after each epoch; au_select reads it. Written and read only here.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::metrics {

struct ValidationRow {
  std::string video;
  int frame = 0;
  std::array<float, io::kNumAus> probs{};
  io::AuLabels labels{};
  long line = 0;  ///< where it stood in the file (1 is the header)
};

/// The header line, newline included.
std::string validationCsvHeader();

/// Appends one row; probabilities are printed with 9 significant digits (which round-trip a
/// float).
void appendValidationRow(std::string& csv, const std::string& video, int64_t frame,
                         const float* probs, const io::AuLabels& labels);

/// Reads a whole file. Throws DataError naming the file and line for another header, a row of
/// another length, a frame that is not a positive number, a probability outside [0, 1] or a
/// label other than 0, 1 and -1. Empty lines are skipped.
std::vector<ValidationRow> readValidationCsv(const std::string& path);

}  // namespace au::metrics

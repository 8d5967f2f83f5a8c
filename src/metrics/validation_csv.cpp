#include "metrics/validation_csv.h"

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"

namespace au::metrics {
namespace {

std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

}  // namespace

std::string validationCsvHeader() {
  std::string header = "video,frame";
  for (const auto& au : io::kAuNames) header += ",prob_" + au;
  for (const auto& au : io::kAuNames) header += ",label_" + au;
  return header + "\n";
}

void appendValidationRow(std::string& csv, const std::string& video, int64_t frame,
                         const float* probs, const io::AuLabels& labels) {
  char cell[32];
  csv += video;
  csv += ",";
  csv += std::to_string(frame);
  for (int a = 0; a < io::kNumAus; ++a) {
    std::snprintf(cell, sizeof cell, ",%.9g", static_cast<double>(probs[a]));
    csv += cell;
  }
  for (int a = 0; a < io::kNumAus; ++a) {
    csv += ",";
    csv += std::to_string(static_cast<int>(labels[static_cast<size_t>(a)]));
  }
  csv += "\n";
}

std::vector<ValidationRow> readValidationCsv(const std::string& path) {
  std::istringstream in(readInputFile(path, "validation probabilities"));
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const std::string header = validationCsvHeader();
  if (line + "\n" != header)
    throw DataError(path, 1,
                    "expected au_train's header '" + header.substr(0, header.size() - 1) + "'");
  std::vector<ValidationRow> rows;
  long n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const auto cells = splitCsv(line);
    if (cells.size() != 2 + 2 * io::kNumAus)
      throw DataError(path, n,
                      "expected " + std::to_string(2 + 2 * io::kNumAus) + " values, found " +
                          std::to_string(cells.size()));
    ValidationRow& row = rows.emplace_back();
    row.video = cells[0];
    row.line = n;
    char* end = nullptr;
    const long frame = std::strtol(cells[1].c_str(), &end, 10);
    if (*end != '\0') throw DataError(path, n, "frame '" + cells[1] + "' is not a number");
    if (frame < 1 || frame > std::numeric_limits<int>::max())
      throw DataError(path, n, "frame '" + cells[1] + "' is not a positive frame number");
    row.frame = static_cast<int>(frame);
    for (int a = 0; a < io::kNumAus; ++a) {
      row.probs[a] = std::strtof(cells[2 + a].c_str(), &end);
      if (*end != '\0' || !(row.probs[a] >= 0 && row.probs[a] <= 1))
        throw DataError(
            path, n,
            "probability '" + cells[2 + a] + "' of " + io::kAuNames[a] + " is not in [0, 1]");
      const std::string& l = cells[2 + io::kNumAus + a];
      if (l != "0" && l != "1" && l != "-1")
        throw DataError(path, n, "label '" + l + "' is not 0, 1 or -1");
      row.labels[a] = static_cast<signed char>(std::stoi(l));
    }
  }
  return rows;
}

}  // namespace au::metrics

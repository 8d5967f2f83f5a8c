#include "infer/openface_csv.h"

#include <cstdio>

namespace au::infer {

std::string openFaceAuName(int au) {
  const std::string& name = io::kAuNames[static_cast<size_t>(au)];  // "AU1" ... "AU26"
  const std::string number = name.substr(2);
  return "AU" + std::string(number.size() < 2 ? "0" : "") + number;
}

std::string openFaceCsvHeader() {
  std::string header = "frame, face_id, timestamp, confidence, success";
  for (int a = 0; a < io::kNumAus; ++a) header += ", " + openFaceAuName(a) + "_c";
  for (int a = 0; a < io::kNumAus; ++a) header += ", " + openFaceAuName(a) + "_p";
  header += ", face_x, face_y, face_width, face_height";
  return header;
}

std::string openFaceCsv(const std::vector<FaceRow>& rows) {
  std::string csv = openFaceCsvHeader() + "\n";
  char cell[64];
  for (const FaceRow& r : rows) {
    std::snprintf(cell, sizeof cell, "%d,%d,%.3f,%.3f,%d", r.frame, r.face_id, r.timestamp,
                  static_cast<double>(r.confidence), r.success ? 1 : 0);
    csv += cell;
    for (const int d : r.decided) csv += d ? ",1" : ",0";
    for (const float p : r.probabilities) {
      std::snprintf(cell, sizeof cell, ",%.4f", static_cast<double>(p));
      csv += cell;
    }
    std::snprintf(cell, sizeof cell, ",%.1f,%.1f,%.1f,%.1f", static_cast<double>(r.box_x),
                  static_cast<double>(r.box_y), static_cast<double>(r.box_width),
                  static_cast<double>(r.box_height));
    csv += cell;
    csv += "\n";
  }
  return csv;
}

}  // namespace au::infer

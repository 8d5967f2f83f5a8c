#include "infer/openface_csv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "infer/video_postprocess.h"

namespace au::infer {
namespace {

std::vector<std::string> columns(const std::string& header) {
  std::vector<std::string> names;
  std::stringstream in(header);
  std::string name;
  while (std::getline(in, name, ',')) names.push_back(name.substr(name.find_first_not_of(' ')));
  return names;
}

TEST(OpenFaceCsv, AuNamesHaveOpenFacesTwoDigits) {
  EXPECT_EQ(openFaceAuName(0), "AU01");
  EXPECT_EQ(openFaceAuName(5), "AU10");
  EXPECT_EQ(openFaceAuName(11), "AU26");
}

// The columns we share with a real OpenFace output have its names and come in its order.
TEST(OpenFaceCsv, SharedColumnsFollowARealOpenFaceFilesNamesAndOrder) {
  std::ifstream real(std::string(AU_SHARED_DIR) + "/testdata/real/OpenFace_Test.csv");
  std::string real_header;
  ASSERT_TRUE(std::getline(real, real_header));
  EXPECT_NE(real_header.find("frame, timestamp"), std::string::npos) << "', ' as OpenFace writes";
  const auto theirs = columns(real_header);
  const auto ours = columns(openFaceCsvHeader());
  EXPECT_EQ(ours[0], "frame");
  EXPECT_EQ(ours[1], "face_id");  // OpenFace 2.2 puts face_id second; this older file has none
  std::vector<std::string> shared_in_ours, shared_in_theirs;
  for (const auto& c : ours)
    if (std::find(theirs.begin(), theirs.end(), c) != theirs.end()) shared_in_ours.push_back(c);
  for (const auto& c : theirs)
    if (std::find(ours.begin(), ours.end(), c) != ours.end()) shared_in_theirs.push_back(c);
  EXPECT_EQ(shared_in_ours, shared_in_theirs);
  // frame, timestamp, confidence, success and the 11 AUs OpenFace also detects (not AU24).
  EXPECT_EQ(shared_in_ours.size(), 15u);
}

TEST(OpenFaceCsv, RowsHoldTheDecisionsProbabilitiesAndBox) {
  FaceRow row;
  row.frame = 3;
  row.face_id = 1;
  row.timestamp = 0.1;
  row.confidence = 0.99f;
  row.success = true;
  row.decided[0] = 1;
  row.probabilities[0] = 0.75f;
  row.box_x = 10, row.box_y = 20, row.box_width = 30, row.box_height = 40;
  const std::string csv = openFaceCsv({row});
  const std::string line = csv.substr(csv.find('\n') + 1);
  EXPECT_EQ(line.rfind("3,1,0.100,0.990,1,1,0,", 0), 0u) << line;
  EXPECT_NE(line.find(",0.7500,0.0000,"), std::string::npos) << line;
  EXPECT_NE(line.find(",10.0,20.0,30.0,40.0\n"), std::string::npos) << line;
  EXPECT_EQ(columns(line).size(), columns(openFaceCsvHeader()).size());
}

TEST(VideoPostprocess, FillsThenSmoothsEachAuWithItsOwnWindow) {
  EnsembleSpec spec;
  spec.fill = "nearest";
  for (auto& a : spec.aus) a.window = 1;
  spec.aus[1].window = 3;
  std::vector<FrameProbabilities> frames(4);
  for (auto& f : frames) f.fill(0);
  frames[0][0] = frames[0][1] = 0.9f;
  frames[2][0] = frames[2][1] = 0.3f;
  frames[3][0] = frames[3][1] = 0.3f;
  const auto out = postprocessVideo(frames, {true, false, true, true}, spec);
  EXPECT_FLOAT_EQ(out[1][0], 0.9f);  // filled from the nearest face (the earlier on a tie)
  EXPECT_FLOAT_EQ(out[1][1], (0.9f + 0.9f + 0.3f) / 3);  // filled, then smoothed over 3
  EXPECT_EQ(decideAus(out[1], spec)[0], 1);
  spec.aus[0].threshold = 0.95f;
  EXPECT_EQ(decideAus(out[1], spec)[0], 0);
}

}  // namespace
}  // namespace au::infer

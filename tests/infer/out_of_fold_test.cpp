// k-fold runs as out-of-fold candidates: grouping into families, the concatenated and sorted
// rows, the errors for overlapping folds and mixed kinds of runs, the spec's members, the report.
#include <gtest/gtest.h>

#include "../io/test_dirs.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "infer/ensemble_selection.h"
#include "infer/fold_families.h"
#include "infer/validation_results.h"
#include "io/checksum.h"
#include "metrics/validation_csv.h"

namespace au::infer {
namespace {

namespace fs = std::filesystem;

// au_train's config.ini as far as families care: [train] with run_dir, fold and a seed.
void writeConfig(const fs::path& run, int fold, int seed = 1) {
  testing::writeText(run / "config.ini",
                     "# effective configuration of au_train\n\n[train]\nshards = /s\nrun_dir = " +
                         run.string() + "\nfold = " + std::to_string(fold) +
                         "\nseed = " + std::to_string(seed) + "\n\n[model]\ndepth = 18\n" +
                         // how a run waited for hung ranks is not what it trained: every fold
                         // differs here, and the folds are still one family
                         "\n[mpi]\ntimeout_s = " + std::to_string(600 + fold) + "\n");
}

// A validation CSV with one row per (video, frame); every probability is frame / 1000 and the
// labels are frame % 2, so a row can be recognised after sorting.
void writeValidation(const fs::path& run, int epoch,
                     const std::vector<std::pair<std::string, int>>& rows) {
  std::string text = metrics::validationCsvHeader();
  for (const auto& [video, frame] : rows) {
    text += video + "," + std::to_string(frame);
    for (int a = 0; a < io::kNumAus; ++a) text += "," + std::to_string(frame / 1000.0);
    for (int a = 0; a < io::kNumAus; ++a) text += "," + std::to_string(frame % 2);
    text += "\n";
  }
  char name[32];
  std::snprintf(name, sizeof name, "epoch_%03d.csv", epoch);
  testing::writeText(run / "validation" / name, text);
}

// Three fold runs "<dir>/r_fold<k>" (seed `seed`), each validating its own videos (given to
// the files out of order), epochs 1 and 2 except fold 2 with epoch 1 only.
std::vector<std::string> threeFolds(const fs::path& dir, const std::string& name = "r",
                                    int seed = 1) {
  const std::vector<std::vector<std::pair<std::string, int>>> rows{
      {{"c", 1}, {"c", 2}, {"a", 9}, {"a", 10}},  // videos contiguous, but not in name order
      {{"b", 1}, {"b", 2}, {"b", 3}},
      {{"e", 5}, {"d", 1}}};
  std::vector<std::string> runs;
  for (int k = 0; k < 3; ++k) {
    const auto run = dir / (name + "_fold" + std::to_string(k));
    writeConfig(run, k, seed);
    for (int epoch = 1; epoch <= (k == 2 ? 1 : 2); ++epoch)
      writeValidation(run, epoch, rows[static_cast<size_t>(k)]);
    runs.push_back(run.string());
  }
  return runs;
}

TEST(FoldFamilies, RunFoldReadsTheTrainSection) {
  const auto dir = testing::freshDir("oof_run_fold");
  EXPECT_EQ(runFold((dir / "none").string()), -1);  // no config.ini: a folder of CSVs only
  writeConfig(dir / "two", 2);
  EXPECT_EQ(runFold((dir / "two").string()), 2);
  testing::writeText(dir / "bad/config.ini", "[model]\nfold = 3\n[train]\nfold = x\n");
  try {
    runFold((dir / "bad").string());
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos) << e.what();
  }
}

TEST(FoldFamilies, RunsOfOneConfigurationApartFromFoldAndRunDirAreOneFamily) {
  const auto dir = testing::freshDir("oof_group");
  const auto r = threeFolds(dir, "r", 1);
  const auto s = threeFolds(dir, "s", 2);  // another seed: another family
  const auto families = groupFoldFamilies({{s[1], 1}, {r[2], 2}, {r[0], 0}, {s[0], 0}, {r[1], 1}});
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].name, (dir / "s").string());  // the first run's family comes first
  ASSERT_EQ(families[0].runs.size(), 2u);
  EXPECT_EQ(families[0].runs[0].dir, s[0]);
  EXPECT_EQ(families[1].name, (dir / "r").string());
  ASSERT_EQ(families[1].runs.size(), 3u);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(families[1].runs[static_cast<size_t>(k)].fold, k);

  // The same fold twice in one family: which one to take is the user's choice.
  writeConfig(dir / "copy", 1, 1);
  try {
    groupFoldFamilies({{r[1], 1}, {(dir / "copy").string(), 1}});
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(r[1]), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find((dir / "copy").string()), std::string::npos) << e.what();
  }
}

TEST(FoldFamilies, ChainedFoldRunsStartingFromTheirParentsSameFoldAreOneFamily) {
  // jobs/experiment.sh's layout: OUT/runs/<model>/fold<k>, a chained model's fold k starting
  // from its parent's fold k.
  const auto dir = testing::freshDir("oof_chained");
  const auto chained = [&](const std::string& model, int fold, const std::string& parent_fold) {
    const auto run = dir / model / ("fold" + std::to_string(fold));
    testing::writeText(run / "config.ini", "[train]\nrun_dir = " + run.string() +
                                               "\nfold = " + std::to_string(fold) +
                                               "\ninit_checkpoint = " + (dir / "a").string() + "/" +
                                               parent_fold + "/checkpoints/last.pt\nseed = 1\n");
    return FoldRun{run.string(), fold};
  };
  auto families = groupFoldFamilies({chained("b", 0, "fold0"), chained("b", 1, "fold1")});
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(families[0].name, (dir / "b").string());
  EXPECT_EQ(families[0].runs.size(), 2u);
  // Fold 1 starting from the parent's fold 0 (or fold 10) is another model.
  EXPECT_EQ(groupFoldFamilies({chained("c", 0, "fold0"), chained("c", 1, "fold0")}).size(), 2u);
  EXPECT_EQ(groupFoldFamilies({chained("d", 0, "fold0"), chained("d", 1, "fold10")}).size(), 2u);
}

TEST(OutOfFold, AFamilyEpochIsOneCandidateOfEveryFoldsRowsInVideoAndFrameOrder) {
  const auto dir = testing::freshDir("oof_load");
  const auto r = threeFolds(dir);
  ValidationFrames frames;
  const auto candidates = loadCandidates({r[2], r[0], r[1]}, frames);
  ASSERT_EQ(candidates.size(), 1u);  // epoch 2 is missing from fold 2
  const auto& c = candidates[0];
  EXPECT_EQ(c.name, (dir / "r").string() + "/epoch_001");
  ASSERT_EQ(c.members.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(c.members[static_cast<size_t>(k)].checkpoint,
              r[static_cast<size_t>(k)] + "/checkpoints/epoch_001.pt");
    EXPECT_EQ(c.members[static_cast<size_t>(k)].config, r[static_cast<size_t>(k)] + "/config.ini");
  }
  EXPECT_EQ(frames.oof_folds, 3);
  const std::vector<std::string> video{"a", "a", "b", "b", "b", "c", "c", "d", "e"};
  const std::vector<int> frame{9, 10, 1, 2, 3, 1, 2, 1, 5};  // numeric order: 9 before 10
  EXPECT_EQ(frames.video, video);
  EXPECT_EQ(frames.frame, frame);
  ASSERT_EQ(c.probs.size(), video.size());
  for (size_t i = 0; i < video.size(); ++i) {
    EXPECT_FLOAT_EQ(c.probs[i][0], static_cast<float>(frame[i] / 1000.0)) << i;
    EXPECT_EQ(frames.labels[i][11], frame[i] % 2) << i;
  }
}

TEST(OutOfFold, AFrameInTwoFoldsNamesBothFiles) {
  const auto dir = testing::freshDir("oof_overlap");
  const auto r = threeFolds(dir);
  writeValidation(r[2], 1, {{"e", 5}, {"b", 2}});  // b belongs to fold 1
  ValidationFrames frames;
  try {
    loadCandidates(r, frames);
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(r[1] + "/validation/epoch_001.csv"), std::string::npos) << what;
    EXPECT_NE(what.find(r[2] + "/validation/epoch_001.csv"), std::string::npos) << what;
    EXPECT_NE(what.find("video b frame 2"), std::string::npos) << what;
  }
}

TEST(OutOfFold, PlainRunsAndFamiliesDoNotMix) {
  const auto dir = testing::freshDir("oof_mix");
  auto runs = threeFolds(dir);
  writeConfig(dir / "plain", -1);
  writeValidation(dir / "plain", 1, {{"b", 1}, {"b", 2}, {"b", 3}});
  runs.push_back((dir / "plain").string());
  ValidationFrames frames;
  try {
    loadCandidates(runs, frames);
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find((dir / "plain").string() + " validates on the validation split"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("family " + (dir / "r").string()), std::string::npos) << what;
    EXPECT_NE(what.find("out-of-fold"), std::string::npos) << what;
  }
}

TEST(OutOfFold, FamiliesMustCoverTheSameFrames) {
  const auto dir = testing::freshDir("oof_frames");
  auto runs = threeFolds(dir, "r", 1);
  const auto s = threeFolds(dir, "s", 2);
  writeValidation(s[2], 1, {{"e", 5}});  // without video d
  runs.insert(runs.end(), s.begin(), s.end());
  ValidationFrames frames;
  try {
    loadCandidates(runs, frames);
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("family " + (dir / "s").string()), std::string::npos) << what;
    EXPECT_NE(what.find("other frames (8) than family " + (dir / "r").string()), std::string::npos)
        << what;
  }
  // Two complete families: one candidate per family and common epoch.
  writeValidation(s[2], 1, {{"e", 5}, {"d", 1}});
  EXPECT_EQ(loadCandidates(runs, frames).size(), 2u);
}

TEST(OutOfFold, TheReportSaysTheCandidatesAreOutOfFoldAndTheSpecKeepsTheMembers) {
  const auto dir = testing::freshDir("oof_select");
  const auto r = threeFolds(dir);
  ValidationFrames frames;
  const auto candidates = loadCandidates(r, frames);
  const auto s = selectEnsemble(candidates, frames, {});
  EXPECT_NE(formatSelection(s).find("tuned on out-of-fold predictions of 5 videos from 3 folds"),
            std::string::npos)
      << formatSelection(s);
  ASSERT_EQ(s.spec.checkpoints.size(), 1u);
  EXPECT_EQ(s.spec.checkpoints[0].members.size(), 3u);
  EXPECT_TRUE(s.spec.checkpoints[0].checkpoint.empty());
}

TEST(EnsembleSpec, MembersRoundTripAndMissingMembersAreNamed) {
  const auto dir = testing::freshDir("oof_spec");
  EnsembleSpec spec;
  for (int k = 0; k < 3; ++k) {
    const auto run = dir / ("r_fold" + std::to_string(k));
    testing::writeText(run / "checkpoints/epoch_002.pt", "x");
    testing::writeText(run / "config.ini", "x");
  }
  SpecCheckpoint family{"r/epoch_002", "", "", {}, ""};
  for (int k = 0; k < 3; ++k) {
    const auto run = dir / ("r_fold" + std::to_string(k));
    family.members.push_back(
        {(run / "checkpoints/epoch_002.pt").string(), (run / "config.ini").string(), ""});
  }
  spec.checkpoints.push_back(family);
  for (auto& c : spec.aus) c = {0, 0.3f, 3};
  const std::string path = (dir / "spec.json").string();
  writeSpec(path, spec);
  const auto back = readSpec(path);
  ASSERT_EQ(back.checkpoints.size(), 1u);
  EXPECT_EQ(back.checkpoints[0].name, "r/epoch_002");
  ASSERT_EQ(back.checkpoints[0].members.size(), 3u);
  EXPECT_EQ(back.checkpoints[0].models().size(), 3u);
  EXPECT_EQ(back.checkpoints[0].members[2].checkpoint, family.members[2].checkpoint);
  EXPECT_EQ(back.checkpoints[0].members[1].config, family.members[1].config);
  fs::remove(dir / "r_fold1/checkpoints/epoch_002.pt");
  try {
    readSpec(path);
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("r_fold1/checkpoints/epoch_002.pt"), std::string::npos)
        << e.what();
  }
}

TEST(EnsembleSpec, RecordedChecksumsRoundTripAndAChangedCheckpointIsNamed) {
  const auto dir = testing::freshDir("oof_spec_crc");
  testing::writeText(dir / "a.pt", "weights a");
  testing::writeText(dir / "b_fold0.pt", "weights b0");
  testing::writeText(dir / "b_fold1.pt", "weights b1");
  EnsembleSpec spec;
  spec.checkpoints.push_back({"a/epoch_001", (dir / "a.pt").string(), "", {}, ""});
  spec.checkpoints.push_back({"b/epoch_001", "", "", {}, ""});
  for (const char* f : {"b_fold0.pt", "b_fold1.pt"})
    spec.checkpoints[1].members.push_back({(dir / f).string(), "", ""});
  for (auto& c : spec.aus) c = {0, 0.5f, 1};
  spec.aus[3].checkpoint = 1;
  recordChecksums(spec);
  const std::string path = (dir / "spec.json").string();
  writeSpec(path, spec);
  const auto back = readSpec(path);
  EXPECT_EQ(back.checkpoints[0].crc32c, io::hex32(io::crc32cOfFile((dir / "a.pt").string())));
  EXPECT_EQ(back.checkpoints[1].members[1].crc32c,
            io::hex32(io::crc32cOfFile((dir / "b_fold1.pt").string())));
  verifyChecksums(back, path);  // unchanged: no error

  testing::writeText(dir / "b_fold1.pt", "weights B1");  // trained again since
  try {
    verifyChecksums(back, path);
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find((dir / "b_fold1.pt").string() + ": crc32c"), std::string::npos) << what;
    EXPECT_EQ(what.find("b_fold0.pt"), std::string::npos) << what;
  }
  spec.checkpoints[1].members[1].crc32c.clear();  // a spec from before checksums: not checked
  verifyChecksums(spec, path);
}

TEST(EnsembleSpec, ASingleModelSpecIsWrittenAsBeforeMembers) {
  const auto dir = testing::freshDir("oof_spec_single");
  testing::writeText(dir / "a.pt", "x");
  testing::writeText(dir / "a.ini", "x");
  EnsembleSpec spec;
  spec.checkpoints.push_back(
      {"run/epoch_001", (dir / "a.pt").string(), (dir / "a.ini").string(), {}, ""});
  for (auto& c : spec.aus) c = {0, 0.5f, 1};
  spec.validation_mean_f1 = 0.25;
  spec.validation_mean_f1_our = 0.5;
  const std::string path = (dir / "spec.json").string();
  writeSpec(path, spec);
  // The bytes au_select wrote before entries could have members.
  std::string expected =
      "{\n \"format\": \"au-ensemble ensemble spec\",\n \"version\": 1,\n \"fill\": \"linear\",\n"
      " \"validation\": {\n  \"mean_f1\": 0.25,\n  \"mean_f1_our\": 0.5\n },\n"
      " \"checkpoints\": [\n  {\n   \"name\": \"run/epoch_001\",\n   \"checkpoint\": \"" +
      (dir / "a.pt").string() + "\",\n   \"config\": \"" + (dir / "a.ini").string() +
      "\"\n  }\n ],\n \"aus\": [";
  for (int a = 0; a < io::kNumAus; ++a)
    expected +=
        std::string(a ? "," : "") + "\n  {\n   \"au\": \"" + io::kAuNames[a] +
        "\",\n   \"checkpoint\": \"run/epoch_001\",\n   \"threshold\": 0.5,\n   \"window\": 1\n  }";
  expected += "\n ]\n}\n";
  EXPECT_EQ(readFile(path), expected);
  const auto back = readSpec(path);
  EXPECT_TRUE(back.checkpoints[0].members.empty());
  ASSERT_EQ(back.checkpoints[0].models().size(), 1u);
  EXPECT_EQ(back.checkpoints[0].models()[0].checkpoint, (dir / "a.pt").string());
}

}  // namespace
}  // namespace au::infer

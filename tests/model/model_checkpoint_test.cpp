#include "model/model_checkpoint.h"

#include <gtest/gtest.h>

#include <torch/torch.h>

#include "../io/test_dirs.h"
#include "common/error.h"

namespace au::model {
namespace {

// A file in a fresh folder of its own (tests may run side by side).
std::string scratch(const std::string& name) {
  return (testing::freshDir("model_checkpoint_" + name) / name).string();
}

ModelOptions unusual() {
  ModelOptions o;
  o.depth = 18;
  o.width = 8;
  o.fpn_width = 12;
  o.fusion_pool = 3;
  o.coord_att_shallow = 2;
  o.coord_att_deep = 0;
  o.dropout = 0.25;
  o.num_features = 24;
  o.video_reference = true;
  return o;
}

void expectSameWeights(AuNet& a, AuNet& b) {
  const auto pa = a->named_parameters(), pb = b->named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& p : pa) EXPECT_TRUE(torch::equal(p.value(), pb[p.key()])) << p.key();
  const auto ba = a->named_buffers(), bb = b->named_buffers();
  for (const auto& x : ba) EXPECT_TRUE(torch::equal(x.value(), bb[x.key()])) << x.key();
}

TEST(ModelOptions, JsonAndFingerprintRoundTrip) {
  const ModelOptions o = unusual();
  const ModelOptions from_json = ModelOptions::fromJson(o.toJson());
  EXPECT_EQ(from_json.toJson(), o.toJson());
  EXPECT_EQ(from_json.dropout, 0.25);
  const ModelOptions from_fingerprint = ModelOptions::fromFingerprint(o.fingerprint());
  EXPECT_EQ(from_fingerprint.fingerprint(), o.fingerprint());
  EXPECT_EQ(from_fingerprint.dropout, ModelOptions{}.dropout);  // not in a fingerprint
  EXPECT_EQ(ModelOptions::fromFingerprint(ModelOptions{}.fingerprint()).toJson(),
            ModelOptions{}.toJson());
}

TEST(ModelOptions, MalformedTextIsAUsageError) {
  EXPECT_THROW(ModelOptions::fromJson("[1, 2]"), UsageError);
  EXPECT_THROW(ModelOptions::fromJson("{\"depth\": 100, \"colour\": 3}"), UsageError);
  EXPECT_THROW(ModelOptions::fromJson("{\"depth\": 17}"), UsageError);  // validated
  EXPECT_THROW(ModelOptions::fromFingerprint("depth=100 fpn"), UsageError);
  EXPECT_THROW(ModelOptions::fromFingerprint("depth=1x0"), UsageError);
  EXPECT_THROW(ModelOptions::fromFingerprint("depth=100 fpn=maybe"), UsageError);
}

TEST(ModelCheckpoint, AModelIsBuiltFromTheCheckpointAlone) {
  torch::manual_seed(3);
  AuNet net(unusual());
  torch::serialize::OutputArchive archive;
  writeModel(archive, net);
  const std::string path = scratch("v2.pt");
  archive.save_to(path);
  EXPECT_EQ(checkpointModelOptions(path).toJson(), unusual().toJson());
  AuNet back = loadModel(path);
  EXPECT_EQ(back->options().toJson(), unusual().toJson());
  expectSameWeights(net, back);
}

// Checkpoints of version 1 (before the options were stored) name their model by fingerprint.
TEST(ModelCheckpoint, VersionOneCheckpointsAreRebuiltFromTheirFingerprint) {
  torch::manual_seed(4);
  AuNet net(unusual());
  torch::serialize::OutputArchive archive, weights;
  archive.write("format", c10::IValue(std::string("au-ensemble checkpoint")));
  archive.write("version", c10::IValue(int64_t{1}));
  archive.write("model_fingerprint", c10::IValue(net->options().fingerprint()));
  net->save(weights);
  archive.write("model", weights);
  const std::string path = scratch("v1.pt");
  archive.save_to(path);
  AuNet back = loadModel(path);
  EXPECT_EQ(back->options().fingerprint(), unusual().fingerprint());
  expectSameWeights(net, back);
}

TEST(ModelCheckpoint, UnknownVersionsAreDataErrorsNamingTheFile) {
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string("au-ensemble checkpoint")));
  archive.write("version", c10::IValue(kCheckpointVersion + 1));
  const std::string path = scratch("future.pt");
  archive.save_to(path);
  try {
    loadModel(path);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("version"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace au::model

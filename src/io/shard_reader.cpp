#include "io/shard_reader.h"

#include "io/h5_handle.h"
#include "io/shard_schema.h"

namespace au::io {
namespace {

H5Id openDataset(hid_t file, const char* name, const std::string& path) {
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0)
    throw DataError(path, 0, std::string("not a shard: dataset '") + name + "' is missing");
  return H5Id(AU_H5_CHECK(H5Dopen2(file, name, H5P_DEFAULT)));
}

int64_t lengthOf(hid_t dataset) {
  H5Id space(AU_H5_CHECK(H5Dget_space(dataset)));
  hsize_t dims[8] = {0};
  AU_H5_CHECK(H5Sget_simple_extent_dims(space, dims, nullptr));
  return static_cast<int64_t>(dims[0]);
}

template <typename T>
std::vector<T> readWhole(hid_t file, const char* name, hid_t memory_type, const std::string& path) {
  H5Id ds = openDataset(file, name, path);
  std::vector<T> values(static_cast<size_t>(lengthOf(ds)));
  if (!values.empty())
    AU_H5_CHECK(H5Dread(ds, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()));
  return values;
}

// Reads rows [first, first+count) of a dataset whose rows are `row_elems` elements.
void readRows(hid_t dataset, hid_t memory_type, int64_t first, int64_t count, void* out) {
  if (count == 0) return;
  H5Id file_space(AU_H5_CHECK(H5Dget_space(dataset)));
  const int rank = H5Sget_simple_extent_ndims(file_space);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(file_space, dims.data(), nullptr);
  AU_CHECK(first >= 0 && count >= 0 && static_cast<hsize_t>(first + count) <= dims[0], "rows [",
           first, ", ", first + count, ") outside a dataset of ", dims[0], " rows");
  std::vector<hsize_t> start(static_cast<size_t>(rank), 0);
  std::vector<hsize_t> size = dims;
  start[0] = static_cast<hsize_t>(first);
  size[0] = static_cast<hsize_t>(count);
  AU_H5_CHECK(
      H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, size.data(), nullptr));
  H5Id memory_space(AU_H5_CHECK(H5Screate_simple(rank, size.data(), nullptr)));
  AU_H5_CHECK(H5Dread(dataset, memory_type, memory_space, file_space, H5P_DEFAULT, out));
}

bool hasAttribute(hid_t object, const char* name) { return H5Aexists(object, name) > 0; }

template <typename T>
T readScalarAttribute(hid_t object, const char* name, hid_t memory_type) {
  H5Id attr(AU_H5_CHECK(H5Aopen(object, name, H5P_DEFAULT)));
  T value{};
  AU_H5_CHECK(H5Aread(attr, memory_type, &value));
  return value;
}

std::string readStringAttribute(hid_t object, const char* name) {
  H5Id attr(AU_H5_CHECK(H5Aopen(object, name, H5P_DEFAULT)));
  H5Id type(AU_H5_CHECK(H5Aget_type(attr)));
  AU_CHECK(H5Tis_variable_str(type) > 0, "attribute ", name, " is not a variable-length string");
  char* text = nullptr;
  AU_H5_CHECK(H5Aread(attr, type, &text));
  std::string value = text ? text : "";
  H5free_memory(text);
  return value;
}

std::vector<std::string> readStrings(hid_t file, const char* name, const std::string& path) {
  H5Id ds = openDataset(file, name, path);
  const int64_t n = lengthOf(ds);
  std::vector<char*> pointers(static_cast<size_t>(n), nullptr);
  H5Id type(AU_H5_CHECK(H5Tcopy(H5T_C_S1)));
  AU_H5_CHECK(H5Tset_size(type, H5T_VARIABLE));
  AU_H5_CHECK(H5Tset_cset(type, H5T_CSET_UTF8));
  if (n > 0) AU_H5_CHECK(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()));
  std::vector<std::string> values;
  for (char* p : pointers) {
    values.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return values;
}

}  // namespace

struct ShardReader::Impl {
  std::string path;
  H5Id file;
  H5Id images, labels, video, frame;
  int schema_version = 0;
  bool complete = false;
  std::string split;
  int shard_index = 0;
  uint64_t fingerprint = 0;
  int64_t rows = 0;
  std::vector<std::string> videos;
  std::vector<int64_t> video_first_row, video_num_rows;
  std::vector<int32_t> video_num_frames;
  std::vector<MissingFrame> missing;
};

ShardReader::ShardReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  quietHdf5Errors();
  Impl& s = *impl_;
  s.path = path;
  if (H5Fis_hdf5(path.c_str()) <= 0) throw DataError(path, 0, "not an HDF5 file");
  s.file = H5Id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (s.file.get() < 0) throw DataError(path, 0, "cannot open HDF5 file");
  if (!hasAttribute(s.file, shard::kAttrSchemaVersion))
    throw DataError(path, 0, "not a shard: no schema_version attribute");
  s.schema_version = readScalarAttribute<int>(s.file, shard::kAttrSchemaVersion, H5T_NATIVE_INT);
  if (s.schema_version != shard::kSchemaVersion)
    throw DataError(path, 0,
                    "shard schema version " + std::to_string(s.schema_version) +
                        " is not supported (this build reads version " +
                        std::to_string(shard::kSchemaVersion) + ")");
  s.complete = hasAttribute(s.file, shard::kAttrComplete) &&
               readScalarAttribute<int>(s.file, shard::kAttrComplete, H5T_NATIVE_INT) == 1;
  s.split = readStringAttribute(s.file, shard::kAttrSplit);
  s.shard_index = readScalarAttribute<int>(s.file, shard::kAttrShardIndex, H5T_NATIVE_INT);
  s.fingerprint =
      readScalarAttribute<uint64_t>(s.file, shard::kAttrPlanFingerprint, H5T_NATIVE_UINT64);
  s.images = openDataset(s.file, shard::kImages, path);
  s.labels = openDataset(s.file, shard::kLabels, path);
  s.video = openDataset(s.file, shard::kVideo, path);
  s.frame = openDataset(s.file, shard::kFrame, path);
  s.rows = lengthOf(s.images);
  if (!s.complete) return;  // tables are written at close: an incomplete shard has none
  s.videos = readStrings(s.file, shard::kVideos, path);
  s.video_first_row = readWhole<int64_t>(s.file, shard::kVideoFirstRow, H5T_NATIVE_INT64, path);
  s.video_num_rows = readWhole<int64_t>(s.file, shard::kVideoNumRows, H5T_NATIVE_INT64, path);
  s.video_num_frames = readWhole<int32_t>(s.file, shard::kVideoNumFrames, H5T_NATIVE_INT32, path);
  const auto mv = readWhole<int32_t>(s.file, shard::kMissingVideo, H5T_NATIVE_INT32, path);
  const auto mf = readWhole<int32_t>(s.file, shard::kMissingFrame, H5T_NATIVE_INT32, path);
  const auto mr = readWhole<int8_t>(s.file, shard::kMissingReason, H5T_NATIVE_INT8, path);
  if (mv.size() != mf.size() || mv.size() != mr.size())
    throw DataError(path, 0, "missing-frame tables have different lengths");
  for (size_t i = 0; i < mv.size(); ++i) s.missing.push_back({mv[i], mf[i], mr[i]});
}

ShardReader::~ShardReader() = default;
ShardReader::ShardReader(ShardReader&&) noexcept = default;
ShardReader& ShardReader::operator=(ShardReader&&) noexcept = default;

const std::string& ShardReader::path() const { return impl_->path; }
int ShardReader::schemaVersion() const { return impl_->schema_version; }
bool ShardReader::complete() const { return impl_->complete; }
const std::string& ShardReader::split() const { return impl_->split; }
int ShardReader::shardIndex() const { return impl_->shard_index; }
uint64_t ShardReader::planFingerprint() const { return impl_->fingerprint; }
int64_t ShardReader::numRows() const { return impl_->rows; }
const std::vector<std::string>& ShardReader::videos() const { return impl_->videos; }
const std::vector<int64_t>& ShardReader::videoFirstRow() const { return impl_->video_first_row; }
const std::vector<int64_t>& ShardReader::videoNumRows() const { return impl_->video_num_rows; }
const std::vector<int32_t>& ShardReader::videoNumFrames() const { return impl_->video_num_frames; }
const std::vector<MissingFrame>& ShardReader::missing() const { return impl_->missing; }

std::vector<AuLabels> ShardReader::readLabels(int64_t first_row, int64_t count) const {
  std::vector<AuLabels> labels(static_cast<size_t>(count));
  readRows(impl_->labels, H5T_NATIVE_INT8, first_row, count, labels.data());
  return labels;
}

std::vector<int32_t> ShardReader::readVideoIndex(int64_t first_row, int64_t count) const {
  std::vector<int32_t> values(static_cast<size_t>(count));
  readRows(impl_->video, H5T_NATIVE_INT32, first_row, count, values.data());
  return values;
}

std::vector<int32_t> ShardReader::readFrameNumbers(int64_t first_row, int64_t count) const {
  std::vector<int32_t> values(static_cast<size_t>(count));
  readRows(impl_->frame, H5T_NATIVE_INT32, first_row, count, values.data());
  return values;
}

void ShardReader::readImages(int64_t first_row, int64_t count, uint8_t* out) const {
  readRows(impl_->images, H5T_NATIVE_UINT8, first_row, count, out);
}

}  // namespace au::io

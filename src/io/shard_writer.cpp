#include "io/shard_writer.h"

#include <cstring>
#include <vector>

#include "io/h5_handle.h"
#include "io/shard_schema.h"

namespace au::io {
namespace {

H5Id makeDatasetCreation(const std::vector<hsize_t>& chunk, int compression) {
  H5Id dcpl(AU_H5_CHECK(H5Pcreate(H5P_DATASET_CREATE)));
  AU_H5_CHECK(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()));
  // No timestamps: the same input gives the same bytes, so reruns and rank counts compare equal.
  AU_H5_CHECK(H5Pset_obj_track_times(dcpl, false));
  if (compression > 0) AU_H5_CHECK(H5Pset_deflate(dcpl, static_cast<unsigned>(compression)));
  return dcpl;
}

// An extendible dataset of rank 1 or 2 growing along its first axis.
H5Id createGrowing(hid_t file, const char* name, hid_t type, std::vector<hsize_t> row_shape,
                   hsize_t chunk_rows, int compression = 0) {
  std::vector<hsize_t> dims{0};
  std::vector<hsize_t> max_dims{H5S_UNLIMITED};
  std::vector<hsize_t> chunk{chunk_rows};
  for (hsize_t d : row_shape) {
    dims.push_back(d);
    max_dims.push_back(d);
    chunk.push_back(d);
  }
  H5Id space(
      AU_H5_CHECK(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_dims.data())));
  H5Id dcpl = makeDatasetCreation(chunk, compression);
  return H5Id(AU_H5_CHECK(H5Dcreate2(file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT)));
}

// Appends `rows` rows held in `data` to a growing dataset.
void appendRows(hid_t dataset, hid_t type, hsize_t first_row, hsize_t rows, const void* data) {
  if (rows == 0) return;
  H5Id file_space(AU_H5_CHECK(H5Dget_space(dataset)));
  const int rank = H5Sget_simple_extent_ndims(file_space);
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(file_space, dims.data(), nullptr);
  dims[0] = first_row + rows;
  AU_H5_CHECK(H5Dset_extent(dataset, dims.data()));
  file_space = H5Id(AU_H5_CHECK(H5Dget_space(dataset)));
  std::vector<hsize_t> start(static_cast<size_t>(rank), 0);
  std::vector<hsize_t> count = dims;
  start[0] = first_row;
  count[0] = rows;
  AU_H5_CHECK(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(),
                                  nullptr));
  H5Id memory_space(AU_H5_CHECK(H5Screate_simple(rank, count.data(), nullptr)));
  AU_H5_CHECK(H5Dwrite(dataset, type, memory_space, file_space, H5P_DEFAULT, data));
}

template <typename T>
void writeArray(hid_t file, const char* name, hid_t type, const std::vector<T>& values) {
  const hsize_t n = values.size();
  H5Id space(AU_H5_CHECK(H5Screate_simple(1, &n, nullptr)));
  H5Id dcpl(AU_H5_CHECK(H5Pcreate(H5P_DATASET_CREATE)));
  AU_H5_CHECK(H5Pset_obj_track_times(dcpl, false));
  H5Id ds(AU_H5_CHECK(H5Dcreate2(file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT)));
  if (n > 0) AU_H5_CHECK(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()));
}

H5Id stringType() {
  H5Id type(AU_H5_CHECK(H5Tcopy(H5T_C_S1)));
  AU_H5_CHECK(H5Tset_size(type, H5T_VARIABLE));
  AU_H5_CHECK(H5Tset_cset(type, H5T_CSET_UTF8));
  return type;
}

void writeStrings(hid_t file, const char* name, const std::vector<std::string>& values) {
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  H5Id type = stringType();
  writeArray(file, name, type, pointers);
}

void writeScalarAttribute(hid_t object, const char* name, hid_t type, const void* value) {
  H5Id space(AU_H5_CHECK(H5Screate(H5S_SCALAR)));
  H5Id attr(AU_H5_CHECK(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT)));
  AU_H5_CHECK(H5Awrite(attr, type, value));
}

void writeStringAttribute(hid_t object, const char* name, const std::string& value) {
  H5Id type = stringType();
  const char* pointer = value.c_str();
  writeScalarAttribute(object, name, type, &pointer);
}

}  // namespace

// Images go out one chunk at a time, straight after decoding, while the pixels are still in
// the CPU cache: on the machines measured, copying cold multi-megabyte buffers into the page
// cache cost as much as decoding (BENCHMARKS.md). The small per-row datasets are batched.
constexpr int64_t kTableRows = 4096;

struct ShardWriter::Impl {
  ShardWriterOptions options;
  H5Id file;
  H5Id images, labels, video, frame;
  int64_t image_rows = 0;               // rows of `images` in the file
  int64_t table_rows = 0;               // rows of labels/video/frame in the file
  std::vector<uint8_t> pending_images;  // at most one chunk
  std::vector<signed char> pending_labels;
  std::vector<int32_t> pending_video, pending_frame;
  // Video table and missing frames, written at close.
  std::vector<std::string> video_names;
  std::vector<int64_t> video_first_row, video_num_rows;
  std::vector<int32_t> video_num_frames;
  std::vector<int32_t> missing_video, missing_frame;
  std::vector<int8_t> missing_reason;
  bool closed = false;

  int64_t pendingImages() const {
    return static_cast<int64_t>(pending_images.size()) / shard::kImageBytes;
  }
  int64_t rows() const { return table_rows + static_cast<int64_t>(pending_video.size()); }

  void flushImages() {
    const int64_t n = pendingImages();
    if (n == 0) return;
    if (options.compression == 0) {
      // A whole chunk written directly: no copy through HDF5's chunk cache. The last chunk of
      // a shard may be partial; HDF5 stores chunks whole, so pad it.
      pending_images.resize(static_cast<size_t>(options.chunk_frames * shard::kImageBytes), 0);
      const hsize_t extent[4] = {static_cast<hsize_t>(image_rows + n), shard::kImageSize,
                                 shard::kImageSize, shard::kChannels};
      AU_H5_CHECK(H5Dset_extent(images, extent));
      const hsize_t offset[4] = {static_cast<hsize_t>(image_rows), 0, 0, 0};
      AU_H5_CHECK(H5Dwrite_chunk(images, H5P_DEFAULT, 0, offset, pending_images.size(),
                                 pending_images.data()));
    } else {
      appendRows(images, H5T_NATIVE_UINT8, static_cast<hsize_t>(image_rows),
                 static_cast<hsize_t>(n), pending_images.data());
    }
    image_rows += n;
    pending_images.clear();
  }

  void flushTables() {
    const hsize_t n = pending_video.size();
    if (n == 0) return;
    const hsize_t first = static_cast<hsize_t>(table_rows);
    appendRows(labels, H5T_NATIVE_INT8, first, n, pending_labels.data());
    appendRows(video, H5T_NATIVE_INT32, first, n, pending_video.data());
    appendRows(frame, H5T_NATIVE_INT32, first, n, pending_frame.data());
    table_rows += static_cast<int64_t>(n);
    pending_labels.clear();
    pending_video.clear();
    pending_frame.clear();
  }
};

ShardWriter::ShardWriter(const std::string& path, const std::string& split, int shard_index,
                         uint64_t plan_fingerprint, const ShardWriterOptions& options)
    : impl_(std::make_unique<Impl>()) {
  quietHdf5Errors();
  AU_CHECK(options.chunk_frames >= 1, "chunk_frames must be at least 1");
  AU_CHECK(options.compression >= 0 && options.compression <= 9, "compression must be 0..9");
  impl_->options = options;
  impl_->pending_images.reserve(static_cast<size_t>(options.chunk_frames * shard::kImageBytes));
  H5Id fcpl(AU_H5_CHECK(H5Pcreate(H5P_FILE_CREATE)));
  AU_H5_CHECK(H5Pset_obj_track_times(fcpl, false));
  impl_->file = H5Id(AU_H5_CHECK(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT)));
  const hsize_t s = shard::kImageSize;
  impl_->images = createGrowing(impl_->file, shard::kImages, H5T_STD_U8LE, {s, s, shard::kChannels},
                                static_cast<hsize_t>(options.chunk_frames), options.compression);
  impl_->labels = createGrowing(impl_->file, shard::kLabels, H5T_STD_I8LE, {kNumAus}, 4096);
  impl_->video = createGrowing(impl_->file, shard::kVideo, H5T_STD_I32LE, {}, 4096);
  impl_->frame = createGrowing(impl_->file, shard::kFrame, H5T_STD_I32LE, {}, 4096);

  const int version = shard::kSchemaVersion;
  writeScalarAttribute(impl_->file, shard::kAttrSchemaVersion, H5T_NATIVE_INT, &version);
  writeStringAttribute(impl_->file, shard::kAttrSplit, split);
  writeScalarAttribute(impl_->file, shard::kAttrShardIndex, H5T_NATIVE_INT, &shard_index);
  writeScalarAttribute(impl_->file, shard::kAttrPlanFingerprint, H5T_NATIVE_UINT64,
                       &plan_fingerprint);
  std::string names;
  for (int a = 0; a < kNumAus; ++a) names += (a ? "," : "") + kAuNames[static_cast<size_t>(a)];
  writeStringAttribute(impl_->file, shard::kAttrAuNames, names);
}

ShardWriter::~ShardWriter() = default;  // H5Id members close the file unmarked

int ShardWriter::addVideo(const std::string& name, int num_frames) {
  impl_->video_names.push_back(name);
  impl_->video_first_row.push_back(impl_->rows());
  impl_->video_num_rows.push_back(0);
  impl_->video_num_frames.push_back(num_frames);
  return static_cast<int>(impl_->video_names.size()) - 1;
}

void ShardWriter::appendFrame(int frame, const AuLabels& labels, const uint8_t* rgb) {
  Impl& s = *impl_;
  AU_CHECK(!s.video_names.empty(), "appendFrame before addVideo");
  AU_CHECK(!s.closed, "appendFrame after close");
  s.pending_images.insert(s.pending_images.end(), rgb, rgb + shard::kImageBytes);
  s.pending_labels.insert(s.pending_labels.end(), labels.begin(), labels.end());
  s.pending_video.push_back(static_cast<int32_t>(s.video_names.size() - 1));
  s.pending_frame.push_back(frame);
  ++s.video_num_rows.back();
  if (s.pendingImages() == s.options.chunk_frames) s.flushImages();
  if (static_cast<int64_t>(s.pending_video.size()) == kTableRows) s.flushTables();
}

void ShardWriter::recordMissing(int frame, int8_t reason) {
  AU_CHECK(!impl_->video_names.empty(), "recordMissing before addVideo");
  impl_->missing_video.push_back(static_cast<int32_t>(impl_->video_names.size() - 1));
  impl_->missing_frame.push_back(frame);
  impl_->missing_reason.push_back(reason);
}

int64_t ShardWriter::rowsWritten() const { return impl_->rows(); }

void ShardWriter::close() {
  Impl& s = *impl_;
  if (s.closed) return;
  s.flushImages();
  s.flushTables();
  writeStrings(s.file, shard::kVideos, s.video_names);
  writeArray(s.file, shard::kVideoFirstRow, H5T_STD_I64LE, s.video_first_row);
  writeArray(s.file, shard::kVideoNumRows, H5T_STD_I64LE, s.video_num_rows);
  writeArray(s.file, shard::kVideoNumFrames, H5T_STD_I32LE, s.video_num_frames);
  writeArray(s.file, shard::kMissingVideo, H5T_STD_I32LE, s.missing_video);
  writeArray(s.file, shard::kMissingFrame, H5T_STD_I32LE, s.missing_frame);
  writeArray(s.file, shard::kMissingReason, H5T_STD_I8LE, s.missing_reason);
  const int complete = 1;
  writeScalarAttribute(s.file, shard::kAttrComplete, H5T_NATIVE_INT, &complete);
  s.images.reset();
  s.labels.reset();
  s.video.reset();
  s.frame.reset();
  AU_H5_CHECK(H5Fflush(s.file, H5F_SCOPE_GLOBAL));
  s.file.reset();
  s.closed = true;
}

}  // namespace au::io

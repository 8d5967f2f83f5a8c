// RAII ownership of HDF5 identifiers and AU_H5_CHECK, for the shard reader and writer only.
#pragma once

#include <hdf5.h>

#include "common/error.h"

/// Evaluates an HDF5 call returning hid_t or herr_t; throws au::Error naming it on failure.
#define AU_H5_CHECK(call)                                                                      \
  ([&]() {                                                                                     \
    auto au_h5_rc_ = (call);                                                                   \
    if (au_h5_rc_ < 0)                                                                         \
      throw ::au::Error(                                                                       \
          ::au::detail::concat("HDF5 call failed: ", #call, " at ", __FILE__, ":", __LINE__)); \
    return au_h5_rc_;                                                                          \
  }())

namespace au::io {

/// HDF5 prints its error stack to stderr by default; we report errors ourselves instead.
inline void quietHdf5Errors() {
  static const bool done = [] { return H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0; }();
  (void)done;
}

/// Closes an HDF5 id with the right H5?close on destruction.
class H5Id {
 public:
  H5Id() = default;
  explicit H5Id(hid_t id) : id_(id) {}
  ~H5Id() { reset(); }
  H5Id(H5Id&& other) noexcept : id_(other.id_) { other.id_ = H5I_INVALID_HID; }
  H5Id& operator=(H5Id&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.id_;
      other.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }
  void reset() {
    if (id_ < 0) return;
    switch (H5Iget_type(id_)) {
      case H5I_FILE:
        H5Fclose(id_);
        break;
      case H5I_GROUP:
        H5Gclose(id_);
        break;
      case H5I_DATASET:
        H5Dclose(id_);
        break;
      case H5I_DATASPACE:
        H5Sclose(id_);
        break;
      case H5I_DATATYPE:
        H5Tclose(id_);
        break;
      case H5I_ATTR:
        H5Aclose(id_);
        break;
      case H5I_GENPROP_LST:
        H5Pclose(id_);
        break;
      default:
        break;
    }
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

}  // namespace au::io

// The 12 action units of the ABAW AU track, in the order of every file and tensor.
#pragma once

#include <array>
#include <string>

namespace au::io {

constexpr int kNumAus = 12;
inline const std::array<std::string, kNumAus> kAuNames = {
    "AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"};
/// Line 1 of every Aff-Wild2 AU annotation file and of ABAW3 submission files.
inline const std::string kAuHeader = "AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26";

/// One frame's labels: 1 active, 0 inactive, -1 not annotated.
using AuLabels = std::array<signed char, kNumAus>;

}  // namespace au::io

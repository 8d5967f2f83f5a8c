// The ensemble au_select chooses and au_infer runs: for each AU the checkpoint whose output it
// takes, the decision threshold and the smoothing window; stored as readable JSON.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "io/au_names.h"

namespace au::infer {

/// One model: an au_train checkpoint (which holds the model's options) and, for the record, its
/// run's config.ini (optional).
struct SpecMember {
  std::string checkpoint;
  std::string config;
  std::string crc32c;  ///< the checkpoint file's CRC-32C when selected (empty: not recorded)
};

struct SpecCheckpoint {
  std::string name;        ///< e.g. "runs/r100_glint/epoch_003"
  std::string checkpoint;  ///< the au_train checkpoint file (empty when `members` are given)
  std::string config;      ///< that run's config.ini, for the record (optional)
  /// The k fold models of one epoch of a k-fold family, acting as one model: au_infer averages
  /// their probabilities. Empty for a single model (`checkpoint` and `config`).
  std::vector<SpecMember> members;
  std::string crc32c;  ///< `checkpoint`'s CRC-32C when selected (empty: not recorded)

  /// The models behind this entry: its members, or the single checkpoint.
  std::vector<SpecMember> models() const;
};

struct AuChoice {
  int checkpoint = 0;      ///< index into EnsembleSpec::checkpoints
  float threshold = 0.5f;  ///< predict 1 when the (smoothed) probability >= threshold
  int window = 1;          ///< centred mean filter width (odd; 1 = none)
};

struct EnsembleSpec {
  std::vector<SpecCheckpoint> checkpoints;  ///< each distinct checkpoint once
  std::array<AuChoice, io::kNumAus> aus{};
  std::string fill = "linear";  ///< how frames without a face are filled (nearest, linear)
  double validation_mean_f1 = 0,
         validation_mean_f1_our = 0;  ///< what selection measured (tuning frames)
  int cv_folds =
      0;  ///< video folds the tuning was cross-validated over; 0: none (or a spec from before)
  double validation_mean_f1_cv = 0,
         validation_mean_f1_our_cv = 0;  ///< cross-validated (held-out videos)
};

/// Records each checkpoint file's CRC-32C in the spec (au_select, before writing it), so that
/// au_infer can tell a checkpoint that changed since it was chosen.
void recordChecksums(EnsembleSpec& spec);
/// Throws DataError naming the spec and every checkpoint whose bytes no longer have the
/// recorded CRC-32C (models without a recorded one are not checked).
void verifyChecksums(const EnsembleSpec& spec, const std::string& spec_path);

/// Writes the spec atomically as JSON.
void writeSpec(const std::string& path, const EnsembleSpec& spec);
/// Reads a spec (entries with "members" or, as specs from before, a single "checkpoint" and
/// "config"; "config" may be left out). Throws DataError naming the file for malformed content,
/// and naming every checkpoint or config file the spec lists (members' included) that does not
/// exist.
EnsembleSpec readSpec(const std::string& path);

}  // namespace au::infer

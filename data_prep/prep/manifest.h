// manifest.json at the root of a shard folder: shards with checksums, per-video frame counts
// and missing frames, split and fold video lists, and per-AU label counts (the paper's Table 1
// for this data). Written by rank 0 only, atomically. Its content does not depend on the
// number of ranks.
#pragma once

#include <string>
#include <vector>

#include "prep/prep_options.h"
#include "prep/shard_plan.h"
#include "prep/shard_summary.h"

namespace au::prep {

/// The manifest text; `summaries` are in plan order.
std::string makeManifest(const ShardPlan& plan, const std::vector<ShardSummary>& summaries,
                         const PrepOptions& options);
/// The label table of a manifest, as printed by au_prep.
std::string labelTable(const std::string& manifest_text);

}  // namespace au::prep

// Shards checked against the CRC-32C that au_prep recorded for each in manifest.json, before any
// frame of them is trained on or predicted: a flipped byte on disk, a truncated copy or a shard
// rewritten by another au_prep is refused by name instead of becoming wrong images or labels.
#pragma once

#include <string>
#include <vector>

#include "io/shard_manifest.h"
#include "mpi/process_group.h"

namespace au::data {

/// Collective: the ranks share the reading (shard i, in manifest order, on rank i % size), so
/// each shard is read once in all. Throws DataError on every rank naming each shard of `splits`
/// whose bytes do not match the manifest (its checksum and the manifest's, or why it could not
/// be read). Returns the bytes this rank read.
long long verifyShards(const io::ShardManifest& manifest, const std::vector<std::string>& splits,
                       const mpi::ProcessGroup& group);

}  // namespace au::data

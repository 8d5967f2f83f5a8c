// au_synth: writes the deterministic synthetic dataset in the Aff-Wild2 layout (the product's
// embedded default, since Aff-Wild2 itself is licensed and cannot ship).
#include <cstdio>

#include "common/log.h"
#include "common/options.h"
#include "common/run_program.h"
#include "io/au_names.h"
#include "synth/dataset_generator.h"
#include "synth/synth_options.h"

namespace {

void printSummary(const std::vector<au::synth::GeneratedVideo>& videos) {
  for (const std::string split : {"train", "validation", "test"}) {
    int count = 0;
    int64_t frames = 0, images = 0, unknown = 0;
    std::array<int64_t, 12> positives{};
    for (const auto& v : videos) {
      if (v.split != split) continue;
      ++count;
      frames += v.frames;
      images += v.images;
      unknown += v.unknown_rows;
      for (size_t a = 0; a < positives.size(); ++a) positives[a] += v.positives[a];
    }
    std::printf("%-10s %3d videos %7lld frames %7lld images %5lld rows -1 | positives:",
                split.c_str(), count, static_cast<long long>(frames),
                static_cast<long long>(images), static_cast<long long>(unknown));
    for (size_t a = 0; a < positives.size(); ++a)
      std::printf(" %s %lld", au::io::kAuNames[a].c_str(), static_cast<long long>(positives[a]));
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  au::OptionSet options(
      "au_synth",
      "Writes a deterministic synthetic dataset in the Aff-Wild2 layout: drawn faces\n"
      "whose 12 action units come in smooth episodes, annotation files, the test list,\n"
      "and the test ground truth kept apart. The same seed gives the same bytes.");
  au::synth::SynthOptions synth;
  au::synth::describe(options, synth);
  return au::runProgram(argc, argv, options, [&] {
    printSummary(au::synth::generateDataset(synth));
    au::log::info("wrote ", synth.out);
    return 0;
  });
}

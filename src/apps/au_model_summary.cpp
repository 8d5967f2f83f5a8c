// au_model_summary: prints the AU model a configuration describes (layers, parameter counts,
// output shapes), e.g. to check an ablation row of the paper before training it.
#include <iostream>

#include "common/options.h"
#include "common/run_program.h"
#include "model/au_net.h"
#include "model/model_summary.h"

int main(int argc, char** argv) {
  au::OptionSet options(
      "au_model_summary",
      "Prints the layers, parameter counts and output shapes of the AU model that the\n"
      "--model.* options (or a --config file's [model] section) describe.");
  au::model::ModelOptions model;
  au::model::describe(options, model);
  return au::runProgram(argc, argv, options, [&] {
    au::model::AuNet net(model);
    std::cout << au::model::summarize(net);
    return 0;
  });
}

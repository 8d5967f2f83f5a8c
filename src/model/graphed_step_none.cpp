// GraphedStep in builds without CUDA: always eager.
#include "model/graphed_step.h"

namespace au::model {

struct GraphedStep::Graph {};

GraphedStep::GraphedStep(std::function<void()> step, torch::Device, int)
    : step_(std::move(step)), why_eager_("this build has no CUDA") {}
GraphedStep::~GraphedStep() = default;
void GraphedStep::run() { step_(); }
bool GraphedStep::captured() const { return false; }
const std::string& GraphedStep::whyEager() const { return why_eager_; }

}  // namespace au::model

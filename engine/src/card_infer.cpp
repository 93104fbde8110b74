#include <filesystem>

#include "torch_bridge.h"

namespace maas::engine {

// A module saved without a card still tells a lot: forward's signature names the inputs and their
// types, the first weight tells the input's channels or features, and the last 2-D weight tells how many
// outputs a classifier head has. Whatever cannot be told stays -1 (dynamic) and the card is marked inferred.
ModelCard inferCard(const torch::jit::Module& module, const std::string& path)
{
    ModelCard card;
    card.inferred = true;
    card.name = std::filesystem::path(path).stem().string();

    std::vector<std::pair<std::string, at::Tensor>> params;
    for (const auto& p : module.named_parameters(true))
        params.emplace_back(p.name, p.value);

    const auto& schema = module.get_method("forward").function().getSchema();
    for (std::size_t i = 1; i < schema.arguments().size(); ++i) { // 0 is self
        const auto& arg = schema.arguments()[i];
        TensorSpec spec;
        spec.name = arg.name();
        const std::string type = arg.type()->str();
        if (type == "List[str]" || type == "str") {
            spec.dtype = DataType::Bytes;
            spec.shape = { -1 };
            card.task = "text-classification";
        } else if (i == 1 && !params.empty()) {
            const auto& [name, w] = params.front();
            const bool recurrent = name.find("weight_ih") != std::string::npos;
            if (w.dim() == 4) { // a 2-D convolution: [out, in, kh, kw]
                spec.shape = { -1, w.size(1), -1, -1 };
                card.preprocessing.scale = 1.0 / 255.0;
                card.preprocessing.color = w.size(1) == 1 ? "gray" : (w.size(1) == 3 ? "rgb" : "");
            } else if (recurrent && w.dim() == 2) { // LSTM/GRU: [gates * hidden, features]
                spec.shape = { -1, -1, w.size(1) };
            } else if (w.dim() == 2 && name.find("embedding") == std::string::npos) { // linear: [out, in]
                spec.shape = { -1, w.size(1) };
            }
        }
        card.inputs.push_back(spec);
    }

    for (auto it = params.rbegin(); it != params.rend(); ++it) {
        if (it->second.dim() == 2 && it->first.find("weight") != std::string::npos) {
            card.outputs.push_back({ "output", DataType::Float32, { -1, it->second.size(0) } });
            if (card.task.empty())
                card.task = card.preprocessing.color.empty() ? "classification" : "image-classification";
            break;
        }
    }
    if (card.outputs.empty())
        card.outputs.push_back({ "output", DataType::Float32, {} });
    return card;
}

} // namespace maas::engine

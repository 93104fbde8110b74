#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/tensor.h"

namespace maas::engine {

/// One named input or output of a model; -1 in shape marks a dynamic axis (usually the batch).
struct TensorSpec {
    std::string name;
    DataType dtype = DataType::Float32;
    std::vector<std::int64_t> shape;
};

/// How raw data becomes the model's input: value = (raw * scale - mean[c]) / std[c].
struct Preprocessing {
    double scale = 1.0;
    std::vector<double> mean;
    std::vector<double> std;
    int imageWidth = 0; ///< 0: any size
    int imageHeight = 0;
    std::string color; ///< "gray", "rgb", or empty for non-image inputs
    std::string tokenizer; ///< for text models, a description of the tokenizer inside the model
};

/// Where a model came from: the parent's SHA-256 and the operation that made this one.
struct Lineage {
    std::string parentSha256;
    std::string operation;
    nlohmann::json parameters = nlohmann::json::object();
};

/// The model card, stored inside the TorchScript archive as extra/card.json.
struct ModelCard {
    std::string name;
    std::string task;
    std::string description;
    std::vector<TensorSpec> inputs;
    std::vector<TensorSpec> outputs;
    std::vector<std::string> labels;
    Preprocessing preprocessing;
    Lineage lineage;
    nlohmann::json metrics = nlohmann::json::object();
    /// True when the engine guessed the card from the module (the file had none).
    bool inferred = false;
    /// Keys this version does not know, kept so that a round trip loses nothing.
    nlohmann::json extras = nlohmann::json::object();

    nlohmann::json toJson() const;
    /// Throws Error(InvalidCard) naming the field that is wrong; `where` names the source for the message.
    static ModelCard fromJson(const nlohmann::json& json, const std::string& where);
};

/// The deepest JSON a file or a setting may nest ([ and {): the parser recurses, and a card nested
/// 50,000 deep would overflow the stack.
constexpr int kMaxJsonNesting = 100;

/// Parses JSON from a file or a user: nothing when it is not JSON, nests deeper than kMaxJsonNesting, or
/// holds a number past double's range; `why` (if given) then says which, in words for a sentence.
std::optional<nlohmann::json> parseJson(std::string_view text, std::string* why = nullptr);

/// Class names from text: a JSON list, or names separated by commas (trimmed). Each must be there and
/// differ from the others, since a prediction is reported by its label: else Error (field "labels").
std::vector<std::string> parseLabels(const std::string& text);

/// Splits one `--set KEY=VALUE` at its first '='; false when there is no '=' or the key is empty.
/// The one parser of --set, for `maas card` and `maas new` alike.
bool splitSetting(const std::string& assignment, std::string& key, std::string& value);

/// A --set value as JSON: JSON when it parses as JSON ("0.2", "[1,2]", "true"), a list when it has
/// commas (each item JSON or text: "256,128", "cat,dog"), and text otherwise.
nlohmann::json parseSettingValue(const std::string& value);

/// Sets one card field from text, as `maas card --set key=value` does. Keys are dotted paths
/// ("task", "labels", "preprocessing.mean", "inputs.0.shape"); values are JSON, a comma list, or a word.
void setCardField(ModelCard& card, const std::string& key, const std::string& value);

} // namespace maas::engine

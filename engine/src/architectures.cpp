// The workbench's own architectures, built directly as TorchScript: parameters registered on
// torch::jit::Module objects and forward compiled from TorchScript source with define(). Training,
// saving, inspecting and serving then treat them exactly like models imported from PyTorch.
#include "maas/engine/architectures.h"

#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "files.h"
#include "maas/engine/error.h"
#include "maas/engine/limits.h"
#include "sizes.h"
#include "tokenizer.h"
#include "torch_bridge.h"

namespace maas::engine {

using nlohmann::json;
using torch::jit::Module;

namespace {

[[noreturn]] void bad(const std::string& field, const std::string& why)
{
    throw Error(ErrorKind::InvalidInput, "the model spec's '" + field + "' " + why, field, why);
}

// The largest layer size (width, channels, kernel, vocabulary) and the most layers a spec may ask for:
// past them a spec is a typo, and the sizes stay far from overflowing when multiplied.
constexpr std::int64_t kMaxSize = 1 << 24;
constexpr std::int64_t kMaxLayers = 1000;

std::int64_t integer(const json& spec, const std::string& key, std::int64_t fallback, std::int64_t minimum = 1,
    std::int64_t maximum = kMaxSize)
{
    if (!spec.contains(key))
        return fallback;
    if (!spec[key].is_number_integer() || spec[key].get<std::int64_t>() < minimum
        || spec[key].get<std::int64_t>() > maximum)
        bad(key, "must be a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum) + ".");
    return spec[key].get<std::int64_t>();
}

std::vector<std::int64_t> integers(
    const json& spec, const std::string& key, std::vector<std::int64_t> fallback, std::int64_t maximum = kMaxSize)
{
    if (!spec.contains(key))
        return fallback;
    if (!spec[key].is_array())
        bad(key, "must be a list of whole numbers, e.g. [256, 128].");
    std::vector<std::int64_t> out;
    for (const auto& v : spec[key]) {
        if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > maximum)
            bad(key, "must hold whole numbers from 1 to " + std::to_string(maximum) + " only.");
        out.push_back(v.get<std::int64_t>());
    }
    return out;
}

double number(const json& spec, const std::string& key, double fallback, double lo, double hi)
{
    if (!spec.contains(key))
        return fallback;
    if (!spec[key].is_number() || spec[key].get<double>() < lo || spec[key].get<double>() > hi)
        bad(key, "must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) + ".");
    return spec[key].get<double>();
}

bool boolean(const json& spec, const std::string& key, bool fallback)
{
    if (!spec.contains(key))
        return fallback;
    if (!spec[key].is_boolean())
        bad(key, "must be true or false.");
    return spec[key].get<bool>();
}

std::string word(const json& spec, const std::string& key, const std::string& fallback, std::set<std::string> allowed)
{
    if (!spec.contains(key))
        return fallback;
    if (!spec[key].is_string() || !allowed.count(spec[key].get<std::string>())) {
        std::string list;
        for (const auto& a : allowed)
            list += (list.empty() ? "" : ", ") + a;
        bad(key, "must be one of: " + list + ".");
    }
    return spec[key].get<std::string>();
}

std::string floatText(double v)
{
    std::ostringstream s;
    s.precision(17);
    s << v;
    std::string t = s.str();
    if (t.find_first_of(".e") == std::string::npos)
        t += ".0";
    return t;
}

// Makes modules of one compilation unit, each with its own class type and a `training` flag.
class Builder {
public:
    Module make(const std::string& type)
    {
        Module m(c10::QualifiedName("__torch__.maas." + type), m_unit, /*shouldMangle=*/true);
        m.register_attribute("training", c10::BoolType::get(), true);
        return m;
    }

    // PyTorch's default initialization: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
    at::Tensor uniform(std::vector<std::int64_t> shape, std::int64_t fanIn)
    {
        const double bound = 1.0 / std::sqrt(static_cast<double>(fanIn));
        return empty(std::move(shape)).uniform_(-bound, bound);
    }

    // Every parameter and buffer is allocated here, after its size is added up and checked: a layer size
    // that would take more memory than the machine has is refused before any of it is taken.
    at::Tensor empty(std::vector<std::int64_t> shape)
    {
        const std::int64_t size = checkedProduct(shape);
        const bool fits
            = size >= 0 && m_parameters >= 0 && size <= std::numeric_limits<std::int64_t>::max() - m_parameters;
        m_parameters = fits ? m_parameters + size : -1;
        const std::int64_t limit = std::min(limits::kParameters, physicalMemoryBytes() / 2 / 4);
        if (m_parameters < 0 || m_parameters > limit)
            throw Error(ErrorKind::InvalidInput,
                "the model would have more than " + std::to_string(limit) + " parameters ("
                    + byteSize(4.0 * double(limit))
                    + " as float32, half of this machine's memory); give smaller layers, fewer classes or a smaller "
                      "input shape.");
        return guardMemory("building the model", [&] { return torch::empty(shape); });
    }

    Module linear(std::int64_t in, std::int64_t out)
    {
        auto m = make("Linear");
        m.register_parameter("weight", uniform({ out, in }, in), false);
        m.register_parameter("bias", uniform({ out }, in), false);
        m.define("def forward(self, x: Tensor) -> Tensor:\n    return torch.linear(x, self.weight, self.bias)\n");
        return m;
    }

    Module conv2d(std::int64_t in, std::int64_t out, std::int64_t kernel)
    {
        auto m = make("Conv2d");
        m.register_parameter("weight", uniform({ out, in, kernel, kernel }, in * kernel * kernel), false);
        m.register_parameter("bias", uniform({ out }, in * kernel * kernel), false);
        const std::string pad = std::to_string(kernel / 2);
        m.define("def forward(self, x: Tensor) -> Tensor:\n    return torch.conv2d(x, self.weight, self.bias, [1, 1], ["
            + pad + ", " + pad + "], [1, 1], 1)\n");
        return m;
    }

    // Batch normalization over the channel axis of [N, C] or [N, C, H, W]; running statistics are buffers.
    Module batchNorm(std::int64_t features)
    {
        auto m = make("BatchNorm");
        m.register_parameter("weight", empty({ features }).fill_(1), false);
        m.register_parameter("bias", empty({ features }).zero_(), false);
        m.register_buffer("running_mean", empty({ features }).zero_());
        m.register_buffer("running_var", empty({ features }).fill_(1));
        m.define("def forward(self, x: Tensor) -> Tensor:\n"
                 "    return torch.batch_norm(x, self.weight, self.bias, self.running_mean, self.running_var, "
                 "self.training, 0.1, 1e-05, False)\n");
        return m;
    }

    Module recurrent(const std::string& cell, std::int64_t in, std::int64_t hidden, std::int64_t layers,
        bool bidirectional, double dropout)
    {
        auto m = make(cell == "gru" ? "GRU" : "LSTM");
        const std::int64_t gates = cell == "gru" ? 3 : 4, directions = bidirectional ? 2 : 1;
        std::string params;
        for (std::int64_t l = 0; l < layers; ++l)
            for (std::int64_t d = 0; d < directions; ++d) {
                const std::string suffix = "_l" + std::to_string(l) + (d ? "_reverse" : "");
                const std::int64_t layerIn = l == 0 ? in : hidden * directions;
                for (const auto& [name, shape] : std::vector<std::pair<std::string, std::vector<std::int64_t>>> {
                         { "weight_ih", { gates * hidden, layerIn } }, { "weight_hh", { gates * hidden, hidden } },
                         { "bias_ih", { gates * hidden } }, { "bias_hh", { gates * hidden } } }) {
                    m.register_parameter(name + suffix, uniform(shape, hidden), false);
                    params += (params.empty() ? "self." : ", self.") + name + suffix;
                }
            }
        const std::string L = std::to_string(layers), D = std::to_string(directions), H = std::to_string(hidden);
        const std::string flags = "True, " + L + ", " + floatText(dropout) + ", self.training, "
            + (bidirectional ? "True" : "False") + ", True";
        std::string src = "def forward(self, x: Tensor) -> Tensor:\n"
                          "    h0 = torch.zeros(["
            + L + " * " + D + ", x.size(0), " + H + "], dtype=x.dtype)\n";
        if (cell == "gru")
            src += "    out = torch.gru(x, h0, [" + params + "], " + flags + ")\n";
        else
            src += "    out = torch.lstm(x, [h0, h0], [" + params + "], " + flags + ")\n";
        // The last layer's final hidden state (both directions when bidirectional).
        src += bidirectional ? "    return torch.cat([out[1][-2], out[1][-1]], 1)\n" : "    return out[1][-1]\n";
        m.define(src);
        return m;
    }

private:
    std::int64_t m_parameters = 0;
    std::shared_ptr<torch::jit::CompilationUnit> m_unit = std::make_shared<torch::jit::CompilationUnit>();
};

std::string activation(const std::string& name, const std::string& x)
{
    if (name == "gelu")
        return "torch.gelu(" + x + ")";
    return "torch." + name + "(" + x + ")";
}

std::vector<std::string> classNames(const json& spec)
{
    std::vector<std::string> labels;
    if (spec.contains("labels")) {
        if (!spec["labels"].is_array())
            bad("labels", "must be a list of class names.");
        for (const auto& l : spec["labels"]) {
            if (!l.is_string())
                bad("labels", "must hold text only.");
            labels.push_back(l.get<std::string>());
        }
    }
    const auto classes = integer(
        spec, "classes", static_cast<std::int64_t>(labels.size()), 0, std::numeric_limits<std::int64_t>::max());
    if (classes > limits::kClasses || static_cast<std::int64_t>(labels.size()) > limits::kClasses)
        bad("classes", "must be at most " + std::to_string(limits::kClasses) + ".");
    if (!labels.empty() && classes != static_cast<std::int64_t>(labels.size()))
        bad("classes",
            "says " + std::to_string(classes) + " but 'labels' names " + std::to_string(labels.size()) + ".");
    if (classes < 2)
        bad("classes",
            "must be at least 2: give the number of classes, their labels, or a data set to take them from.");
    for (std::int64_t c = static_cast<std::int64_t>(labels.size()); c < classes; ++c)
        labels.push_back(std::to_string(c));
    return labels;
}

std::vector<std::int64_t> inputShape(const json& spec, std::size_t minRank, std::size_t maxRank)
{
    const auto shape = integers(spec, "input_shape", {}, std::numeric_limits<std::int64_t>::max()); // limit below
    if (shape.empty())
        bad("input_shape",
            "is missing: give the shape of one sample (e.g. [1, 28, 28]), or a data set to take it from.");
    const std::int64_t elements = checkedProduct(shape);
    if (elements < 0 || elements > limits::kSampleElements)
        bad("input_shape",
            "is " + shapeToString(shape) + ", more than the limit of " + std::to_string(limits::kSampleElements)
                + " values in one sample; give a smaller shape.");
    if (shape.size() < minRank || shape.size() > maxRank)
        bad("input_shape",
            "must have " + std::to_string(minRank) + (minRank == maxRank ? "" : " to " + std::to_string(maxRank))
                + " axes for this architecture, not " + std::to_string(shape.size()) + ".");
    return shape;
}

void checkKnownFields(const json& spec, std::set<std::string> known)
{
    known.insert({ "arch", "classes", "labels", "input_shape", "name", "seed" });
    for (const auto& [key, value] : spec.items())
        if (!known.count(key)) {
            std::string list;
            for (const auto& k : known)
                list += (list.empty() ? "" : ", ") + k;
            bad(key, "is not a field of a " + spec["arch"].get<std::string>() + " spec; its fields are: " + list + ".");
        }
}

// Adds dense layers (linear [+ batch norm] + activation + dropout) and a head; returns forward's body.
std::string dense(Builder& b, Module& top, std::int64_t in, const std::vector<std::int64_t>& sizes, bool batchNorm,
    const std::string& act, double dropout, std::int64_t classes, const std::string& prefix)
{
    std::string body;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const std::string name = prefix + std::to_string(i);
        top.register_module(name, b.linear(in, sizes[i]));
        body += "    x = self." + name + ".forward(x)\n";
        if (batchNorm) {
            top.register_module(name + "_bn", b.batchNorm(sizes[i]));
            body += "    x = self." + name + "_bn.forward(x)\n";
        }
        body += "    x = " + activation(act, "x") + "\n";
        if (dropout > 0)
            body += "    x = torch.dropout(x, " + floatText(dropout) + ", self.training)\n";
        in = sizes[i];
    }
    top.register_module("head", b.linear(in, classes));
    return body + "    return self.head.forward(x)\n";
}

// Every architecture's card says the same about its outputs; builders add inputs and task.
ModelCard baseCard(const json& spec, const std::string& arch, const std::vector<std::string>& labels)
{
    ModelCard card;
    card.name = spec.value("name", arch);
    card.labels = labels;
    card.outputs = { { "logits", DataType::Float32, { -1, static_cast<std::int64_t>(labels.size()) } } };
    card.task = "classification";
    return card;
}

void buildMlp(Builder& b, Module& top, ModelCard& card, const json& spec, std::int64_t classes)
{
    checkKnownFields(spec, { "hidden", "activation", "dropout", "batch_norm" });
    const auto shape = inputShape(spec, 1, 3);
    std::int64_t in = 1;
    for (auto d : shape)
        in *= d;
    const auto act = word(spec, "activation", "relu", { "relu", "gelu", "tanh", "sigmoid" });
    const std::string body = dense(b, top, in, integers(spec, "hidden", { 256, 128 }),
        boolean(spec, "batch_norm", false), act, number(spec, "dropout", 0.0, 0.0, 0.95), classes, "fc");
    top.define("def forward(self, x: Tensor) -> Tensor:\n    x = torch.flatten(x, 1)\n" + body);
    std::vector<std::int64_t> full { -1 };
    full.insert(full.end(), shape.begin(), shape.end());
    card.inputs = { { shape.size() == 3 ? "image" : "features", DataType::Float32, full } };
    if (shape.size() == 3)
        card.task = "image-classification";
}

void buildCnn(Builder& b, Module& top, ModelCard& card, const json& spec, std::int64_t classes)
{
    checkKnownFields(spec, { "channels", "kernel", "batch_norm", "pool", "dense", "dropout", "activation" });
    const auto shape = inputShape(spec, 3, 3);
    const auto kernel = integer(spec, "kernel", 3);
    const auto pool = integer(spec, "pool", 2);
    const bool batchNorm = boolean(spec, "batch_norm", true);
    const auto act = word(spec, "activation", "relu", { "relu", "gelu", "tanh", "sigmoid" });
    std::int64_t channels = shape[0], h = shape[1], w = shape[2];
    std::string body = "def forward(self, x: Tensor) -> Tensor:\n";
    const auto blocks = integers(spec, "channels", { 32, 64 });
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        const std::string name = "conv" + std::to_string(i);
        top.register_module(name, b.conv2d(channels, blocks[i], kernel));
        body += "    x = self." + name + ".forward(x)\n";
        if (batchNorm) {
            top.register_module(name + "_bn", b.batchNorm(blocks[i]));
            body += "    x = self." + name + "_bn.forward(x)\n";
        }
        // ReLU commutes with max-pooling, so it runs on the pooled map: the same numbers, a quarter of the work.
        const bool reluAfterPool = pool > 1 && act == "relu";
        if (!reluAfterPool)
            body += "    x = " + activation(act, "x") + "\n";
        if (pool > 1) {
            const std::string p = std::to_string(pool);
            body += "    x = torch.max_pool2d(x, [" + p + ", " + p + "], [" + p + ", " + p
                + "], [0, 0], [1, 1], False)\n";
            h /= pool;
            w /= pool;
        }
        if (reluAfterPool)
            body += "    x = " + activation(act, "x") + "\n";
        if (h < 1 || w < 1)
            bad("channels",
                "has " + std::to_string(blocks.size()) + " pooling blocks, which shrink a " + std::to_string(shape[1])
                    + "x" + std::to_string(shape[2]) + " input to nothing; use fewer blocks or pool 1.");
        channels = blocks[i];
    }
    body += "    x = torch.flatten(x, 1)\n";
    body += dense(b, top, channels * h * w, integers(spec, "dense", { 128 }), false, act,
        number(spec, "dropout", 0.0, 0.0, 0.95), classes, "fc");
    top.define(body);
    card.inputs = { { "image", DataType::Float32, { -1, shape[0], shape[1], shape[2] } } };
    card.task = "image-classification";
}

void buildRnn(Builder& b, Module& top, ModelCard& card, const json& spec, std::int64_t classes)
{
    checkKnownFields(spec, { "cell", "hidden", "layers", "bidirectional", "dropout" });
    const auto shape = inputShape(spec, 2, 3);
    const auto cell = word(spec, "cell", "lstm", { "lstm", "gru" });
    const auto hidden = integer(spec, "hidden", 128);
    const bool bidirectional = boolean(spec, "bidirectional", false);
    // Images [C, H, W] are read row by row: H time steps of C * W features.
    const std::int64_t features = shape.size() == 3 ? shape[0] * shape[2] : shape[1];
    top.register_module("rnn",
        b.recurrent(cell, features, hidden, integer(spec, "layers", 1, 1, kMaxLayers), bidirectional,
            number(spec, "dropout", 0.0, 0.0, 0.95)));
    top.register_module("head", b.linear(hidden * (bidirectional ? 2 : 1), classes));
    top.define(std::string("def forward(self, x: Tensor) -> Tensor:\n")
        + (shape.size() == 3 ? "    x = torch.flatten(x.permute([0, 2, 1, 3]), 2)\n" : "")
        + "    return self.head.forward(self.rnn.forward(x))\n");
    std::vector<std::int64_t> full { -1 };
    full.insert(full.end(), shape.begin(), shape.end());
    card.inputs = { { shape.size() == 3 ? "image" : "sequence", DataType::Float32, full } };
    if (shape.size() == 3)
        card.task = "image-classification";
}

// The text encoder and head: forward_ids(ids, offsets) over a bag of embeddings or an LSTM.
void buildTextEncoder(Builder& b, Module& top, const json& spec, const std::string& encoder, std::int64_t embedding,
    std::int64_t vocab, std::int64_t classes)
{
    if (encoder == "bag") {
        auto bag = b.make("EmbeddingBag");
        bag.register_parameter("weight", b.empty({ vocab, embedding }).normal_().mul_(0.1), false);
        bag.define("def forward(self, ids: Tensor, offsets: Tensor) -> Tensor:\n"
                   "    return torch.embedding_bag(self.weight, ids, offsets, False, 1, False, None, False)[0]\n");
        top.register_module("embedding", bag);
        top.register_module("head", b.linear(embedding, classes));
        top.define("def forward_ids(self, ids: Tensor, offsets: Tensor) -> Tensor:\n"
                   "    return self.head.forward(self.embedding.forward(ids, offsets))\n");
        return;
    }
    const auto hidden = integer(spec, "hidden", 64);
    auto table = b.make("Embedding");
    table.register_parameter("weight", b.empty({ vocab, embedding }).normal_().mul_(0.1), false);
    top.register_module("embedding", table);
    top.register_module("rnn", b.recurrent("lstm", embedding, hidden, 1, false, 0.0));
    top.register_module("head", b.linear(hidden, classes));
    // Texts are padded on the left with id 0, so the last step of every row is its last word. Row i reads the
    // `longest` ids that end where its text ends; the steps before its text starts are padding. No loop:
    // one gather for every text at once, which ONNX can say too.
    top.define(R"(
def forward_ids(self, ids: Tensor, offsets: Tensor) -> Tensor:
    ends = torch.cat([offsets[1:], offsets[:1] * 0 + ids.size(0)])
    longest = int((ends - offsets).max())
    positions = ends.unsqueeze(1) - longest + torch.arange(longest).unsqueeze(0)
    padding = positions < offsets.unsqueeze(1)
    padded = ids.index_select(0, positions.clamp(min=0).reshape(-1)).view(positions.size()).masked_fill(padding, 0)
    x = torch.embedding(self.embedding.weight, padded, -1, False, False)
    return self.head.forward(self.rnn.forward(x))
)");
}

// The tokenizer and vocabulary live in the TorchScript, so the artifact serves raw text anywhere.
void buildTokenizer(Module& top, std::int64_t ngrams)
{
    top.register_attribute("vocab", c10::DictType::create(c10::StringType::get(), c10::IntType::get()),
        c10::impl::GenericDict(c10::StringType::get(), c10::IntType::get()));
    top.register_attribute("ngrams", c10::IntType::get(), ngrams);
    std::string punctuation; // as a TorchScript string literal
    for (const char* c = tokenizer::kPunctuation; *c; ++c)
        punctuation += (*c == '"' || *c == '\\' ? "\\" : "") + std::string(1, *c);
    top.define(R"(
def words(self, text: str) -> List[str]:
    tokens: List[str] = []
    for raw in text.lower().split():
        token = raw.strip(")"
        + punctuation + R"(")
        if len(token) > 0:
            tokens.append(token)
    count = len(tokens)
    if self.ngrams > 1:
        for i in range(count - 1):
            tokens.append(tokens[i] + " " + tokens[i + 1])
    return tokens

def tokenize(self, texts: List[str]) -> Tuple[Tensor, Tensor]:
    ids: List[int] = []
    offsets: List[int] = []
    for text in texts:
        offsets.append(len(ids))
        for token in self.words(text):
            ids.append(self.vocab.get(token, )"
        + std::to_string(tokenizer::kUnknownId) + R"())
        if len(ids) == offsets[-1]:
            ids.append()"
        + std::to_string(tokenizer::kUnknownId) + R"()
    return torch.tensor(ids, dtype=4), torch.tensor(offsets, dtype=4)

def forward(self, texts: List[str]) -> Tensor:
    ids, offsets = self.tokenize(texts)
    return self.forward_ids(ids, offsets)
)");
}

void buildText(Builder& b, Module& top, ModelCard& card, const json& spec, std::int64_t classes)
{
    checkKnownFields(spec, { "embedding", "vocab_size", "ngrams", "encoder", "hidden" });
    const auto encoder = word(spec, "encoder", "bag", { "bag", "lstm" });
    const auto embedding = integer(spec, "embedding", 64);
    const auto vocab = integer(spec, "vocab_size", 20000, 2);
    // Word pairs help a bag of words see order; an LSTM sees order itself.
    const auto ngrams = integer(spec, "ngrams", encoder == "bag" ? 2 : 1);
    if (ngrams > 2)
        bad("ngrams", "must be 1 (words) or 2 (words and word pairs).");
    buildTextEncoder(b, top, spec, encoder, embedding, vocab, classes);
    buildTokenizer(top, ngrams);
    card.inputs = { { "text", DataType::Bytes, { -1 } } };
    card.task = "text-classification";
    card.preprocessing.tokenizer = "lowercase words split on whitespace, punctuation stripped"
        + std::string(ngrams > 1 ? ", plus word pairs" : "") + "; vocabulary of " + std::to_string(vocab)
        + " entries inside the model (id 0: unknown); " + (encoder == "bag" ? "mean of embeddings" : "LSTM encoder");
}

} // namespace

void checkArchitecture(const std::string& arch)
{
    if (arch != "mlp" && arch != "cnn" && arch != "rnn" && arch != "text")
        bad("arch", "is '" + arch + "'; use mlp, cnn, rnn or text.");
}

Model buildModel(const json& spec)
{
    if (!spec.is_object() || !spec.contains("arch") || !spec["arch"].is_string())
        throw Error(ErrorKind::InvalidInput, "the model spec needs \"arch\": one of mlp, cnn, rnn, text.");
    const std::string arch = spec["arch"];
    ensureThreadsConfigured();
    const auto labels = classNames(spec);
    const auto classes = static_cast<std::int64_t>(labels.size());
    torch::manual_seed(
        static_cast<std::uint64_t>(integer(spec, "seed", 0, 0, std::numeric_limits<std::int64_t>::max())));
    Builder b;
    ModelCard card = baseCard(spec, arch, labels);
    Module top = b.make(arch == "mlp" ? "MLP" : arch == "cnn" ? "CNN" : arch == "rnn" ? "RNN" : "TextClassifier");
    if (arch == "mlp")
        buildMlp(b, top, card, spec, classes);
    else if (arch == "cnn")
        buildCnn(b, top, card, spec, classes);
    else if (arch == "rnn")
        buildRnn(b, top, card, spec, classes);
    else if (arch == "text")
        buildText(b, top, card, spec, classes);
    else
        checkArchitecture(arch);
    for (auto p : top.parameters())
        p.set_requires_grad(true);
    card.extras["architecture"] = spec;
    card.lineage.operation = "new";
    card.lineage.parameters = spec;

    auto impl = std::make_shared<Model::Impl>();
    impl->module = top;
    impl->module.eval();
    impl->card = card;
    impl->workload = workloadOf(top);
    impl->inputUses = inputIndexUses(top);
    return Model::fromImpl(std::move(impl));
}

json readModelSpec(const std::string& path)
{
    const std::string text = readFileWithin(path, "spec", limits::kSpecFileBytes);
    std::string why;
    const auto parsed = parseJson(text, &why);
    if (!parsed)
        throw Error(
            ErrorKind::InvalidInput, path + " cannot be read as a spec (" + why + "); write it as a JSON object.");
    const json& spec = *parsed;
    if (!spec.is_object())
        throw Error(ErrorKind::InvalidInput, path + " must hold a JSON object, such as {\"arch\": \"mlp\"}.");
    return spec;
}

json completeSpec(json spec, const Dataset& data)
{
    if (!spec.contains("labels") && !spec.contains("classes"))
        spec["labels"] = data.classes();
    if (!spec.contains("input_shape") && data.kind() != DataKind::Text)
        spec["input_shape"] = data.sampleShape();
    if (!spec.contains("name"))
        spec["name"] = spec.value("arch", "model");
    return spec;
}

} // namespace maas::engine

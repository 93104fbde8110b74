// Mutation test of every parser that reads what a user's file hands the engine: model cards, card
// settings, CSV rows and tables, .npy tensors, IDX data sets and images. Each seed is a valid input; each
// round mutates it (bit flips, special bytes, inserted, removed and repeated runs, truncation) and feeds it
// to the parser (and an ONNX file's reader, seeded with a real file, and the loader of a TorchScript model,
// whose data.pkl is mutated and written back into the seed model's archive), which must either accept it or throw
// maas::engine::Error: any other exception fails the run, and a build with -DMAAS_SANITIZE=ON (scripts/sanitize.sh)
// turns memory errors and undefined behaviour into failures too.
//
// Usage: fuzz_parsers [ROUNDS] [SEED] [PNG] [ONNX] [MODEL]   (defaults: 2000 rounds per parser, seed 1, no
// image, ONNX or model seed)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <caffe2/serialize/inline_container.h>
#include <unistd.h>

#include "bench_detail.h"
#include "csv.h"
#include "maas/engine/card.h"
#include "maas/engine/dataset.h"
#include "maas/engine/error.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"
#include "maas/engine/onnx.h"
#include "maas/engine/serving.h"
#include "maas/engine/tensor.h"
#include "mutate.h"

namespace fs = std::filesystem;
using maas::engine::Error;

namespace {

void writeFile(const fs::path& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

std::string bigEndian(std::uint32_t v)
{
    return { static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v) };
}

// IDX images (3 of 4x4) and their labels, as the MNIST files lay them out.
std::string idxImages()
{
    std::string bytes = std::string("\0\0\x08\x03", 4) + bigEndian(3) + bigEndian(4) + bigEndian(4);
    for (int i = 0; i < 48; ++i)
        bytes += static_cast<char>(i * 5);
    return bytes;
}

std::string idxLabels() { return std::string("\0\0\x08\x01", 4) + bigEndian(3) + std::string("\x00\x01\x02", 3); }

const char* kInferRequest = R"({"id":"7","inputs":[{"name":"x","shape":[2,2],"datatype":"FP32","data":[[1,2],[3.5,-4]]},
    {"name":"t","shape":[2],"datatype":"BYTES","data":["a","b"]},{"name":"h","shape":[1],"datatype":"FP16","data":[0.5]},
    {"name":"i","shape":[1],"datatype":"INT8","data":[-7]},{"name":"b","shape":[1],"datatype":"BOOL","data":[true]}],
    "outputs":[{"name":"OUTPUT__0","parameters":{"classification":2,"binary_data":true}}],"parameters":{"binary_data_output":false}})";

// Triton's documented example configuration for a LibTorch model.
const char* kTritonConfig = R"(name: "resnet50_libtorch"
platform: "pytorch_libtorch"
max_batch_size: 128
input [ { name: "INPUT__0" data_type: TYPE_FP32 format: FORMAT_NCHW dims: [ 3, 224, 224 ] } ]
output [ { name: "OUTPUT__0" data_type: TYPE_FP32 dims: [ 1000 ] label_filename: "labels.txt" } ]
instance_group [ { count: 2 kind: KIND_CPU } ]
dynamic_batching { preferred_batch_size: [ 4, 8 ] max_queue_delay_microseconds: 100 }
version_policy: { latest: { num_versions: 2 } }
parameters: { key: "maas.optimize" value: { string_value: "false" } }
)";

// A request whose tensors follow its JSON as raw bytes (Triton's binary tensor data).
std::string binaryInferRequest()
{
    std::string floats(8, '\0'), strings;
    for (const std::string s : { "ab", "" }) {
        const char length[4] = { static_cast<char>(s.size()), 0, 0, 0 };
        strings += std::string(length, 4) + s;
    }
    return std::string(
               R"({"inputs":[{"name":"x","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}},)")
        + R"({"name":"t","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":)"
        + std::to_string(strings.size()) + "}}]}" + floats + strings;
}

// An answer with binary tensor data, as an endpoint sends it: the same layout under "outputs".
std::string binaryInferResponse()
{
    auto request = binaryInferRequest();
    request.replace(request.find("\"inputs\""), 8, "\"outputs\"");
    return request;
}

struct Target {
    const char* name;
    std::string seed;
    std::function<void(const std::string&)> parse;
    long share = 1; ///< runs 1/share of the rounds (a round that loads a model costs a hundred others)
};

// The parsers of text a user types or a file holds, fed from memory.
std::vector<Target> textTargets()
{
    return {
        { "model card", R"({"name":"m","task":"classification","inputs":[{"name":"x","datatype":"FP32","shape":[-1,4]}],
            "outputs":[{"name":"y","datatype":"FP32","shape":[-1,3]}],"labels":["a","b","c"],
            "preprocessing":{"mean":[0.5],"std":[0.25],"scale":0.0039},"lineage":{"operation":"train"}})",
            [](const std::string& text) {
                const auto json = maas::engine::parseJson(text);
                if (!json)
                    throw Error(maas::engine::ErrorKind::InvalidCard, "not JSON");
                maas::engine::ModelCard::fromJson(*json, "fuzz");
            } },
        { "card setting", "inputs.0.shape=[-1,3,224,224]",
            [](const std::string& text) {
                std::string key, value;
                maas::engine::ModelCard card;
                if (maas::engine::splitSetting(text, key, value))
                    maas::engine::setCardField(card, key, value);
            } },
        { "labels", R"(["cat","dog","bird"])", [](const std::string& text) { maas::engine::parseLabels(text); } },
        { "machine peak cache",
            R"({"machine": "CPU · OpenBLAS · LibTorch 1.13.0", "threads": 2, "matrix_gflops": 120.5,
            "convolution_gflops": 98.25})",
            [](const std::string& text) {
                (void)maas::engine::readPeakCache(text, "CPU · OpenBLAS · LibTorch 1.13.0", 2);
            } },
        { "infer request", kInferRequest,
            [](const std::string& text) { maas::engine::parseInferRequest(text, std::nullopt); } },
        { "infer request with binary data", binaryInferRequest(),
            [](const std::string& text) {
                const auto header = binaryInferRequest().find("}]}") + 3; // the seed's JSON part
                maas::engine::parseInferRequest(text, std::min(header, text.size()));
            } },
        // The client's side: what an endpoint answers to an infer request, JSON and with binary tensor data.
        { "infer response",
            R"({"model_name":"m","model_version":"1","outputs":[{"name":"OUTPUT__0","datatype":"FP32","shape":[2,3],
            "data":[0.5,1,-2,3e-3,4,5]},{"name":"OUTPUT__1","datatype":"BYTES","shape":[1],"data":["0.9:3:cat"]}]})",
            [](const std::string& text) { maas::engine::parseInferResponse(text, std::nullopt); } },
        { "infer response with binary data", binaryInferResponse(),
            [](const std::string& text) {
                const auto header = binaryInferResponse().find("}]}") + 3;
                maas::engine::parseInferResponse(text, std::min(header, text.size()));
            } },
        { "model config (config.pbtxt)", kTritonConfig,
            [](const std::string& text) { maas::engine::ModelConfig::fromPbtxt(text, "fuzz").toPbtxt(); } },
        { "model config (JSON)", R"({"name":"m","platform":"pytorch_libtorch","max_batch_size":8,"input":[{"name":"x",
            "data_type":"TYPE_FP32","dims":[3,-1]}],"output":[{"name":"OUTPUT__0","data_type":"TYPE_INT64","dims":[1],
            "label_filename":"labels.txt"}],"dynamic_batching":{"preferred_batch_size":[4],"max_queue_delay_microseconds":100},
            "instance_group":[{"count":2}],"version_policy":{"specific":{"versions":[1,3]}},"parameters":{"k":{"string_value":"v"}}})",
            [](const std::string& text) {
                const auto json = maas::engine::parseJson(text);
                if (!json)
                    throw Error(maas::engine::ErrorKind::InvalidInput, "not JSON");
                maas::engine::ModelConfig::fromJson(*json, "fuzz").toJson();
            } },
        { "repository load request", R"({"parameters":{"config":"{\"max_batch_size\":4}","file:1/model.pt":"AAECAw==",
            "upload:2/model.pt":"0123456789abcdef0123456789abcdef"}})",
            [](const std::string& text) { maas::engine::parseLoadRequest(text); } },
        { "CSV", "a,b,\"c,d\",label\r\n1,2.5,-3e2,x\n4,5,6,\"y \"\"z\"\"\"\n",
            [](const std::string& text) { maas::engine::parseCsv(text, "fuzz"); } },
        { "CSV rows", "f1,f2,f3\n1,2,3\n4.5,-6,7e-1\n",
            [](const std::string& text) { maas::engine::loadCsvText(text, "fuzz", {}); } },
    };
}

// The readers of files, fed through files in `scratch`; `png` and `onnx` (either may be empty) seed the
// image reader and the ONNX reader (which reads bytes, and whose report is printed as the CLI prints it).
std::vector<Target> fileTargets(const fs::path& scratch, const std::string& png, const std::string& onnx)
{
    maas::engine::Tensor sample;
    sample.shape = { 2, 3 };
    sample.data.resize(6 * sizeof(float));
    maas::engine::writeNpy((scratch / "seed.npy").string(), sample);
    std::vector<Target> targets {
        { ".npy tensor", readFile(scratch / "seed.npy"),
            [scratch](const std::string& bytes) {
                writeFile(scratch / "t.npy", bytes);
                maas::engine::readNpy((scratch / "t.npy").string());
            } },
        { "IDX images", idxImages(),
            [scratch](const std::string& bytes) {
                writeFile(scratch / "idx" / "train-images-idx3-ubyte", bytes);
                writeFile(scratch / "idx" / "train-labels-idx1-ubyte", idxLabels());
                maas::engine::Dataset::open((scratch / "idx").string());
            } },
        { "IDX labels", idxLabels(),
            [scratch](const std::string& bytes) {
                writeFile(scratch / "idx" / "train-images-idx3-ubyte", idxImages());
                writeFile(scratch / "idx" / "train-labels-idx1-ubyte", bytes);
                maas::engine::Dataset::open((scratch / "idx").string());
            } },
    };
    if (!onnx.empty())
        targets.push_back(
            { "ONNX model", readFile(onnx), [](const std::string& bytes) {
                 const auto info = maas::engine::readOnnxBytes(bytes, "fuzz");
                 maas::engine::onnxInfoToJson(info).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
                 maas::engine::graphToJson(info.graph).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
             } });
    if (!png.empty())
        targets.push_back({ "PNG image", readFile(png), [scratch](const std::string& bytes) {
                               maas::engine::Preprocessing pre;
                               pre.imageWidth = pre.imageHeight = 8;
                               writeFile(scratch / "i.png", bytes);
                               maas::engine::loadImage((scratch / "i.png").string(), pre, 1);
                           } });
    return targets;
}

// The loader of TorchScript models, fed its data.pkl: the pickle that rebuilds the model's objects and
// tensors (each a storage, sizes, strides and an offset into a record). A mutation is written back into the
// seed model's archive, so it reaches the pickle's reader rather than the zip's checksum.
Target modelTarget(const std::string& modelPath)
{
    caffe2::serialize::PyTorchStreamReader reader(modelPath);
    std::vector<std::pair<std::string, std::string>> records;
    for (const auto& name : reader.getAllRecords())
        if (name != "version" && name != ".data/version") { // the writer writes its own
            const auto [data, size] = reader.getRecord(name);
            records.emplace_back(name, std::string(static_cast<const char*>(data.get()), size));
        }
    std::string pickle;
    for (const auto& [name, bytes] : records)
        if (name == "data.pkl")
            pickle = bytes;
    const auto version = reader.version();
    return { "TorchScript model's data.pkl", pickle,
        [records, version](const std::string& mutated) {
            std::string archive;
            {
                caffe2::serialize::PyTorchStreamWriter writer([&](const void* data, std::size_t n) {
                    archive.append(static_cast<const char*>(data), n);
                    return n;
                });
                writer.setMinVersion(version);
                for (const auto& [name, bytes] : records) {
                    const auto& written = name == "data.pkl" ? mutated : bytes;
                    writer.writeRecord(name, written.data(), written.size());
                }
                writer.writeEndOfFile();
            }
            maas::engine::Model::loadBytes(archive, "fuzz.pt");
        },
        20 };
}

// Feeds `rounds` inputs to one parser (the seed, then mutations of it); returns the inputs that failed
// otherwise than with maas::engine::Error, plus one when even the seed was refused.
int fuzz(const Target& target, long rounds, unsigned long long seed)
{
    std::mt19937_64 rng(seed);
    long accepted = 0, refused = 0;
    int failures = 0;
    for (long round = 0; round < rounds; ++round) {
        const std::string input = round == 0 ? target.seed : mutate(target.seed, rng);
        try {
            target.parse(input);
            ++accepted;
        } catch (const Error&) {
            ++refused;
        } catch (const std::exception& e) {
            ++failures;
            std::cerr << target.name << ", round " << round << ": not a maas::engine::Error: " << e.what() << '\n';
        }
    }
    std::cout << target.name << ": " << rounds << " inputs, " << accepted << " accepted, " << refused
              << " refused with a sentence\n";
    if (accepted == 0)
        ++failures, std::cerr << target.name << ": even the valid seed was refused\n";
    return failures;
}

} // namespace

int main(int argc, char** argv)
{
    const long rounds = argc > 1 ? std::atol(argv[1]) : 2000;
    const unsigned long long seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
    const fs::path scratch = fs::temp_directory_path() / ("maas-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(scratch / "idx");
    auto targets = textTargets();
    for (auto& t : fileTargets(scratch, argc > 3 ? argv[3] : "", argc > 4 ? argv[4] : ""))
        targets.push_back(std::move(t));
    if (argc > 5)
        targets.push_back(modelTarget(argv[5]));
    int failures = 0;
    for (const auto& target : targets)
        failures += fuzz(target, std::max(1L, rounds / target.share), seed);
    fs::remove_all(scratch);
    return failures == 0 ? 0 : 1;
}

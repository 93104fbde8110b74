#include "maas/engine/card.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "maas/engine/error.h"
#include "maas/engine/limits.h"

namespace maas::engine {

using nlohmann::json;

namespace {

json specToJson(const TensorSpec& spec)
{
    return { { "name", spec.name }, { "datatype", dataTypeName(spec.dtype) }, { "shape", spec.shape } };
}

// field() "card.FIELD" and the reason in detail(), so a setting can say it in its own words.
[[noreturn]] void fail(const std::string& where, const std::string& field, const std::string& why)
{
    throw Error(ErrorKind::InvalidCard, "the model card of " + where + " has a bad '" + field + "': " + why,
        "card." + field, why);
}

TensorSpec specFromJson(const json& j, const std::string& where, const std::string& field)
{
    if (!j.is_object())
        fail(where, field, "expected an object with name, datatype and shape.");
    TensorSpec spec;
    spec.name = j.value("name", "");
    const std::string type = j.value("datatype", "FP32");
    const auto parsed = parseDataType(type);
    if (!parsed)
        fail(where, field + ".datatype",
            "'" + type + "' is not a datatype; use FP32, FP64, FP16, INT64, INT32, INT16, INT8, UINT8, BOOL or BYTES.");
    spec.dtype = *parsed;
    if (j.contains("shape")) {
        if (!j["shape"].is_array())
            fail(where, field + ".shape", "expected a list of integers such as [-1, 3, 224, 224].");
        for (const auto& d : j["shape"]) {
            if (!d.is_number_integer() || d.get<std::int64_t>() < -1 || d.get<std::int64_t>() == 0)
                fail(where, field + ".shape", "every axis must be a positive integer, or -1 for a dynamic axis.");
            spec.shape.push_back(d.get<std::int64_t>());
        }
    }
    return spec;
}

std::vector<double> numbers(const json& j, const std::string& where, const std::string& field)
{
    if (j.is_number())
        return { j.get<double>() };
    if (!j.is_array())
        fail(where, field, "expected a number or a list of numbers.");
    std::vector<double> out;
    for (const auto& v : j) {
        if (!v.is_number())
            fail(where, field, "expected a list of numbers.");
        out.push_back(v.get<double>());
    }
    return out;
}

std::vector<std::string> labelsFromJson(const json& j, const std::string& where)
{
    if (!j.is_array())
        fail(where, "labels", "expected a list of class names.");
    std::vector<std::string> labels;
    for (const auto& l : j) {
        if (!l.is_string())
            fail(where, "labels", "every label must be text.");
        labels.push_back(l.get<std::string>());
    }
    return labels;
}

Preprocessing preprocessingFromJson(const json& p, const std::string& where)
{
    if (!p.is_object())
        fail(where, "preprocessing", "expected an object.");
    Preprocessing pre;
    if (p.contains("scale")) {
        if (!p["scale"].is_number() || p["scale"].get<double>() == 0.0)
            fail(where, "preprocessing.scale", "expected a non-zero number such as 0.00392 (1/255).");
        pre.scale = p["scale"].get<double>();
    }
    if (p.contains("mean"))
        pre.mean = numbers(p["mean"], where, "preprocessing.mean");
    if (p.contains("std"))
        pre.std = numbers(p["std"], where, "preprocessing.std");
    for (double s : pre.std)
        if (s == 0.0)
            fail(where, "preprocessing.std", "a standard deviation of 0 would divide by zero.");
    for (const auto& [key, target] :
        { std::pair { "image_width", &pre.imageWidth }, { "image_height", &pre.imageHeight } }) {
        if (!p.contains(key))
            continue;
        if (!p[key].is_number_integer() || p[key].get<std::int64_t>() < 0
            || p[key].get<std::int64_t>() > limits::kImageSide)
            fail(where, std::string("preprocessing.") + key,
                "expected a whole number of pixels from 0 to " + std::to_string(limits::kImageSide) + ".");
        *target = p[key].get<int>();
    }
    pre.color = p.value("color", "");
    if (!pre.color.empty() && pre.color != "gray" && pre.color != "rgb")
        fail(where, "preprocessing.color", "'" + pre.color + "' is not a color mode; use gray or rgb.");
    pre.tokenizer = p.value("tokenizer", "");
    return pre;
}

} // namespace

json ModelCard::toJson() const
{
    json j = extras.is_object() ? extras : json::object();
    j["name"] = name;
    j["task"] = task;
    if (!description.empty())
        j["description"] = description;
    j["inputs"] = json::array();
    for (const auto& s : inputs)
        j["inputs"].push_back(specToJson(s));
    j["outputs"] = json::array();
    for (const auto& s : outputs)
        j["outputs"].push_back(specToJson(s));
    j["labels"] = labels;
    json pre = json::object();
    if (preprocessing.scale != 1.0)
        pre["scale"] = preprocessing.scale;
    if (!preprocessing.mean.empty())
        pre["mean"] = preprocessing.mean;
    if (!preprocessing.std.empty())
        pre["std"] = preprocessing.std;
    if (preprocessing.imageWidth)
        pre["image_width"] = preprocessing.imageWidth;
    if (preprocessing.imageHeight)
        pre["image_height"] = preprocessing.imageHeight;
    if (!preprocessing.color.empty())
        pre["color"] = preprocessing.color;
    if (!preprocessing.tokenizer.empty())
        pre["tokenizer"] = preprocessing.tokenizer;
    j["preprocessing"] = pre;
    if (!lineage.parentSha256.empty() || !lineage.operation.empty())
        j["lineage"] = { { "parent_sha256", lineage.parentSha256 }, { "operation", lineage.operation },
            { "parameters", lineage.parameters } };
    j["metrics"] = metrics;
    if (inferred)
        j["inferred"] = true;
    return j;
}

ModelCard ModelCard::fromJson(const json& j, const std::string& where)
{
    if (!j.is_object())
        throw Error(ErrorKind::InvalidCard, "the model card of " + where + " is not a JSON object; fix or remove it.");
    ModelCard card;
    const auto text = [&](const char* key) {
        if (!j.contains(key) || j[key].is_null())
            return std::string();
        if (!j[key].is_string())
            fail(where, key, "expected text.");
        return j[key].get<std::string>();
    };
    card.name = text("name");
    card.task = text("task");
    card.description = text("description");
    for (const char* key : { "inputs", "outputs" }) {
        if (!j.contains(key))
            continue;
        if (!j[key].is_array())
            fail(where, key, "expected a list of {name, datatype, shape}.");
        auto& specs = std::string(key) == "inputs" ? card.inputs : card.outputs;
        for (std::size_t i = 0; i < j[key].size(); ++i)
            specs.push_back(specFromJson(j[key][i], where, std::string(key) + "." + std::to_string(i)));
    }
    if (j.contains("labels"))
        card.labels = labelsFromJson(j["labels"], where);
    if (j.contains("preprocessing"))
        card.preprocessing = preprocessingFromJson(j["preprocessing"], where);
    if (j.contains("lineage") && j["lineage"].is_object()) {
        card.lineage.parentSha256 = j["lineage"].value("parent_sha256", "");
        card.lineage.operation = j["lineage"].value("operation", "");
        card.lineage.parameters = j["lineage"].value("parameters", json::object());
    }
    if (j.contains("metrics")) {
        if (!j["metrics"].is_object())
            fail(where, "metrics", "expected an object of named values.");
        card.metrics = j["metrics"];
    }
    card.inferred = j.value("inferred", false);
    static const char* known[] = { "name", "task", "description", "inputs", "outputs", "labels", "preprocessing",
        "lineage", "metrics", "inferred" };
    for (const auto& [key, value] : j.items()) {
        if (std::find(std::begin(known), std::end(known), key) == std::end(known))
            card.extras[key] = value;
    }
    return card;
}

std::vector<std::string> parseLabels(const std::string& text)
{
    std::vector<std::string> labels;
    const auto parsed = parseJson(text);
    if (parsed && parsed->is_array()) {
        for (const auto& item : *parsed)
            labels.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    } else {
        std::stringstream items(text + ",");
        for (std::string item; std::getline(items, item, ',');)
            labels.push_back(item);
    }
    const auto bad
        = [](const std::string& why) { throw Error(ErrorKind::InvalidCard, "the labels: " + why, "labels", why); };
    std::set<std::string> seen;
    for (auto& label : labels) {
        label.erase(0, label.find_first_not_of(" \t"));
        label.erase(label.find_last_not_of(" \t") + 1);
        if (label.empty())
            bad("a label is empty; give one name per class, separated by commas, such as cat,dog.");
        if (!seen.insert(label).second)
            bad("'" + label + "' is given twice; every class needs its own label.");
    }
    return labels;
}

std::optional<json> parseJson(std::string_view text, std::string* why)
{
    int depth = 0, deepest = 0;
    bool inString = false, escaped = false;
    for (const char c : text) {
        if (inString) {
            escaped = !escaped && c == '\\';
            if (!escaped && c == '"')
                inString = false;
            if (c != '\\')
                escaped = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '[' || c == '{')
            deepest = std::max(deepest, ++depth);
        else if (c == ']' || c == '}')
            --depth;
    }
    const auto fail = [&](const std::string& reason) -> std::optional<json> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (deepest > kMaxJsonNesting)
        return fail("it nests " + std::to_string(deepest) + " levels deep, more than the "
            + std::to_string(kMaxJsonNesting) + " allowed");
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        return fail("it is not valid JSON at byte " + std::to_string(e.byte));
    } catch (const json::exception&) {
        return fail("it holds a number too large for JSON");
    }
}

bool splitSetting(const std::string& assignment, std::string& key, std::string& value)
{
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        return false;
    key = assignment.substr(0, eq);
    value = assignment.substr(eq + 1);
    return true;
}

json parseSettingValue(const std::string& value)
{
    if (!value.empty()) {
        std::string why;
        if (auto parsed = parseJson(value, &why))
            return *parsed;
        if (why.rfind("it nests", 0) == 0) // "it nests N levels deep, ...": refused, not taken as text
            throw Error(ErrorKind::InvalidInput, "a setting's value " + why.substr(3) + ".", "set",
                "has a value that " + why.substr(3) + ".");
    }
    if (value.find(',') == std::string::npos)
        return value;
    json list = json::array();
    std::stringstream items(value);
    for (std::string item; std::getline(items, item, ',');)
        list.push_back(item.empty() ? json(item) : parseJson(item).value_or(json(item)));
    return list;
}

namespace {

[[noreturn]] void badSetting(const std::string& key, const std::string& why)
{
    throw Error(ErrorKind::InvalidCard, "cannot set '" + key + "' on the model card: " + why, "set", key + ": " + why);
}

// The JSON pointer into `card` (a card's JSON) that a dotted key names, when it names a field a card has.
json::json_pointer settingPointer(const json& card, const std::string& key)
{
    std::vector<std::string> parts;
    std::stringstream split(key + ".");
    for (std::string part; std::getline(split, part, '.');)
        parts.push_back(part);
    static const std::set<std::string> whole { "name", "task", "description", "labels" };
    static const std::set<std::string> pre { "scale", "mean", "std", "image_width", "image_height", "color",
        "tokenizer" };
    static const std::set<std::string> spec { "name", "datatype", "shape" };
    const std::string& top = parts.front();
    bool known = false;
    if (whole.count(top))
        known = parts.size() == 1;
    else if (top == "preprocessing")
        known = parts.size() == 2 && pre.count(parts[1]);
    else if (top == "metrics")
        known = parts.size() == 2 && !parts[1].empty();
    else if ((top == "inputs" || top == "outputs") && parts.size() == 3 && spec.count(parts[2])) {
        const auto count = card[top].size();
        const auto& index = parts[1];
        if (index.empty() || index.size() > 6 || index.find_first_not_of("0123456789") != std::string::npos
            || std::stoul(index) >= count)
            badSetting(key,
                count == 0 ? "the card has no " + top + "."
                           : "the card's " + top + " are numbered from 0 to " + std::to_string(count - 1) + "; '"
                        + index + "' is not one of them.");
        known = true;
    }
    if (!known)
        badSetting(key,
            "the card has no such field; fields are name, task, description, labels, inputs.N.name, "
            "inputs.N.datatype, inputs.N.shape (and the same for outputs), preprocessing.scale, .mean, .std, "
            ".image_width, .image_height, .color, .tokenizer and metrics.NAME.");
    std::string pointer;
    for (const auto& part : parts)
        pointer += "/" + part;
    return json::json_pointer(pointer);
}

json settingLabels(const std::string& key, const std::string& value)
{
    try {
        return parseLabels(value);
    } catch (const Error& e) {
        badSetting(key, e.detail());
    }
}

} // namespace

void setCardField(ModelCard& card, const std::string& key, const std::string& value)
{
    if (key.empty())
        throw Error(ErrorKind::InvalidCard, "a card setting needs key=value, for example task=image-classification.",
            "set", "needs key=value, for example task=image-classification.");
    json j = card.toJson();
    const auto at = settingPointer(j, key);
    if (key == "labels")
        j[at] = settingLabels(key, value);
    else if (key == "name" || key == "task" || key == "description")
        j[at] = value;
    else
        j[at] = parseSettingValue(value);
    try {
        card = ModelCard::fromJson(j, "the setting");
    } catch (const Error& e) {
        const std::string field = e.field().substr(std::min<std::size_t>(e.field().size(), 5)); // after "card."
        badSetting(key, field == key ? e.detail() : "'" + field + "' " + e.detail());
    }
    card.inferred = false; // a person has looked at it now
}

} // namespace maas::engine

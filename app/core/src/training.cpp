#include "maas/app/training.h"

#include "maas/engine/architectures.h"
#include "maas/engine/dataset.h"
#include "maas/engine/error.h"

namespace maas::app {

SampleView sampleView(const maas::engine::Dataset& data, qint64 index)
{
    const auto sample = data.sample(index);
    SampleView view;
    view.index = index;
    if (sample.dtype == maas::engine::DataType::Bytes) {
        view.text = QString::fromStdString(sample.strings.at(0));
    } else if (sample.dtype == maas::engine::DataType::UInt8 && sample.shape.size() == 3) {
        view.channels = static_cast<int>(sample.shape[0]);
        view.height = static_cast<int>(sample.shape[1]);
        view.width = static_cast<int>(sample.shape[2]);
        view.pixels
            = QByteArray(reinterpret_cast<const char*>(sample.data.data()), static_cast<qsizetype>(sample.data.size()));
    } else {
        QStringList values;
        for (const double v : sample.toDoubles())
            values << QString::number(v, 'g', 4);
        view.text = values.join(QStringLiteral(", "));
    }
    return view;
}

TrainedModel runTraining(const TrainRequest& request, const JobContext& context)
{
    maas::engine::DataOptions dataOptions;
    dataOptions.limit = request.sampleLimit;
    std::optional<maas::engine::Model> model;
    if (request.modelPath) {
        model = maas::engine::Model::load(request.modelPath->toStdString());
        dataOptions.classes = model->card().labels; // the model fixes the class order
    }
    auto data = maas::engine::Dataset::open(request.dataPath.toStdString(), dataOptions);
    if (!model) {
        auto spec = request.spec;
        spec["arch"] = request.architecture.toStdString();
        model = maas::engine::buildModel(maas::engine::completeSpec(spec, data));
    }
    const auto result = maas::engine::train(*model, data, request.options, context.progress, context.cancel);
    if (result.cancelled)
        throw maas::engine::Error(maas::engine::ErrorKind::Cancelled, "training cancelled.");
    TrainedModel out;
    // The confusion matrix of the validation split the run held out (the split is a pure function of
    // size, fraction and seed, so it is the same samples training never saw).
    const auto split
        = maas::engine::splitIndices(data.size(), request.options.validationFraction, request.options.seed);
    if (!split.validation.empty()) {
        // Not cancellable: the model is trained by now, and a cancel here would throw it away.
        const auto e = maas::engine::evaluate(*model, data, 5, {}, nullptr, split.validation);
        for (const auto& row : e.confusion) {
            QList<qint64> cells;
            for (auto v : row)
                cells.append(v);
            out.confusion.append(cells);
        }
        for (const auto& c : e.classes)
            out.classes.append(QString::fromStdString(c));
        out.validationAccuracy = e.accuracy;
        const auto labels = data.labels();
        for (std::size_t j = 0; j < split.validation.size(); ++j) {
            const qint64 index = split.validation[j];
            auto& cell = out.examples[{ static_cast<int>(labels[index]), static_cast<int>(e.predictions[j]) }];
            if (cell.size() < TrainedModel::kExamplesPerCell)
                cell.append(sampleView(data, index));
        }
    }
    out.model = Library::prepareImport(request.libraryFolder, *model, QStringLiteral("trained"));
    const auto& o = request.options;
    out.historyJson = QString::fromStdString(maas::engine::toJson(result).dump());
    out.stillImproving = result.stillImproving;
    out.optionsJson = QString::fromStdString(nlohmann::json { { "data", request.dataPath.toStdString() },
        { "epochs", o.epochs }, { "batch_size", o.batchSize }, { "learning_rate", result.learningRate },
        { "optimizer", maas::engine::toString(o.optimizer) }, { "schedule", maas::engine::toString(o.schedule) },
        { "samples", request.sampleLimit } }.dump());
    return out;
}

} // namespace maas::app

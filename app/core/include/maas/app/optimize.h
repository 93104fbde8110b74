#pragma once

#include <QMetaType>
#include <QString>

#include <memory>

#include "maas/app/jobs.h"
#include "maas/app/library.h"

namespace maas::app {

/// An optimization as the workbench asks for it: a library model, where the result is written, and an
/// optional data set to measure accuracy on. (Only conversion for CPU inference so far.)
struct OptimizeRequest {
    QString libraryFolder;
    QString modelPath;
    QString dataPath; ///< empty: no accuracy
    qint64 sampleLimit = 0; ///< 0: all samples
    double tolerance = 1e-4; ///< the largest output difference allowed (see maas::engine::ConversionOptions)
};

/// The numbers a variant is chosen by, in Qt's types for the pages (see maas::engine::VariantFacts).
struct VariantNumbers {
    qint64 fileBytes = 0;
    qint64 weights = 0;
    double latencyBatch1Ms = 0, latencyBatch16Ms = 0;
    double accuracy = qQNaN();
};

/// A finished optimization, ready for Library::commitImport on the UI thread.
struct OptimizedModel {
    PreparedImport model;
    VariantNumbers before, after;
    double difference = 0, tolerance = 0;
};

/// Optimizes as `request` says; meant to run inside a job. Throws maas::engine::Error (Cancelled when the
/// job was cancelled) and leaves nothing behind.
OptimizedModel runOptimize(const OptimizeRequest& request, const JobContext& context);

} // namespace maas::app

Q_DECLARE_METATYPE(std::shared_ptr<maas::app::OptimizedModel>)

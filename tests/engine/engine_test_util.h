// Helpers the engine tests share: fixture paths, tensor comparison, error capture.
#pragma once

#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <cmath>
#include <functional>
#include <string>

#include "maas/engine/error.h"
#include "maas/engine/tensor.h"

namespace testutil {

inline std::string fixture(const std::string& name) { return std::string(MAAS_FIXTURES_DIR) + "/" + name; }

/// Largest absolute difference of two tensors; infinity when their shapes differ.
inline double maxDifference(const maas::engine::Tensor& a, const maas::engine::Tensor& b)
{
    if (a.shape != b.shape)
        return INFINITY;
    const auto x = a.toDoubles(), y = b.toDoubles();
    double worst = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
        worst = std::max(worst, std::fabs(x[i] - y[i]));
    return worst;
}

/// The message of the maas::engine::Error that `call` throws, or "(no error)".
inline std::string errorOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const maas::engine::Error& e) {
        return e.what();
    }
    return "(no error)";
}

/// Writes `content` to `name` in `dir` and returns the file's path.
inline QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    QFile f(dir.filePath(name));
    f.open(QIODevice::WriteOnly);
    f.write(content);
    return f.fileName();
}

} // namespace testutil

#include "maas/app/inspect.h"

namespace maas::app {

ModelReport inspectModel(const QString& path) { return maas::engine::Model::load(path.toStdString()).inspect(); }

} // namespace maas::app

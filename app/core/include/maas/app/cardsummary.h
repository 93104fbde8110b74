#pragma once

#include <QString>

namespace maas::app {

/// A model card (its JSON, as the library keeps it) as a short summary a person reads: inputs and
/// outputs with datatype and shape, labels, preprocessing and lineage, as rich text for a label.
/// A card that cannot be read gives one sentence saying so.
QString cardSummaryHtml(const QString& cardJson);

} // namespace maas::app

#pragma once

#include <QRectF>
#include <QString>

#include <functional>

class QPainter;
class QWidget;

namespace maas::widgets {

/// Draws a picture of `size` into the painter (for charts and graphs people want in a report).
using DrawPicture = std::function<void(QPainter& painter, const QRectF& target)>;

/// Writes the picture to `path` as SVG (by its extension) or PNG (at twice the size, for sharp
/// slides), all or nothing. Returns "" on success, else one sentence saying what went wrong.
QString savePicture(const QString& path, const QSizeF& size, const DrawPicture& draw);

/// Asks where to save (PNG or SVG, starting from `suggestedName`) and saves; a failure is shown to the user.
void exportPicture(QWidget* parent, const QString& suggestedName, const QSizeF& size, const DrawPicture& draw);

/// Writes what `view` shows (a chart, a painted view) to `path` as PNG or SVG; "" or one sentence.
QString saveViewPicture(QWidget* view, const QString& path);

/// Gives `view` a context-menu action that saves what it shows as PNG or SVG (starting from `suggestedName`).
void offerPictureExport(QWidget* view, const QString& suggestedName);

} // namespace maas::widgets

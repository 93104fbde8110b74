#include "maas/widgets/pictures.h"

#include <QAction>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace maas::widgets {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("Pictures", text); }

} // namespace

QString savePicture(const QString& path, const QSizeF& size, const DrawPicture& draw)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write %1 (%2): choose another folder.").arg(path, file.errorString());
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size.toSize());
        svg.setViewBox(QRectF(QPointF(), size));
        svg.setTitle(QFileInfo(path).completeBaseName());
        QPainter painter(&svg);
        draw(painter, QRectF(QPointF(), size));
    } else {
        QImage image((size * 2).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(2);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            draw(painter, QRectF(QPointF(), size));
        }
        if (!image.save(&file, "PNG"))
            return tr("Cannot encode %1 as PNG.").arg(path);
    }
    if (!file.commit())
        return tr("Cannot write %1 (%2): choose another folder.").arg(path, file.errorString());
    return {};
}

void exportPicture(QWidget* parent, const QString& suggestedName, const QSizeF& size, const DrawPicture& draw)
{
    const QString path = QFileDialog::getSaveFileName(parent, tr("Save picture"),
        suggestedName + QStringLiteral(".png"), tr("PNG image (*.png);;SVG drawing (*.svg)"));
    if (path.isEmpty())
        return;
    const QString error = savePicture(path, size, draw);
    if (!error.isEmpty())
        QMessageBox::warning(parent, tr("Save picture"), error);
}

QString saveViewPicture(QWidget* view, const QString& path)
{
    return savePicture(path, view->size(),
        [view](QPainter& painter, const QRectF& target) { view->render(&painter, target.topLeft().toPoint()); });
}

void offerPictureExport(QWidget* view, const QString& suggestedName)
{
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* save = new QAction(tr("Save chart as picture…"), view);
    QObject::connect(save, &QAction::triggered, view, [view, suggestedName] {
        exportPicture(view, suggestedName, view->size(),
            [view](QPainter& painter, const QRectF& target) { view->render(&painter, target.topLeft().toPoint()); });
    });
    view->addAction(save);
}

} // namespace maas::widgets

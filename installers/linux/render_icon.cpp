// Renders the scalable icon to the PNG sizes a desktop's icon theme looks for (the build runs it; the
// PNGs are build output, never committed). Usage: maas-render-icon ICON.svg OUT_FOLDER SIZE...
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen"); // a build machine has no display
    QGuiApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    QTextStream err(stderr);
    if (args.size() < 4) {
        err << "usage: maas-render-icon ICON.svg OUT_FOLDER SIZE...\n";
        return 2;
    }
    QSvgRenderer svg(args[1]);
    if (!svg.isValid()) {
        err << "maas-render-icon: " << args[1] << " is not an SVG image it can read.\n";
        return 1;
    }
    for (const QString& sizeText : args.mid(3)) {
        const int size = sizeText.toInt();
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        const QString folder = QStringLiteral("%1/%2x%2/apps").arg(args[2]).arg(size);
        const QString file = folder + QStringLiteral("/maas-workbench.png");
        if (!QDir().mkpath(folder) || !image.save(file)) {
            err << "maas-render-icon: cannot write " << file << ".\n";
            return 1;
        }
    }
    return 0;
}

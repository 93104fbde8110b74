#include "maas/widgets/inspectorpage.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "maas/app/format.h"
#include "maas/app/inspect.h"
#include "maas/app/jobs.h"
#include "maas/engine/tensor.h"

namespace maas::widgets {

InspectorPage::InspectorPage(maas::app::JobManager* jobs, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_summary(new QLabel(this))
    , m_tree(new QTreeWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({ tr("Layer / parameter"), tr("Type / shape"), tr("Parameters"), tr("Norm") });
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    layout->addWidget(m_tree, 1);
}

maas::app::Job* InspectorPage::inspect(const QString& path)
{
    m_path = path;
    m_tree->clear();
    m_summary->setText(tr("inspecting…"));
    m_job = m_jobs->start(tr("Inspect %1").arg(QFileInfo(path).fileName()),
        [path](const maas::app::JobContext&) { return QVariant::fromValue(maas::app::inspectModel(path)); });
    connect(m_job, &maas::app::Job::finished, this, [this, path](maas::app::JobState state) {
        if (path != m_path)
            return; // another model was chosen meanwhile: this result is stale
        if (state != maas::app::JobState::Done) {
            m_summary->setText(m_job->error());
            return;
        }
        const auto report = m_job->result().value<maas::app::ModelReport>();
        m_summary->setText(tr("%1 — %2 parameters in %3 tensors, %4 in memory")
                               .arg(QString::fromStdString(report.forwardSignature), maas::app::formatExact(report.totalParameters))
                               .arg(report.parameterTensors)
                               .arg(maas::app::formatBytes(report.memoryBytes)));
        // Layers come in pre-order with depths: a stack of the open ancestors rebuilds the tree.
        QList<QTreeWidgetItem*> stack;
        for (const auto& layer : report.layers) {
            while (stack.size() > layer.depth)
                stack.removeLast();
            const QString name = layer.name.empty() ? tr("(model)") : QString::fromStdString(layer.name.substr(layer.name.rfind('.') + 1));
            QString type = QString::fromStdString(layer.type);
            type = type.mid(type.lastIndexOf(QLatin1Char('.')) + 1);
            auto* item = stack.isEmpty() ? new QTreeWidgetItem(m_tree) : new QTreeWidgetItem(stack.last());
            item->setText(0, name);
            item->setText(1, type);
            item->setText(2, maas::app::formatCount(layer.totalParameters));
            item->setToolTip(2, maas::app::formatExact(layer.totalParameters));
            item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
            for (const auto& p : layer.parameters) {
                auto* param = new QTreeWidgetItem(item);
                param->setText(0, QString::fromStdString(p.name.substr(p.name.rfind('.') + 1)));
                param->setText(1, QStringLiteral("%1 %2").arg(QString::fromStdString(maas::engine::shapeToString(p.shape)), QString::fromStdString(p.dtype)));
                param->setText(2, maas::app::formatExact(p.count));
                param->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
                param->setText(3, QLocale().toString(p.norm, 'g', 4));
                param->setToolTip(0, QString::fromStdString(p.name));
            }
            stack.append(item);
        }
        m_tree->expandToDepth(0);
    });
    return m_job;
}

} // namespace maas::widgets

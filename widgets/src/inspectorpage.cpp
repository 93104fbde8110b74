#include "maas/widgets/inspectorpage.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "maas/app/format.h"
#include "maas/app/inspect.h"
#include "maas/app/jobs.h"
#include "maas/widgets/cardeditor.h"
#include "maas/widgets/graphview.h"
#include "maas/widgets/profileviews.h"

namespace maas::widgets {

// Everything the page shows, made on the job's worker thread: the model's inspection and Graphviz's
// layout of its graph (or why there is none).
struct Inspection {
    maas::app::ModelInspection model;
    GraphLayout layout;
    QString layoutError;
};

} // namespace maas::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const maas::widgets::Inspection>)

namespace maas::widgets {

InspectorPage::InspectorPage(maas::app::JobManager* jobs, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_summary(new QLabel(this))
    , m_sections(new QTabWidget(this))
    , m_tree(new QTreeWidget(this))
    , m_graph(new GraphView(this))
    , m_graphStatus(new QLabel(this))
    , m_details(new QTreeWidget(this))
    , m_card(new CardEditor(this))
    , m_heatLegend(new QLabel(this))
{
    auto* layout = new QVBoxLayout(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({ tr("Layer / parameter"), tr("Type / shape"), tr("Parameters"), tr("Norm") });
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    m_sections->addTab(m_tree, tr("Layers"));

    auto* graphPage = new QWidget(this);
    auto* graphLayout = new QVBoxLayout(graphPage);
    graphLayout->setContentsMargins(0, 0, 0, 0);
    auto* tools = new QToolBar(graphPage);
    auto* zoomIn = tools->addAction(tr("Zoom in"), this, [this] { m_graph->zoomBy(1.25); });
    zoomIn->setShortcuts({ QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal) });
    zoomIn->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    auto* zoomOut = tools->addAction(tr("Zoom out"), this, [this] { m_graph->zoomBy(0.8); });
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    zoomOut->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    auto* fit = tools->addAction(tr("Fit"), this, [this] { m_graph->fitAll(); });
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    fit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    tools->addAction(tr("Actual size"), this, [this] { m_graph->zoomBy(1.0 / m_graph->zoom()); });
    tools->addAction(tr("Save picture…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save the graph"), QStringLiteral("graph.svg"), tr("SVG drawing (*.svg);;PNG image (*.png)"));
        if (path.isEmpty())
            return;
        if (const QString error = m_graph->savePicture(path); !error.isEmpty())
            m_graphStatus->setText(error);
    });
    tools->addSeparator();
    auto* find = new QLineEdit(graphPage);
    find->setObjectName(QStringLiteral("graphFind"));
    find->setPlaceholderText(tr("Find an operator or module (Enter: next)"));
    find->setClearButtonEnabled(true);
    find->setMaximumWidth(260);
    connect(find, &QLineEdit::returnPressed, this, [this, find] {
        if (m_graph->findNext(find->text().trimmed()) < 0)
            m_graphStatus->setText(tr("No operator or module matches “%1”.").arg(find->text().trimmed()));
    });
    tools->addWidget(find);
    tools->addSeparator();
    addHeatMap(tools);
    tools->addSeparator();
    tools->addWidget(m_graphStatus);
    graphLayout->addWidget(tools);
    auto* split = new QSplitter(graphPage);
    split->addWidget(m_graph);
    m_details->setColumnCount(2);
    m_details->setHeaderLabels({ tr("Property"), tr("Value") });
    m_details->setRootIsDecorated(false);
    m_details->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({ 640, 320 });
    graphLayout->addWidget(split, 1);
    m_graphTab = m_sections->addTab(graphPage, tr("Graph"));
    auto* cardScroll = new QScrollArea(this);
    cardScroll->setWidget(m_card);
    cardScroll->setWidgetResizable(true);
    m_cardTab = m_sections->addTab(cardScroll, tr("Card"));
    layout->addWidget(m_sections, 1);
    connect(m_graph, &GraphView::nodeSelected, this, &InspectorPage::showNode);
}

void InspectorPage::showNode(int index)
{
    m_details->clear();
    const auto& nodes = m_graph->graph().nodes;
    if (index < 0 || index >= static_cast<int>(nodes.size()))
        return;
    const auto& node = nodes[index];
    const auto add = [this](const QString& key, const QString& value) {
        auto* item = new QTreeWidgetItem(m_details, { key, value });
        item->setToolTip(1, value);
    };
    add(tr("operator"), QString::fromStdString(node.op));
    for (const auto& [key, value] : node.details)
        add(QString::fromStdString(key), QString::fromStdString(value));
}

void InspectorPage::showCardForm() { m_sections->setCurrentIndex(m_cardTab); }

// The Heat map switch and its legend on the graph's toolbar, off until a profile of the model is there.
void InspectorPage::addHeatMap(QToolBar* tools)
{
    m_heatAction = tools->addAction(tr("Heat map"), this, [this] { applyHeat(); });
    m_heatAction->setCheckable(true);
    m_heatAction->setEnabled(false);
    m_heatAction->setToolTip(tr("Colour each operator by its module's share of the forward pass (profile the "
                                "model on the Profile page first)."));
    m_heatLegend->setTextFormat(Qt::RichText);
    m_heatLegend->hide();
    tools->addWidget(m_heatLegend);
}

void InspectorPage::setHeat(const QString& path, const QHash<QString, double>& shares)
{
    m_heat.insert(path, shares);
    if (path == m_path) {
        m_heatAction->setEnabled(true);
        m_heatAction->setChecked(true);
        applyHeat();
    }
}

// The graph coloured by the shown model's profile while the switch is on, with a legend from none of the
// time to the most any module takes.
void InspectorPage::applyHeat()
{
    const auto shares = m_heat.value(m_path);
    const bool on = m_heatAction->isChecked() && !shares.isEmpty() && !m_graph->graph().nodes.empty();
    if (!on) {
        if (m_graph->showsHeat())
            m_graph->clearHeat();
        m_heatLegend->hide();
        return;
    }
    m_graph->setHeat(shares);
    double most = 0;
    for (const auto share : shares)
        most = std::max(most, share);
    QString legend;
    for (int i = 0; i <= 4; ++i)
        legend += QStringLiteral("<span style=\"background:%1\">&nbsp;&nbsp;&nbsp;</span>")
                      .arg(heatColour(i / 4.0).name());
    m_heatLegend->setText(tr("0% %1 %2 of the pass").arg(legend, maas::app::formatPercent(most)));
    m_heatLegend->show();
}

bool InspectorPage::selectModule(const QString& module)
{
    const auto& nodes = m_graph->graph().nodes;
    for (int pass = 0; pass < 2; ++pass) // the module's own operators first, else its submodules'
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const auto name = QString::fromStdString(nodes[i].module);
            if (pass == 0 ? name == module : name.startsWith(module + QLatin1Char('.'))) {
                m_sections->setCurrentIndex(m_graphTab);
                m_graph->selectNode(static_cast<int>(i));
                return true;
            }
        }
    return false;
}

maas::app::Job* InspectorPage::inspect(const QString& path, const QString& name)
{
    m_path = path;
    m_tree->clear();
    m_graph->clearGraph();
    m_details->clear();
    m_summary->setText(tr("inspecting…"));
    m_graphStatus->clear();
    auto* job = m_jobs->start(tr("Inspect %1").arg(name.isEmpty() ? QFileInfo(path).fileName() : name),
        [path, font = m_graph->font()](const maas::app::JobContext&) {
            auto inspection = std::make_shared<Inspection>();
            inspection->model = maas::app::inspectModel(path);
            inspection->layoutError = inspection->model.graphError;
            if (inspection->layoutError.isEmpty()) {
                try { // without a graph the layers still show
                    inspection->layout = layoutGraph(inspection->model.graph, font);
                } catch (const std::exception& e) {
                    inspection->layoutError = QString::fromUtf8(e.what());
                }
            }
            return QVariant::fromValue(std::shared_ptr<const Inspection>(std::move(inspection)));
        });
    m_job = job;
    // Each handler reads its own job: a newer inspection may already be running (the same model chosen
    // twice), and only the newest one's result is shown.
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) {
        if (job != m_job)
            return; // another inspection was started meanwhile: this result is stale
        if (state != maas::app::JobState::Done) {
            m_summary->setText(job->error());
            return;
        }
        showInspection(*job->result().value<std::shared_ptr<const Inspection>>());
    });
    return m_job;
}

void InspectorPage::showInspection(const Inspection& inspection)
{
    const auto& report = inspection.model.report;
    if (inspection.layoutError.isEmpty()) {
        m_graph->setGraph(inspection.model.graph, inspection.layout);
        m_heatAction->setEnabled(m_heat.contains(m_path));
        applyHeat();
        const auto operators = std::count_if(inspection.model.graph.nodes.begin(), inspection.model.graph.nodes.end(),
            [](const auto& n) { return n.kind == maas::engine::GraphNode::Kind::Operator; });
        m_graphStatus->setText(
            tr("%n operators — click one for its details; Ctrl+wheel zooms", nullptr, static_cast<int>(operators)));
    } else {
        m_graphStatus->setText(inspection.layoutError);
    }
    QString summary
        = tr("%1 — %2 parameters in %3 tensors, %4 in memory")
              .arg(QString::fromStdString(report.forwardSignature), maas::app::formatExact(report.totalParameters))
              .arg(report.parameterTensors)
              .arg(maas::app::formatBytes(report.memoryBytes));
    if (report.compute && !report.compute->inputShapes.empty()) {
        // The datatype tells a model over token ids (INT64) from one over numbers.
        std::string sample = maas::engine::shapeToString(report.compute->inputShapes.front());
        if (!report.compute->inputTypes.empty())
            sample += " " + maas::engine::dataTypeName(report.compute->inputTypes.front());
        summary += tr(" — %1 MACs for one sample %2")
                       .arg(maas::app::formatCount(report.compute->macs), QString::fromStdString(sample));
    }
    m_summary->setText(summary);
    showLayers(report);
}

// Layers come in pre-order with depths: a stack of the open ancestors rebuilds the tree.
void InspectorPage::showLayers(const maas::engine::ModelReport& report)
{
    QList<QTreeWidgetItem*> stack;
    for (const auto& layer : report.layers) {
        while (stack.size() > layer.depth)
            stack.removeLast();
        const QString name
            = layer.name.empty() ? tr("(model)") : QString::fromStdString(layer.name.substr(layer.name.rfind('.') + 1));
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
            param->setText(1,
                QStringLiteral("%1 %2").arg(
                    QString::fromStdString(maas::engine::shapeToString(p.shape)), QString::fromStdString(p.dtype)));
            param->setText(2, maas::app::formatExact(p.count));
            param->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
            param->setText(3, QLocale().toString(p.norm, 'g', 4));
            param->setToolTip(0, QString::fromStdString(p.name));
        }
        stack.append(item);
    }
    m_tree->expandToDepth(0);
}

} // namespace maas::widgets

#include "maas/widgets/profilepage.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "maas/app/benchmark.h"
#include "maas/app/controller.h"
#include "maas/app/format.h"
#include "maas/app/library.h"
#include "maas/app/textinput.h"
#include "maas/widgets/pictures.h"
#include "maas/widgets/profileviews.h"

namespace maas::widgets {

namespace {

QScrollArea* scrolled(QWidget* view, QWidget* parent)
{
    auto* area = new QScrollArea(parent);
    area->setWidget(view);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QString ms(double v) { return maas::app::formatSeconds(v / 1000.0); }

} // namespace

ProfilePage::ProfilePage(maas::app::WorkbenchController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_library(controller->library())
    , m_title(new QLabel(this))
    , m_shape(new QLineEdit(this))
    , m_runs(new QSpinBox(this))
    , m_start(new QPushButton(tr("Profile"), this))
    , m_trace(new QPushButton(tr("Export trace…"), this))
    , m_status(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_views(new QTabWidget(this))
    , m_bars(new LayerBars(this))
    , m_operators(new QTableWidget(0, 6, this))
    , m_timeline(new TimelineView(this))
    , m_flame(new FlameView(this))
{
    m_title->setWordWrap(true);
    m_status->setWordWrap(true);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_shape->setPlaceholderText(tr("the card's, one sample"));
    m_shape->setToolTip(tr("Sizes separated by commas with the batch first, and optionally a datatype: "
                           "1,3,224,224 or 1,32:INT64. One shape per input, separated by semicolons."));
    m_runs->setRange(1, 1000);
    m_runs->setValue(10);
    m_runs->setToolTip(tr("Profiled forward passes; as many unprofiled ones tell the profiler's own cost."));
    m_trace->setEnabled(false);
    m_trace->setToolTip(tr("A Chrome trace of one pass (opens in ui.perfetto.dev), or folded stacks (.folded) "
                           "for flame graph tools."));
    auto* form = new QFormLayout;
    form->addRow(tr("Input shape"), m_shape);
    form->addRow(tr("Passes"), m_runs);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_trace);
    buttons->addStretch();
    m_operators->setHorizontalHeaderLabels(
        { tr("Operator"), tr("Calls"), tr("Own time"), tr("Total time"), tr("Share"), tr("Input shapes") });
    m_operators->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_operators->verticalHeader()->hide();
    m_operators->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_operators->horizontalHeader()->setStretchLastSection(true);
    m_views->addTab(scrolled(m_bars, this), tr("Layers"));
    m_views->addTab(m_operators, tr("Operators"));
    m_views->addTab(scrolled(m_timeline, this), tr("Timeline"));
    m_views->addTab(scrolled(m_flame, this), tr("Flame graph"));
    m_views->hide(); // until there is a profile to show
    offerPictureExport(m_bars, QStringLiteral("layers"));
    offerPictureExport(m_timeline, QStringLiteral("timeline"));
    offerPictureExport(m_flame, QStringLiteral("flame-graph"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_summary);
    layout->addWidget(m_views, 1);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_trace, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export trace"), QStringLiteral("trace.json"),
            tr("Chrome trace (*.json);;Folded stacks (*.folded)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportTrace(path); !error.isEmpty())
            showError(error);
    });
    connect(m_bars, &LayerBars::layerClicked, this, &ProfilePage::activateLayer);
    connect(m_flame, &FlameView::layerClicked, this, &ProfilePage::activateLayer);
    connect(m_controller, &maas::app::WorkbenchController::profiled, this, &ProfilePage::showProfile);
    setModel(std::nullopt);
}

void ProfilePage::activateLayer(const QString& module)
{
    if (m_run)
        Q_EMIT layerActivated(m_run->request.path, module);
}

void ProfilePage::setModel(std::optional<qint64> id)
{
    if (id != m_model) { // another model's profile does not stay under this one's title
        m_run.reset();
        m_views->hide();
        m_summary->clear();
        m_status->clear();
        m_trace->setEnabled(false);
    }
    m_model = id;
    const auto entry = id ? m_library->model(*id) : std::nullopt;
    m_title->setText(entry ? tr("Where %1 spends its time, layer by layer and operator by operator.").arg(entry->name)
                           : tr("Choose a model in the library to profile it."));
    m_start->setEnabled(entry.has_value() && !m_job);
}

maas::app::Job* ProfilePage::start()
{
    const auto entry = m_model ? m_library->model(*m_model) : std::nullopt;
    if (!entry) {
        showError(tr("Choose a model in the library to profile."));
        return nullptr;
    }
    maas::app::ProfileRequest request { entry->id, entry->path, entry->name, {}, m_runs->value() };
    for (const QString& text : m_shape->text().split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const auto shape = maas::app::parseInputShape(text.trimmed());
        if (!shape) {
            showError(tr("Input shape: '%1' is not a shape; write positive sizes separated by commas, such as "
                         "1,3,224,224, and optionally a datatype: 1,32:INT64.")
                          .arg(text.trimmed()));
            return nullptr;
        }
        request.shapes.push_back(*shape);
    }
    m_job = m_controller->profile(request, tr("Profile %1").arg(entry->name));
    m_start->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Profiling %1…").arg(entry->name));
    auto* job = m_job.data();
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) { finish(job, state); });
    return job;
}

void ProfilePage::finish(maas::app::Job* job, maas::app::JobState state)
{
    if (job != m_job)
        return;
    m_job.clear();
    m_start->setEnabled(m_model.has_value());
    if (state == maas::app::JobState::Failed)
        showError(job->error());
    else if (state == maas::app::JobState::Cancelled)
        m_status->setText(tr("Cancelled."));
}

void ProfilePage::showProfile(maas::app::Job* job)
{
    const auto run = job->resultAs<std::shared_ptr<maas::app::ProfileRun>>();
    if (!run || job != m_job || run->request.modelId != m_model.value_or(-1))
        return; // another page's profile, or one of a model no longer shown
    m_run = run;
    const auto& p = run->profile;
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Profiled %1.").arg(run->request.name));
    m_summary->setText(
        tr("Forward pass %1 (%2 while profiled: the profiler costs %3). %4 FLOPs, %5 GFLOP/s. This machine's "
           "peak with %6 threads: %7 GFLOP/s for matrix products, %8 GFLOP/s for convolutions.")
            .arg(ms(p.forwardMs), ms(p.profiledMs), maas::app::formatPercent(p.overhead),
                maas::app::formatCount(p.flops))
            .arg(p.forwardMs > 0 ? p.flops / p.forwardMs / 1e6 : 0, 0, 'f', 1)
            .arg(p.threads)
            .arg(p.peak.matrixGflops, 0, 'f', 1)
            .arg(p.peak.convolutionGflops, 0, 'f', 1));
    m_bars->setLayers(maas::engine::leafLayers(p), p.profiledMeanMs);
    showOperators();
    m_timeline->setTimeline(p.timeline, p.profiledMs);
    m_flame->setLayers(p.layers);
    m_trace->setEnabled(true);
    m_views->show();
    Q_EMIT profileShown(run->request.path, maas::app::timeShares(*run));
}

void ProfilePage::showOperators()
{
    const auto& operators = m_run->profile.operators;
    m_operators->setRowCount(static_cast<int>(operators.size()));
    for (int r = 0; r < m_operators->rowCount(); ++r) {
        const auto& o = operators[static_cast<std::size_t>(r)];
        const QStringList cells { QString::fromStdString(o.name), QString::number(o.calls, 'g', 4), ms(o.selfMs),
            ms(o.totalMs), maas::app::formatPercent(o.share), QString::fromStdString(o.inputShapes) };
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells.at(c));
            if (c >= 1 && c <= 4)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_operators->setItem(r, c, item);
        }
    }
}

QString ProfilePage::exportTrace(const QString& path) const
{
    if (!m_run)
        return tr("Profile a model first; then its trace can be exported.");
    return maas::app::saveProfile(*m_run, path);
}

void ProfilePage::showError(const QString& message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
}

} // namespace maas::widgets

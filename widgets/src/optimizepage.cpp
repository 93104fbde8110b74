#include "maas/widgets/optimizepage.h"

#include <QComboBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

#include "maas/app/controller.h"
#include "maas/app/format.h"
#include "maas/app/library.h"
#include "maas/app/optimize.h"

namespace maas::widgets {

namespace {

QString milliseconds(double ms) { return OptimizePage::tr("%1 ms").arg(ms, 0, 'f', 2); }

QString percent(double v)
{
    return std::isnan(v) ? OptimizePage::tr("not measured") : QStringLiteral("%1%").arg(v * 100.0, 0, 'f', 1);
}

} // namespace

OptimizePage::OptimizePage(maas::app::WorkbenchController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_library(controller->library())
    , m_title(new QLabel(this))
    , m_operation(new QComboBox(this))
    , m_tolerance(new QLineEdit(QStringLiteral("0.0001"), this))
    , m_dataset(new QComboBox(this))
    , m_limit(new QSpinBox(this))
    , m_start(new QPushButton(tr("Optimize"), this))
    , m_status(new QLabel(this))
    , m_table(new QTableWidget(5, 3, this))
{
    m_title->setWordWrap(true);
    m_operation->addItem(tr("Convert for CPU inference"), QStringLiteral("cpu"));
    m_operation->setToolTip(tr("Freezes the model (weights become constants), folds batch-norm into the "
                               "convolutions and applies LibTorch's other rewrites of frozen graphs."));
    auto* validator = new QDoubleValidator(1e-12, 0.999, 12, m_tolerance);
    validator->setLocale(QLocale::c());
    m_tolerance->setValidator(validator);
    m_tolerance->setToolTip(tr("The largest difference allowed between the outputs before and after on a "
                               "sample batch, relative to the outputs' scale. Past it, nothing is written."));
    m_limit->setRange(0, 10000000);
    m_limit->setValue(2000);
    m_limit->setSpecialValueText(tr("all"));
    m_limit->setToolTip(tr("Samples of the data set to measure accuracy on (0: all)."));
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("optimizeStatus"));
    m_table->setHorizontalHeaderLabels({ tr("Before"), tr("After"), tr("Change") });
    m_table->setVerticalHeaderLabels(
        { tr("Size"), tr("Weights"), tr("Latency, batch 1"), tr("Latency, batch 16"), tr("Accuracy") });
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Operation"), m_operation);
    form->addRow(tr("Tolerance"), m_tolerance);
    form->addRow(tr("Accuracy on"), m_dataset);
    form->addRow(tr("Samples"), m_limit);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_controller, &maas::app::WorkbenchController::optimized, this, &OptimizePage::showOptimized);
    setModel(std::nullopt);
    reloadDatasets();
}

void OptimizePage::setModel(std::optional<qint64> id)
{
    m_model = id;
    const auto entry = id ? m_library->model(*id) : std::nullopt;
    m_title->setText(entry ? tr("Make %1 smaller or faster. The result is checked against it and added to the "
                                "library as its child; %1 itself does not change.")
                                 .arg(entry->name)
                           : tr("Choose a model in the library to optimize it."));
    m_start->setEnabled(entry.has_value() && !m_job);
}

void OptimizePage::reloadDatasets()
{
    const QString current = m_dataset->currentData().toString();
    m_dataset->clear();
    m_dataset->addItem(tr("No data set (no accuracy)"), QString());
    for (const auto& d : m_library->datasets())
        m_dataset->addItem(tr("%1 (%n samples)", nullptr, static_cast<int>(d.samples)).arg(d.name), d.path);
    if (const int at = m_dataset->findData(current); at >= 0)
        m_dataset->setCurrentIndex(at);
}

maas::app::Job* OptimizePage::start()
{
    const auto entry = m_model ? m_library->model(*m_model) : std::nullopt;
    if (!entry) {
        showError(tr("Choose a model in the library first."));
        return nullptr;
    }
    bool ok = false;
    const double tolerance = QLocale::c().toDouble(m_tolerance->text(), &ok);
    if (!ok || !(tolerance > 0 && tolerance < 1)) {
        showError(tr("Tolerance must be a number above 0 and below 1, such as 0.0001."));
        return nullptr;
    }
    maas::app::OptimizeRequest request;
    request.libraryFolder = m_library->folder();
    request.modelPath = entry->path;
    request.dataPath = m_dataset->currentData().toString();
    request.sampleLimit = m_limit->value();
    request.tolerance = tolerance;
    m_job = m_controller->optimize(request, entry->id, tr("Optimize %1").arg(entry->name));
    m_start->setEnabled(false);
    m_table->hide();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Converting %1 and measuring it before and after…").arg(entry->name));
    auto* job = m_job.data();
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) { finish(job, state); });
    return job;
}

// The run ended: a success was recorded by the controller, which said so through optimized(); here the
// button and the other endings.
void OptimizePage::finish(maas::app::Job* job, maas::app::JobState state)
{
    if (job != m_job)
        return;
    m_job.clear();
    m_start->setEnabled(m_model.has_value());
    if (state == maas::app::JobState::Failed)
        showError(job->error());
    else if (state == maas::app::JobState::Cancelled)
        m_status->setText(tr("Cancelled; nothing was written."));
}

void OptimizePage::showOptimized(maas::app::Job* job, qint64 modelId)
{
    const auto result = job->resultAs<std::shared_ptr<maas::app::OptimizedModel>>();
    const auto entry = m_library->model(modelId);
    if (!result || !entry)
        return;
    showNumbers(result->before, result->after);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Saved as %1. Largest output difference %2 (tolerance %3).")
                          .arg(entry->name)
                          .arg(result->difference, 0, 'g', 3)
                          .arg(result->tolerance, 0, 'g', 3));
    Q_EMIT optimized(modelId);
}

void OptimizePage::showNumbers(const maas::app::VariantNumbers& before, const maas::app::VariantNumbers& after)
{
    using maas::app::formatBytes;
    using maas::app::formatCount;
    const auto row = [this](int r, const QString& a, const QString& b, const QString& c) {
        m_table->setItem(r, 0, new QTableWidgetItem(a));
        m_table->setItem(r, 1, new QTableWidgetItem(b));
        m_table->setItem(r, 2, new QTableWidgetItem(c));
    };
    row(0, formatBytes(before.fileBytes), formatBytes(after.fileBytes),
        maas::app::formatChange(double(before.fileBytes), double(after.fileBytes), tr("smaller"), tr("larger")));
    row(1, formatCount(before.weights), formatCount(after.weights), QString());
    row(2, milliseconds(before.latencyBatch1Ms), milliseconds(after.latencyBatch1Ms),
        maas::app::formatChange(before.latencyBatch1Ms, after.latencyBatch1Ms, tr("faster"), tr("slower")));
    row(3, milliseconds(before.latencyBatch16Ms), milliseconds(after.latencyBatch16Ms),
        maas::app::formatChange(before.latencyBatch16Ms, after.latencyBatch16Ms, tr("faster"), tr("slower")));
    row(4, percent(before.accuracy), percent(after.accuracy),
        std::isnan(before.accuracy) ? QString()
                                    : tr("%1 points").arg((after.accuracy - before.accuracy) * 100.0, 0, 'f', 1));
    m_table->show();
}

void OptimizePage::showError(const QString& message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
}

} // namespace maas::widgets

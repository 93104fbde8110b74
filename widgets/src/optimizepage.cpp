#include "maas/widgets/optimizepage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
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
    , m_engine(new QComboBox(this))
    , m_budgetOn(new QCheckBox(tr("Lose at most"), this))
    , m_budget(new QDoubleSpinBox(this))
    , m_sparsity(new QSlider(Qt::Horizontal, this))
    , m_sparsityText(new QLabel(this))
    , m_perLayer(new QCheckBox(tr("The same share in every layer"), this))
    , m_steps(new QSpinBox(this))
    , m_fineTune(new QSpinBox(this))
    , m_dataset(new QComboBox(this))
    , m_limit(new QSpinBox(this))
    , m_start(new QPushButton(tr("Optimize"), this))
    , m_status(new QLabel(this))
    , m_table(new QTableWidget(7, 3, this))
    , m_layers(new QTableWidget(0, 4, this))
{
    m_title->setWordWrap(true);
    addOperations();
    setUpQuantization();
    setUpPruning();
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
    m_table->setVerticalHeaderLabels({ tr("Size"), tr("Size, gzip"), tr("Weights"), tr("Nonzero weights"),
        tr("Latency, batch 1"), tr("Latency, batch 16"), tr("Accuracy") });
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->hide();
    m_layers->setHorizontalHeaderLabels({ tr("Layer"), tr("Shape"), tr("Form"), tr("Drop alone or zeros") });
    m_layers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_layers->verticalHeader()->hide();
    m_layers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_layers->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_layers->hide();

    auto* form = buildForm();
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_table);
    layout->addWidget(m_layers, 1);
    layout->addStretch();
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_operation, &QComboBox::currentIndexChanged, this, [this] { operationChanged(); });
    operationChanged();
    connect(m_controller, &maas::app::WorkbenchController::optimized, this, &OptimizePage::showOptimized);
    setModel(std::nullopt);
    reloadDatasets();
}

void OptimizePage::addOperations()
{
    m_operation->addItem(tr("Convert for CPU inference"), QStringLiteral("cpu"));
    m_operation->setItemData(0,
        tr("Freezes the model (weights become constants), folds batch-norm into the convolutions and applies "
           "LibTorch's other rewrites of frozen graphs."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Quantize Linear layers to int8"), QStringLiteral("int8"));
    m_operation->setItemData(1,
        tr("Stores the weights of every Linear layer as 8-bit integers (about 4x smaller) and quantizes their "
           "inputs on each call; works on any TorchScript model."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Prune weights"), QStringLiteral("prune"));
    m_operation->setItemData(2,
        tr("Sets the smallest weights of Linear and convolution layers to zero: the model compresses better, "
           "and fine-tuning on the data set after each step wins back accuracy."),
        Qt::ToolTipRole);
}

void OptimizePage::setUpQuantization()
{
    m_engine->addItem(tr("The faster on this model (measured)"), QString());
    for (const auto& name : maas::app::quantizedEngines())
        m_engine->addItem(name, name);
    m_engine->setToolTip(tr("The library of int8 kernels the quantized model runs on."));
    m_budget->setRange(0, 100);
    m_budget->setDecimals(2);
    m_budget->setSingleStep(0.1);
    m_budget->setValue(0.5);
    m_budget->setSuffix(tr(" accuracy points"));
    m_budget->setEnabled(false);
    m_budgetOn->setToolTip(tr("Measures each layer's accuracy drop alone on the data set and keeps the most "
                              "sensitive layers in fp32 until the model's drop is within the budget."));
    connect(m_budgetOn, &QCheckBox::toggled, m_budget, &QWidget::setEnabled);
}

void OptimizePage::setUpPruning()
{
    m_sparsity->setRange(1, 99);
    m_sparsity->setValue(50);
    m_sparsity->setToolTip(tr("The share of weights set to zero."));
    const auto showSparsity = [this](int v) { m_sparsityText->setText(tr("%1% zeros").arg(v)); };
    connect(m_sparsity, &QSlider::valueChanged, this, showSparsity);
    showSparsity(m_sparsity->value());
    m_perLayer->setToolTip(tr("Off: one threshold over all layers, so the layers that matter less lose more."));
    m_steps->setRange(1, 100);
    m_steps->setToolTip(tr("Reach the sparsity in this many equal steps, fine-tuning after each."));
    m_fineTune->setRange(0, 1000);
    m_fineTune->setSpecialValueText(tr("none"));
    m_fineTune->setToolTip(tr("Epochs of training on the data set after each step; the zeros stay zero."));
}

// The settings form: each operation's rows (operationChanged shows those of the chosen one), then the data.
QFormLayout* OptimizePage::buildForm()
{
    auto* budgetRow = new QWidget(this);
    auto* budgetLayout = new QHBoxLayout(budgetRow);
    budgetLayout->setContentsMargins(0, 0, 0, 0);
    budgetLayout->addWidget(m_budgetOn);
    budgetLayout->addWidget(m_budget, 1);
    auto* form = new QFormLayout;
    form->addRow(tr("Operation"), m_operation);
    form->addRow(tr("Tolerance"), m_tolerance);
    form->addRow(tr("Quantized engine"), m_engine);
    form->addRow(tr("Accuracy budget"), budgetRow);
    auto* sparsityRow = new QWidget(this);
    auto* sparsityLayout = new QHBoxLayout(sparsityRow);
    sparsityLayout->setContentsMargins(0, 0, 0, 0);
    sparsityLayout->addWidget(m_sparsity, 1);
    sparsityLayout->addWidget(m_sparsityText);
    sparsityLayout->addWidget(m_perLayer);
    form->addRow(tr("Sparsity"), sparsityRow);
    form->addRow(tr("Steps"), m_steps);
    form->addRow(tr("Fine-tuning epochs"), m_fineTune);
    form->addRow(tr("Accuracy on"), m_dataset);
    form->addRow(tr("Samples"), m_limit);
    m_form = form;
    return form;
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

// Quantization's settings show only for it, and each operation starts from its own tolerance.
void OptimizePage::operationChanged()
{
    const QString operation = m_operation->currentData().toString();
    const bool quantize = operation == QLatin1String("int8"), prune = operation == QLatin1String("prune");
    m_form->setRowVisible(m_engine, quantize);
    m_form->setRowVisible(m_budget->parentWidget(), quantize);
    m_form->setRowVisible(m_tolerance, !prune); // pruning changes the outputs by design: accuracy measures it
    m_form->setRowVisible(m_sparsity->parentWidget(), prune);
    m_form->setRowVisible(m_steps, prune);
    m_form->setRowVisible(m_fineTune, prune);
    m_tolerance->setText(quantize ? QStringLiteral("0.1") : QStringLiteral("0.0001"));
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

// The request the form describes for `entry`; nothing (and a sentence on the page) when it is not whole.
std::optional<maas::app::OptimizeRequest> OptimizePage::request(const QString& modelPath)
{
    maas::app::OptimizeRequest r;
    const QString operation = m_operation->currentData().toString();
    r.operation = operation == QLatin1String("int8") ? maas::app::Optimization::QuantizeDynamic
        : operation == QLatin1String("prune")        ? maas::app::Optimization::Prune
                                                     : maas::app::Optimization::ConvertForCpu;
    bool ok = false;
    r.tolerance = QLocale::c().toDouble(m_tolerance->text(), &ok);
    if (r.operation != maas::app::Optimization::Prune && (!ok || !(r.tolerance > 0 && r.tolerance < 1))) {
        showError(tr("Tolerance must be a number above 0 and below 1, such as %1.")
                      .arg(r.operation == maas::app::Optimization::QuantizeDynamic ? QStringLiteral("0.1")
                                                                                   : QStringLiteral("0.0001")));
        return std::nullopt;
    }
    r.dataPath = m_dataset->currentData().toString();
    if (r.operation == maas::app::Optimization::QuantizeDynamic && m_budgetOn->isChecked()) {
        if (r.dataPath.isEmpty()) {
            showError(
                tr("An accuracy budget needs a data set to measure the accuracy on: choose one under Accuracy on."));
            return std::nullopt;
        }
        r.maxDrop = m_budget->value();
    }
    if (r.operation == maas::app::Optimization::Prune && m_fineTune->value() > 0 && r.dataPath.isEmpty()) {
        showError(tr("Fine-tuning needs a data set to train on: choose one under Accuracy on."));
        return std::nullopt;
    }
    r.engine = m_engine->currentData().toString();
    r.sparsity = m_sparsity->value() / 100.0;
    r.perLayer = m_perLayer->isChecked();
    r.steps = m_steps->value();
    r.fineTuneEpochs = m_fineTune->value();
    r.libraryFolder = m_library->folder();
    r.modelPath = modelPath;
    r.sampleLimit = m_limit->value();
    return r;
}

maas::app::Job* OptimizePage::start()
{
    const auto entry = m_model ? m_library->model(*m_model) : std::nullopt;
    if (!entry) {
        showError(tr("Choose a model in the library first."));
        return nullptr;
    }
    const auto r = request(entry->path);
    if (!r)
        return nullptr;
    using maas::app::Optimization;
    const QString title = r->operation == Optimization::QuantizeDynamic ? tr("Quantize %1")
        : r->operation == Optimization::Prune                           ? tr("Prune %1")
                                                                        : tr("Optimize %1");
    m_job = m_controller->optimize(*r, entry->id, title.arg(entry->name));
    m_start->setEnabled(false);
    m_table->hide();
    m_layers->hide();
    m_status->setStyleSheet(QString());
    m_status->setText(r->operation == Optimization::Prune
            ? (r->fineTuneEpochs > 0 ? tr("Pruning and fine-tuning %1, then measuring it before and after…")
                                     : tr("Pruning %1 and measuring it before and after…"))
                  .arg(entry->name)
            : r->operation == Optimization::ConvertForCpu
            ? tr("Converting %1 and measuring it before and after…").arg(entry->name)
            : !std::isnan(r->maxDrop)
            ? tr("Measuring each layer's sensitivity, then quantizing %1 within the budget…").arg(entry->name)
            : tr("Quantizing %1 and measuring it before and after…").arg(entry->name));
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
    showLayers(*result);
    m_status->setStyleSheet(QString());
    // Pruning changes the outputs by design, with no tolerance: accuracy is its measure.
    QString text = std::isnan(result->tolerance)
        ? tr("Saved as %1. Largest output difference %2.").arg(entry->name).arg(result->difference, 0, 'g', 3)
        : tr("Saved as %1. Largest output difference %2 (tolerance %3).")
              .arg(entry->name)
              .arg(result->difference, 0, 'g', 3)
              .arg(result->tolerance, 0, 'g', 3);
    if (!result->engine.isEmpty())
        text += QLatin1Char(' ')
            + (result->engineMeasured ? tr("Quantized engine: %1, the faster on this model.")
                                      : tr("Quantized engine: %1, as asked."))
                  .arg(result->engine);
    m_status->setText(text);
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
    row(1, formatBytes(before.gzipBytes), formatBytes(after.gzipBytes),
        maas::app::formatChange(double(before.gzipBytes), double(after.gzipBytes), tr("smaller"), tr("larger")));
    row(2, formatCount(before.weights), formatCount(after.weights), QString());
    row(3, formatCount(before.nonzero), formatCount(after.nonzero),
        maas::app::formatChange(double(before.nonzero), double(after.nonzero), tr("fewer"), tr("more")));
    row(4, milliseconds(before.latencyBatch1Ms), milliseconds(after.latencyBatch1Ms),
        maas::app::formatChange(before.latencyBatch1Ms, after.latencyBatch1Ms, tr("faster"), tr("slower")));
    row(5, milliseconds(before.latencyBatch16Ms), milliseconds(after.latencyBatch16Ms),
        maas::app::formatChange(before.latencyBatch16Ms, after.latencyBatch16Ms, tr("faster"), tr("slower")));
    row(6, percent(before.accuracy), percent(after.accuracy),
        std::isnan(before.accuracy) ? QString()
                                    : tr("%1 points").arg((after.accuracy - before.accuracy) * 100.0, 0, 'f', 2));
    // Every row in view at its text's height: the layers' table below takes the rest of the page.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height()
        + m_table->rowCount() * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth());
    m_table->show();
}

void OptimizePage::showLayers(const maas::app::OptimizedModel& result)
{
    m_layers->setRowCount(static_cast<int>(result.layers.size()));
    for (int r = 0; r < m_layers->rowCount(); ++r) {
        const auto& l = result.layers.at(r);
        m_layers->setItem(r, 0, new QTableWidgetItem(l.layer));
        m_layers->setItem(r, 1, new QTableWidgetItem(l.shape));
        m_layers->setItem(r, 2, new QTableWidgetItem(l.form));
        const QString measure = !std::isnan(l.accuracyDrop) ? tr("%1 points").arg(l.accuracyDrop, 0, 'f', 2)
            : !std::isnan(l.sparsity)                       ? tr("%1% zeros").arg(l.sparsity * 100.0, 0, 'f', 1)
                                                            : QString();
        m_layers->setItem(r, 3, new QTableWidgetItem(measure));
    }
    m_layers->setVisible(!result.layers.isEmpty());
}

void OptimizePage::showError(const QString& message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
}

} // namespace maas::widgets

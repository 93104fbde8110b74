#include "maas/widgets/optimizepage.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

#include <cmath>

#include "maas/app/controller.h"
#include "maas/app/format.h"
#include "maas/app/library.h"
#include "maas/app/optimize.h"
#include "maas/app/publish.h"
#include "maas/widgets/varianttable.h"

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
    , m_calibration(new QSpinBox(this))
    , m_budgetOn(new QCheckBox(tr("Lose at most"), this))
    , m_budget(new QDoubleSpinBox(this))
    , m_sparsity(new QSlider(Qt::Horizontal, this))
    , m_sparsityText(new QLabel(this))
    , m_perLayer(new QCheckBox(tr("The same share in every layer"), this))
    , m_structured(new QCheckBox(tr("Whole channels"), this))
    , m_steps(new QSpinBox(this))
    , m_fineTune(new QSpinBox(this))
    , m_studentArch(new QComboBox(this))
    , m_studentWidths(new QLineEdit(QStringLiteral("64"), this))
    , m_temperature(new QDoubleSpinBox(this))
    , m_alpha(new QDoubleSpinBox(this))
    , m_studentEpochs(new QSpinBox(this))
    , m_opset(new QSpinBox(this))
    , m_exportPath(new QLineEdit(this))
    , m_baseline(new QCheckBox(tr("Also train the student alone, to compare"), this))
    , m_dataset(new QComboBox(this))
    , m_limit(new QSpinBox(this))
    , m_start(new QPushButton(tr("Optimize"), this))
    , m_status(new QLabel(this))
    , m_table(new VariantTable(this))
    , m_layers(new QTableWidget(0, 4, this))
    , m_sweep(new QPushButton(tr("Sweep 10–90%"), this))
    , m_points(new QTableWidget(0, 4, this))
{
    m_title->setWordWrap(true);
    addOperations();
    setUpQuantization();
    setUpPruning();
    setUpDistillation();
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

    setUpLayerTable();
    auto* form = buildForm();
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_sweep);
    buttons->addStretch();
    m_sweepView = buildSweepView();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_table);
    layout->addWidget(m_layers, 1);
    layout->addWidget(m_sweepView, 1);
    layout->addStretch();
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_sweep, &QPushButton::clicked, this, [this] { startSweep(); });
    connect(m_controller, &maas::app::WorkbenchController::swept, this, &OptimizePage::showSweep);
    connect(m_operation, &QComboBox::currentIndexChanged, this, [this] { operationChanged(); });
    operationChanged();
    connect(m_controller, &maas::app::WorkbenchController::optimized, this, &OptimizePage::showOptimized);
    setModel(std::nullopt);
    reloadDatasets();
}

void OptimizePage::setUpLayerTable()
{
    m_layers->setHorizontalHeaderLabels({ tr("Layer"), tr("Shape"), tr("Form"), tr("Drop alone, zeros or channels") });
    m_layers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_layers->verticalHeader()->hide();
    m_layers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_layers->horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_layers->hide();
}

void OptimizePage::addOperations()
{
    m_operation->addItem(tr("Convert for CPU inference"), QStringLiteral("cpu"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("Freezes the model (weights become constants), folds batch-norm into the convolutions and applies "
           "LibTorch's other rewrites of frozen graphs."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Convert for mobile"), QStringLiteral("mobile"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("LibTorch's optimize_for_mobile: frozen, batch-norm folded, Conv2d and Linear on XNNPACK's prepacked "
           "kernels (what phones run) with their activations fused. Made for ARM: latency here is this "
           "machine's, not the phone's."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Quantize Linear layers to int8"), QStringLiteral("int8"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("Stores the weights of every Linear layer as 8-bit integers (about 4x smaller) and quantizes their "
           "inputs on each call; works on any TorchScript model."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Quantize Conv and Linear layers to int8, calibrated"), QStringLiteral("static"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("Static quantization: weights and the activations between layers are 8-bit integers, their ranges "
           "measured on samples of the data set's training split. Much faster on convolutions."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Store weights as fp16"), QStringLiteral("fp16"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("Every weight stored in 16 bits (half the file) and cast to fp32 when the model loads: fp32's "
           "speed, answers within the tolerance."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Store weights as bf16"), QStringLiteral("bf16"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("As fp16, with bfloat16's range (no overflow of large weights) and less precision."), Qt::ToolTipRole);
    m_operation->addItem(tr("Prune weights"), QStringLiteral("prune"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("Sets the smallest weights of Linear and convolution layers to zero: the model compresses better, "
           "and fine-tuning on the data set after each step wins back accuracy."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Distill into a smaller student"), QStringLiteral("distill"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("Trains a new, smaller model on the data set from the labels and from this model's answers, and "
           "the same student alone to show what the teacher adds."),
        Qt::ToolTipRole);
    m_operation->addItem(tr("Export to ONNX"), QStringLiteral("onnx"));
    m_operation->setItemData(m_operation->count() - 1,
        tr("Writes the model as an ONNX file for ONNX Runtime, TensorRT, OpenVINO and Triton's onnxruntime "
           "backend: batch norms folded, dropout removed, checked by ONNX's checker. A text model's vocabulary "
           "is written beside it."),
        Qt::ToolTipRole);
}

// The export's file: a line to type in and a button that asks; the file name follows the model until
// the user types one.
QWidget* OptimizePage::buildExportRow()
{
    m_opset->setRange(maas::engine::kOnnxMinOpset, maas::engine::kOnnxMaxOpset);
    m_opset->setValue(maas::engine::kOnnxMaxOpset);
    m_opset->setToolTip(tr("The ONNX operator set the file declares: older runtimes need an older one."));
    m_exportPath->setObjectName(QStringLiteral("exportPath"));
    connect(m_exportPath, &QLineEdit::textEdited, this, [this] { m_exportPathEdited = true; });
    auto* browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const auto chosen = QFileDialog::getSaveFileName(
            this, tr("Export to ONNX"), m_exportPath->text(), tr("ONNX models (*.onnx)"));
        if (chosen.isEmpty())
            return;
        m_exportPath->setText(chosen);
        m_exportPathEdited = true;
    });
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_exportPath, 1);
    layout->addWidget(browse);
    return row;
}

void OptimizePage::setUpDistillation()
{
    m_studentArch->addItem(tr("MLP"), QStringLiteral("mlp"));
    m_studentArch->addItem(tr("CNN"), QStringLiteral("cnn"));
    m_studentArch->addItem(tr("RNN"), QStringLiteral("rnn"));
    m_studentArch->addItem(tr("Text classifier"), QStringLiteral("text"));
    m_studentWidths->setToolTip(tr("The student's layer widths, comma-separated: hidden sizes of an MLP, channels "
                                   "of a CNN, the hidden size of an RNN or the embedding of a text classifier. "
                                   "Empty: the architecture's defaults."));
    m_temperature->setRange(0.1, 100);
    m_temperature->setDecimals(1);
    m_temperature->setValue(2);
    m_temperature->setToolTip(tr("Softens both models' answers before they are compared: higher shows the "
                                 "student more of what the teacher thinks of the other classes."));
    m_alpha->setRange(0, 1);
    m_alpha->setDecimals(2);
    m_alpha->setSingleStep(0.1);
    m_alpha->setValue(0.5);
    m_alpha->setToolTip(tr("The teacher's share of the loss: 0 learns from the labels only, 1 from the teacher only."));
    m_studentEpochs->setRange(1, 10000);
    m_studentEpochs->setValue(10);
    m_baseline->setChecked(true);
    m_baseline->setToolTip(tr("Trains the same student the same way without the teacher (twice the time)."));
}

void OptimizePage::setUpQuantization()
{
    m_engine->addItem(tr("The faster on this model (measured)"), QString());
    for (const auto& name : maas::app::quantizedEngines())
        m_engine->addItem(name, name);
    m_engine->setToolTip(tr("The library of int8 kernels the quantized model runs on."));
    m_calibration->setRange(1, 1000000);
    m_calibration->setValue(512);
    m_calibration->setToolTip(tr("Samples of the data set's training split whose activations set the int8 ranges."));
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
    const auto showSparsity = [this](int v) {
        m_sparsityText->setText(m_structured->isChecked() ? tr("%1% of channels").arg(v) : tr("%1% zeros").arg(v));
    };
    connect(m_sparsity, &QSlider::valueChanged, this, showSparsity);
    showSparsity(m_sparsity->value());
    m_perLayer->setToolTip(tr("Off: one threshold over all layers, so the layers that matter less lose more."));
    m_structured->setToolTip(tr("Removes whole channels and neurons, with their batch-norm entries and the next "
                                "layer's inputs: the layers shrink and run faster. Layers whose outputs meet "
                                "another branch keep theirs; the layers' table says which and why."));
    connect(m_structured, &QCheckBox::toggled, this, [this, showSparsity](bool on) {
        m_perLayer->setEnabled(!on); // structured pruning takes the same share from every layer it narrows
        showSparsity(m_sparsity->value());
    });
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
    form->addRow(tr("Calibration samples"), m_calibration);
    form->addRow(tr("Accuracy budget"), budgetRow);
    auto* sparsityRow = new QWidget(this);
    auto* sparsityLayout = new QHBoxLayout(sparsityRow);
    sparsityLayout->setContentsMargins(0, 0, 0, 0);
    sparsityLayout->addWidget(m_sparsity, 1);
    sparsityLayout->addWidget(m_sparsityText);
    sparsityLayout->addWidget(m_perLayer);
    sparsityLayout->addWidget(m_structured);
    form->addRow(tr("Sparsity"), sparsityRow);
    form->addRow(tr("Steps"), m_steps);
    form->addRow(tr("Fine-tuning epochs"), m_fineTune);
    auto* studentRow = new QWidget(this);
    auto* studentLayout = new QHBoxLayout(studentRow);
    studentLayout->setContentsMargins(0, 0, 0, 0);
    studentLayout->addWidget(m_studentArch);
    studentLayout->addWidget(new QLabel(tr("widths"), studentRow));
    studentLayout->addWidget(m_studentWidths, 1);
    form->addRow(tr("Student"), studentRow);
    form->addRow(tr("Temperature"), m_temperature);
    form->addRow(tr("Teacher's share"), m_alpha);
    form->addRow(tr("Epochs"), m_studentEpochs);
    form->addRow(QString(), m_baseline);
    form->addRow(tr("Opset"), m_opset);
    form->addRow(tr("File"), buildExportRow());
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
    m_sweep->setEnabled(entry.has_value() && !m_job);
    if (entry && !m_exportPathEdited) { // NAME.onnx where the last export went, never over an existing file
        const QDir folder(m_exportPath->text().isEmpty() ? QDir::homePath() : QFileInfo(m_exportPath->text()).path());
        static const QRegularExpression unsafe(QStringLiteral("[/\\\\:*?\"<>|]"));
        const QString base = QString(entry->name).replace(unsafe, QStringLiteral("-"));
        QString candidate = folder.filePath(base + QStringLiteral(".onnx"));
        for (int i = 2; QFileInfo::exists(candidate) && i < 1000; ++i)
            candidate = folder.filePath(QStringLiteral("%1-%2.onnx").arg(base).arg(i));
        m_exportPath->setText(candidate);
    }
}

// Quantization's settings show only for it, and each operation starts from its own tolerance.
void OptimizePage::operationChanged()
{
    const QString operation = m_operation->currentData().toString();
    const bool calibrated = operation == QLatin1String("static");
    const bool quantize = operation == QLatin1String("int8") || calibrated, prune = operation == QLatin1String("prune");
    const bool distill = operation == QLatin1String("distill"), onnx = operation == QLatin1String("onnx");
    m_form->setRowVisible(m_opset, onnx);
    m_form->setRowVisible(m_exportPath->parentWidget(), onnx);
    m_form->setRowVisible(m_dataset, !onnx);
    m_form->setRowVisible(m_limit, !onnx);
    m_start->setText(onnx ? tr("Export") : tr("Optimize"));
    m_form->setRowVisible(m_engine, quantize);
    m_form->setRowVisible(m_calibration, calibrated);
    m_form->setRowVisible(m_budget->parentWidget(), quantize);
    // Pruning changes the outputs by design, and a student is a new model: accuracy measures them.
    m_form->setRowVisible(m_tolerance, !prune && !distill && !onnx);
    for (QWidget* row :
        { m_studentArch->parentWidget(), static_cast<QWidget*>(m_temperature), static_cast<QWidget*>(m_alpha),
            static_cast<QWidget*>(m_studentEpochs), static_cast<QWidget*>(m_baseline) })
        m_form->setRowVisible(row, distill);
    m_form->labelForField(m_dataset)->setProperty("text", distill ? tr("Data set") : tr("Accuracy on"));
    m_table->setColumns(distill ? tr("Teacher") : tr("Before"), distill ? tr("Student") : tr("After"));
    m_form->setRowVisible(m_sparsity->parentWidget(), prune);
    m_form->setRowVisible(m_steps, prune);
    m_form->setRowVisible(m_fineTune, prune);
    m_sweep->setVisible(prune);
    m_tolerance->setText(operation == QLatin1String("cpu") || operation == QLatin1String("mobile")
            ? QStringLiteral("0.0001")
            : QStringLiteral("0.1"));
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
    r.operation = operation == QLatin1String("prune") ? maas::app::Optimization::Prune
        : operation == QLatin1String("distill")       ? maas::app::Optimization::Distill
        : operation == QLatin1String("cpu")           ? maas::app::Optimization::ConvertForCpu
        : operation == QLatin1String("mobile")        ? maas::app::Optimization::ConvertForMobile
                                                      : maas::app::Optimization::Quantize;
    const bool calibrated = operation == QLatin1String("static");
    r.dtype = calibrated ? QStringLiteral("int8") : operation;
    r.mode = calibrated ? QStringLiteral("static") : QStringLiteral("dynamic");
    r.calibrationSamples = m_calibration->value();
    bool ok = false;
    r.tolerance = QLocale::c().toDouble(m_tolerance->text(), &ok);
    if (r.operation != maas::app::Optimization::Prune && r.operation != maas::app::Optimization::Distill
        && (!ok || !(r.tolerance > 0 && r.tolerance < 1))) {
        showError(tr("Tolerance must be a number above 0 and below 1, such as %1.")
                      .arg(r.operation == maas::app::Optimization::Quantize ? QStringLiteral("0.1")
                                                                            : QStringLiteral("0.0001")));
        return std::nullopt;
    }
    r.dataPath = m_dataset->currentData().toString();
    const bool int8 = r.dtype == QLatin1String("int8"); // engine and budget are int8's
    if (calibrated && r.dataPath.isEmpty()) {
        showError(tr("Static quantization calibrates on a data set: choose one under Accuracy on."));
        return std::nullopt;
    }
    if (int8 && m_budgetOn->isChecked()) {
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
    if (r.operation == maas::app::Optimization::Distill && !fillDistillation(r))
        return std::nullopt;
    r.engine = int8 ? m_engine->currentData().toString() : QString();
    r.sparsity = m_sparsity->value() / 100.0;
    r.perLayer = m_perLayer->isChecked();
    r.structured = m_structured->isChecked();
    r.steps = m_steps->value();
    r.fineTuneEpochs = m_fineTune->value();
    r.libraryFolder = m_library->folder();
    r.modelPath = modelPath;
    r.sampleLimit = m_limit->value();
    return r;
}

// The student's spec and the distillation's settings; false (and a sentence) when they cannot work.
bool OptimizePage::fillDistillation(maas::app::OptimizeRequest& r)
{
    if (r.dataPath.isEmpty()) {
        showError(tr("A student learns from a data set: choose one under Data set."));
        return false;
    }
    QJsonArray widths;
    for (const auto& part : m_studentWidths->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int width = part.trimmed().toInt(&ok);
        if (!ok || width < 1 || width > 65536) {
            showError(tr("The student's widths must be whole numbers from 1 to 65536, comma-separated, such as 64 "
                         "or 128,64; '%1' is not.")
                          .arg(part.trimmed()));
            return false;
        }
        widths.append(width);
    }
    const QString arch = m_studentArch->currentData().toString();
    QJsonObject spec { { QStringLiteral("arch"), arch } };
    if (!widths.isEmpty()) {
        if (arch == QLatin1String("mlp"))
            spec.insert(QStringLiteral("hidden"), widths);
        else if (arch == QLatin1String("cnn"))
            spec.insert(QStringLiteral("channels"), widths);
        else
            spec.insert(
                arch == QLatin1String("rnn") ? QStringLiteral("hidden") : QStringLiteral("embedding"), widths.first());
    }
    r.studentSpec = QString::fromUtf8(QJsonDocument(spec).toJson(QJsonDocument::Compact));
    r.temperature = m_temperature->value();
    r.alpha = m_alpha->value();
    r.epochs = m_studentEpochs->value();
    r.baseline = m_baseline->isChecked();
    return true;
}

maas::app::Job* OptimizePage::start()
{
    const auto entry = m_model ? m_library->model(*m_model) : std::nullopt;
    if (!entry) {
        showError(tr("Choose a model in the library first."));
        return nullptr;
    }
    if (m_operation->currentData().toString() == QLatin1String("onnx"))
        return startExport(*entry);
    const auto r = request(entry->path);
    if (!r)
        return nullptr;
    using maas::app::Optimization;
    const QString title = r->operation == Optimization::Quantize ? tr("Quantize %1")
        : r->operation == Optimization::Prune                    ? tr("Prune %1")
        : r->operation == Optimization::Distill                  ? tr("Distill %1")
                                                                 : tr("Optimize %1");
    m_job = m_controller->optimize(*r, entry->id, title.arg(entry->name));
    m_start->setEnabled(false);
    m_table->hide();
    m_layers->hide();
    m_status->setStyleSheet(QString());
    m_status->setText(r->operation == Optimization::Distill
            ? (r->baseline ? tr("Training a student from %1, then the same student alone, and measuring both models…")
                           : tr("Training a student from %1 and measuring both models…"))
                  .arg(entry->name)
            : r->operation == Optimization::Prune
            ? (r->fineTuneEpochs > 0 ? tr("Pruning and fine-tuning %1, then measuring it before and after…")
                                     : tr("Pruning %1 and measuring it before and after…"))
                  .arg(entry->name)
            : r->operation == Optimization::ConvertForCpu || r->operation == Optimization::ConvertForMobile
            ? tr("Converting %1 and measuring it before and after…").arg(entry->name)
            : !std::isnan(r->maxDrop)
            ? tr("Measuring each layer's sensitivity, then quantizing %1 within the budget…").arg(entry->name)
            : r->mode == QLatin1String("static")
            ? tr("Calibrating and quantizing %1, then measuring it before and after…").arg(entry->name)
            : tr("Quantizing %1 and measuring it before and after…").arg(entry->name));
    auto* job = m_job.data();
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) { finish(job, state); });
    return job;
}

maas::app::Job* OptimizePage::startExport(const maas::app::ModelEntry& entry)
{
    const QString target = m_exportPath->text().trimmed();
    if (target.isEmpty()) {
        showError(tr("Give the file to write the ONNX model to, such as %1.onnx.").arg(entry.name));
        return nullptr;
    }
    if (QFileInfo(target).isDir()) {
        showError(tr("%1 is a folder; give a file name in it, such as %2.onnx.").arg(target, entry.name));
        return nullptr;
    }
    m_job = m_controller->exportOnnx(entry.id, target, m_opset->value());
    if (!m_job)
        return nullptr;
    m_start->setEnabled(false);
    m_table->hide();
    m_layers->hide();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Exporting %1 to ONNX and checking the file…").arg(entry.name));
    auto* job = m_job.data();
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) {
        finish(job, state);
        if (state == maas::app::JobState::Done)
            m_status->setText(job->resultAs<maas::app::OnnxExport>().summary);
    });
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
    m_sweep->setEnabled(m_model.has_value());
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
    m_table->showNumbers(result->before, result->after);
    showLayers(*result);
    m_status->setStyleSheet(QString());
    // Pruning changes the outputs by design, with no tolerance: accuracy is its measure; a student is a new model.
    QString text = std::isnan(result->difference) ? tr("Saved as %1.").arg(entry->name)
        : std::isnan(result->tolerance)
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
    if (!std::isnan(result->baselineAccuracy) && !std::isnan(result->after.accuracy))
        text += QLatin1Char(' ')
            + tr("The student trained alone: %1; distilled: %2 (%3 points).")
                  .arg(percent(result->baselineAccuracy), percent(result->after.accuracy))
                  .arg((result->after.accuracy - result->baselineAccuracy) * 100.0, 0, 'f', 2);
    m_status->setText(text);
    Q_EMIT optimized(modelId);
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
            : !l.keptBecause.isEmpty()                      ? tr("kept: %1").arg(l.keptBecause)
            : l.channelsBefore > 0                          ? tr("%1 → %2").arg(l.channelsBefore).arg(l.channelsAfter)
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

namespace {

// A chart of accuracy (percent) against `x`, one point per variant, joined in order of sparsity.
QChartView* accuracyChart(const QString& xTitle, QWidget* parent)
{
    auto* chart = new QChart;
    chart->legend()->hide();
    auto* line = new QLineSeries(chart);
    auto* dots = new QScatterSeries(chart);
    dots->setMarkerSize(9);
    chart->addSeries(line);
    chart->addSeries(dots);
    auto* x = new QValueAxis(chart);
    x->setTitleText(xTitle);
    auto* y = new QValueAxis(chart);
    y->setTitleText(OptimizePage::tr("Accuracy, %"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (auto* series : std::initializer_list<QXYSeries*> { line, dots }) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    return view;
}

// Puts (x, y) points on a chart made by accuracyChart, the axes fitted to them with a margin: the dots in
// the variants' order (a double-click finds its variant by place), the line joining them from left to right.
void plot(QChartView* view, const QList<QPointF>& points)
{
    auto* chart = view->chart();
    auto byX = points;
    std::sort(byX.begin(), byX.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
    static_cast<QXYSeries*>(chart->series().value(0))->replace(byX);
    static_cast<QXYSeries*>(chart->series().value(1))->replace(points);
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    for (const auto& p : points) {
        x0 = std::min(x0, p.x()), x1 = std::max(x1, p.x());
        y0 = std::min(y0, p.y()), y1 = std::max(y1, p.y());
    }
    const double dx = std::max(1e-6, (x1 - x0) * 0.08), dy = std::max(0.5, (y1 - y0) * 0.08);
    chart->axes(Qt::Horizontal).value(0)->setRange(x0 - dx, x1 + dx);
    chart->axes(Qt::Vertical).value(0)->setRange(y0 - dy, y1 + dy);
}

} // namespace

QWidget* OptimizePage::buildSweepView()
{
    auto* view = new QWidget(this);
    auto* bySize = accuracyChart(tr("Size, gzip (KB)"), view);
    auto* byLatency = accuracyChart(tr("Latency, batch 1 (ms)"), view);
    bySize->setObjectName(QStringLiteral("sweepBySize"));
    byLatency->setObjectName(QStringLiteral("sweepByLatency"));
    m_points->setParent(view);
    m_points->setHorizontalHeaderLabels({ tr("Sparsity"), tr("Size, gzip"), tr("Latency, batch 1"), tr("Accuracy") });
    m_points->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_points->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_points->verticalHeader()->hide();
    m_points->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_points->setToolTip(tr("Double-click a variant (or a point on a chart) to keep it in the library."));
    connect(m_points, &QTableWidget::cellDoubleClicked, this, [this](int row, int) { keepVariant(row); });
    // A point on either chart selects its variant in the table.
    for (auto* chartView : { bySize, byLatency })
        if (auto* dots = qobject_cast<QScatterSeries*>(chartView->chart()->series().value(1)))
            connect(dots, &QScatterSeries::doubleClicked, this, [this, dots](const QPointF& p) {
                const auto all = dots->points();
                const auto at = std::find(all.begin(), all.end(), p);
                if (at != all.end())
                    keepVariant(static_cast<int>(at - all.begin()));
            });
    auto* charts = new QHBoxLayout;
    charts->addWidget(bySize);
    charts->addWidget(byLatency);
    auto* layout = new QVBoxLayout(view);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(charts, 2);
    layout->addWidget(m_points, 1);
    view->hide();
    return view;
}

maas::app::Job* OptimizePage::startSweep()
{
    const auto entry = m_model ? m_library->model(*m_model) : std::nullopt;
    if (!entry) {
        showError(tr("Choose a model in the library first."));
        return nullptr;
    }
    auto r = request(entry->path);
    if (!r)
        return nullptr;
    if (r->dataPath.isEmpty()) {
        showError(tr("A sweep draws accuracy: choose a data set under Accuracy on."));
        return nullptr;
    }
    QList<double> sparsities;
    for (int percent = 10; percent <= 90; percent += 10)
        sparsities.append(percent / 100.0);
    m_job = m_controller->sweep(*r, sparsities, entry->id, tr("Sweep %1").arg(entry->name));
    m_sweepJob = m_job;
    m_sweptFrom = entry->id; // variants are the children of the model swept, whatever is chosen meanwhile
    m_start->setEnabled(false);
    m_sweep->setEnabled(false);
    m_table->hide();
    m_layers->hide();
    m_sweepView->hide();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Pruning %1 at 10% to 90% and measuring each variant…").arg(entry->name));
    auto* job = m_job.data();
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) { finish(job, state); });
    return job;
}

void OptimizePage::showSweep(maas::app::Job* job)
{
    auto result = job->resultAs<std::shared_ptr<maas::app::SweepResult>>();
    if (!result || job != m_sweepJob.data())
        return;
    m_swept = std::move(result);
    QList<QPointF> bySize, byLatency;
    m_points->setRowCount(static_cast<int>(m_swept->points.size()));
    for (int r = 0; r < m_points->rowCount(); ++r) {
        const auto& p = m_swept->points.at(r);
        bySize.append({ p.numbers.gzipBytes / 1024.0, p.numbers.accuracy * 100.0 });
        byLatency.append({ p.numbers.latencyBatch1Ms, p.numbers.accuracy * 100.0 });
        m_points->setItem(r, 0, new QTableWidgetItem(QStringLiteral("%1%").arg(p.sparsity * 100.0, 0, 'f', 0)));
        m_points->setItem(r, 1, new QTableWidgetItem(maas::app::formatBytes(p.numbers.gzipBytes)));
        m_points->setItem(r, 2, new QTableWidgetItem(milliseconds(p.numbers.latencyBatch1Ms)));
        m_points->setItem(r, 3, new QTableWidgetItem(percent(p.numbers.accuracy)));
    }
    plot(m_sweepView->findChild<QChartView*>(QStringLiteral("sweepBySize")), bySize);
    plot(m_sweepView->findChild<QChartView*>(QStringLiteral("sweepByLatency")), byLatency);
    m_sweepView->show();
    m_status->setText(tr("%1 variants, from %2 of accuracy before. Double-click one to keep it in the library.")
                          .arg(m_swept->points.size())
                          .arg(percent(m_swept->parent.accuracy)));
}

maas::app::Job* OptimizePage::keepVariant(int row)
{
    if (!m_swept || !m_sweptFrom || row < 0 || row >= m_swept->points.size())
        return nullptr;
    const auto& point = m_swept->points.at(row);
    const auto entry = m_library->model(*m_sweptFrom);
    if (!entry)
        return nullptr;
    auto* job = m_controller->keepVariant(
        point, entry->id, tr("Keep %1 pruned to %2%").arg(entry->name).arg(point.sparsity * 100.0, 0, 'f', 0));
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) {
        if (state == maas::app::JobState::Failed)
            showError(job->error());
    });
    return job;
}

} // namespace maas::widgets

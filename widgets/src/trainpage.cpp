#include "maas/widgets/trainpage.h"

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

#include "maas/app/controller.h"
#include "maas/app/format.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/app/training.h"
#include "maas/widgets/confusionmatrix.h"
#include "maas/widgets/pictures.h"
#include "maas/widgets/samplebrowser.h"

namespace maas::widgets {

namespace {

namespace metric = maas::app::metric;

// The model box's fine-tune entry is marked by this role; it carries no architecture (Qt::UserRole is
// empty), since the model being fine-tuned has its own.
constexpr int kFineTuneRole = Qt::UserRole + 1;

QVariant value(const QVariantMap& metrics, const char* key) { return metrics.value(QLatin1String(key)); }

// A failed run in the form's words: an engine error about one field names the form field that sets it
// ("Epochs must be at least 1."); the others are the engine's sentence.
QString errorMessage(const maas::app::Job& job)
{
    const QString field = job.errorField();
    QString label;
    if (field == QLatin1String("epochs"))
        label = QCoreApplication::translate("maas::widgets::TrainPage", "Epochs");
    else if (field == QLatin1String("batch_size"))
        label = QCoreApplication::translate("maas::widgets::TrainPage", "Batch size");
    else if (field == QLatin1String("learning_rate"))
        label = QCoreApplication::translate("maas::widgets::TrainPage", "Learning rate");
    else if (field == QLatin1String("model_classes") || field == QLatin1String("model_input_shape"))
        label = QCoreApplication::translate("maas::widgets::TrainPage", "Model");
    if (label.isEmpty())
        return job.error();
    return QCoreApplication::translate(
        "maas::widgets::TrainPage", "%1 %2", "a form field's label, then what is wrong with its value")
        .arg(label, job.errorDetail());
}

QChart* makeChart(const QString& yTitle, QLineSeries* train, QLineSeries* validation, double yMax)
{
    auto* chart = new QChart;
    chart->addSeries(train);
    chart->addSeries(validation);
    auto* x = new QValueAxis;
    x->setTitleText(QObject::tr("epoch"));
    x->setLabelFormat(QStringLiteral("%.0f"));
    x->setRange(0, 1);
    auto* y = new QValueAxis;
    y->setTitleText(yTitle);
    y->setRange(0, yMax);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (auto* s : { train, validation }) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

void extend(QChart* chart, double x, double y)
{
    auto* xAxis = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).value(0));
    auto* yAxis = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).value(0));
    if (xAxis && x > xAxis->max())
        xAxis->setMax(std::ceil(x));
    if (yAxis && y > yAxis->max())
        yAxis->setMax(y * 1.1);
}

} // namespace

TrainPage::TrainPage(maas::app::WorkbenchController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_library(controller->library())
    , m_arch(new QComboBox(this))
    , m_dataset(new QComboBox(this))
    , m_layers(new QLineEdit(this))
    , m_dropout(new QDoubleSpinBox(this))
    , m_epochs(new QSpinBox(this))
    , m_batch(new QSpinBox(this))
    , m_limit(new QSpinBox(this))
    , m_lr(new QDoubleSpinBox(this))
    , m_optimizer(new QComboBox(this))
    , m_schedule(new QComboBox(this))
    , m_start(new QPushButton(tr("Start"), this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_numbers(new QLabel(this))
    , m_trainLoss(new QLineSeries)
    , m_validationLoss(new QLineSeries)
    , m_trainAccuracy(new QLineSeries)
    , m_validationAccuracy(new QLineSeries)
    , m_confusion(new ConfusionMatrix(this))
    , m_samplesTitle(new QLabel(this))
    , m_samples(new SampleBrowser(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(buildForm());
    auto* right = new QVBoxLayout;
    right->addLayout(buildCharts(), 1);
    right->addWidget(buildResults(), 1);
    layout->addLayout(right, 1);
    connectButtons();
    connect(m_controller, &maas::app::WorkbenchController::trained, this, &TrainPage::showTrained);
    reloadDatasets();
}

// Architecture and its layers, data set, hyperparameters, the buttons and the live numbers.
QFormLayout* TrainPage::buildForm()
{
    auto* form = new QFormLayout;
    m_arch->addItem(tr("MLP"), QStringLiteral("mlp"));
    m_arch->addItem(tr("CNN"), QStringLiteral("cnn"));
    m_arch->addItem(tr("RNN (LSTM)"), QStringLiteral("rnn"));
    m_arch->addItem(tr("Text classifier"), QStringLiteral("text"));
    form->addRow(tr("Model"), m_arch);
    form->addRow(tr("Layers"), m_layers);
    m_dropout->setRange(0.0, 0.95);
    m_dropout->setSingleStep(0.05);
    form->addRow(tr("Dropout"), m_dropout);
    connect(m_arch, &QComboBox::currentIndexChanged, this, &TrainPage::showSpecFields);
    showSpecFields();
    form->addRow(tr("Data set"), m_dataset);
    m_epochs->setRange(1, 1000);
    m_epochs->setValue(5);
    form->addRow(tr("Epochs"), m_epochs);
    m_batch->setRange(1, 65536);
    m_batch->setValue(128);
    form->addRow(tr("Batch size"), m_batch);
    m_limit->setRange(0, 100000000);
    m_limit->setSpecialValueText(tr("all"));
    m_limit->setToolTip(tr("Train on at most this many samples, for a quick first look."));
    form->addRow(tr("Samples"), m_limit);
    m_lr->setDecimals(5);
    m_lr->setRange(0.0, 10.0);
    m_lr->setSingleStep(0.0005);
    m_lr->setSpecialValueText(tr("automatic")); // 0: the engine's default for the architecture
    m_lr->setToolTip(tr("Automatic: 0.01 for text classifiers, 0.001 for the others."));
    m_lr->setValue(0.0);
    form->addRow(tr("Learning rate"), m_lr);
    for (const auto o : { maas::engine::Optimizer::Adam, maas::engine::Optimizer::AdamW, maas::engine::Optimizer::Sgd })
        m_optimizer->addItem(QString::fromStdString(maas::engine::toString(o)), static_cast<int>(o));
    form->addRow(tr("Optimizer"), m_optimizer);
    for (const auto s : { maas::engine::Schedule::None, maas::engine::Schedule::Cosine,
             maas::engine::Schedule::OneCycle, maas::engine::Schedule::Step })
        m_schedule->addItem(QString::fromStdString(maas::engine::toString(s)), static_cast<int>(s));
    form->addRow(tr("Schedule"), m_schedule);
    auto* buttons = new QHBoxLayout;
    m_start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    buttons->addWidget(m_start);
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancel);
    form->addRow(buttons);
    m_numbers->setWordWrap(true);
    m_numbers->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_numbers);
    return form;
}

// Loss and accuracy, train and validation in each, side by side.
QHBoxLayout* TrainPage::buildCharts()
{
    m_trainLoss->setName(tr("train"));
    m_validationLoss->setName(tr("validation"));
    m_trainAccuracy->setName(tr("train"));
    m_validationAccuracy->setName(tr("validation"));
    m_lossChart = makeChart(tr("loss"), m_trainLoss, m_validationLoss, 1.0);
    m_accuracyChart = makeChart(tr("accuracy"), m_trainAccuracy, m_validationAccuracy, 1.0);
    auto* charts = new QHBoxLayout;
    for (auto* chart : { m_lossChart, m_accuracyChart }) {
        auto* view = new QChartView(chart, this);
        view->setRenderHint(QPainter::Antialiasing);
        // Right-click: the chart as PNG or SVG, for a report.
        view->setContextMenuPolicy(Qt::ActionsContextMenu);
        auto* save = new QAction(tr("Save chart as picture…"), view);
        connect(save, &QAction::triggered, this, [this, view, chart] {
            exportPicture(this, chart == m_lossChart ? QStringLiteral("loss") : QStringLiteral("accuracy"),
                view->size(), [view](QPainter& painter, const QRectF& target) {
                    view->render(&painter, target, view->viewport()->rect());
                });
        });
        view->addAction(save);
        view->setMinimumSize(280, 220);
        charts->addWidget(view);
    }
    return charts;
}

// When a run is done: its confusion matrix, and the samples of the cell clicked beside it.
QSplitter* TrainPage::buildResults()
{
    m_results = new QSplitter(this);
    m_results->addWidget(m_confusion);
    auto* samplesPane = new QWidget(this);
    auto* samplesLayout = new QVBoxLayout(samplesPane);
    samplesLayout->setContentsMargins(0, 0, 0, 0);
    m_samplesTitle->setWordWrap(true);
    samplesLayout->addWidget(m_samplesTitle);
    samplesLayout->addWidget(m_samples, 1);
    m_results->addWidget(samplesPane);
    m_results->setStretchFactor(0, 3);
    m_results->setStretchFactor(1, 2);
    m_results->setMinimumHeight(220);
    m_results->hide();
    connect(m_confusion, &QTableWidget::cellClicked, this, &TrainPage::showSamples);
    return m_results;
}

void TrainPage::connectButtons()
{
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        if (m_job)
            m_job->setPaused(paused);
    });
    m_cancel->setEnabled(false);
    m_pause->setEnabled(false);
}

// What "Layers" means for each architecture, with the engine's defaults as the hint.
void TrainPage::showSpecFields()
{
    const QString arch = m_arch->currentData().toString();
    const bool fresh = !m_arch->currentData(kFineTuneRole).toBool();
    m_layers->setEnabled(fresh);
    m_dropout->setEnabled(fresh && arch != QLatin1String("text"));
    m_layers->clear();
    if (arch == QLatin1String("mlp")) {
        m_layers->setPlaceholderText(tr("hidden layer widths, e.g. 256, 128"));
    } else if (arch == QLatin1String("cnn")) {
        m_layers->setPlaceholderText(tr("channels of each convolution block, e.g. 32, 64"));
    } else if (arch == QLatin1String("rnn")) {
        m_layers->setPlaceholderText(tr("LSTM width, e.g. 128"));
    } else if (arch == QLatin1String("text")) {
        m_layers->setPlaceholderText(tr("embedding width, e.g. 64"));
    } else {
        m_layers->setPlaceholderText(tr("as in the model being fine-tuned"));
    }
}

void TrainPage::setModel(std::optional<qint64> id)
{
    m_model = id;
    const int at = m_arch->findData(true, kFineTuneRole);
    if (id) {
        const auto entry = m_library->model(*id);
        const QString label = tr("Fine-tune %1").arg(entry ? entry->name : QString());
        if (at < 0) {
            m_arch->insertItem(0, label, QString());
            m_arch->setItemData(0, true, kFineTuneRole);
        } else {
            m_arch->setItemText(at, label);
        }
        m_arch->setCurrentIndex(0);
    } else if (at >= 0) {
        m_arch->removeItem(at);
    }
}

void TrainPage::reloadDatasets()
{
    const QString current = m_dataset->currentData().toString();
    m_dataset->clear();
    for (const auto& d : m_library->datasets())
        m_dataset->addItem(tr("%1 (%n samples)", nullptr, static_cast<int>(d.samples)).arg(d.name), d.path);
    const int at = m_dataset->findData(current);
    if (at >= 0)
        m_dataset->setCurrentIndex(at);
}

void TrainPage::selectDataset(const QString& path)
{
    if (const int at = m_dataset->findData(path); at >= 0)
        m_dataset->setCurrentIndex(at);
}

void TrainPage::resetCharts()
{
    for (auto* s : { m_trainLoss, m_validationLoss, m_trainAccuracy, m_validationAccuracy })
        s->clear();
    for (auto* chart : { m_lossChart, m_accuracyChart })
        if (auto* x = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).value(0))) {
            x->setRange(0, m_epochs->value());
            x->setTickType(QValueAxis::TicksDynamic); // whole epochs only
            x->setTickAnchor(0);
            x->setTickInterval(std::max(1, (m_epochs->value() + 7) / 8));
        }
}

// The architecture's spec fields from the form: "Layers" means hidden widths (MLP), convolution
// channels (CNN), the LSTM width (RNN) or the embedding width (text). Nothing, after saying why, when
// the text is not sizes.
std::optional<nlohmann::json> TrainPage::specFromForm(const QString& arch)
{
    nlohmann::json spec = nlohmann::json::object();
    if (arch.isEmpty())
        return spec; // fine-tuning (no architecture) keeps the model's own layers
    nlohmann::json sizes = nlohmann::json::array();
    for (const QString& part :
        m_layers->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) {
        bool ok = false;
        const int size = part.toInt(&ok);
        if (!ok || size <= 0) {
            Q_EMIT failed(
                tr("Layers: '%1' is not a positive whole number; write sizes separated by commas, e.g. 256, 128.")
                    .arg(part));
            return std::nullopt;
        }
        sizes.push_back(size);
    }
    const bool list = arch == QLatin1String("mlp") || arch == QLatin1String("cnn");
    if (!list && sizes.size() > 1) {
        Q_EMIT failed(tr("Layers: this architecture takes one size, not %1.").arg(sizes.size()));
        return std::nullopt;
    }
    if (!sizes.empty())
        spec[arch == QLatin1String("cnn")       ? "channels"
                : arch == QLatin1String("text") ? "embedding"
                                                : "hidden"]
            = list ? sizes : sizes[0];
    if (m_dropout->isEnabled() && m_dropout->value() > 0)
        spec["dropout"] = m_dropout->value();
    return spec;
}

maas::app::Job* TrainPage::start()
{
    if (m_job && !m_job->isFinished())
        return nullptr;
    if (m_dataset->currentIndex() < 0) {
        Q_EMIT failed(
            tr("Register a data set first: drop an IDX folder, an image folder or a CSV file on the window."));
        return nullptr;
    }
    const QString arch = m_arch->currentData().toString();
    const QString dataPath = m_dataset->currentData().toString();
    std::optional<QString> modelPath;
    std::optional<qint64> parent;
    if (m_arch->currentData(kFineTuneRole).toBool() && m_model) {
        const auto entry = m_library->model(*m_model);
        if (!entry)
            return nullptr;
        modelPath = entry->path;
        parent = entry->id;
    }
    const auto spec = specFromForm(arch);
    if (!spec)
        return nullptr;
    maas::engine::TrainOptions options;
    options.epochs = m_epochs->value();
    options.batchSize = m_batch->value();
    if (m_lr->value() > 0)
        options.learningRate = m_lr->value();
    options.optimizer = static_cast<maas::engine::Optimizer>(m_optimizer->currentData().toInt());
    options.schedule = static_cast<maas::engine::Schedule>(m_schedule->currentData().toInt());
    const qint64 limit = m_limit->value();
    resetCharts();
    m_results->hide();
    m_samples->clear();
    m_result.reset();
    m_numbers->setText(tr("starting…"));

    maas::app::TrainRequest request;
    request.libraryFolder = m_library->folder();
    request.dataPath = dataPath;
    request.architecture = arch;
    request.spec = *spec;
    request.modelPath = modelPath;
    request.sampleLimit = limit;
    request.options = options;
    auto* job = m_controller->train(request, parent, tr("Train %1").arg(m_arch->currentText()));
    m_job = job;
    m_start->setEnabled(false);
    m_cancel->setEnabled(true);
    m_pause->setEnabled(true);
    connect(job, &maas::app::Job::progressed, this, [this, job] { showProgress(job->metrics()); });
    connect(job, &maas::app::Job::stepEnded, this, &TrainPage::showEpoch);
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) { finish(job, state); });
    return job;
}

void TrainPage::showProgress(const QVariantMap& m)
{
    if (!m.contains(QLatin1String(metric::kBatch)))
        return;
    const double epoch = value(m, metric::kEpoch).toDouble();
    const double batches = std::max(1.0, value(m, metric::kBatches).toDouble());
    const double x = epoch - 1.0 + value(m, metric::kBatch).toDouble() / batches;
    const double loss = value(m, metric::kLoss).toDouble();
    m_trainLoss->append(x, loss);
    m_trainAccuracy->append(x, value(m, metric::kAccuracy).toDouble());
    extend(m_lossChart, x, loss);
    m_numbers->setText(
        tr("epoch %1 of %2\nloss %3\naccuracy %4%\n%5 samples/s\nETA %6")
            .arg(epoch)
            .arg(m_epochs->value())
            .arg(loss, 0, 'f', 4)
            .arg(value(m, metric::kAccuracy).toDouble() * 100.0, 0, 'f', 1)
            .arg(maas::app::formatExact(static_cast<qint64>(value(m, metric::kSamplesPerSecond).toDouble())))
            .arg(maas::app::formatSeconds(value(m, metric::kEtaSeconds).toDouble())));
}

void TrainPage::showEpoch(const QVariantMap& m)
{
    const double epoch = value(m, metric::kEpoch).toDouble();
    const double loss = value(m, metric::kValidationLoss).toDouble();
    if (!std::isnan(loss)) {
        m_validationLoss->append(epoch, loss);
        m_validationAccuracy->append(epoch, value(m, metric::kValidationAccuracy).toDouble());
        extend(m_lossChart, epoch, loss);
    }
}

// The run ended. A success was recorded in the library by the controller, which said so through
// trained() (handled in showTrained); here only the buttons and the other endings.
void TrainPage::finish(maas::app::Job* job, maas::app::JobState state)
{
    m_start->setEnabled(true);
    m_cancel->setEnabled(false);
    m_pause->setChecked(false);
    m_pause->setEnabled(false);
    if (state == maas::app::JobState::Failed) {
        m_numbers->setText(QString());
        Q_EMIT failed(errorMessage(*job));
    } else if (state != maas::app::JobState::Done || !job->resultAs<std::shared_ptr<maas::app::TrainedModel>>()) {
        m_numbers->setText(tr("cancelled"));
    }
}

void TrainPage::showTrained(maas::app::Job* job, qint64 modelId)
{
    if (job != m_job)
        return; // a run this page no longer shows
    const auto result = job->resultAs<std::shared_ptr<maas::app::TrainedModel>>();
    const auto entry = m_library->model(modelId);
    if (!result || !entry)
        return;
    m_result = result;
    if (!result->confusion.isEmpty()) {
        m_confusion->setMatrix(result->confusion, result->classes);
        m_samplesTitle->setText(tr("Click a cell of the matrix to see its samples."));
        m_results->show();
    }
    QString summary = m_numbers->text() + QLatin1Char('\n') + tr("saved as %1").arg(entry->name);
    if (result->stillImproving)
        summary += QLatin1Char('\n') + tr("Still improving at the end: more epochs would probably help.");
    m_numbers->setText(summary);
    Q_EMIT trained(modelId);
}

void TrainPage::showSamples(int actual, int predicted)
{
    if (!m_result || actual >= m_result->confusion.size() || predicted >= m_result->confusion.size())
        return;
    const auto samples = m_result->examples.value({ actual, predicted });
    const qint64 all = m_result->confusion[actual][predicted];
    const QString what = actual == predicted
        ? tr("%1 recognised correctly").arg(m_result->classes.value(actual))
        : tr("%1 taken for %2").arg(m_result->classes.value(actual), m_result->classes.value(predicted));
    m_samplesTitle->setText(
        tr("%1: %2 of %n validation samples", nullptr, static_cast<int>(all)).arg(what).arg(samples.size()));
    m_samples->setSamples(samples);
}

} // namespace maas::widgets

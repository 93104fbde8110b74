#include "maas/widgets/benchmarkpage.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "maas/app/benchmark.h"
#include "maas/app/controller.h"
#include "maas/app/format.h"
#include "maas/app/library.h"
#include "maas/app/textinput.h"
#include "maas/widgets/pictures.h"

namespace maas::widgets {

namespace {

using Lines = QList<QPair<QString, QList<QPointF>>>;

QChartView* lineChart(const QString& xTitle, const QString& yTitle, QWidget* parent)
{
    auto* chart = new QChart;
    auto* x = new QValueAxis(chart);
    x->setTitleText(xTitle);
    auto* y = new QValueAxis(chart);
    y->setTitleText(yTitle);
    y->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(260, 220);
    return view;
}

// Replaces the chart's lines with `lines` (each filled in one call) and fits the axes to them.
void setLines(QChartView* view, const Lines& lines)
{
    auto* chart = view->chart();
    chart->removeAllSeries();
    double x0 = 1e300, x1 = -1e300, y1 = 0;
    for (const auto& [name, points] : lines) {
        auto* series = new QLineSeries(chart);
        series->setName(name);
        series->setPointsVisible(points.size() < 50);
        series->replace(points);
        chart->addSeries(series);
        for (auto* axis : chart->axes())
            series->attachAxis(axis);
        for (const auto& p : points) {
            x0 = std::min(x0, p.x()), x1 = std::max(x1, p.x());
            y1 = std::max(y1, p.y());
        }
    }
    chart->legend()->setVisible(lines.size() > 1);
    chart->legend()->setAlignment(Qt::AlignBottom);
    if (x0 > x1)
        return;
    const double dx = x1 > x0 ? (x1 - x0) * 0.05 : std::max(std::abs(x0) * 0.1, 0.5);
    auto* x = static_cast<QValueAxis*>(chart->axes(Qt::Horizontal).value(0));
    auto* y = static_cast<QValueAxis*>(chart->axes(Qt::Vertical).value(0));
    x->setRange(std::max(0.0, x0 - dx), x1 + dx);
    y->setRange(0, y1 > 0 ? y1 * 1.1 : 1);
    y->applyNiceNumbers();
}

QString ms(double v) { return maas::app::formatSeconds(v / 1000.0); }

QString perSecond(double v) { return BenchmarkPage::tr("%1/s").arg(QLocale().toString(v, 'f', v < 100 ? 1 : 0)); }

} // namespace

BenchmarkPage::BenchmarkPage(maas::app::WorkbenchController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_library(controller->library())
    , m_title(new QLabel(this))
    , m_models(new QListWidget(this))
    , m_batches(new QLineEdit(QStringLiteral("1,8,32"), this))
    , m_threads(new QLineEdit(this))
    , m_seconds(new QDoubleSpinBox(this))
    , m_maxLatency(new QDoubleSpinBox(this))
    , m_start(new QPushButton(tr("Run benchmark"), this))
    , m_export(new QPushButton(tr("Export results…"), this))
    , m_status(new QLabel(this))
    , m_sweetSpot(new QLabel(this))
    , m_table(new QTableWidget(0, 10, this))
    , m_choice(new QComboBox(this))
    , m_histogram(lineChart(tr("Latency (ms)"), tr("Calls"), this))
    , m_throughput(lineChart(tr("Batch size"), tr("Samples per second"), this))
    , m_byThreads(lineChart(tr("Threads"), tr("Latency p50 (ms)"), this))
    , m_history(lineChart(tr("Measurement (oldest first)"), tr("Latency p50 (ms)"), this))
    , m_results(new QWidget(this))
{
    auto* choices = buildForm();
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_export);
    buttons->addStretch();
    m_export->setEnabled(false);
    buildResults();
    m_results->hide(); // until there are results
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(choices);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_sweetSpot);
    layout->addWidget(m_results, 1);
    connectSignals();
    setModel(std::nullopt);
}

// The models to time beside the settings: batch sizes, threads, time per configuration, latency budget.
QLayout* BenchmarkPage::buildForm()
{
    m_title->setWordWrap(true);
    m_status->setWordWrap(true);
    m_sweetSpot->setWordWrap(true);
    m_models->setMaximumHeight(120);
    m_models->setToolTip(tr("The models to time, side by side; ratios are to the first checked one."));
    m_threads->setText(QStringLiteral("1,%1").arg(QThread::idealThreadCount()));
    if (QThread::idealThreadCount() <= 1)
        m_threads->setText(QStringLiteral("1"));
    m_batches->setToolTip(tr("Batch sizes separated by commas, such as 1,8,32."));
    m_threads->setToolTip(tr("Thread counts separated by commas, such as 1,2."));
    m_seconds->setRange(0.1, 600);
    m_seconds->setValue(1.0);
    m_seconds->setSuffix(tr(" s"));
    m_seconds->setToolTip(tr("How long to time each model at each batch size and thread count."));
    m_maxLatency->setRange(0, 1e6);
    m_maxLatency->setValue(0);
    m_maxLatency->setSuffix(tr(" ms"));
    m_maxLatency->setSpecialValueText(tr("none"));
    m_maxLatency->setToolTip(tr("Find the batch size and threads with the most throughput whose p99 stays within "
                                "this latency."));
    auto* form = new QFormLayout;
    form->addRow(tr("Batch sizes"), m_batches);
    form->addRow(tr("Threads"), m_threads);
    form->addRow(tr("Time per configuration"), m_seconds);
    form->addRow(tr("Latency budget (p99)"), m_maxLatency);
    auto* choices = new QHBoxLayout;
    auto* models = new QVBoxLayout;
    models->addWidget(new QLabel(tr("Models"), this));
    models->addWidget(m_models);
    choices->addLayout(models, 1);
    choices->addLayout(form, 1);
    return choices;
}

void BenchmarkPage::connectSignals()
{
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export results"), QStringLiteral("benchmark.csv"), tr("CSV (*.csv);;JSON (*.json)"));
        if (path.isEmpty())
            return;
        if (const QString error = exportResults(path); !error.isEmpty())
            showError(error);
    });
    connect(m_choice, &QComboBox::currentIndexChanged, this, [this] { showHistogram(); });
    connect(m_maxLatency, &QDoubleSpinBox::valueChanged, this, [this] { showSweetSpot(); });
    connect(m_controller, &maas::app::WorkbenchController::benchmarked, this, [this](maas::app::Job* job) {
        // Only this page's run, for the model it shows (the user may have chosen another meanwhile).
        const auto run = job->resultAs<std::shared_ptr<maas::app::BenchmarkRun>>();
        if (job == m_job && run && m_model && run->request.modelIds.contains(*m_model))
            showRun(run);
    });
    for (auto signal : { &maas::app::WorkbenchController::modelAdded, &maas::app::WorkbenchController::modelRemoved })
        connect(m_controller, signal, this, [this] { reload(); });
}

// The results under the form: the histogram with its configuration to choose, the two line charts and the
// table, a tab each; every chart saves as a picture from its context menu.
void BenchmarkPage::buildResults()
{
    m_table->setHorizontalHeaderLabels({ tr("Model"), tr("Batch"), tr("Threads"), tr("p50"), tr("p90"), tr("p99"),
        tr("Throughput"), tr("p50 vs first"), tr("Throughput vs first"), tr("Peak memory") });
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_choice->setToolTip(tr("The model and configuration whose latency histogram is shown."));
    for (auto [view, name] :
        { std::pair { m_histogram, "latency-histogram" }, std::pair { m_throughput, "throughput-by-batch" },
            std::pair { m_byThreads, "latency-by-threads" }, std::pair { m_history, "latency-history" } })
        offerPictureExport(view, QString::fromLatin1(name));
    auto* histogram = new QWidget(this);
    auto* histogramLayout = new QVBoxLayout(histogram);
    histogramLayout->setContentsMargins(0, 0, 0, 0);
    histogramLayout->addWidget(m_choice, 0, Qt::AlignLeft);
    histogramLayout->addWidget(m_histogram, 1);
    auto* tabs = new QTabWidget(m_results);
    tabs->addTab(histogram, tr("Latency histogram"));
    tabs->addTab(m_throughput, tr("Throughput by batch size"));
    tabs->addTab(m_byThreads, tr("Latency by threads"));
    tabs->addTab(m_table, tr("Table"));
    tabs->addTab(m_history, tr("History"));
    m_history->setToolTip(tr("Every latency the library keeps for this model, a line per batch size and threads."));
    auto* results = new QVBoxLayout(m_results);
    results->setContentsMargins(0, 0, 0, 0);
    results->addWidget(tabs);
}

void BenchmarkPage::setModel(std::optional<qint64> id)
{
    if (id != m_model) { // another model's results do not stay under this one's title
        m_run.reset();
        m_choice->clear();
        m_table->setRowCount(0);
        for (auto* view : { m_histogram, m_throughput, m_byThreads })
            setLines(view, {});
        m_sweetSpot->clear();
        m_status->clear();
        m_export->setEnabled(false);
        m_results->hide();
    }
    m_model = id;
    reload();
}

// The chosen model first, then the rest of its lineage; it and what was made from it are checked.
void BenchmarkPage::reload()
{
    const auto entry = m_model ? m_library->model(*m_model) : std::nullopt;
    m_models->clear();
    if (entry) {
        const auto models = m_library->models();
        const auto roots = maas::app::lineageRoots(models);
        QList<maas::app::ModelEntry> lineage { *entry };
        for (const auto& m : models)
            if (m.id != entry->id && roots.value(m.id) == roots.value(entry->id, entry->id))
                lineage.append(m);
        for (const auto& m : lineage) {
            auto* item = new QListWidgetItem(
                m.operation.isEmpty() ? m.name : tr("%1 (%2)").arg(m.name, m.operation), m_models);
            item->setData(Qt::UserRole, m.id);
            item->setCheckState(m.id == entry->id || m.parentId == entry->id ? Qt::Checked : Qt::Unchecked);
        }
    }
    showHistory();
    m_title->setText(entry ? tr("%1 and its variants: latency, throughput and memory on this machine.").arg(entry->name)
                           : tr("Choose a model in the library to benchmark it and its variants."));
    m_start->setEnabled(entry.has_value() && !m_job);
}

maas::app::Job* BenchmarkPage::start()
{
    maas::app::BenchmarkRequest request;
    for (int i = 0; i < m_models->count(); ++i)
        if (m_models->item(i)->checkState() == Qt::Checked)
            if (const auto m = m_library->model(m_models->item(i)->data(Qt::UserRole).toLongLong())) {
                request.modelIds.append(m->id);
                request.paths.append(m->path);
                request.names.append(m->name);
            }
    const auto batches = maas::app::parseWholeNumbers(m_batches->text(), 1, 1 << 16);
    const auto threads = maas::app::parseWholeNumbers(m_threads->text(), 1, 1024);
    if (request.modelIds.isEmpty())
        showError(tr("Check at least one model to time."));
    else if (!batches)
        showError(tr("Batch sizes: write whole numbers from 1 to 65536 separated by commas, such as 1,8,32."));
    else if (!threads)
        showError(tr("Threads: write whole numbers from 1 to 1024 separated by commas, such as 1,2."));
    if (request.modelIds.isEmpty() || !batches || !threads)
        return nullptr;
    request.batches = *batches;
    request.threads = *threads;
    request.seconds = m_seconds->value();
    request.maxLatencyMs = m_maxLatency->value();
    m_job = m_controller->benchmark(request, tr("Benchmark %1").arg(request.names.join(QStringLiteral(", "))));
    m_start->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Timing %n configuration(s)…", nullptr,
        static_cast<int>(request.modelIds.size() * batches->size() * threads->size())));
    auto* job = m_job.data();
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) { finish(job, state); });
    return job;
}

void BenchmarkPage::finish(maas::app::Job* job, maas::app::JobState state)
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

void BenchmarkPage::showRun(std::shared_ptr<maas::app::BenchmarkRun> run)
{
    if (!run || run->results.empty())
        return;
    m_run = std::move(run);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Timed %1 on this machine.").arg(m_run->request.names.join(QStringLiteral(", "))));
    const QSignalBlocker quiet(m_choice);
    m_choice->clear();
    for (std::size_t m = 0; m < m_run->results.size(); ++m)
        for (std::size_t p = 0; p < m_run->results[m].points.size(); ++p) {
            const auto& point = m_run->results[m].points[p];
            m_choice->addItem(tr("%1, batch %2, %3 threads")
                                  .arg(m_run->request.names.value(static_cast<int>(m)))
                                  .arg(point.batch)
                                  .arg(point.threads),
                QPoint(static_cast<int>(m), static_cast<int>(p)));
        }
    showHistogram();
    showLines();
    showTable();
    showSweetSpot();
    showHistory();
    m_export->setEnabled(true);
    m_results->show();
}

void BenchmarkPage::showHistogram()
{
    const auto at = m_choice->currentData().toPoint();
    if (!m_run || m_choice->currentIndex() < 0)
        return;
    const auto& l
        = m_run->results.at(static_cast<std::size_t>(at.x())).points.at(static_cast<std::size_t>(at.y())).latency;
    QList<QPointF> steps; // each bar as a flat step
    for (const auto& bin : l.histogram) {
        steps << QPointF(bin.fromMs, 0) << QPointF(bin.fromMs, bin.count) << QPointF(bin.toMs, bin.count)
              << QPointF(bin.toMs, 0);
    }
    int tallest = 1;
    for (const auto& bin : l.histogram)
        tallest = std::max(tallest, bin.count);
    Lines lines { { tr("calls"), steps } };
    for (const auto& [name, value] : { std::pair { "p50", l.p50 }, { "p90", l.p90 }, { "p99", l.p99 } })
        lines.append({ QStringLiteral("%1 %2").arg(QLatin1String(name), ms(value)),
            { QPointF(value, 0), QPointF(value, tallest) } });
    setLines(m_histogram, lines);
    if (l.histogram.size() > 1) { // a slow tail's bar is shown as wide as the others, its count at its left
        const auto& first = l.histogram.front();
        const double width = first.toMs - first.fromMs;
        m_histogram->chart()
            ->axes(Qt::Horizontal)
            .value(0)
            ->setRange(std::max(0.0, first.fromMs - width), l.histogram.back().fromMs + 2 * width);
    }
}

// At most `most` of `values` (sorted), evenly spaced with the first and last among them: lines enough to
// read a chart by.
static QList<int> spread(QList<int> values, int most)
{
    if (values.size() <= most)
        return values;
    QList<int> kept;
    for (int i = 0; i < most; ++i)
        kept.append(values.at(static_cast<int>(std::lround(double(i) * (values.size() - 1) / (most - 1)))));
    return kept;
}

// Throughput against batch size (a line per model and thread count) and p50 against threads (a line per
// model and batch size); a sweep of many settings draws eight lines of each, spread over them.
void BenchmarkPage::showLines()
{
    constexpr int kMostLines = 8;
    Lines byBatch, byThreads;
    for (std::size_t m = 0; m < m_run->results.size(); ++m) {
        const QString name = m_run->request.names.value(static_cast<int>(m));
        QMap<int, QList<QPointF>> perThreads, perBatch;
        for (const auto& p : m_run->results[m].points) {
            perThreads[p.threads].append(QPointF(p.batch, p.latency.samplesPerSecond));
            perBatch[p.batch].append(QPointF(p.threads, p.latency.p50));
        }
        for (const int threads : spread(perThreads.keys(), kMostLines))
            byBatch.append({ tr("%1, %n thread(s)", nullptr, threads).arg(name), perThreads.value(threads) });
        for (const int batch : spread(perBatch.keys(), kMostLines))
            byThreads.append({ tr("%1, batch %2").arg(name).arg(batch), perBatch.value(batch) });
    }
    setLines(m_throughput, byBatch);
    setLines(m_byThreads, byThreads);
}

// The chosen model's latencies as the library keeps them (every Measure and every benchmark), oldest first.
void BenchmarkPage::showHistory()
{
    QMap<QPair<int, int>, QList<QPointF>> lines;
    int n = 0;
    if (m_model)
        for (const auto& b : m_library->benchmarks(*m_model))
            if (b.kind == QLatin1String("latency"))
                lines[{ b.batch, b.threads }].append(QPointF(++n, b.p50Ms));
    Lines named;
    for (auto it = lines.cbegin(); it != lines.cend(); ++it)
        named.append({ tr("batch %1, %n thread(s)", nullptr, it.key().second).arg(it.key().first), it.value() });
    setLines(m_history, named);
    if (n > 0)
        m_results->show();
}

void BenchmarkPage::showTable()
{
    const auto& first = m_run->results.front();
    int rows = 0;
    for (const auto& r : m_run->results)
        rows += static_cast<int>(r.points.size());
    m_table->setRowCount(rows);
    int row = 0;
    for (std::size_t m = 0; m < m_run->results.size(); ++m) {
        const auto& r = m_run->results[m];
        for (const auto& p : r.points) {
            const auto* base = maas::engine::sameConfiguration(first, p);
            const auto& l = p.latency;
            const bool compared = m > 0 && base && base->latency.p50 > 0 && base->latency.samplesPerSecond > 0;
            const QStringList cells { m_run->request.names.value(static_cast<int>(m)), QString::number(p.batch),
                QString::number(p.threads), ms(l.p50), ms(l.p90), ms(l.p99), perSecond(l.samplesPerSecond),
                compared ? QStringLiteral("%1×").arg(l.p50 / base->latency.p50, 0, 'f', 2) : QString(),
                compared ? QStringLiteral("%1×").arg(l.samplesPerSecond / base->latency.samplesPerSecond, 0, 'f', 2)
                         : QString(),
                maas::app::formatBytes(r.peakResidentBytes) };
            for (int c = 0; c < cells.size(); ++c) {
                auto* item = new QTableWidgetItem(cells.at(c));
                if (c > 0)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_table->setItem(row, c, item);
            }
            ++row;
        }
    }
}

void BenchmarkPage::showSweetSpot()
{
    const double budget = m_maxLatency->value();
    if (!m_run || budget <= 0) {
        m_sweetSpot->setText(m_run ? tr("Set a latency budget to find the configuration with the most throughput "
                                        "within it.")
                                   : QString());
        return;
    }
    QStringList lines;
    for (std::size_t m = 0; m < m_run->results.size(); ++m) {
        const auto& r = m_run->results[m];
        const QString name = m_run->request.names.value(static_cast<int>(m));
        if (const auto best = maas::engine::bestWithin(r, budget)) {
            const auto& p = r.points[*best];
            lines << tr("%1: batch %2 with %3 threads gives %4 at p99 %5.")
                         .arg(name)
                         .arg(p.batch)
                         .arg(p.threads)
                         .arg(perSecond(p.latency.samplesPerSecond), ms(p.latency.p99));
        } else {
            lines << tr("%1: no configuration keeps p99 within %2.").arg(name, ms(budget));
        }
    }
    m_sweetSpot->setText(tr("Within %1 (p99):").arg(ms(budget)) + QLatin1Char(' ') + lines.join(QLatin1Char(' ')));
}

QString BenchmarkPage::exportResults(const QString& path) const
{
    if (!m_run)
        return tr("Run a benchmark first; then its results can be exported.");
    return maas::app::saveBenchmark(*m_run, path);
}

void BenchmarkPage::showError(const QString& message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
}

} // namespace maas::widgets

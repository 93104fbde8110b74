#include "maas/widgets/comparepage.h"

#include <QComboBox>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

#include "maas/app/controller.h"
#include "maas/app/library.h"
#include "maas/app/optimize.h"
#include "maas/widgets/varianttable.h"

namespace maas::widgets {

namespace {

QTableWidget* table(const QStringList& headers, QWidget* parent)
{
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    return t;
}

} // namespace

ComparePage::ComparePage(maas::app::WorkbenchController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_library(controller->library())
    , m_title(new QLabel(this))
    , m_other(new QComboBox(this))
    , m_dataset(new QComboBox(this))
    , m_limit(new QSpinBox(this))
    , m_start(new QPushButton(tr("Compare"), this))
    , m_status(new QLabel(this))
    , m_numbers(new VariantTable(this))
    , m_layers(table({ tr("Layer"), tr("A"), tr("B"), tr("Change") }, this))
    , m_operators(table({ tr("Operator"), tr("A"), tr("B") }, this))
{
    m_title->setWordWrap(true);
    m_status->setWordWrap(true);
    m_limit->setRange(0, 10000000);
    m_limit->setValue(2000);
    m_limit->setSpecialValueText(tr("all"));
    m_limit->setToolTip(tr("Samples of the data set to measure accuracy on (0: all)."));
    m_other->setToolTip(tr("Models of the same lineage: the model it was made from, and what was made from it."));
    auto* form = new QFormLayout;
    form->addRow(tr("Compare with"), m_other);
    form->addRow(tr("Accuracy on"), m_dataset);
    form->addRow(tr("Samples"), m_limit);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addStretch();
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_layers);
    split->addWidget(m_operators);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->hide(); // until there is a comparison to show
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(m_numbers);
    layout->addWidget(split, 1);
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_controller, &maas::app::WorkbenchController::compared, this, &ComparePage::showComparison);
    for (auto signal : { &maas::app::WorkbenchController::modelAdded, &maas::app::WorkbenchController::modelRemoved })
        connect(m_controller, signal, this, [this] { reload(); });
    connect(m_controller, &maas::app::WorkbenchController::datasetsChanged, this, [this] { reload(); });
    setModel(std::nullopt);
}

void ComparePage::setModel(std::optional<qint64> id)
{
    m_model = id;
    reload();
}

void ComparePage::reload()
{
    const auto entry = m_model ? m_library->model(*m_model) : std::nullopt;
    const QString current = m_other->currentData().toString();
    m_other->clear();
    if (entry) {
        const auto models = m_library->models();
        const auto roots = maas::app::lineageRoots(models);
        for (const auto& m : models)
            if (m.id != entry->id && roots.value(m.id) == roots.value(entry->id, entry->id))
                m_other->addItem(m.operation.isEmpty() ? m.name : tr("%1 (%2)").arg(m.name, m.operation), m.id);
        if (const int at = m_other->findData(current); at >= 0)
            m_other->setCurrentIndex(at);
    }
    m_title->setText(!entry ? tr("Choose a model in the library to compare it with its variants.")
            : m_other->count() == 0
            ? tr("%1 has no parent or children in the library yet: optimize it, or train it, and compare "
                 "the result here.")
                  .arg(entry->name)
            : tr("%1 (A) beside another model of its lineage (B).").arg(entry->name));
    const QString data = m_dataset->currentData().toString();
    m_dataset->clear();
    m_dataset->addItem(tr("No data set (no accuracy)"), QString());
    for (const auto& d : m_library->datasets())
        m_dataset->addItem(d.name, d.path);
    if (const int at = m_dataset->findData(data); at >= 0)
        m_dataset->setCurrentIndex(at);
    m_start->setEnabled(m_other->count() > 0 && !m_job);
}

maas::app::Job* ComparePage::start()
{
    const auto a = m_model ? m_library->model(*m_model) : std::nullopt;
    const auto b = m_other->count() ? m_library->model(m_other->currentData().toLongLong()) : std::nullopt;
    if (!a || !b) {
        showError(tr("Choose a model and another model of its lineage to compare it with."));
        return nullptr;
    }
    maas::app::CompareRequest request { a->path, b->path, m_dataset->currentData().toString(), m_limit->value() };
    m_job = m_controller->compare(request, a->id, tr("Compare %1 with %2").arg(a->name, b->name));
    m_start->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Measuring %1 and %2…").arg(a->name, b->name));
    auto* job = m_job.data();
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) { finish(job, state); });
    return job;
}

void ComparePage::finish(maas::app::Job* job, maas::app::JobState state)
{
    if (job != m_job)
        return;
    m_job.clear();
    m_start->setEnabled(m_other->count() > 0);
    if (state == maas::app::JobState::Failed)
        showError(job->error());
    else if (state == maas::app::JobState::Cancelled)
        m_status->setText(tr("Cancelled."));
}

void ComparePage::showComparison(maas::app::Job* job)
{
    const auto result = job->resultAs<std::shared_ptr<maas::app::Comparison>>();
    if (!result)
        return;
    m_status->setStyleSheet(QString());
    m_status->setText(result->relation.isEmpty()
            ? tr("A is %1, B is %2.").arg(result->nameA, result->nameB)
            : tr("A is %1, B is %2: %3.").arg(result->nameA, result->nameB, result->relation));
    m_numbers->setColumns(tr("A: %1").arg(result->nameA), tr("B: %1").arg(result->nameB));
    m_numbers->showNumbers(result->a, result->b);
    showLayers(*result);
    showOperators(*result);
    m_layers->parentWidget()->show();
}

void ComparePage::showLayers(const maas::app::Comparison& c)
{
    const auto side = [](bool present, const QString& shape, const QString& form, double zeros) {
        if (!present)
            return tr("(none)");
        QString text = shape + QLatin1Char(' ') + form;
        if (!std::isnan(zeros) && zeros > 0)
            text += QLatin1Char(' ') + tr("%1% zeros").arg(zeros * 100.0, 0, 'f', 1);
        return text;
    };
    m_layers->setRowCount(static_cast<int>(c.layers.size()));
    for (int r = 0; r < m_layers->rowCount(); ++r) {
        const auto& l = c.layers.at(r);
        m_layers->setItem(r, 0, new QTableWidgetItem(l.layer));
        m_layers->setItem(r, 1, new QTableWidgetItem(side(l.inA, l.shapeA, l.formA, l.zerosA)));
        m_layers->setItem(r, 2, new QTableWidgetItem(side(l.inB, l.shapeB, l.formB, l.zerosB)));
        auto* change = new QTableWidgetItem(l.change);
        if (l.change != QLatin1String("same")) {
            QFont bold = change->font();
            bold.setBold(true);
            change->setFont(bold);
        }
        m_layers->setItem(r, 3, change);
    }
}

// Only the operators whose count differs: the rest is the same program.
void ComparePage::showOperators(const maas::app::Comparison& c)
{
    m_operators->setRowCount(0);
    for (const auto& o : c.operators) {
        if (o.a == o.b)
            continue;
        const int r = m_operators->rowCount();
        m_operators->insertRow(r);
        m_operators->setItem(r, 0, new QTableWidgetItem(o.op));
        m_operators->setItem(r, 1, new QTableWidgetItem(QString::number(o.a)));
        m_operators->setItem(r, 2, new QTableWidgetItem(QString::number(o.b)));
    }
    m_operators->setVisible(m_operators->rowCount() > 0);
}

void ComparePage::showError(const QString& message)
{
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
}

} // namespace maas::widgets

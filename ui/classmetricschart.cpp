#include "classmetricschart.h"

#include "evalcommon.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QVBoxLayout>
#include <QValueAxis>

namespace swb {

namespace {

double metricOf(const ClassScores& s, ClassMetricsChart::Metric m)
{
    return m == ClassMetricsChart::Precision ? s.precision : m == ClassMetricsChart::Recall ? s.recall : s.f1;
}

double metricOf(const AveragedScores& s, ClassMetricsChart::Metric m)
{
    return m == ClassMetricsChart::Precision ? s.precision : m == ClassMetricsChart::Recall ? s.recall : s.f1;
}

// The per-class values followed by the macro, micro and weighted averages.
QList<qreal> values(const ClassificationReport& r, ClassMetricsChart::Metric m)
{
    QList<qreal> out;
    for (const ClassScores& s : r.perClass)
        out << metricOf(s, m);
    out << metricOf(r.macro, m) << metricOf(r.micro, m) << metricOf(r.weighted, m);
    return out;
}

} // namespace

ClassMetricsChart::ClassMetricsChart(QWidget* parent) : QWidget(parent)
{
    m_view = new QChartView(new QChart, this);
    m_view->setObjectName(QStringLiteral("classMetricsView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(260);
    m_exporter = new ChartExporter(
        m_view, [this] { return table(); }, this);
    m_exporter->setEnabled(false);
    connect(m_exporter, &ChartExporter::exported, this, &ClassMetricsChart::exported);
    connect(m_exporter, &ChartExporter::exportFailed, this, &ClassMetricsChart::exportFailed);

    m_metric = new QComboBox(this);
    m_metric->setObjectName(QStringLiteral("classMetricChooser"));
    for (const Metric m : {Precision, Recall, F1})
        m_metric->addItem(metricName(m));
    m_metric->setCurrentIndex(F1);
    m_metricLabel = new QLabel(tr("&Compare:"), this);
    m_metricLabel->setBuddy(m_metric);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &ClassMetricsChart::rebuild);

    auto* top = new QHBoxLayout;
    auto* note = new QLabel(tr("Per class, and averaged over the classes: macro (unweighted mean), micro "
                               "(from the summed counts) and weighted (by support)."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    top->addWidget(note, 1);
    top->addWidget(m_metricLabel);
    top->addWidget(m_metric);
    top->addWidget(m_exporter->createButtons(this));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    clear();
}

QString ClassMetricsChart::metricName(Metric metric) const
{
    return metric == Precision ? tr("Precision") : metric == Recall ? tr("Recall") : tr("F1");
}

QChart* ClassMetricsChart::chart() const
{
    return m_view->chart();
}

QList<QBarSet*> ClassMetricsChart::barSets() const
{
    const QList<QAbstractSeries*> series = chart()->series();
    for (QAbstractSeries* s : series) {
        if (auto* bars = qobject_cast<QBarSeries*>(s))
            return bars->barSets();
    }
    return {};
}

void ClassMetricsChart::clear()
{
    m_evaluations.clear();
    m_categories.clear();
    evalui::resetChart(chart(), {});
    chart()->legend()->hide();
    m_metric->hide();
    m_metricLabel->hide();
    m_exporter->setEnabled(false);
}

void ClassMetricsChart::setMetric(Metric metric)
{
    m_metric->setCurrentIndex(metric);
}

void ClassMetricsChart::setEvaluations(const std::vector<ModelEvaluationPtr>& evaluations)
{
    clear();
    for (const ModelEvaluationPtr& e : evaluations) {
        if (e->evaluation.classification)
            m_evaluations.push_back(e);
    }
    rebuild();
}

void ClassMetricsChart::rebuild()
{
    evalui::resetChart(chart(), {});
    if (m_evaluations.empty())
        return;
    const ClassificationReport& first = *m_evaluations.front()->evaluation.classification;
    m_categories = first.labels;
    m_categories << tr("macro average") << tr("micro average") << tr("weighted average");
    const bool compare = m_evaluations.size() > 1;
    m_metric->setVisible(compare);
    m_metricLabel->setVisible(compare);

    auto* series = new QBarSeries;
    if (compare) {
        const Metric metric = Metric(m_metric->currentIndex());
        for (std::size_t i = 0; i < m_evaluations.size(); ++i) {
            const ModelEvaluation& e = *m_evaluations[i];
            auto* set = new QBarSet(e.name);
            set->append(values(*e.evaluation.classification, metric));
            set->setColor(evalui::modelColour(int(i)));
            series->append(set);
        }
        chart()->setTitle(
            tr("%1 per class · %2")
                .arg(metricName(metric), splitPartKey(m_evaluations.front()->evaluation.split)));
    } else {
        for (const Metric m : {Precision, Recall, F1}) {
            auto* set = new QBarSet(metricName(m));
            set->append(values(first, m));
            series->append(set);
        }
        chart()->setTitle(
            tr("Precision, recall and F1 · %1 · %2")
                .arg(m_evaluations.front()->name, splitPartKey(m_evaluations.front()->evaluation.split)));
    }
    chart()->addSeries(series);
    // Values on the bars; upright when bars are many and narrow, so neighbours do not overlap.
    const qsizetype bars = m_categories.size() * series->count();
    series->setLabelsVisible(bars <= 40);
    series->setLabelsAngle(bars > 12 ? -90 : 0);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPrecision(2);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    for (QBarSet* set : series->barSets())
        set->setLabelColor(QColor(0x30, 0x30, 0x30));
    // Axis labels are rich text: the averages on two lines, so they are not elided.
    QStringList labels;
    for (const QString& c : std::as_const(m_categories))
        labels << c.toHtmlEscaped();
    const qsizetype classes = m_categories.size() - 3;
    labels[classes] = tr("macro<br>average");
    labels[classes + 1] = tr("micro<br>average");
    labels[classes + 2] = tr("weighted<br>average");
    auto* x = new QBarCategoryAxis;
    x->append(labels);
    auto* y = new QValueAxis;
    y->setRange(0, 1.1);
    y->setTickCount(12);
    y->setLabelFormat(QStringLiteral("%.1f"));
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    chart()->legend()->show();
    chart()->legend()->setAlignment(Qt::AlignBottom);
    m_exporter->setFileStem(
        evalui::fileStem(compare ? tr("models-per-class") : m_evaluations.front()->name + tr("-per-class")));
    m_exporter->setEnabled(true);
}

ChartTable ClassMetricsChart::table() const
{
    ChartTable t;
    if (m_evaluations.empty())
        return t;
    t.header << QStringLiteral("model") << QStringLiteral("class") << QStringLiteral("precision")
             << QStringLiteral("recall") << QStringLiteral("f1") << QStringLiteral("support");
    const auto number = [](double v) {
        return QString::number(v, 'g', 17);
    };
    for (const ModelEvaluationPtr& e : m_evaluations) {
        const ClassificationReport& r = *e->evaluation.classification;
        for (std::size_t c = 0; c < r.perClass.size(); ++c) {
            const ClassScores& s = r.perClass[c];
            t.rows << QStringList{e->name,          r.labels[qsizetype(c)], number(s.precision),
                                  number(s.recall), number(s.f1),           QString::number(s.support)};
        }
        // The averages' support is every case; the names are the CSV's, not translated.
        const std::pair<QString, const AveragedScores*> averages[] = {
            {QStringLiteral("macro average"), &r.macro},
            {QStringLiteral("micro average"), &r.micro},
            {QStringLiteral("weighted average"), &r.weighted}};
        for (const auto& [name, a] : averages)
            t.rows << QStringList{e->name,           name,          number(a->precision),
                                  number(a->recall), number(a->f1), QString::number(r.cases)};
    }
    return t;
}

} // namespace swb

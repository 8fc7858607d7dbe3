#include "traininghistorychart.h"

#include "chartexport.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <utility>

namespace swb {

namespace {

QString csvNumber(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 10) : QString();
}

void fitRange(QValueAxis* axis, const QList<QLineSeries*>& series)
{
    double low = INFINITY;
    double high = -INFINITY;
    for (const QLineSeries* s : series) {
        for (const QPointF& p : s->points()) {
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
    }
    if (!std::isfinite(low)) {
        axis->setRange(0, 1);
        return;
    }
    const double pad = high > low ? (high - low) * 0.08 : std::max(std::abs(high) * 0.1, 0.05);
    axis->setRange(std::max(0.0, low - pad), high + pad);
    axis->applyNiceNumbers();
}

// The metric's name as the charts show it.
QString metricTitle(const QString& key)
{
    if (key == QLatin1String("macro_f1"))
        return TrainingHistoryChart::tr("Validation macro-F1");
    if (key == QLatin1String("roc_auc"))
        return TrainingHistoryChart::tr("Validation ROC-AUC");
    if (key.startsWith(QLatin1String("hr@")))
        return TrainingHistoryChart::tr("Validation HR@%1").arg(key.mid(3));
    return TrainingHistoryChart::tr("Validation metric");
}

} // namespace

TrainingHistoryChart::TrainingHistoryChart(QWidget* parent) : QWidget(parent)
{
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("historyNote"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);

    m_lossPanel = createPanel(m_lossView, tr("Loss"), m_lossX, m_lossY);
    m_lossView->setObjectName(QStringLiteral("lossChart"));
    m_metricPanel = createPanel(m_metricView, tr("Validation metric"), m_metricX, m_metricY);
    m_metricView->setObjectName(QStringLiteral("metricChart"));

    m_trainLoss = new QLineSeries(this);
    m_trainLoss->setName(tr("Training loss"));
    m_valLoss = new QLineSeries(this);
    m_valLoss->setName(tr("Validation loss"));
    m_metric = new QLineSeries(this);
    m_metric->setName(tr("Validation metric"));
    for (QLineSeries* s : {m_trainLoss, m_valLoss})
        m_lossView->chart()->addSeries(s);
    m_metricView->chart()->addSeries(m_metric);
    for (QLineSeries* s : {m_trainLoss, m_valLoss, m_metric}) {
        s->setPointsVisible(true); // one epoch is a point, not an invisible line
        s->attachAxis(s == m_metric ? m_metricX : m_lossX);
        s->attachAxis(s == m_metric ? m_metricY : m_lossY);
    }

    const auto table = [this](bool metric) {
        ChartTable t;
        t.header = metric ? QStringList{QStringLiteral("epoch"), QStringLiteral("val_metric")}
                          : QStringList{QStringLiteral("epoch"), QStringLiteral("train_loss"),
                                        QStringLiteral("val_loss")};
        for (const nn::EpochStats& e : m_history) {
            if (metric)
                t.rows.append({QString::number(e.epoch), csvNumber(e.valMetric)});
            else
                t.rows.append({QString::number(e.epoch), csvNumber(e.trainLoss), csvNumber(e.valLoss)});
        }
        return t;
    };
    m_lossExporter = new ChartExporter(
        m_lossView, [table]() { return table(false); }, this);
    m_metricExporter = new ChartExporter(
        m_metricView, [table]() { return table(true); }, this);
    for (ChartExporter* e : {m_lossExporter, m_metricExporter}) {
        connect(e, &ChartExporter::exported, this, &TrainingHistoryChart::exported);
        connect(e, &ChartExporter::exportFailed, this, &TrainingHistoryChart::exportFailed);
    }
    // Export buttons above their charts, on the right.
    for (auto [panel, exporter] :
         {std::pair{m_lossPanel, m_lossExporter}, std::pair{m_metricPanel, m_metricExporter}}) {
        auto* row = new QHBoxLayout;
        row->addStretch(1);
        row->addWidget(exporter->createButtons(panel));
        static_cast<QVBoxLayout*>(panel->layout())->insertLayout(0, row);
    }

    auto* charts = new QHBoxLayout;
    charts->setContentsMargins(0, 0, 0, 0);
    charts->addWidget(m_lossPanel, 3);
    charts->addWidget(m_metricPanel, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addLayout(charts, 1);
    clear(tr("Start a job, or select one in the list, to see its training history."));
}

TrainingHistoryChart::~TrainingHistoryChart() = default;

QWidget* TrainingHistoryChart::createPanel(QChartView*& view, const QString& yTitle, QValueAxis*& xAxis,
                                           QValueAxis*& yAxis)
{
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(6, 6, 6, 6));
    chart->legend()->setAlignment(Qt::AlignBottom);
    view = new QChartView(chart, panel);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    xAxis = new QValueAxis(chart);
    xAxis->setTitleText(tr("Epoch"));
    xAxis->setLabelFormat(QStringLiteral("%d"));
    yAxis = new QValueAxis(chart);
    yAxis->setTitleText(yTitle);
    yAxis->setLabelFormat(QStringLiteral("%.3g"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    layout->addWidget(view, 1);
    return panel;
}

void TrainingHistoryChart::setFileStem(const QString& stem)
{
    m_lossExporter->setFileStem(stem + QStringLiteral("-loss"));
    m_metricExporter->setFileStem(stem + QStringLiteral("-metric"));
}

QString TrainingHistoryChart::note() const
{
    return m_note->isHidden() ? QString() : m_note->text();
}

bool TrainingHistoryChart::isMetricShown() const
{
    return !m_metricPanel->isHidden();
}

void TrainingHistoryChart::clear(const QString& note)
{
    m_history.clear();
    m_plannedEpochs = 0;
    for (QLineSeries* s : {m_trainLoss, m_valLoss, m_metric})
        s->clear();
    m_lossView->chart()->setTitle({});
    m_metricView->chart()->setTitle({});
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    m_lossPanel->hide();
    m_metricPanel->hide();
    m_lossExporter->setEnabled(false);
    m_metricExporter->setEnabled(false);
}

void TrainingHistoryChart::showNoEpochs(const QString& title, const QString& kind)
{
    clear(tr("“%1” is a %2 model: it is built in one pass over the training data, without epochs, so "
             "there is no training history to chart. Its metrics are in the jobs list.")
              .arg(title, kind));
}

void TrainingHistoryChart::showHistory(const QString& title, const std::vector<nn::EpochStats>& history,
                                       int plannedEpochs, int bestEpoch)
{
    clear({});
    m_plannedEpochs = plannedEpochs;
    m_lossView->chart()->setTitle(
        bestEpoch > 0 ? tr("%1: loss per epoch (the model keeps epoch %2)").arg(title).arg(bestEpoch)
                      : tr("%1: loss per epoch").arg(title));
    m_title = title;
    m_lossPanel->show();
    for (const nn::EpochStats& e : history)
        addPoint(e);
    updateAxes();
    updateMetricPanel();
}

void TrainingHistoryChart::appendEpoch(const nn::EpochStats& stats)
{
    addPoint(stats);
    updateAxes();
    updateMetricPanel();
}

void TrainingHistoryChart::addPoint(const nn::EpochStats& e)
{
    m_history.push_back(e);
    const auto add = [&e](QLineSeries* s, double v) {
        if (std::isfinite(v))
            s->append(e.epoch, v);
    };
    add(m_trainLoss, e.trainLoss);
    add(m_valLoss, e.valLoss);
    add(m_metric, e.valMetric);
    m_lossExporter->setEnabled(true);
    m_metricExporter->setEnabled(true);
}

void TrainingHistoryChart::updateAxes()
{
    const int epochs = std::max({m_plannedEpochs, int(m_history.size()), 1});
    for (QValueAxis* x : {m_lossX, m_metricX}) {
        x->setRange(epochs > 1 ? 1 : 0, epochs > 1 ? epochs : 2);
        x->setTickType(QValueAxis::TicksDynamic);
        x->setTickAnchor(1);
        x->setTickInterval(std::max(1, (epochs + 9) / 10));
    }
    fitRange(m_lossY, {m_trainLoss, m_valLoss});
    fitRange(m_metricY, {m_metric});
}

void TrainingHistoryChart::updateMetricPanel()
{
    // The networks stop early on their validation metric; when that metric is the validation
    // loss itself, a second chart would only repeat the first.
    const bool sameAsLoss = std::all_of(m_history.begin(), m_history.end(), [](const nn::EpochStats& e) {
        return e.valMetric == e.valLoss || (std::isnan(e.valMetric) && std::isnan(e.valLoss));
    });
    m_metricPanel->setVisible(!m_history.empty() && !sameAsLoss);
    if (!m_history.empty()) {
        const QString title = metricTitle(m_history.back().metricName);
        m_metric->setName(title);
        m_metricY->setTitleText(title);
        m_metricView->chart()->setTitle(tr("%1: %2 per epoch").arg(m_title, title));
    }
    if (!m_history.empty() && sameAsLoss) {
        m_note->setText(
            tr("This model's validation metric is its validation loss (the best epoch is the one "
               "with the lowest validation loss), so it is charted once, as the validation loss."));
        m_note->show();
    } else {
        m_note->hide();
    }
}

} // namespace swb

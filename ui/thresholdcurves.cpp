#include "thresholdcurves.h"

#include "evalcommon.h"

#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QScatterSeries>
#include <QSlider>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace swb {

namespace {

constexpr int kSliderSteps = 1000; // the slider moves in steps of 0.001

QString number(double v)
{
    return QString::number(v, 'g', 17);
}

QList<QPointF> points(const std::vector<double>& x, const std::vector<double>& y)
{
    QList<QPointF> out;
    out.reserve(qsizetype(x.size()));
    for (std::size_t i = 0; i < x.size(); ++i)
        out << QPointF(x[i], y[i]);
    return out;
}

} // namespace

ThresholdCurves::ThresholdCurves(QWidget* parent) : QWidget(parent)
{
    m_rocView = new QChartView(new QChart, this);
    m_rocView->setObjectName(QStringLiteral("rocView"));
    m_prView = new QChartView(new QChart, this);
    m_prView->setObjectName(QStringLiteral("prView"));
    m_rocExporter = new ChartExporter(
        m_rocView, [this] { return rocTable(); }, this);
    m_prExporter = new ChartExporter(
        m_prView, [this] { return prTable(); }, this);
    for (ChartExporter* e : {m_rocExporter, m_prExporter}) {
        connect(e, &ChartExporter::exported, this, &ThresholdCurves::exported);
        connect(e, &ChartExporter::exportFailed, this, &ThresholdCurves::exportFailed);
    }

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("thresholdSlider"));
    m_slider->setRange(0, kSliderSteps);
    m_slider->setPageStep(kSliderSteps / 20);
    m_spin = new QDoubleSpinBox(this);
    m_spin->setObjectName(QStringLiteral("thresholdSpinBox"));
    m_spin->setRange(0.0, 1.0);
    m_spin->setDecimals(3);
    m_spin->setSingleStep(0.001);
    m_spin->setKeyboardTracking(false);
    auto* label = new QLabel(tr("&Threshold:"), this);
    label->setBuddy(m_slider);
    label->setToolTip(tr("A session is predicted to end in a purchase when its score is at least the "
                         "threshold."));
    m_storedButton = new QPushButton(tr("Use &Stored Threshold"), this);
    m_storedButton->setObjectName(QStringLiteral("storedThresholdButton"));
    m_storedButton->setToolTip(tr("Go back to the threshold tuned for the best F1 on validation"));
    connect(m_slider, &QSlider::valueChanged, this,
            [this](int value) { setThreshold(double(value) / kSliderSteps); });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, &ThresholdCurves::setThreshold);
    connect(m_storedButton, &QPushButton::clicked, this, &ThresholdCurves::useStoredThreshold);

    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("thresholdReadout"));
    m_readout->setTextFormat(Qt::RichText);
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* sliderRow = new QHBoxLayout;
    sliderRow->addWidget(label);
    sliderRow->addWidget(m_slider, 1);
    sliderRow->addWidget(m_spin);
    sliderRow->addWidget(m_storedButton);
    auto* charts = new QHBoxLayout;
    charts->addWidget(createChartPanel(m_rocView, m_rocExporter), 1);
    charts->addWidget(createChartPanel(m_prView, m_prExporter), 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(charts, 1);
    layout->addLayout(sliderRow);
    layout->addWidget(m_readout);
    clear();
}

QWidget* ThresholdCurves::createChartPanel(QChartView* view, ChartExporter* exporter)
{
    auto* panel = new QWidget(this);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(280, 240);
    layout->addWidget(exporter->createButtons(panel), 0, Qt::AlignRight);
    layout->addWidget(view, 1);
    return panel;
}

QChart* ThresholdCurves::rocChart() const
{
    return m_rocView->chart();
}

QChart* ThresholdCurves::prChart() const
{
    return m_prView->chart();
}

void ThresholdCurves::clear()
{
    m_evaluations.clear();
    m_lines.clear();
    evalui::resetChart(rocChart(), {});
    evalui::resetChart(prChart(), {});
    m_rocExporter->setEnabled(false);
    m_prExporter->setEnabled(false);
    m_readout->clear();
    setEnabled(false);
}

void ThresholdCurves::setUpChart(QChart* chart, const QString& x, const QString& y)
{
    auto* xAxis = new QValueAxis;
    xAxis->setRange(0, 1);
    xAxis->setTickCount(6);
    xAxis->setTitleText(x);
    auto* yAxis = new QValueAxis;
    yAxis->setRange(0, 1.02);
    yAxis->setTickCount(6);
    yAxis->setLabelFormat(QStringLiteral("%.1f"));
    yAxis->setTitleText(y);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(xAxis);
        s->attachAxis(yAxis);
    }
}

void ThresholdCurves::setEvaluations(const std::vector<ModelEvaluationPtr>& evaluations)
{
    clear();
    for (const ModelEvaluationPtr& e : evaluations) {
        if (e->evaluation.binary)
            m_evaluations.push_back(e);
    }
    if (m_evaluations.empty())
        return;
    QStringList aucs;
    QStringList aps;
    const bool several = m_evaluations.size() > 1;
    for (std::size_t i = 0; i < m_evaluations.size(); ++i) {
        const ModelEvaluation& e = *m_evaluations[i];
        const QColor colour = evalui::modelColour(int(i));
        Lines lines;
        lines.roc = new QLineSeries;
        lines.roc->setName(e.name);
        lines.roc->replace(points(e.roc.fpr, e.roc.tpr));
        lines.roc->setColor(colour);
        lines.pr = new QLineSeries;
        lines.pr->setName(e.name);
        lines.pr->replace(points(e.pr.recall, e.pr.precision));
        lines.pr->setColor(colour);
        lines.rocPoint = new QScatterSeries;
        lines.prPoint = new QScatterSeries;
        for (QScatterSeries* p : {lines.rocPoint, lines.prPoint}) {
            p->setName(tr("%1 at the threshold").arg(e.name));
            p->setColor(colour);
            p->setBorderColor(Qt::black);
            p->setMarkerSize(11);
        }
        rocChart()->addSeries(lines.roc);
        rocChart()->addSeries(lines.rocPoint);
        prChart()->addSeries(lines.pr);
        prChart()->addSeries(lines.prPoint);
        m_lines.push_back(lines);
        const QString prefix = several ? e.name.toHtmlEscaped() + QStringLiteral(": ") : QString();
        aucs << prefix + evalui::metricText(e.rocAuc);
        aps << prefix + evalui::metricText(e.averagePrecision);
    }
    // The diagonal of a model that guesses.
    auto* chance = new QLineSeries;
    chance->setName(tr("chance"));
    chance->append(0, 0);
    chance->append(1, 1);
    QPen dashed(QColor(0x90, 0x90, 0x90));
    dashed.setStyle(Qt::DashLine);
    chance->setPen(dashed);
    rocChart()->addSeries(chance);
    const QString split = splitPartKey(m_evaluations.front()->evaluation.split);
    // A line per model: long model names would be elided on one line.
    const QString lineBreak = QStringLiteral("<br>");
    rocChart()->setTitle(tr("<b>ROC</b> · %1 · ROC-AUC%2%3")
                             .arg(split, several ? lineBreak : QStringLiteral(" "), aucs.join(lineBreak)));
    prChart()->setTitle(tr("<b>Precision–recall</b> · %1 · average precision%2%3")
                            .arg(split, several ? lineBreak : QStringLiteral(" "), aps.join(lineBreak)));
    setUpChart(rocChart(), tr("False positive rate"), tr("True positive rate (recall)"));
    setUpChart(prChart(), tr("Recall"), tr("Precision"));
    // The table under the charts is the legend (each model's colour and full name): a legend in
    // the charts would elide the names.
    rocChart()->legend()->hide();
    prChart()->legend()->hide();
    const QString stem = evalui::fileStem(several ? tr("models") : m_evaluations.front()->name);
    m_rocExporter->setFileStem(stem + QStringLiteral("-roc"));
    m_prExporter->setFileStem(stem + QStringLiteral("-pr"));
    m_rocExporter->setEnabled(true);
    m_prExporter->setEnabled(true);
    setEnabled(true);
    m_currentModel = m_evaluations.front()->name;
    setThreshold(m_evaluations.front()->evaluation.threshold);
}

void ThresholdCurves::setCurrentModel(const QString& name)
{
    m_currentModel = name;
}

void ThresholdCurves::useStoredThreshold()
{
    for (const ModelEvaluationPtr& e : m_evaluations) {
        if (e->name == m_currentModel) {
            setThreshold(e->evaluation.threshold);
            return;
        }
    }
}

void ThresholdCurves::setThreshold(double threshold)
{
    if (!std::isfinite(threshold))
        return;
    m_threshold = threshold;
    // The controls show the threshold rounded; m_threshold keeps it exact (a tuned threshold is an
    // observed score, and rounding it could move cases across it).
    const QSignalBlocker blockSlider(m_slider);
    const QSignalBlocker blockSpin(m_spin);
    m_slider->setValue(int(std::lround(threshold * kSliderSteps)));
    m_spin->setValue(threshold);
    updatePoints();
    emit thresholdChanged(m_threshold);
}

std::vector<ThresholdMetrics> ThresholdCurves::currentMetrics() const
{
    std::vector<ThresholdMetrics> out;
    for (const ModelEvaluationPtr& e : m_evaluations)
        out.push_back(e->evaluation.binary->atThreshold(m_threshold));
    return out;
}

QString ThresholdCurves::readoutText() const
{
    return m_readout->text();
}

void ThresholdCurves::updatePoints()
{
    const std::vector<ThresholdMetrics> metrics = currentMetrics();
    QString rows;
    const QLocale locale;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
        const ThresholdMetrics& m = metrics[i];
        const ModelEvaluation& e = *m_evaluations[i];
        const double fpr = e.evaluation.binary->negatives() > 0
                               ? double(m.fp) / double(e.evaluation.binary->negatives())
                               : 0.0;
        m_lines[i].rocPoint->replace(QList<QPointF>{QPointF(fpr, m.recall)});
        m_lines[i].prPoint->replace(QList<QPointF>{QPointF(m.recall, m.precision)});
        rows +=
            tr("<tr><td><b style='color:%1'>■</b> %2</td><td align=right>%3</td><td align=right>%4</td>"
               "<td align=right>%5</td><td align=right>%6</td><td align=right>%7</td>"
               "<td align=right>%8</td></tr>")
                .arg(evalui::modelColour(int(i)).name(), e.name.toHtmlEscaped(),
                     locale.toString(m.precision, 'f', 3), locale.toString(m.recall, 'f', 3),
                     locale.toString(m.f1, 'f', 3), locale.toString(m.accuracy, 'f', 3),
                     locale.toString(qint64(m.tp + m.fp)), locale.toString(e.evaluation.threshold, 'f', 3));
    }
    if (metrics.empty()) {
        m_readout->clear();
        return;
    }
    m_readout->setText(tr("<table cellspacing=0 cellpadding=3><tr><th align=left>Model (● operating point; "
                          "dashed: chance)</th><th>Precision</th>"
                          "<th>Recall</th><th>F1</th><th>Accuracy</th><th>Predicted positive</th>"
                          "<th>Stored threshold</th></tr>%1</table>")
                           .arg(rows));
}

ChartTable ThresholdCurves::rocTable() const
{
    ChartTable t;
    t.header << QStringLiteral("model") << QStringLiteral("fpr") << QStringLiteral("tpr")
             << QStringLiteral("threshold");
    for (const ModelEvaluationPtr& e : m_evaluations) {
        for (std::size_t i = 0; i < e->roc.fpr.size(); ++i)
            t.rows << QStringList{e->name, number(e->roc.fpr[i]), number(e->roc.tpr[i]),
                                  number(e->roc.thresholds[i])};
    }
    return t;
}

ChartTable ThresholdCurves::prTable() const
{
    ChartTable t;
    t.header << QStringLiteral("model") << QStringLiteral("recall") << QStringLiteral("precision")
             << QStringLiteral("threshold");
    for (const ModelEvaluationPtr& e : m_evaluations) {
        for (std::size_t i = 0; i < e->pr.recall.size(); ++i)
            t.rows << QStringList{e->name, number(e->pr.recall[i]), number(e->pr.precision[i]),
                                  i < e->pr.thresholds.size() ? number(e->pr.thresholds[i]) : QString()};
    }
    return t;
}

} // namespace swb

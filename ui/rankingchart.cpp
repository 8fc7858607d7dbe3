#include "rankingchart.h"

#include "evalcommon.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace swb {

namespace {

double valueOf(const RankingAtK& at, RankingChart::Metric metric)
{
    return metric == RankingChart::Hr ? at.hr : metric == RankingChart::Mrr ? at.mrr : at.ndcg;
}

} // namespace

RankingChart::RankingChart(QWidget* parent) : QWidget(parent)
{
    m_view = new QChartView(new QChart, this);
    m_view->setObjectName(QStringLiteral("rankingView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(260);
    m_exporter = new ChartExporter(
        m_view, [this] { return table(); }, this);
    connect(m_exporter, &ChartExporter::exported, this, &RankingChart::exported);
    connect(m_exporter, &ChartExporter::exportFailed, this, &RankingChart::exportFailed);
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("rankingInfo"));
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* top = new QHBoxLayout;
    auto* note = new QLabel(tr("Over the whole training catalogue; a target never seen in training counts "
                               "as a miss. Solid: HR@K, dashed: MRR@K, dotted: NDCG@K."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    top->addWidget(note, 1);
    top->addWidget(m_exporter->createButtons(this));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_info);
    clear();
}

QChart* RankingChart::chart() const
{
    return m_view->chart();
}

void RankingChart::clear()
{
    m_evaluations.clear();
    m_series.clear();
    evalui::resetChart(chart(), {});
    chart()->legend()->hide();
    m_info->clear();
    m_exporter->setEnabled(false);
}

QLineSeries* RankingChart::series(const QString& model, Metric metric) const
{
    for (std::size_t i = 0; i < m_evaluations.size(); ++i) {
        if (m_evaluations[i]->name == model)
            return m_series[i][std::size_t(metric)];
    }
    return nullptr;
}

QString RankingChart::infoText() const
{
    return m_info->text();
}

void RankingChart::setEvaluations(const std::vector<ModelEvaluationPtr>& evaluations)
{
    clear();
    for (const ModelEvaluationPtr& e : evaluations) {
        if (e->evaluation.ranking)
            m_evaluations.push_back(e);
    }
    if (m_evaluations.empty())
        return;
    const QString names[] = {tr("HR@K"), tr("MRR@K"), tr("NDCG@K")};
    const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine};
    double top = 0.0;
    QStringList info;
    const QLocale locale;
    for (std::size_t i = 0; i < m_evaluations.size(); ++i) {
        const ModelEvaluation& e = *m_evaluations[i];
        const RankingReport& r = *e.evaluation.ranking;
        std::array<QLineSeries*, 3> lines{};
        for (const Metric metric : {Hr, Mrr, Ndcg}) {
            QList<QPointF> points;
            for (int k = 1; k <= kMaxRankingK; ++k) {
                points << QPointF(k, valueOf(r.at(k), metric));
                top = std::max(top, points.back().y());
            }
            auto* line = new QLineSeries;
            line->setName(tr("%1 %2").arg(e.name, names[metric]));
            line->replace(points);
            QPen pen(evalui::modelColour(int(i)));
            pen.setWidthF(2.0);
            pen.setStyle(styles[metric]);
            line->setPen(pen);
            chart()->addSeries(line);
            lines[std::size_t(metric)] = line;
        }
        m_series.push_back(lines);
        info << tr("<b>%1</b>: coverage@%2 %3% (%4 of %5 items) · unseen targets %6 of %7 cases")
                    .arg(e.name.toHtmlEscaped())
                    .arg(r.coverageK)
                    .arg(locale.toString(r.coverage * 100.0, 'f', 1), locale.toString(qint64(r.coveredItems)),
                         locale.toString(qint64(r.catalogueSize)), locale.toString(qint64(r.unseenTargets)),
                         locale.toString(qint64(r.cases)));
    }
    m_info->setText(info.join(QStringLiteral("<br>")));
    auto* x = new QValueAxis;
    x->setRange(1, kMaxRankingK);
    x->setTickCount(11);
    x->setLabelFormat(QStringLiteral("%d"));
    x->setTitleText(tr("K (length of the recommendation list)"));
    auto* y = new QValueAxis;
    y->setRange(0, std::max(0.05, top * 1.1));
    y->applyNiceNumbers();
    y->setTitleText(tr("Mean over the cases"));
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s : chart()->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    chart()->setTitle(
        tr("HR, MRR and NDCG at K · %1").arg(splitPartKey(m_evaluations.front()->evaluation.split)));
    chart()->legend()->setAlignment(Qt::AlignRight);
    chart()->legend()->show();
    m_exporter->setFileStem(
        evalui::fileStem(m_evaluations.size() > 1 ? tr("models") : m_evaluations.front()->name) +
        QStringLiteral("-ranking"));
    m_exporter->setEnabled(true);
}

ChartTable RankingChart::table() const
{
    ChartTable t;
    t.header << QStringLiteral("model") << QStringLiteral("k") << QStringLiteral("hr")
             << QStringLiteral("recall") << QStringLiteral("precision") << QStringLiteral("mrr")
             << QStringLiteral("ndcg");
    const auto number = [](double v) {
        return QString::number(v, 'g', 17);
    };
    for (const ModelEvaluationPtr& e : m_evaluations) {
        for (int k = 1; k <= kMaxRankingK; ++k) {
            const RankingAtK& at = e->evaluation.ranking->at(k);
            t.rows << QStringList{e->name,           QString::number(k),   number(at.hr),
                                  number(at.recall), number(at.precision), number(at.mrr),
                                  number(at.ndcg)};
        }
    }
    return t;
}

} // namespace swb

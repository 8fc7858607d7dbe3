#include "evaluateresults.h"

#include "chartexport.h"
#include "classmetricschart.h"
#include "confusionheatmap.h"
#include "evalcommon.h"
#include "metricstable.h"
#include "rankingchart.h"
#include "thresholdcurves.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace swb {

EvaluateResults::EvaluateResults(QWidget* parent) : QWidget(parent)
{
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("resultModelCombo"));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_modelLabel = new QLabel(tr("&Model:"), this);
    m_modelLabel->setBuddy(m_model);
    m_modelLabel->setToolTip(tr("The model the confusion matrix and the predictions export are about"));
    m_predictionsButton = new QPushButton(tr("Export &Predictions…"), this);
    m_predictionsButton->setObjectName(QStringLiteral("exportPredictionsButton"));
    m_predictionsButton->setToolTip(tr("One CSV row per case of this model, as 'scenewb evaluate "
                                       "--predictions' writes it"));
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] {
        m_curves->setCurrentModel(currentModel());
        updateHeatmap();
    });
    connect(m_predictionsButton, &QPushButton::clicked, this, [this] {
        choose(tr("Export Predictions as CSV"), tr("CSV files (*.csv)"), QStringLiteral("csv"),
               evalui::fileStem(currentModel() + QStringLiteral("-predictions")),
               &EvaluateResults::exportPredictions);
    });

    m_classMetrics = new ClassMetricsChart(this);
    m_curves = new ThresholdCurves(this);
    m_ranking = new RankingChart(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("evaluateTabs"));
    m_tabs->setDocumentMode(true);
    m_pages = {m_classMetrics, createConfusionTab(), m_curves, m_ranking, createTableTab()};
    m_titles = {tr("P / R / F1 per &class"), tr("Con&fusion matrix"), tr("&ROC / PR and threshold"),
                tr("&HR / MRR / NDCG at K"), tr("Side by &side")};
    for (std::size_t i = 0; i < m_pages.size(); ++i)
        m_tabs->addTab(m_pages[i], m_titles[i]);
    connect(m_classMetrics, &ClassMetricsChart::exported, this, &EvaluateResults::exported);
    connect(m_classMetrics, &ClassMetricsChart::exportFailed, this, &EvaluateResults::exportFailed);
    connect(m_curves, &ThresholdCurves::exported, this, &EvaluateResults::exported);
    connect(m_curves, &ThresholdCurves::exportFailed, this, &EvaluateResults::exportFailed);
    connect(m_ranking, &RankingChart::exported, this, &EvaluateResults::exported);
    connect(m_ranking, &RankingChart::exportFailed, this, &EvaluateResults::exportFailed);
    connect(m_curves, &ThresholdCurves::thresholdChanged, this, &EvaluateResults::updateHeatmap);

    auto* top = new QHBoxLayout;
    top->addWidget(m_modelLabel);
    top->addWidget(m_model);
    top->addStretch(1);
    top->addWidget(m_predictionsButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    clear();
}

QWidget* EvaluateResults::createConfusionTab()
{
    auto* page = new QWidget(this);
    m_heatmap = new ConfusionHeatmap(page);
    m_normalised = new QCheckBox(tr("Row-&normalised"), page);
    m_normalised->setObjectName(QStringLiteral("normalisedBox"));
    m_normalised->setToolTip(
        tr("Each true class's row as shares that sum to 1 (its recall on the diagonal)"));
    connect(m_normalised, &QCheckBox::toggled, m_heatmap, &ConfusionHeatmap::setNormalised);
    m_confusionNote = new QLabel(page);
    m_confusionNote->setObjectName(QStringLiteral("confusionNote"));
    m_confusionNote->setWordWrap(true);
    m_confusionNote->setForegroundRole(QPalette::PlaceholderText);
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(2);
    const struct
    {
        QString text;
        const char* name;
        QString title;
        QString filter;
        QString suffix;
        bool (EvaluateResults::*write)(const QString&);
    } exports[] = {
        {tr("Export PNG…"), "heatmapPngButton", tr("Export Confusion Matrix as PNG"),
         tr("PNG images (*.png)"), QStringLiteral("png"), &EvaluateResults::exportHeatmapPng},
        {tr("Export SVG…"), "heatmapSvgButton", tr("Export Confusion Matrix as SVG"),
         tr("SVG images (*.svg)"), QStringLiteral("svg"), &EvaluateResults::exportHeatmapSvg},
        {tr("Export CSV…"), "heatmapCsvButton", tr("Export Confusion Matrix as CSV"), tr("CSV files (*.csv)"),
         QStringLiteral("csv"), &EvaluateResults::exportHeatmapCsv},
    };
    for (const auto& e : exports) {
        auto* button = new QToolButton(page);
        button->setObjectName(QString::fromLatin1(e.name));
        button->setText(e.text);
        button->setAutoRaise(true);
        connect(button, &QToolButton::clicked, this, [this, e] {
            choose(e.title, e.filter, e.suffix,
                   evalui::fileStem(currentModel() + QStringLiteral("-confusion")), e.write);
        });
        buttons->addWidget(button);
    }
    auto* top = new QHBoxLayout;
    top->addWidget(m_confusionNote, 1);
    top->addWidget(m_normalised);
    top->addLayout(buttons);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(top);
    layout->addWidget(m_heatmap, 1);
    return page;
}

QWidget* EvaluateResults::createTableTab()
{
    auto* page = new QWidget(this);
    m_table = new MetricsTable(page);
    auto* csv = new QPushButton(tr("Export Metrics &CSV…"), page);
    csv->setObjectName(QStringLiteral("exportMetricsCsvButton"));
    auto* json = new QPushButton(tr("Export Metrics &JSON…"), page);
    json->setObjectName(QStringLiteral("exportMetricsJsonButton"));
    json->setToolTip(tr("The JSON of 'scenewb evaluate --json' (an array of them for several models)"));
    connect(csv, &QPushButton::clicked, this, [this] {
        choose(tr("Export Metrics as CSV"), tr("CSV files (*.csv)"), QStringLiteral("csv"),
               QStringLiteral("metrics"), &EvaluateResults::exportMetricsCsv);
    });
    connect(json, &QPushButton::clicked, this, [this] {
        choose(tr("Export Metrics as JSON"), tr("JSON files (*.json)"), QStringLiteral("json"),
               QStringLiteral("metrics"), &EvaluateResults::exportMetricsJson);
    });
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(csv);
    buttons->addWidget(json);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    return page;
}

void EvaluateResults::clear()
{
    m_evaluations.clear();
    {
        const QSignalBlocker block(m_model);
        m_model->clear();
    }
    m_classMetrics->clear();
    m_heatmap->clear();
    m_confusionNote->clear();
    m_curves->clear();
    m_ranking->clear();
    m_table->clear();
    m_predictionsButton->setEnabled(false);
}

void EvaluateResults::setEvaluations(std::vector<ModelEvaluationPtr> evaluations)
{
    clear();
    m_evaluations = std::move(evaluations);
    if (m_evaluations.empty())
        return;
    {
        const QSignalBlocker block(m_model);
        for (const ModelEvaluationPtr& e : m_evaluations)
            m_model->addItem(e->name);
    }
    const Evaluation& first = m_evaluations.front()->evaluation;
    const bool ranking = first.ranking.has_value();
    const bool binary = first.binary.has_value();
    // Only the tabs that fit the task. Tabs are taken out and put back rather than hidden: Qt 6.4's
    // tab bar does not always lay out a tab that becomes visible again.
    QWidget* before = m_tabs->currentWidget();
    const bool shown[] = {!ranking, !ranking, binary, ranking, true};
    m_tabs->clear();
    for (std::size_t i = 0; i < m_pages.size(); ++i) {
        if (shown[i])
            m_tabs->addTab(m_pages[i], m_titles[i]);
    }
    m_classMetrics->setEvaluations(m_evaluations);
    m_curves->setEvaluations(m_evaluations);
    m_ranking->setEvaluations(m_evaluations);
    m_table->setEvaluations(m_evaluations);
    m_predictionsButton->setEnabled(true);
    m_curves->setCurrentModel(currentModel());
    updateHeatmap();
    m_tabs->setCurrentWidget(isTabShown(before) ? before : m_pages[ranking ? RankingTab : PerClassTab]);
}

QString EvaluateResults::summary(const QString& splitName) const
{
    QStringList counts;
    QStringList notes; // why a metric is missing (e.g. no positive case), as the report says
    for (const ModelEvaluationPtr& e : m_evaluations) {
        const std::int64_t cases =
            e->evaluation.ranking ? e->evaluation.ranking->cases : e->evaluation.classification->cases;
        counts << tr("<b>%1</b> (%2 on %3, %4 cases)")
                      .arg(e->name.toHtmlEscaped(), e->kind.toHtmlEscaped(), e->run.toHtmlEscaped())
                      .arg(cases);
        if (e->evaluation.classification) {
            for (const QString& note : e->evaluation.classification->notes)
                notes << tr("%1: %2").arg(e->name, note).toHtmlEscaped();
        }
        if (!e->curveNote.isEmpty())
            notes << tr("%1: %2").arg(e->name, e->curveNote).toHtmlEscaped();
    }
    notes.removeDuplicates();
    QString text = tr("%1 split: %2").arg(splitName, counts.join(QStringLiteral(" · ")));
    if (!notes.isEmpty())
        text += QStringLiteral("<br><i>%1</i>").arg(notes.join(QStringLiteral("<br>")));
    return text;
}

bool EvaluateResults::isTabShown(QWidget* page) const
{
    return page && m_tabs->indexOf(page) >= 0;
}

bool EvaluateResults::setCurrentModel(const QString& name)
{
    const int index = m_model->findText(name);
    if (index < 0)
        return false;
    m_model->setCurrentIndex(index);
    return true;
}

QString EvaluateResults::currentModel() const
{
    return m_model->currentText();
}

const ModelEvaluation* EvaluateResults::current() const
{
    const int index = m_model->currentIndex();
    return index >= 0 && std::size_t(index) < m_evaluations.size() ? m_evaluations[std::size_t(index)].get()
                                                                   : nullptr;
}

void EvaluateResults::updateHeatmap()
{
    const ModelEvaluation* e = current();
    if (!e || !e->evaluation.classification) {
        m_heatmap->clear();
        m_confusionNote->clear();
        return;
    }
    const QString split = splitPartKey(e->evaluation.split);
    if (e->evaluation.binary) {
        // At the threshold of the ROC / PR tab, so moving it redraws the matrix.
        const double threshold = m_curves->threshold();
        const ThresholdMetrics m = e->evaluation.binary->atThreshold(threshold);
        ConfusionMatrix matrix(2);
        matrix.add(0, 0, m.tn);
        matrix.add(0, 1, m.fp);
        matrix.add(1, 0, m.fn);
        matrix.add(1, 1, m.tp);
        m_heatmap->setMatrix(
            matrix, e->evaluation.labels,
            tr("%1 · %2 · threshold %3").arg(e->name, split, QLocale().toString(threshold, 'f', 3)));
        m_confusionNote->setText(tr("At the threshold set on the ROC / PR tab (stored: %1).")
                                     .arg(QLocale().toString(e->evaluation.threshold, 'f', 3)));
        return;
    }
    m_heatmap->setMatrix(e->evaluation.classification->confusion, e->evaluation.labels,
                         tr("%1 · %2").arg(e->name, split));
    m_confusionNote->setText(tr("Rows: true class; columns: predicted class (the most probable)."));
}

// Exports ------------------------------------------------------------------------------------------

void EvaluateResults::choose(const QString& title, const QString& filter, const QString& suffix,
                             const QString& stem, bool (EvaluateResults::*write)(const QString&))
{
    if (m_evaluations.empty())
        return;
    const QString path = chooseExportFile(window(), title, filter, suffix, stem);
    if (!path.isEmpty())
        (this->*write)(path);
}

bool EvaluateResults::finish(const Status& status, const QString& path)
{
    if (!status) {
        emit exportFailed(status.error().message);
        return false;
    }
    emit exported(path);
    return true;
}

bool EvaluateResults::exportMetricsCsv(const QString& path)
{
    return finish(writeCsv(m_table->table(), path), path);
}

bool EvaluateResults::exportMetricsJson(const QString& path)
{
    QJsonArray list;
    for (const ModelEvaluationPtr& e : m_evaluations)
        list.append(evaluationJson(e->name, taskKey(e->evaluation.task), e->kind, e->evaluation.split,
                                   e->evaluation.metrics));
    const QJsonDocument doc = list.size() == 1 ? QJsonDocument(list.first().toObject()) : QJsonDocument(list);
    return finish(writeFileBytes(path, doc.toJson(QJsonDocument::Indented)), path);
}

bool EvaluateResults::exportPredictions(const QString& path)
{
    const ModelEvaluation* e = current();
    if (!e)
        return false;
    return finish(writePredictions(e->evaluation, path), path);
}

bool EvaluateResults::exportHeatmapPng(const QString& path)
{
    return finish(m_heatmap->writePng(path), path);
}

bool EvaluateResults::exportHeatmapSvg(const QString& path)
{
    return finish(m_heatmap->writeSvg(path), path);
}

bool EvaluateResults::exportHeatmapCsv(const QString& path)
{
    return finish(writeCsv(m_heatmap->table(), path), path);
}

} // namespace swb

#include "prepreportview.h"

#include "prepcommon.h"

#include "core/prep/prepconfig.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QCursor>
#include <QFont>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

namespace swb {

namespace {

using prepui::count;
using prepui::hintLabel;
using prepui::jsonCount;
using prepui::numberItem;
using prepui::textItem;
using prepui::utcText;

enum StepColumn
{
    StepName,
    StepRowsIn,
    StepRowsOut,
    StepRemoved,
    StepReasons,
    StepColumnCount
};

QString stepLabel(const QString& key)
{
    static const std::map<QString, const char*> labels = {
        {QStringLiteral("clean"), QT_TRANSLATE_NOOP("swb::PrepReportView", "Clean")},
        {QStringLiteral("dedup"), QT_TRANSLATE_NOOP("swb::PrepReportView", "De-duplicate")},
        {QStringLiteral("sessions"), QT_TRANSLATE_NOOP("swb::PrepReportView", "Sessions")},
        {QStringLiteral("filter"), QT_TRANSLATE_NOOP("swb::PrepReportView", "Filter")},
        {QStringLiteral("split"), QT_TRANSLATE_NOOP("swb::PrepReportView", "Split")},
        {QStringLiteral("features"), QT_TRANSLATE_NOOP("swb::PrepReportView", "Features")},
    };
    const auto it = labels.find(key);
    return it == labels.end() ? key : PrepReportView::tr(it->second);
}

// Reasons as the report names them (StepReport::removedByReason), in words.
QString reasonLabel(const QString& key)
{
    static const std::map<QString, const char*> labels = {
        {QStringLiteral("missing_user"), QT_TRANSLATE_NOOP("swb::PrepReportView", "without user")},
        {QStringLiteral("missing_item"), QT_TRANSLATE_NOOP("swb::PrepReportView", "without item")},
        {QStringLiteral("missing_session"), QT_TRANSLATE_NOOP("swb::PrepReportView", "without session")},
        {QStringLiteral("unknown_behaviour"), QT_TRANSLATE_NOOP("swb::PrepReportView", "unknown behaviour")},
        {QStringLiteral("before_window"), QT_TRANSLATE_NOOP("swb::PrepReportView", "before the window")},
        {QStringLiteral("after_window"), QT_TRANSLATE_NOOP("swb::PrepReportView", "after the window")},
        {QStringLiteral("exact_duplicate"), QT_TRANSLATE_NOOP("swb::PrepReportView", "exact duplicates")},
        {QStringLiteral("repeat_within_window"), QT_TRANSLATE_NOOP("swb::PrepReportView", "quick repeats")},
        {QStringLiteral("item_support"), QT_TRANSLATE_NOOP("swb::PrepReportView", "rare items")},
        {QStringLiteral("short_session"), QT_TRANSLATE_NOOP("swb::PrepReportView", "short sessions")},
        {QStringLiteral("long_session"), QT_TRANSLATE_NOOP("swb::PrepReportView", "long sessions")},
        {QStringLiteral("crosses_split_boundary"),
         QT_TRANSLATE_NOOP("swb::PrepReportView", "split-crossing sessions")},
    };
    const auto it = labels.find(key);
    return it == labels.end() ? key : PrepReportView::tr(it->second);
}

} // namespace

PrepReportView::PrepReportView(QWidget* parent) : QGroupBox(tr("Report"), parent)
{
    auto* layout = new QVBoxLayout(this);
    m_reportTitle = new QLabel(this);
    m_reportTitle->setObjectName(QStringLiteral("reportTitle"));
    m_reportTitle->setWordWrap(true);
    m_reportTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_reportTitle);
    m_reportTabs = new QTabWidget(this);
    m_reportTabs->setObjectName(QStringLiteral("reportTabs"));
    m_reportTabs->addTab(createStepsTab(), tr("Steps"));
    m_reportTabs->addTab(createSplitTab(), tr("Split"));
    m_reportTabs->addTab(createConfigTab(), tr("Settings (JSON)"));
    layout->addWidget(m_reportTabs, 1);
    clear();
}

PrepReportView::~PrepReportView() = default;

QList<QWidget*> PrepReportView::tabChain() const
{
    return {m_reportTabs, m_stepsView, m_splitView, m_configText, m_useSettingsButton, m_copyButton};
}

QWidget* PrepReportView::createStepsTab()
{
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    m_stepsModel = new QStandardItemModel(0, StepColumnCount, this);
    m_stepsModel->setHorizontalHeaderLabels(
        {tr("Step"), tr("Rows in"), tr("Rows out"), tr("Removed"), tr("Removed by reason")});
    m_stepsView = new QTableView(tab);
    m_stepsView->setObjectName(QStringLiteral("stepsView"));
    m_stepsView->setModel(m_stepsModel);
    m_stepsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_stepsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_stepsView->setWordWrap(false);
    m_stepsView->setTextElideMode(Qt::ElideRight);
    m_stepsView->verticalHeader()->hide();
    m_stepsView->horizontalHeader()->setStretchLastSection(true);
    m_stepsView->setColumnWidth(StepName, 120);
    for (int c : {StepRowsIn, StepRowsOut, StepRemoved})
        m_stepsView->setColumnWidth(c, 90);
    // Six rows: tall enough for all of them, the chart takes the rest.
    const int rowHeight = fontMetrics().height() + 8;
    m_stepsView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_stepsView->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_stepsView->setFixedHeight(rowHeight * 6 + m_stepsView->horizontalHeader()->sizeHint().height() + 4);
    layout->addWidget(m_stepsView);

    m_chart = new QChart;
    // No title and no axis title: the plot keeps the room to label all six steps in a small window.
    m_chart->setToolTip(tr("Rows out and rows removed (by reason) per step"));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    auto* chartView = new QChartView(m_chart, tab);
    chartView->setObjectName(QStringLiteral("stepsChart"));
    chartView->setRenderHint(QPainter::Antialiasing);
    // Qt Charts elides the step names once a seventh of the chart's height is below a label's
    // height plus padding: keep it tall enough for six steps.
    chartView->setMinimumHeight(250);
    layout->addWidget(chartView, 1);
    return tab;
}

QWidget* PrepReportView::createSplitTab()
{
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    m_splitModel = new QStandardItemModel(0, 6, this);
    m_splitModel->setHorizontalHeaderLabels({tr("Split"), tr("Events"), tr("Sessions"), tr("Share of events"),
                                             tr("Unseen items"), tr("Unseen users")});
    m_splitView = new QTableView(tab);
    m_splitView->setObjectName(QStringLiteral("splitView"));
    m_splitView->setModel(m_splitModel);
    m_splitView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_splitView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_splitView->verticalHeader()->hide();
    m_splitView->horizontalHeader()->setStretchLastSection(true);
    for (int c = 0; c < m_splitModel->columnCount(); ++c)
        m_splitView->setColumnWidth(c, c == 0 ? 120 : 110);
    const int rowHeight = fontMetrics().height() + 8;
    m_splitView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_splitView->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_splitView->setFixedHeight(rowHeight * 3 + m_splitView->horizontalHeader()->sizeHint().height() + 4);
    layout->addWidget(m_splitView);
    m_splitSummary = new QLabel(tab);
    m_splitSummary->setObjectName(QStringLiteral("splitSummary"));
    m_splitSummary->setWordWrap(true);
    m_splitSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_splitSummary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_splitSummary);
    layout->addStretch(1);
    return tab;
}

QWidget* PrepReportView::createConfigTab()
{
    auto* tab = new QWidget;
    auto* layout = new QVBoxLayout(tab);
    m_configText = new QPlainTextEdit(tab);
    m_configText->setObjectName(QStringLiteral("configText"));
    m_configText->setReadOnly(true);
    m_configText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_configText->setLineWrapMode(QPlainTextEdit::NoWrap);
    layout->addWidget(m_configText, 1);
    auto* buttons = new QHBoxLayout;
    auto* hint = hintLabel(tab);
    hint->setText(tr("The settings this run was prepared with (the JSON `scenewb prep --config` takes)."));
    buttons->addWidget(hint, 1);
    m_useSettingsButton = new QPushButton(tr("Use These Settin&gs"), tab);
    m_useSettingsButton->setObjectName(QStringLiteral("useSettingsButton"));
    m_useSettingsButton->setToolTip(tr("Fill the form with this run's dataset and settings"));
    m_copyButton = new QPushButton(tr("&Copy"), tab);
    m_copyButton->setObjectName(QStringLiteral("copyConfigButton"));
    m_copyButton->setToolTip(tr("Copy the settings as JSON to the clipboard"));
    buttons->addWidget(m_useSettingsButton);
    buttons->addWidget(m_copyButton);
    layout->addLayout(buttons);
    connect(m_copyButton, &QPushButton::clicked, this, &PrepReportView::copyConfig);
    connect(m_useSettingsButton, &QPushButton::clicked, this, &PrepReportView::useSettingsRequested);
    return tab;
}

void PrepReportView::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void PrepReportView::updateButtons()
{
    m_useSettingsButton->setEnabled(!m_busy && !m_shownRun.isEmpty());
    m_copyButton->setEnabled(!m_shownRun.isEmpty());
}

void PrepReportView::clear()
{
    m_shownRun.clear();
    m_shownConfig = {};
    m_reportTitle->setText(tr("Run a preparation, or select a stored run, to see its report here."));
    m_stepsModel->removeRows(0, m_stepsModel->rowCount());
    m_splitModel->removeRows(0, m_splitModel->rowCount());
    m_splitSummary->clear();
    m_configText->clear();
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes()) {
        m_chart->removeAxis(axis);
        delete axis;
    }
    m_chart->legend()->hide();
    updateButtons();
}

void PrepReportView::showRun(const RunInfo& run)
{
    clear();
    m_shownRun = run.name;
    const QJsonObject& report = run.report;
    QDateTime created = QDateTime::fromString(run.createdAt, Qt::ISODate);
    m_reportTitle->setText(
        tr("<b>%1</b> of the dataset %2, created %3: %4 events in %5 sessions, %6 users, %7 items kept.")
            .arg(run.name.toHtmlEscaped(), run.dataset.toHtmlEscaped(),
                 created.isValid() ? created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                   : run.createdAt.toHtmlEscaped(),
                 count(jsonCount(report, QStringLiteral("events"))),
                 count(jsonCount(report, QStringLiteral("sessions"))),
                 count(jsonCount(report, QStringLiteral("users"))),
                 count(jsonCount(report, QStringLiteral("items")))));
    fillSteps(report);
    fillChart(report);
    fillSplit(report);
    m_shownConfig = report.value(QStringLiteral("config")).toObject();
    m_configText->setPlainText(
        QString::fromUtf8(QJsonDocument(m_shownConfig).toJson(QJsonDocument::Indented)));
    updateButtons();
}

void PrepReportView::fillSteps(const QJsonObject& report)
{
    const QJsonArray steps = report.value(QStringLiteral("steps")).toArray();
    for (const QJsonValue& value : steps) {
        const QJsonObject step = value.toObject();
        const QString key = step.value(QStringLiteral("name")).toString();
        const QJsonObject reasons = step.value(QStringLiteral("removed_by_reason")).toObject();
        qint64 removed = 0;
        QStringList parts;
        for (auto it = reasons.begin(); it != reasons.end(); ++it) {
            const qint64 n = it.value().toInteger();
            removed += n;
            parts << tr("%1 %2").arg(count(n), reasonLabel(it.key()));
        }
        QStandardItem* name = textItem(stepLabel(key), key);
        QStandardItem* reasonsItem = textItem(parts.isEmpty() ? tr("–") : parts.join(tr(", ")));
        reasonsItem->setToolTip(reasonsItem->text());
        m_stepsModel->appendRow({name, numberItem(jsonCount(step, QStringLiteral("rows_in"))),
                                 numberItem(jsonCount(step, QStringLiteral("rows_out"))), numberItem(removed),
                                 reasonsItem});
    }
}

void PrepReportView::fillChart(const QJsonObject& report)
{
    const QJsonArray steps = report.value(QStringLiteral("steps")).toArray();
    if (steps.isEmpty())
        return;
    // Every reason of any step is one bar set; a step without it contributes 0, so each bar adds up
    // to the step's rows in.
    QStringList reasons;
    for (const QJsonValue& value : steps) {
        const QJsonObject byReason = value.toObject().value(QStringLiteral("removed_by_reason")).toObject();
        for (auto it = byReason.begin(); it != byReason.end(); ++it) {
            if (!reasons.contains(it.key()))
                reasons << it.key();
        }
    }
    auto* series = new QHorizontalStackedBarSeries;
    auto* kept = new QBarSet(tr("Rows out"));
    series->append(kept);
    QList<QBarSet*> removed;
    for (const QString& reason : reasons) {
        // Short names keep the legend on one line; the tooltip and the table say "removed".
        removed << new QBarSet(reasonLabel(reason));
        series->append(removed.back());
    }
    QStringList categories;
    // Bars grow upwards: add the steps last to first so the first step is on top.
    for (qsizetype i = steps.size() - 1; i >= 0; --i) {
        const QJsonObject step = steps.at(i).toObject();
        categories << stepLabel(step.value(QStringLiteral("name")).toString());
        kept->append(double(jsonCount(step, QStringLiteral("rows_out"))));
        const QJsonObject byReason = step.value(QStringLiteral("removed_by_reason")).toObject();
        for (qsizetype r = 0; r < reasons.size(); ++r)
            removed[r]->append(double(byReason.value(reasons[r]).toInteger()));
    }
    series->setBarWidth(0.6);
    m_chart->addSeries(series);
    auto* stepsAxis = new QBarCategoryAxis;
    QFont labelsFont = stepsAxis->labelsFont();
    labelsFont.setPointSizeF(labelsFont.pointSizeF() * 0.9);
    stepsAxis->setLabelsFont(labelsFont);
    stepsAxis->append(categories);
    m_chart->addAxis(stepsAxis, Qt::AlignLeft);
    series->attachAxis(stepsAxis);
    auto* rowsAxis = new QValueAxis;
    rowsAxis->setLabelFormat(QStringLiteral("%.0f"));
    rowsAxis->setMin(0);
    rowsAxis->setMax(
        std::max<double>(1, double(jsonCount(steps.at(0).toObject(), QStringLiteral("rows_in")))));
    rowsAxis->applyNiceNumbers();
    m_chart->addAxis(rowsAxis, Qt::AlignBottom);
    series->attachAxis(rowsAxis);
    m_chart->legend()->show();
    connect(series, &QAbstractBarSeries::hovered, this, [categories](bool status, int index, QBarSet* set) {
        if (!status || index < 0 || index >= categories.size()) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(), tr("%1 · %2: %3 rows")
                                               .arg(categories[index], set->label(),
                                                    count(qint64(std::llround(set->at(index))))));
    });
}

void PrepReportView::fillSplit(const QJsonObject& report)
{
    const QJsonObject split = report.value(QStringLiteral("split")).toObject();
    const qint64 total = jsonCount(report, QStringLiteral("events"));
    const QJsonObject unseenValidation = report.value(QStringLiteral("unseen_in_validation")).toObject();
    const QJsonObject unseenTest = report.value(QStringLiteral("unseen_in_test")).toObject();
    const struct
    {
        QString key;
        QString label;
        const QJsonObject* unseen;
    } parts[] = {{QStringLiteral("train"), tr("Train"), nullptr},
                 {QStringLiteral("validation"), tr("Validation"), &unseenValidation},
                 {QStringLiteral("test"), tr("Test"), &unseenTest}};
    for (const auto& part : parts) {
        const QJsonObject size = split.value(part.key).toObject();
        const qint64 events = jsonCount(size, QStringLiteral("events"));
        const double share = total > 0 ? 100.0 * double(events) / double(total) : 0.0;
        QStandardItem* shareItem = textItem(tr("%1 %").arg(QLocale().toString(share, 'f', 1)), share);
        shareItem->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QList<QStandardItem*> row = {textItem(part.label, part.key), numberItem(events),
                                     numberItem(jsonCount(size, QStringLiteral("sessions"))), shareItem};
        if (part.unseen) {
            row << numberItem(jsonCount(*part.unseen, QStringLiteral("items")))
                << numberItem(jsonCount(*part.unseen, QStringLiteral("users")));
        } else {
            row << textItem(tr("–")) << textItem(tr("–"));
        }
        m_splitModel->appendRow(row);
    }

    QStringList lines;
    const QJsonObject config = report.value(QStringLiteral("config")).toObject();
    const QString method =
        config.value(QStringLiteral("split")).toObject().value(QStringLiteral("method")).toString();
    if (method == splitMethodKey(SplitMethod::Temporal)) {
        const QJsonObject times = report.value(QStringLiteral("split_times")).toObject();
        lines << tr("Temporal split: validation starts %1 UTC, test starts %2 UTC.")
                     .arg(utcText(jsonCount(times, QStringLiteral("validation_start"))),
                          utcText(jsonCount(times, QStringLiteral("test_start"))));
    } else if (method == splitMethodKey(SplitMethod::LastSessionPerUser)) {
        lines << tr("Split by each user's last sessions.");
    } else if (method == splitMethodKey(SplitMethod::RandomSession)) {
        lines << tr("Sessions drawn at random (seed %1).")
                     .arg(config.value(QStringLiteral("split"))
                              .toObject()
                              .value(QStringLiteral("seed"))
                              .toInteger());
    }
    lines << tr("Unseen items and users are those of the validation or test split that never occur in "
                "training; they are kept and counted, not removed.");
    m_splitSummary->setText(lines.join(QLatin1Char('\n')));
}

void PrepReportView::copyConfig()
{
    if (m_shownRun.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_configText->toPlainText());
    emit statusMessage(tr("Copied the settings of “%1” as JSON.").arg(m_shownRun));
}

} // namespace swb

#include "analysischarts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDate>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QRegularExpression>
#include <QTabWidget>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace swb {

namespace {

constexpr std::int64_t kDay = 24 * 60 * 60;
// Up to this many days the daily chart has one bar per day; beyond it, a line.
constexpr std::int64_t kMaxDailyBars = 45;
// Up to this many bars carry their value; more would overlap.
constexpr std::int64_t kMaxLabelledBars = 16;
// Longer ids are shortened in the axis labels (the tooltip and the CSV have them whole).
constexpr int kMaxIdLength = 24;
// The light theme's first two series colours, fixed so users and sessions keep theirs on both axes.
const QColor kUsersColour(0x20, 0x9f, 0xdf);
const QColor kSessionsColour(0x99, 0xca, 0x53);
const QColor kValueLabelColour(0x30, 0x30, 0x30);

QString count(double n)
{
    return QLocale().toString(qint64(std::llround(n)));
}

QString percent(double fraction)
{
    return AnalysisCharts::tr("%1%").arg(QLocale().toString(fraction * 100.0, 'f', 1));
}

QDate dayDate(std::int64_t day)
{
    return QDate(1970, 1, 1).addDays(day / kDay);
}

QString sessionLengthLabel(int bin)
{
    return bin + 1 < kSessionLengthBins ? QString::number(bin + 1)
                                        : QStringLiteral("%1+").arg(kSessionLengthBins);
}

QString shortId(const QString& id)
{
    if (id.size() <= kMaxIdLength)
        return id;
    const int half = kMaxIdLength / 2 - 1;
    return id.left(half) + QChar(0x2026) + id.right(half);
}

// A value axis from 0 with room above the largest value for the bar labels.
QValueAxis* countAxis(double max, const QString& title, double headroom = 1.0)
{
    auto* axis = new QValueAxis;
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setRange(0, std::max(1.0, max * headroom));
    axis->applyNiceNumbers();
    axis->setTitleText(title);
    return axis;
}

// Each bar's count just past its end, in dark text (the theme's white labels are meant for inside
// the bar). After addSeries, which applies the theme.
void showValues(QAbstractBarSeries* series)
{
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPrecision(15); // whole counts, never in exponent form
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    const QList<QBarSet*> sets = series->barSets();
    for (QBarSet* set : sets)
        set->setLabelColor(kValueLabelColour);
}

// Hovering a bar shows its category, set and value.
void showBarTips(QAbstractBarSeries* series, const QStringList& categories, QObject* context)
{
    QObject::connect(series, &QAbstractBarSeries::hovered, context,
                     [categories](bool status, int index, QBarSet* set) {
                         if (!status || index < 0 || index >= categories.size()) {
                             QToolTip::hideText();
                             return;
                         }
                         QToolTip::showText(QCursor::pos(),
                                            AnalysisCharts::tr("%1 · %2: %3")
                                                .arg(categories[index], set->label(), count(set->at(index))));
                     });
}

} // namespace

// The widget --------------------------------------------------------------------------------------

AnalysisCharts::AnalysisCharts(QWidget* parent) : QWidget(parent)
{
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("analysisTabs"));
    m_tabs->setDocumentMode(true);
    const struct
    {
        AnalysisChart chart;
        QString tab;
        QString note;
    } tabs[] = {
        {AnalysisChart::Funnel, tr("&Funnel"),
         tr("Users and sessions with at least one event of each stage; under each stage, its share of the "
            "stage before.")},
        {AnalysisChart::Hourly, tr("By &hour"), tr("Events by hour of the day, UTC.")},
        {AnalysisChart::Daily, tr("By &day"), tr("Events per day, UTC.")},
        {AnalysisChart::SessionLength, tr("Session &lengths"),
         tr("Sessions by their number of events; the last bar holds every session of %1 events or more.")
             .arg(kSessionLengthBins)},
        {AnalysisChart::Behaviours, tr("&Behaviours"), tr("Events by behaviour.")},
        {AnalysisChart::TopItems, tr("Top &items"), tr("The items with the most events, by original id.")},
        {AnalysisChart::TopCategories, tr("Top &categories"),
         tr("The categories with the most events, by original id (events without a category are left "
            "out).")},
    };
    for (const auto& tab : tabs)
        m_tabs->addTab(createPanel(tab.chart, tab.note), tab.tab);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    clear();
}

AnalysisCharts::~AnalysisCharts() = default;

QWidget* AnalysisCharts::createPanel(AnalysisChart chart, const QString& note)
{
    Panel& panel = m_panels[std::size_t(chart)];
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(2);

    auto* chartObject = new QChart;
    chartObject->setAnimationOptions(QChart::NoAnimation);
    chartObject->setBackgroundRoundness(0);
    chartObject->setMargins(QMargins(6, 6, 6, 6));
    chartObject->legend()->setAlignment(Qt::AlignBottom);
    panel.view = new QChartView(chartObject, page);
    panel.view->setObjectName(chartFileKey(chart) + QStringLiteral("Chart"));
    panel.view->setRenderHint(QPainter::Antialiasing);
    panel.view->setFocusPolicy(Qt::StrongFocus); // for the context menu key

    panel.exporter = new ChartExporter(
        panel.view, [this, chart]() { return m_analysis ? chartTable(*m_analysis, chart) : ChartTable{}; },
        this);
    connect(panel.exporter, &ChartExporter::exported, this, &AnalysisCharts::exported);
    connect(panel.exporter, &ChartExporter::exportFailed, this, &AnalysisCharts::exportFailed);

    auto* top = new QHBoxLayout;
    panel.note = new QLabel(note, page);
    panel.note->setObjectName(chartFileKey(chart) + QStringLiteral("Note"));
    panel.note->setWordWrap(true);
    panel.note->setForegroundRole(QPalette::PlaceholderText);
    top->addWidget(panel.note, 1);
    top->addWidget(panel.exporter->createButtons(page));
    layout->addLayout(top);
    layout->addWidget(panel.view, 1);
    return page;
}

QChart* AnalysisCharts::chart(AnalysisChart chart) const
{
    return view(chart)->chart();
}

void AnalysisCharts::resetChart(AnalysisChart which, const QString& title)
{
    QChart* c = chart(which);
    c->removeAllSeries();
    const QList<QAbstractAxis*> axes = c->axes();
    for (QAbstractAxis* axis : axes) {
        c->removeAxis(axis);
        delete axis;
    }
    c->setTitle(title);
    c->legend()->hide();
}

void AnalysisCharts::clear()
{
    m_analysis.reset();
    for (int i = 0; i < kAnalysisChartCount; ++i) {
        resetChart(AnalysisChart(i), {});
        m_panels[std::size_t(i)].exporter->setEnabled(false);
    }
    m_panels[std::size_t(AnalysisChart::Daily)].note->setText(tr("Events per day, UTC."));
}

void AnalysisCharts::setAnalysis(std::shared_ptr<const BehaviourAnalysis> analysis, const DailySeries& daily,
                                 const QString& sourceName)
{
    clear();
    if (!analysis)
        return;
    m_analysis = std::move(analysis);
    m_sourceName = sourceName;
    const BehaviourAnalysis& a = *m_analysis;
    fillFunnel(a);
    fillHourly(a);
    fillDaily(daily);
    fillSessionLength(a);
    fillBehaviours(a);
    fillTop(AnalysisChart::TopItems, a.topItems, tr("Top items"));
    fillTop(AnalysisChart::TopCategories, a.topCategories, tr("Top categories"));
    QString stem = sourceName;
    stem.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
    for (int i = 0; i < kAnalysisChartCount; ++i) {
        Panel& panel = m_panels[std::size_t(i)];
        panel.exporter->setFileStem(stem + QLatin1Char('-') + chartFileKey(AnalysisChart(i)));
        panel.exporter->setEnabled(true);
    }
}

// Charts ------------------------------------------------------------------------------------------

void AnalysisCharts::fillFunnel(const BehaviourAnalysis& a)
{
    QChart* c = chart(AnalysisChart::Funnel);
    resetChart(AnalysisChart::Funnel, tr("Funnel · %1").arg(m_sourceName));
    // Sessions outnumber users many times over: each gets its own axis (users left, sessions right),
    // so that both sets of bars can be read; the bars carry their counts. Two bar series in one chart
    // are drawn side by side.
    auto* users = new QBarSet(tr("Users"));
    auto* sessions = new QBarSet(tr("Sessions"));
    QStringList categories;
    QStringList tips;
    double maxUsers = 0;
    double maxSessions = 0;
    for (std::size_t k = 0; k < kFunnelStages.size(); ++k) {
        users->append(double(a.funnel[k].users));
        sessions->append(double(a.funnel[k].sessions));
        maxUsers = std::max(maxUsers, double(a.funnel[k].users));
        maxSessions = std::max(maxSessions, double(a.funnel[k].sessions));
        const QString stage = behaviourLabel(kFunnelStages[k]);
        if (k == 0) {
            categories << stage.toHtmlEscaped();
            tips << stage;
            continue;
        }
        const QString userShare = percent(a.userConversion(int(k)));
        const QString sessionShare = percent(a.sessionConversion(int(k)));
        // Axis labels are rich text: the conversion in smaller type under the stage.
        categories << tr("<center>%1<br><small>users %2<br>sessions %3</small></center>")
                          .arg(stage.toHtmlEscaped(), userShare.toHtmlEscaped(),
                               sessionShare.toHtmlEscaped());
        tips << tr("%1 (of the stage before: users %2, sessions %3)").arg(stage, userShare, sessionShare);
    }
    auto* userSeries = new QBarSeries;
    userSeries->append(users);
    auto* sessionSeries = new QBarSeries;
    sessionSeries->append(sessions);
    for (QBarSeries* series : {userSeries, sessionSeries}) {
        series->setBarWidth(0.7);
        c->addSeries(series);
        showValues(series);
        showBarTips(series, tips, this);
    }
    users->setColor(kUsersColour);
    sessions->setColor(kSessionsColour);
    auto* stages = new QBarCategoryAxis;
    stages->append(categories);
    c->addAxis(stages, Qt::AlignBottom);
    userSeries->attachAxis(stages);
    sessionSeries->attachAxis(stages);
    QValueAxis* userAxis = countAxis(maxUsers, tr("Users"), 1.1);
    c->addAxis(userAxis, Qt::AlignLeft);
    userSeries->attachAxis(userAxis);
    QValueAxis* sessionAxis = countAxis(maxSessions, tr("Sessions"), 1.1);
    c->addAxis(sessionAxis, Qt::AlignRight);
    sessionSeries->attachAxis(sessionAxis);
    sessionAxis->setGridLineVisible(false); // one grid (the users') is enough
    const QColor sessionText = kSessionsColour.darker(150);
    userAxis->setLabelsColor(kUsersColour.darker(120));
    userAxis->setTitleBrush(kUsersColour.darker(120));
    sessionAxis->setLabelsColor(sessionText);
    sessionAxis->setTitleBrush(sessionText);
    c->legend()->show();
}

void AnalysisCharts::fillHourly(const BehaviourAnalysis& a)
{
    QChart* c = chart(AnalysisChart::Hourly);
    resetChart(AnalysisChart::Hourly, tr("Events by hour of day (UTC) · %1").arg(m_sourceName));
    auto* events = new QBarSet(tr("Events"));
    QStringList hours;
    QStringList tips;
    double max = 0;
    for (std::size_t h = 0; h < a.byHour.size(); ++h) {
        events->append(double(a.byHour[h]));
        max = std::max(max, double(a.byHour[h]));
        const QString hour = QStringLiteral("%1").arg(h, 2, 10, QLatin1Char('0'));
        hours << hour;
        tips << tr("%1:00–%1:59 UTC").arg(hour);
    }
    auto* series = new QBarSeries;
    series->append(events);
    series->setBarWidth(0.8);
    c->addSeries(series);
    auto* axis = new QBarCategoryAxis;
    axis->append(hours);
    axis->setTitleText(tr("Hour (UTC)"));
    c->addAxis(axis, Qt::AlignBottom);
    series->attachAxis(axis);
    QValueAxis* counts = countAxis(max, tr("Events"));
    c->addAxis(counts, Qt::AlignLeft);
    series->attachAxis(counts);
    showBarTips(series, tips, this);
}

void AnalysisCharts::fillDaily(const DailySeries& daily)
{
    QChart* c = chart(AnalysisChart::Daily);
    resetChart(AnalysisChart::Daily, tr("Events per day (UTC) · %1").arg(m_sourceName));
    QStringList notes = {tr("Events per day, UTC.")};
    if (daily.strayBefore > 0 || daily.strayAfter > 0) {
        QStringList stray;
        if (daily.strayBefore > 0)
            stray << tr("%1 from %2 on")
                         .arg(count(double(daily.strayBefore)),
                              dayDate(daily.strayFirstDay).toString(Qt::ISODate));
        if (daily.strayAfter > 0)
            stray << tr("%1 up to %2")
                         .arg(count(double(daily.strayAfter)),
                              dayDate(daily.strayLastDay).toString(Qt::ISODate));
        notes << tr("A few stray events on days far from the rest are left out of the chart (%1); the CSV "
                    "export has every day.")
                     .arg(stray.join(tr(", ")));
    }
    m_panels[std::size_t(AnalysisChart::Daily)].note->setText(notes.join(QLatin1Char(' ')));
    if (daily.values.empty())
        return;
    const double max = *std::max_element(daily.values.begin(), daily.values.end());
    const QDate first = dayDate(daily.firstDay);
    const QDate last = first.addDays(daily.days - 1);

    if (daily.daysPerPoint == 1 && daily.days <= kMaxDailyBars) {
        auto* events = new QBarSet(tr("Events"));
        QStringList days;
        QStringList tips;
        const QString format =
            first.year() == last.year() ? QStringLiteral("MM-dd") : QStringLiteral("yyyy-MM-dd");
        for (std::size_t d = 0; d < daily.values.size(); ++d) {
            events->append(daily.values[d]);
            const QDate date = first.addDays(qint64(d));
            days << date.toString(format);
            tips << date.toString(Qt::ISODate);
        }
        const bool labelled = daily.days <= kMaxLabelledBars;
        auto* series = new QBarSeries;
        series->append(events);
        series->setBarWidth(0.8);
        c->addSeries(series);
        if (labelled)
            showValues(series);
        auto* axis = new QBarCategoryAxis;
        axis->append(days);
        axis->setTitleText(first.year() == last.year() ? tr("Date (%1, UTC)").arg(first.year())
                                                       : tr("Date (UTC)"));
        if (!labelled)
            axis->setLabelsAngle(-90);
        c->addAxis(axis, Qt::AlignBottom);
        series->attachAxis(axis);
        QValueAxis* counts = countAxis(max, tr("Events"), labelled ? 1.1 : 1.0);
        c->addAxis(counts, Qt::AlignLeft);
        series->attachAxis(counts);
        showBarTips(series, tips, this);
        return;
    }

    // Many days: a line, one point per day or per bucket (at the bucket's middle), x in days from
    // the first. Dates label about eight evenly spaced days (all in UTC, whatever the local zone).
    QList<QPointF> points;
    points.reserve(qsizetype(daily.values.size()));
    const double step = double(daily.daysPerPoint);
    const double offset = daily.daysPerPoint > 1 ? step / 2 : 0.0;
    for (std::size_t i = 0; i < daily.values.size(); ++i)
        points.append(QPointF(double(i) * step + offset, daily.values[i]));
    auto* series = new QLineSeries;
    series->setName(daily.daysPerPoint == 1
                        ? tr("Events per day")
                        : tr("Events per day, averaged over %1 days").arg(daily.daysPerPoint));
    series->replace(points);
    c->addSeries(series);
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setRange(0, double(daily.days - 1));
    const qint64 labelStep = std::max<qint64>(1, daily.days / 7);
    for (qint64 d = 0; d <= daily.days - 1 - labelStep / 2; d += labelStep)
        axis->append(first.addDays(d).toString(Qt::ISODate), double(d));
    axis->setTitleText(tr("Date (UTC)"));
    c->addAxis(axis, Qt::AlignBottom);
    series->attachAxis(axis);
    QValueAxis* counts = countAxis(max, tr("Events per day"));
    c->addAxis(counts, Qt::AlignLeft);
    series->attachAxis(counts);
    if (daily.daysPerPoint > 1)
        c->legend()->show();
}

void AnalysisCharts::fillSessionLength(const BehaviourAnalysis& a)
{
    QChart* c = chart(AnalysisChart::SessionLength);
    resetChart(AnalysisChart::SessionLength, tr("Session lengths · %1").arg(m_sourceName));
    auto* sessions = new QBarSet(tr("Sessions"));
    QStringList tips;
    double max = 0;
    for (int b = 0; b < kSessionLengthBins; ++b) {
        const double n = double(a.sessionLength[std::size_t(b)]);
        sessions->append(n);
        max = std::max(max, n);
        tips << (b == 0                       ? tr("1 event")
                 : b + 1 < kSessionLengthBins ? tr("%1 events").arg(b + 1)
                                              : tr("%1 or more events").arg(kSessionLengthBins));
    }
    auto* series = new QBarSeries;
    series->append(sessions);
    series->setBarWidth(0.8);
    c->addSeries(series);
    // Fifty bars: a label at 1 and every fifth length keeps them readable; bars sit at 0..49.
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setRange(-0.5, kSessionLengthBins - 0.5);
    axis->append(sessionLengthLabel(0), 0);
    for (int length = 5; length < kSessionLengthBins; length += 5)
        axis->append(sessionLengthLabel(length - 1), length - 1);
    axis->append(sessionLengthLabel(kSessionLengthBins - 1), kSessionLengthBins - 1);
    axis->setGridLineVisible(false);
    axis->setTitleText(tr("Events in the session"));
    c->addAxis(axis, Qt::AlignBottom);
    series->attachAxis(axis);
    QValueAxis* counts = countAxis(max, tr("Sessions"));
    c->addAxis(counts, Qt::AlignLeft);
    series->attachAxis(counts);
    showBarTips(series, tips, this);
}

void AnalysisCharts::fillBehaviours(const BehaviourAnalysis& a)
{
    QChart* c = chart(AnalysisChart::Behaviours);
    resetChart(AnalysisChart::Behaviours, tr("Events by behaviour · %1").arg(m_sourceName));
    auto* events = new QBarSet(tr("Events"));
    QStringList categories;
    double max = 0;
    // Horizontal bars are drawn bottom-up: add the last behaviour first so View is on top.
    for (auto it = kAllBehaviours.rbegin(); it != kAllBehaviours.rend(); ++it) {
        const double n = double(a.behaviourMix[std::size_t(*it)]);
        events->append(n);
        max = std::max(max, n);
        const double share = a.events > 0 ? n / double(a.events) : 0.0;
        categories << tr("%1 (%2)").arg(behaviourLabel(*it), percent(share));
    }
    auto* series = new QHorizontalBarSeries;
    series->append(events);
    series->setBarWidth(0.6);
    c->addSeries(series);
    showValues(series);
    auto* axis = new QBarCategoryAxis;
    axis->append(categories);
    c->addAxis(axis, Qt::AlignLeft);
    series->attachAxis(axis);
    QValueAxis* counts = countAxis(max, tr("Events"), 1.1);
    c->addAxis(counts, Qt::AlignBottom);
    series->attachAxis(counts);
    showBarTips(series, categories, this);
}

void AnalysisCharts::fillTop(AnalysisChart which, const std::vector<TopEntry>& entries, const QString& what)
{
    QChart* c = chart(which);
    resetChart(which, tr("%1 · %2").arg(what, m_sourceName));
    if (entries.empty()) {
        c->setTitle(tr("%1 · %2: none").arg(what, m_sourceName));
        return;
    }
    // One bar of events per id; buys are far fewer and would not show as bars, so they are in the
    // label (and the tooltip and the CSV).
    auto* events = new QBarSet(tr("Events"));
    QStringList categories;
    QStringList tips;
    double max = 0;
    // Most events on top: horizontal bars are drawn bottom-up.
    for (std::size_t i = entries.size(); i-- > 0;) {
        const TopEntry& e = entries[i];
        events->append(double(e.events));
        max = std::max(max, double(e.events));
        const QString buys = e.buys == 1 ? tr("1 buy") : tr("%1 buys").arg(count(double(e.buys)));
        // The rank keeps the labels unique even where shortened ids would collide.
        categories << tr("%1. %2 · %3").arg(i + 1).arg(shortId(e.id).toHtmlEscaped(), buys);
        tips << tr("%1. %2 (%3)").arg(i + 1).arg(e.id, buys);
    }
    auto* series = new QHorizontalBarSeries;
    series->append(events);
    series->setBarWidth(0.7);
    c->addSeries(series);
    showValues(series);
    auto* axis = new QBarCategoryAxis;
    axis->append(categories);
    c->addAxis(axis, Qt::AlignLeft);
    series->attachAxis(axis);
    QValueAxis* counts = countAxis(max, tr("Events"), 1.1);
    c->addAxis(counts, Qt::AlignBottom);
    series->attachAxis(counts);
    showBarTips(series, tips, this);
}

} // namespace swb

#include "analysepage.h"

#include "pageworkspace.h"

#include "jobprogressrow.h"

#include "messagebar.h"

#include "analysejob.h"
#include "analysischarts.h"
#include "jobrunner.h"

#include <QAction>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include <algorithm>

namespace swb {

namespace {

// Analyses kept for switching back and forth between sources without computing them again.
constexpr std::size_t kCacheSize = 6;

QString count(qint64 n)
{
    return QLocale().toString(n);
}

QString percent(double fraction)
{
    return AnalysePage::tr("%1%").arg(QLocale().toString(fraction * 100.0, 'f', 1));
}

} // namespace

AnalysePage::AnalysePage(QWidget* parent) : QWidget(parent), m_runner(new JobRunner(this))
{
    m_message = new MessageBar(this);
    m_message->setObjectName(QStringLiteral("analyseMessage"));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("analysisSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setTextFormat(Qt::RichText);

    m_placeholder = new QLabel(this);
    m_placeholder->setObjectName(QStringLiteral("analysePlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::PlainText);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_charts = new AnalysisCharts(this);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_charts);
    connect(m_charts, &AnalysisCharts::exported, this, [this](const QString& path) {
        hideMessage();
        emit statusMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)));
    });
    connect(m_charts, &AnalysisCharts::exportFailed, this,
            [this](const QString& text) { showMessage(text, true); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(createSourceRow());
    layout->addWidget(m_message);
    layout->addWidget(m_summary);
    layout->addWidget(m_stack, 1);
    layout->addWidget(createProgressRow());

    m_analyseAction = new QAction(tr("Analyse"), this);
    m_analyseAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_analyseAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_analyseAction);
    m_cancelAction = new QAction(tr("Cancel Analysis"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancelAction->setEnabled(false);
    addAction(m_cancelAction);
    connect(m_analyseAction, &QAction::triggered, this, &AnalysePage::analyse);
    connect(m_cancelAction, &QAction::triggered, this, &AnalysePage::cancel);

    connect(m_runner, &JobRunner::runningChanged, this, &AnalysePage::updateBusy);
    connect(m_runner, &JobRunner::progress, this, &AnalysePage::onProgress);

    setUpTabOrder();
    showPlaceholder(tr("No workspace is open."));
    updateEnabled();
}

AnalysePage::~AnalysePage() = default;

QWidget* AnalysePage::createSourceRow()
{
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_sourceCombo = new AnalysisSourceCombo(row);
    auto* label = new QLabel(tr("&Source:"), row);
    label->setBuddy(m_sourceCombo);
    m_analyseButton = new QPushButton(tr("&Analyse"), row);
    m_analyseButton->setObjectName(QStringLiteral("analyseButton"));
    m_analyseButton->setToolTip(tr("Analyse the chosen dataset or run again (Ctrl+R)"));
    layout->addWidget(label);
    layout->addWidget(m_sourceCombo);
    layout->addWidget(m_analyseButton);
    layout->addStretch(1);
    connect(m_sourceCombo, &QComboBox::currentIndexChanged, this, &AnalysePage::onSourceChanged);
    connect(m_analyseButton, &QPushButton::clicked, this, &AnalysePage::analyse);
    return row;
}

QWidget* AnalysePage::createProgressRow()
{
    m_progressRow = new JobProgressRow(QStringLiteral("analyse"), tr("Stop the analysis (Esc)"), this);
    connect(m_progressRow, &JobProgressRow::cancelRequested, this, &AnalysePage::cancel);
    return m_progressRow;
}

void AnalysePage::setUpTabOrder()
{
    QList<QWidget*> chain = {m_sourceCombo, m_analyseButton, m_charts->tabs()};
    for (int i = 0; i < kAnalysisChartCount; ++i) {
        const QList<QWidget*> buttons =
            m_charts->tabs()->widget(i)->findChildren<QWidget*>(QString(), Qt::FindChildrenRecursively);
        for (QWidget* w : buttons) {
            if (w->focusPolicy() & Qt::TabFocus)
                chain << w;
        }
    }
    chain << m_progressRow->cancelButton();
    for (qsizetype i = 1; i < chain.size(); ++i)
        setTabOrder(chain[i - 1], chain[i]);
}

// Workspace and sources ---------------------------------------------------------------------------

void AnalysePage::setWorkspace(std::shared_ptr<Workspace> workspace)
{
    m_runner->abandon();
    m_runningSource = {};
    m_workspace = std::move(workspace);
    m_cache.clear();
    m_shown.reset();
    m_shownSource = {};
    m_shownKey.clear();
    m_charts->clear();
    // The same choice in the new workspace if it has it; analysed afresh either way.
    const Source previous = currentSource();
    m_sourceCombo->clearSources();
    hideMessage();
    m_summary->clear();
    reload(previous);
}

bool AnalysePage::setWorkspacePath(const QString& path)
{
    return openPageWorkspace(
        path, [this](std::shared_ptr<Workspace> ws) { setWorkspace(std::move(ws)); },
        [this](const QString& message) { showMessage(message, true); });
}

QString AnalysePage::workspacePath() const
{
    return m_workspace ? m_workspace->path() : QString();
}

void AnalysePage::refresh()
{
    reload(currentSource());
}

void AnalysePage::reload(const Source& preferred)
{
    const QString before = m_sourceCombo->currentKey();
    std::vector<DatasetInfo> datasets;
    std::vector<RunInfo> runs;
    if (m_workspace) {
        if (auto listed = m_workspace->datasets())
            datasets = std::move(listed.value());
        else
            showMessage(tr("Cannot list the datasets: %1").arg(listed.error().toString()), true);
        if (auto listed = m_workspace->runs())
            runs = std::move(listed.value());
        else
            showMessage(tr("Cannot list the prepared runs: %1").arg(listed.error().toString()), true);
    }
    // Keep the choice; else what is shown; else the newest dataset.
    m_sourceCombo->setSources(std::move(datasets), std::move(runs), preferred, m_shownSource);
    // What is shown may have been removed (or removed and made again) meanwhile, on the Data or
    // Prepare page or by the CLI.
    if (m_shown && m_sourceCombo->key(m_shownSource) != m_shownKey) {
        m_shown.reset();
        m_shownSource = {};
        m_shownKey.clear();
        m_charts->clear();
        m_summary->clear();
    }
    const QString noWorkspace = tr("No workspace is open.");
    const QString noSource = tr("The workspace has no dataset yet: import a log on the Data page.");
    if (!m_workspace)
        showPlaceholder(noWorkspace);
    else if (!currentSource().isValid())
        showPlaceholder(noSource);
    else if (!m_shown && !isBusy() &&
             (m_placeholder->text() == noWorkspace || m_placeholder->text() == noSource))
        showPlaceholder(tr("Choose a dataset or prepared run to analyse (Ctrl+R)."));
    else if (!m_shown && !isBusy())
        m_stack->setCurrentWidget(m_placeholder); // e.g. what a cancel or an error left there
    if (m_sourceCombo->currentKey() != before)
        requestAnalysis();
    updateEnabled();
}

AnalysePage::Source AnalysePage::currentSource() const
{
    return m_sourceCombo->currentSource();
}

bool AnalysePage::selectSource(const Source& source)
{
    if (!m_sourceCombo->contains(source))
        refresh();
    return m_sourceCombo->selectSource(source);
}

QString AnalysePage::sourceLabel(const Source& source) const
{
    return source.kind == SourceKind::Dataset ? tr("the dataset “%1”").arg(source.name)
                                              : tr("the prepared run “%1”").arg(source.name);
}

// Analysing -----------------------------------------------------------------------------------------

void AnalysePage::onSourceChanged()
{
    hideMessage();
    requestAnalysis();
    updateEnabled();
}

void AnalysePage::requestAnalysis()
{
    const Source source = currentSource();
    const QString key = m_sourceCombo->key(source);
    if (key.isEmpty())
        return;
    if (isVisible())
        m_pending = false;
    if (isBusy() && m_runningSource == source)
        return; // already on its way
    if (m_shown && key == m_shownKey) {
        m_runner->abandon(); // an older choice still running must not replace it
        m_runningSource = {};
        return;
    }
    const auto cached =
        std::find_if(m_cache.begin(), m_cache.end(),
                     [&key](const std::shared_ptr<const AnalyseOutcome>& o) { return o->key == key; });
    if (cached != m_cache.end()) {
        m_runner->abandon();
        m_runningSource = {};
        display(source, *cached);
        return;
    }
    if (!isVisible()) {
        // Analysed when the page is shown: a dataset chosen at start-up is not loaded for nothing.
        m_runner->abandon();
        m_runningSource = {};
        m_pending = true;
        return;
    }
    startAnalysis(source);
}

void AnalysePage::analyse()
{
    const Source source = currentSource();
    if (!m_workspace || !m_sourceCombo->contains(source))
        return;
    startAnalysis(source);
}

void AnalysePage::startAnalysis(const Source& source)
{
    m_pending = false;
    hideMessage();
    if (m_sourceCombo->key(source) != m_shownKey) {
        // Nothing of another source stays on screen under this choice.
        m_shown.reset();
        m_shownSource = {};
        m_shownKey.clear();
        m_charts->clear();
        m_summary->clear();
    }
    showPlaceholder(tr("Analysing %1…").arg(sourceLabel(source)));
    if (m_shown)
        m_stack->setCurrentWidget(m_charts); // the same source again: keep its charts meanwhile

    AnalyseRequest request;
    request.workspacePath = m_workspace->path();
    request.isRun = source.kind == SourceKind::Run;
    request.name = source.name;
    request.key = m_sourceCombo->key(source);
    request.options = m_options;
    request.loadStage = tr("Loading %1").arg(source.name);
    request.prepareStage = tr("Preparing %1 from its stored settings").arg(source.name);
    request.analyseStage = tr("Analysing %1").arg(source.name);
    m_runningSource = source;
    m_runner->start<std::shared_ptr<const AnalyseOutcome>>(
        [request](ProgressSink& progress, const CancelToken& cancel) {
            return runAnalyseJob(request, progress, cancel);
        },
        [this, source](Result<std::shared_ptr<const AnalyseOutcome>> result) {
            onAnalysisDone(source, std::move(result));
        });
    m_progressRow->reset(tr("Analysing %1…").arg(sourceLabel(source)));
    emit statusMessage(tr("Analysing %1…").arg(sourceLabel(source)));
}

void AnalysePage::onAnalysisDone(const Source& source, Result<std::shared_ptr<const AnalyseOutcome>> result)
{
    m_runningSource = {};
    if (!result) {
        const bool kept = m_shown && source == m_shownSource;
        if (result.error().isCancelled()) {
            if (!kept)
                showPlaceholder(
                    tr("The analysis of %1 was cancelled. Press Analyse (Ctrl+R) to start it again.")
                        .arg(sourceLabel(source)));
            else
                m_stack->setCurrentWidget(m_charts);
            emit statusMessage(tr("The analysis was cancelled."));
            emit analysisCancelled();
        } else {
            showMessage(tr("Cannot analyse %1: %2").arg(sourceLabel(source), result.error().toString()),
                        true);
            if (!kept)
                showPlaceholder(tr("No analysis to show."));
            else
                m_stack->setCurrentWidget(m_charts);
            emit analysisFailed(message());
        }
        return;
    }
    std::shared_ptr<const AnalyseOutcome> outcome = std::move(result.value());
    m_cache.erase(std::remove_if(m_cache.begin(), m_cache.end(),
                                 [&outcome](const auto& o) { return o->key == outcome->key; }),
                  m_cache.end());
    m_cache.push_back(outcome);
    if (m_cache.size() > kCacheSize)
        m_cache.erase(m_cache.begin());
    display(source, outcome);
    emit statusMessage(tr("Analysed %1.").arg(sourceLabel(source)));
    emit analysisFinished(source.name);
}

void AnalysePage::display(const Source& source, const std::shared_ptr<const AnalyseOutcome>& outcome)
{
    m_shown = outcome->analysis;
    m_shownSource = source;
    m_shownKey = outcome->key;
    m_charts->setAnalysis(outcome->analysis, outcome->daily, source.name);
    m_summary->setText(summary(source, *outcome));
    m_stack->setCurrentWidget(m_charts);
    updateEnabled();
}

QString AnalysePage::summary(const Source& source, const AnalyseOutcome& outcome) const
{
    const BehaviourAnalysis& a = *outcome.analysis;
    QString from;
    if (a.sessionsFrom == QLatin1String("source"))
        from = tr("from the log's session ids");
    else if (a.sessionsFrom == QLatin1String("gap"))
        from = tr("cut at pauses of more than %1 minutes").arg(m_options.gapSeconds / 60);
    else
        from = tr("as prepared in the run");
    const QString title = source.kind == SourceKind::Dataset
                              ? tr("<b>%1</b>").arg(source.name.toHtmlEscaped())
                              : tr("<b>%1</b> (prepared from %2)")
                                    .arg(source.name.toHtmlEscaped(), outcome.dataset.toHtmlEscaped());
    return tr("%1: %2 events · %3 users · %4 sessions (%5) · %6 buyers · repeat purchase rate %7 (%8 "
              "bought on two or more different days)")
        .arg(title, count(a.events), count(a.users), count(a.sessions), from.toHtmlEscaped(), count(a.buyers),
             percent(a.repeatPurchaseRate()), count(a.repeatBuyers));
}

QString AnalysePage::summaryText() const
{
    return QTextDocumentFragment::fromHtml(m_summary->text()).toPlainText();
}

void AnalysePage::cancel()
{
    if (!isBusy())
        return;
    m_runner->cancel();
    m_progressRow->setCancelling();
}

bool AnalysePage::isBusy() const
{
    return m_runner->isRunning();
}

void AnalysePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // The Data and Prepare pages or the CLI may have added or removed datasets and runs meanwhile.
    refresh();
    if (m_pending)
        requestAnalysis();
}

// State ---------------------------------------------------------------------------------------------

void AnalysePage::showPlaceholder(const QString& text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(m_placeholder);
}

void AnalysePage::updateBusy()
{
    const bool busy = isBusy();
    m_progressRow->setVisible(busy);
    updateEnabled();
    if (busy != m_busy) {
        m_busy = busy;
        emit busyChanged(busy);
    }
}

void AnalysePage::updateEnabled()
{
    const bool canAnalyse = m_workspace && m_sourceCombo->contains(currentSource());
    m_analyseButton->setEnabled(canAnalyse);
    m_analyseAction->setEnabled(canAnalyse);
    m_cancelAction->setEnabled(isBusy());
}

void AnalysePage::onProgress(qint64 done, qint64 total, const QString& stage)
{
    m_progressRow->setProgress(done, total, stage);
}

void AnalysePage::showMessage(const QString& text, bool error)
{
    m_message->showText(text, error);
    emit statusMessage(text);
}

void AnalysePage::hideMessage()
{
    m_message->clearText();
}

QString AnalysePage::message() const
{
    return m_message->shownText();
}

} // namespace swb

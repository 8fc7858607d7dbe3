#include "preparepage.h"

#include "jobrunner.h"

#include "core/prep/preparation.h"

#include <QAction>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCursor>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFont>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimeZone>
#include <QToolTip>
#include <QTreeView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace swb {

namespace {

constexpr std::int64_t kDay = 24 * 60 * 60;
constexpr std::int64_t kPermille = 1000;
// The split days stay at the default of one day for datasets spanning at least this long;
// shorter ones get about kShortSpanShare of their span each, so training keeps most of it.
constexpr std::int64_t kLongSpan = 10 * kDay;
constexpr double kShortSpanShare = 0.1;
constexpr int kDayDecimals = 4;

enum StepColumn
{
    StepName,
    StepRowsIn,
    StepRowsOut,
    StepRemoved,
    StepReasons,
    StepColumnCount
};

enum RunColumn
{
    RunName,
    RunDataset,
    RunCreated,
    RunSessions,
    RunColumnCount
};

QString count(qint64 n)
{
    return QLocale().toString(n);
}

qint64 jsonCount(const QJsonObject& object, const QString& key)
{
    return object.value(key).toInteger();
}

QDateTime utc(std::int64_t ts)
{
    return QDateTime::fromSecsSinceEpoch(ts, QTimeZone::utc());
}

QString utcText(std::int64_t ts)
{
    return utc(ts).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString duration(std::int64_t seconds)
{
    if (seconds >= 2 * kDay)
        return PreparePage::tr("%1 days").arg(QLocale().toString(double(seconds) / double(kDay), 'f', 1));
    if (seconds >= 60 * 60)
        return PreparePage::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    if (seconds >= 60)
        return PreparePage::tr("%1 min").arg(seconds / 60);
    return PreparePage::tr("%1 s").arg(seconds);
}

QString stepLabel(const QString& key)
{
    static const std::map<QString, const char*> labels = {
        {QStringLiteral("clean"), QT_TRANSLATE_NOOP("swb::PreparePage", "Clean")},
        {QStringLiteral("dedup"), QT_TRANSLATE_NOOP("swb::PreparePage", "De-duplicate")},
        {QStringLiteral("sessions"), QT_TRANSLATE_NOOP("swb::PreparePage", "Sessions")},
        {QStringLiteral("filter"), QT_TRANSLATE_NOOP("swb::PreparePage", "Filter")},
        {QStringLiteral("split"), QT_TRANSLATE_NOOP("swb::PreparePage", "Split")},
        {QStringLiteral("features"), QT_TRANSLATE_NOOP("swb::PreparePage", "Features")},
    };
    const auto it = labels.find(key);
    return it == labels.end() ? key : PreparePage::tr(it->second);
}

// Reasons as the report names them (StepReport::removedByReason), in words.
QString reasonLabel(const QString& key)
{
    static const std::map<QString, const char*> labels = {
        {QStringLiteral("missing_user"), QT_TRANSLATE_NOOP("swb::PreparePage", "without user")},
        {QStringLiteral("missing_item"), QT_TRANSLATE_NOOP("swb::PreparePage", "without item")},
        {QStringLiteral("missing_session"), QT_TRANSLATE_NOOP("swb::PreparePage", "without session")},
        {QStringLiteral("unknown_behaviour"), QT_TRANSLATE_NOOP("swb::PreparePage", "unknown behaviour")},
        {QStringLiteral("before_window"), QT_TRANSLATE_NOOP("swb::PreparePage", "before the window")},
        {QStringLiteral("after_window"), QT_TRANSLATE_NOOP("swb::PreparePage", "after the window")},
        {QStringLiteral("exact_duplicate"), QT_TRANSLATE_NOOP("swb::PreparePage", "exact duplicates")},
        {QStringLiteral("repeat_within_window"), QT_TRANSLATE_NOOP("swb::PreparePage", "quick repeats")},
        {QStringLiteral("item_support"), QT_TRANSLATE_NOOP("swb::PreparePage", "rare items")},
        {QStringLiteral("short_session"), QT_TRANSLATE_NOOP("swb::PreparePage", "short sessions")},
        {QStringLiteral("long_session"), QT_TRANSLATE_NOOP("swb::PreparePage", "long sessions")},
        {QStringLiteral("crosses_split_boundary"),
         QT_TRANSLATE_NOOP("swb::PreparePage", "split-crossing sessions")},
    };
    const auto it = labels.find(key);
    return it == labels.end() ? key : PreparePage::tr(it->second);
}

QStandardItem* textItem(const QString& text, const QVariant& sortValue = {})
{
    auto* item = new QStandardItem(text);
    item->setData(sortValue.isValid() ? sortValue : QVariant(text), Qt::UserRole);
    item->setEditable(false);
    return item;
}

QStandardItem* numberItem(qint64 n)
{
    QStandardItem* item = textItem(count(n), n);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// Maps one phase of the job onto its share of one permille bar, so loading, preparing and storing
// fill a single bar. An empty stage keeps the phase's own stage names (prepare's step names).
class PhaseProgress final : public ProgressSink
{
public:
    PhaseProgress(ProgressSink& inner, std::int64_t from, std::int64_t to, QString stage = {})
        : m_inner(inner), m_from(from), m_to(to), m_stage(std::move(stage))
    {}
    void report(std::int64_t done, std::int64_t total, const QString& stage) override
    {
        const double share = total > 0 ? std::clamp(double(done) / double(total), 0.0, 1.0) : 0.0;
        m_inner.report(m_from + std::int64_t(share * double(m_to - m_from)), kPermille,
                       m_stage.isEmpty() ? stage : m_stage);
    }

private:
    ProgressSink& m_inner;
    std::int64_t m_from;
    std::int64_t m_to;
    QString m_stage;
};

QDateTimeEdit* utcEdit(QWidget* parent)
{
    auto* edit = new QDateTimeEdit(parent);
    edit->setTimeSpec(Qt::UTC);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    edit->setCalendarPopup(true);
    edit->setDateTimeRange(QDateTime(QDate(1990, 1, 1), QTime(0, 0), QTimeZone::utc()),
                           QDateTime(QDate(2100, 1, 1), QTime(0, 0), QTimeZone::utc()));
    edit->setEnabled(false);
    return edit;
}

QSpinBox* spinBox(QWidget* parent, int minimum, int maximum, const QString& suffix = {})
{
    auto* spin = new QSpinBox(parent);
    spin->setRange(minimum, maximum);
    spin->setSuffix(suffix);
    spin->setGroupSeparatorShown(true);
    spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    return spin;
}

QDoubleSpinBox* doubleSpinBox(QWidget* parent, double minimum, double maximum, int decimals,
                              const QString& suffix = {})
{
    auto* spin = new QDoubleSpinBox(parent);
    spin->setRange(minimum, maximum);
    spin->setDecimals(decimals);
    spin->setSuffix(suffix);
    spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    return spin;
}

QLabel* hintLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace

PreparePage::PreparePage(QWidget* parent) : QWidget(parent), m_runner(new JobRunner(this))
{
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("prepareMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(createRunsPanel());
    right->addWidget(createReportPanel());
    right->setStretchFactor(0, 0);
    right->setStretchFactor(1, 1);
    right->setSizes({130, 670});

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createForm());
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({400, 900});
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    layout->addWidget(createProgressRow());

    m_runAction = new QAction(tr("Run Preparation"), this);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_runAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_runAction);
    m_cancelAction = new QAction(tr("Cancel Preparation"), this);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancelAction->setEnabled(false);
    addAction(m_cancelAction);
    connect(m_runAction, &QAction::triggered, this, &PreparePage::startRun);
    connect(m_cancelAction, &QAction::triggered, this, &PreparePage::cancelRun);

    connect(m_runner, &JobRunner::runningChanged, this, &PreparePage::updateBusy);
    connect(m_runner, &JobRunner::progress, this, &PreparePage::onProgress);

    setUpTabOrder();
    setConfig(PrepConfig{});
    clearReport();
    updateEnabled();
}

PreparePage::~PreparePage() = default;

void PreparePage::registerSetting(const QString& key, const QString& label, QWidget* widget)
{
    m_settings[key] = Setting{label, widget};
}

QWidget* PreparePage::createForm()
{
    auto* form = new QWidget;
    auto* layout = new QVBoxLayout(form);

    // Dataset
    auto* datasetBox = new QGroupBox(tr("Dataset"), form);
    auto* datasetForm = new QFormLayout(datasetBox);
    m_datasetCombo = new QComboBox(datasetBox);
    m_datasetCombo->setObjectName(QStringLiteral("datasetCombo"));
    m_datasetCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_datasetCombo->setMinimumContentsLength(16);
    auto* datasetLabel = new QLabel(tr("&Dataset:"), datasetBox);
    datasetLabel->setBuddy(m_datasetCombo);
    datasetForm->addRow(datasetLabel, m_datasetCombo);
    m_datasetHint = hintLabel(datasetBox);
    m_datasetHint->setObjectName(QStringLiteral("datasetHint"));
    datasetForm->addRow(m_datasetHint);
    layout->addWidget(datasetBox);
    connect(m_datasetCombo, &QComboBox::currentIndexChanged, this, &PreparePage::onDatasetChanged);

    // 1. Clean
    auto* cleanBox = new QGroupBox(tr("1. Clea&n"), form);
    auto* cleanForm = new QFormLayout(cleanBox);
    m_startCheck = new QCheckBox(tr("Start (UTC):"), cleanBox);
    m_startCheck->setObjectName(QStringLiteral("startCheck"));
    m_startCheck->setToolTip(tr("Remove the events before this time"));
    m_startEdit = utcEdit(cleanBox);
    m_startEdit->setObjectName(QStringLiteral("startEdit"));
    cleanForm->addRow(m_startCheck, m_startEdit);
    m_endCheck = new QCheckBox(tr("End (UTC):"), cleanBox);
    m_endCheck->setObjectName(QStringLiteral("endCheck"));
    m_endCheck->setToolTip(tr("Remove the events at or after this time"));
    m_endEdit = utcEdit(cleanBox);
    m_endEdit->setObjectName(QStringLiteral("endEdit"));
    cleanForm->addRow(m_endCheck, m_endEdit);
    layout->addWidget(cleanBox);
    connect(m_startCheck, &QCheckBox::toggled, m_startEdit, &QWidget::setEnabled);
    connect(m_endCheck, &QCheckBox::toggled, m_endEdit, &QWidget::setEnabled);
    registerSetting(QStringLiteral("clean.start"), tr("Clean › Start"), m_startEdit);
    registerSetting(QStringLiteral("clean.end"), tr("Clean › End"), m_endEdit);

    // 2. De-duplicate
    auto* dedupBox = new QGroupBox(tr("2. De-d&uplicate"), form);
    auto* dedupForm = new QFormLayout(dedupBox);
    m_repeatWindow = spinBox(dedupBox, 0, 7 * int(kDay), tr(" s"));
    m_repeatWindow->setObjectName(QStringLiteral("repeatWindow"));
    m_repeatWindow->setSpecialValueText(tr("off"));
    m_repeatWindow->setToolTip(
        tr("Also remove a repeat of the same user, item and behaviour within this many "
           "seconds (page refreshes). Exact duplicates are always removed."));
    dedupForm->addRow(tr("Repeat window:"), m_repeatWindow);
    layout->addWidget(dedupBox);
    registerSetting(QStringLiteral("dedup.repeat_window_seconds"), tr("De-duplicate › Repeat window"),
                    m_repeatWindow);

    // 3. Sessions
    auto* sessionsBox = new QGroupBox(tr("3. S&essions"), form);
    auto* sessionsForm = new QFormLayout(sessionsBox);
    m_sourceSessions = new QCheckBox(tr("Use the dataset's session ids"), sessionsBox);
    m_sourceSessions->setObjectName(QStringLiteral("sourceSessions"));
    m_sourceSessions->setToolTip(
        tr("Where the log has session ids; otherwise each user's events are cut into "
           "sessions where they pause for longer than the gap"));
    sessionsForm->addRow(m_sourceSessions);
    m_gapMinutes = spinBox(sessionsBox, 1, 7 * 24 * 60, tr(" min"));
    m_gapMinutes->setObjectName(QStringLiteral("gapMinutes"));
    m_gapMinutes->setToolTip(tr("A pause longer than this starts a new session"));
    sessionsForm->addRow(tr("Gap:"), m_gapMinutes);
    layout->addWidget(sessionsBox);
    connect(m_sourceSessions, &QCheckBox::toggled, this, &PreparePage::updateEnabled);
    registerSetting(QStringLiteral("sessions.use_source_sessions"),
                    tr("Sessions › Use the dataset's session ids"), m_sourceSessions);
    registerSetting(QStringLiteral("sessions.gap_minutes"), tr("Sessions › Gap"), m_gapMinutes);

    // 4. Filter
    auto* filterBox = new QGroupBox(tr("4. &Filter"), form);
    auto* filterForm = new QFormLayout(filterBox);
    m_minItemSupport = spinBox(filterBox, 1, 1'000'000, tr(" events"));
    m_minItemSupport->setObjectName(QStringLiteral("minItemSupport"));
    m_minItemSupport->setToolTip(tr("Remove the events of items seen in fewer events than this"));
    filterForm->addRow(tr("Min item support:"), m_minItemSupport);
    m_minSessionLength = spinBox(filterBox, 1, 100'000, tr(" events"));
    m_minSessionLength->setObjectName(QStringLiteral("minSessionLength"));
    m_minSessionLength->setToolTip(tr("Remove sessions shorter than this"));
    filterForm->addRow(tr("Min session length:"), m_minSessionLength);
    m_maxSessionLength = spinBox(filterBox, 0, 1'000'000, tr(" events"));
    m_maxSessionLength->setObjectName(QStringLiteral("maxSessionLength"));
    m_maxSessionLength->setSpecialValueText(tr("none"));
    m_maxSessionLength->setToolTip(tr("Remove sessions longer than this (0: no maximum)"));
    filterForm->addRow(tr("Max session length:"), m_maxSessionLength);
    m_iterate = new QCheckBox(tr("Repeat until nothing changes"), filterBox);
    m_iterate->setObjectName(QStringLiteral("iterate"));
    m_iterate->setToolTip(tr("Removing rare items shortens sessions and removing short sessions makes items "
                             "rarer: repeat both until the data is stable"));
    filterForm->addRow(m_iterate);
    layout->addWidget(filterBox);
    registerSetting(QStringLiteral("filter.min_item_support"), tr("Filter › Min item support"),
                    m_minItemSupport);
    registerSetting(QStringLiteral("filter.min_session_length"), tr("Filter › Min session length"),
                    m_minSessionLength);
    registerSetting(QStringLiteral("filter.max_session_length"), tr("Filter › Max session length"),
                    m_maxSessionLength);
    registerSetting(QStringLiteral("filter.iterate"), tr("Filter › Repeat until nothing changes"), m_iterate);

    // 5. Split
    auto* splitBox = new QGroupBox(tr("5. S&plit"), form);
    auto* splitForm = new QFormLayout(splitBox);
    m_splitMethod = new QComboBox(splitBox);
    m_splitMethod->setObjectName(QStringLiteral("splitMethod"));
    m_splitMethod->addItem(tr("Temporal (last days)"), int(SplitMethod::Temporal));
    m_splitMethod->addItem(tr("Last session per user"), int(SplitMethod::LastSessionPerUser));
    m_splitMethod->addItem(tr("Random sessions"), int(SplitMethod::RandomSession));
    splitForm->addRow(tr("Method:"), m_splitMethod);
    // What the method does (and why the days are what they are) right under it, in view.
    m_splitHint = hintLabel(splitBox);
    m_splitHint->setObjectName(QStringLiteral("splitHint"));
    splitForm->addRow(m_splitHint);
    m_testDays = doubleSpinBox(splitBox, 0, 3650, kDayDecimals, tr(" days"));
    m_testDays->setObjectName(QStringLiteral("testDays"));
    m_testDays->setToolTip(tr("Sessions starting in the last this many days are the test split "
                              "(fractions allowed: 0.25 is six hours)"));
    splitForm->addRow(tr("Test:"), m_testDays);
    m_validationDays = doubleSpinBox(splitBox, 0, 3650, kDayDecimals, tr(" days"));
    m_validationDays->setObjectName(QStringLiteral("validationDays"));
    m_validationDays->setToolTip(tr("Sessions starting in this many days before the test split are the "
                                    "validation split (0: none)"));
    splitForm->addRow(tr("Validation:"), m_validationDays);
    m_testFraction = doubleSpinBox(splitBox, 0, 0.99, 3);
    m_testFraction->setObjectName(QStringLiteral("testFraction"));
    m_testFraction->setSingleStep(0.05);
    m_testFraction->setToolTip(tr("Share of the sessions drawn at random for the test split"));
    splitForm->addRow(tr("Test fraction:"), m_testFraction);
    m_validationFraction = doubleSpinBox(splitBox, 0, 0.99, 3);
    m_validationFraction->setObjectName(QStringLiteral("validationFraction"));
    m_validationFraction->setSingleStep(0.05);
    m_validationFraction->setToolTip(tr("Share of the sessions drawn at random for the validation split"));
    splitForm->addRow(tr("Validation fraction:"), m_validationFraction);
    m_seed = spinBox(splitBox, 0, std::numeric_limits<int>::max());
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setGroupSeparatorShown(false);
    m_seed->setToolTip(tr("The same seed draws the same sessions"));
    splitForm->addRow(tr("Seed:"), m_seed);
    layout->addWidget(splitBox);
    connect(m_splitMethod, &QComboBox::currentIndexChanged, this, &PreparePage::updateEnabled);
    registerSetting(QStringLiteral("split.method"), tr("Split › Method"), m_splitMethod);
    registerSetting(QStringLiteral("split.test_days"), tr("Split › Test days"), m_testDays);
    registerSetting(QStringLiteral("split.validation_days"), tr("Split › Validation days"), m_validationDays);
    registerSetting(QStringLiteral("split.test_fraction"), tr("Split › Test fraction"), m_testFraction);
    registerSetting(QStringLiteral("split.validation_fraction"), tr("Split › Validation fraction"),
                    m_validationFraction);
    registerSetting(QStringLiteral("split.seed"), tr("Split › Seed"), m_seed);

    // 6. Features
    auto* featuresBox = new QGroupBox(tr("6. Fea&tures"), form);
    auto* featuresForm = new QFormLayout(featuresBox);
    m_scaling = new QComboBox(featuresBox);
    m_scaling->setObjectName(QStringLiteral("scaling"));
    m_scaling->addItem(tr("Min-max (0 to 1)"), int(Scaling::MinMax));
    m_scaling->addItem(tr("Z-score (mean 0, deviation 1)"), int(Scaling::ZScore));
    m_scaling->setToolTip(tr("Fitted on the training split only"));
    featuresForm->addRow(tr("Scaling:"), m_scaling);
    layout->addWidget(featuresBox);
    registerSetting(QStringLiteral("features.scaling"), tr("Features › Scaling"), m_scaling);
    layout->addStretch(1);

    for (QFormLayout* f :
         {datasetForm, cleanForm, dedupForm, sessionsForm, filterForm, splitForm, featuresForm})
        f->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_formArea = new QScrollArea(this);
    m_formArea->setObjectName(QStringLiteral("prepareForm"));
    m_formArea->setWidget(form);
    m_formArea->setWidgetResizable(true);
    m_formArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_formArea->setFrameShape(QFrame::NoFrame);
    m_formArea->setMinimumWidth(form->sizeHint().width() + 24);

    // Run name and Run below the scrolling settings, always in view.
    auto* runRow = new QWidget(this);
    auto* runLayout = new QHBoxLayout(runRow);
    runLayout->setContentsMargins(9, 0, 9, 0);
    m_runNameEdit = new QLineEdit(runRow);
    m_runNameEdit->setObjectName(QStringLiteral("runName"));
    m_runNameEdit->setClearButtonEnabled(true);
    auto* runNameLabel = new QLabel(tr("Run na&me:"), runRow);
    runNameLabel->setBuddy(m_runNameEdit);
    m_runButton = new QPushButton(tr("&Run"), runRow);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setToolTip(tr("Prepare the dataset with these settings and store the run (Ctrl+R)"));
    m_runButton->setDefault(true);
    runLayout->addWidget(runNameLabel);
    runLayout->addWidget(m_runNameEdit, 1);
    runLayout->addWidget(m_runButton);
    connect(m_runNameEdit, &QLineEdit::textEdited, this, [this]() { m_runNameEdited = true; });
    connect(m_runNameEdit, &QLineEdit::returnPressed, this, &PreparePage::startRun);
    connect(m_runButton, &QPushButton::clicked, this, &PreparePage::startRun);
    registerSetting(QStringLiteral("run.name"), tr("Run name"), m_runNameEdit);

    auto* panel = new QWidget(this);
    auto* panelLayout = new QVBoxLayout(panel);
    panelLayout->setContentsMargins(0, 0, 0, 0);
    panelLayout->addWidget(m_formArea, 1);
    panelLayout->addWidget(runRow);
    return panel;
}

QWidget* PreparePage::createRunsPanel()
{
    auto* box = new QGroupBox(tr("Stored runs"), this);
    auto* layout = new QVBoxLayout(box);
    m_runsModel = new QStandardItemModel(0, RunColumnCount, this);
    m_runsModel->setHorizontalHeaderLabels({tr("Name"), tr("Dataset"), tr("Created"), tr("Sessions")});
    m_runsModel->setSortRole(Qt::UserRole);
    m_runsView = new QTreeView(box);
    m_runsView->setObjectName(QStringLiteral("runsView"));
    m_runsView->setModel(m_runsModel);
    m_runsView->setRootIsDecorated(false);
    m_runsView->setUniformRowHeights(true);
    m_runsView->setAlternatingRowColors(true);
    m_runsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runsView->setSortingEnabled(true);
    m_runsView->sortByColumn(RunCreated, Qt::AscendingOrder);
    m_runsView->header()->setStretchLastSection(false);
    m_runsView->header()->setSectionResizeMode(RunName, QHeaderView::Stretch);
    m_runsView->setColumnWidth(RunDataset, 200);
    m_runsView->setColumnWidth(RunCreated, 140);
    m_runsView->setColumnWidth(RunSessions, 90);
    layout->addWidget(m_runsView, 1);

    auto* buttons = new QHBoxLayout;
    auto* hint = hintLabel(box);
    hint->setText(tr("Select a run to see its report."));
    buttons->addWidget(hint, 1);
    m_removeButton = new QPushButton(tr("Remo&ve…"), box);
    m_removeButton->setObjectName(QStringLiteral("removeRunButton"));
    m_removeButton->setToolTip(tr("Remove the selected run from the workspace (Delete)"));
    buttons->addWidget(m_removeButton);
    layout->addLayout(buttons);

    auto* removeAction = new QAction(tr("Remove Run"), m_runsView);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    m_runsView->addAction(removeAction);
    m_runsView->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(removeAction, &QAction::triggered, this, &PreparePage::confirmRemoveSelected);
    connect(m_removeButton, &QPushButton::clicked, this, &PreparePage::confirmRemoveSelected);
    connect(m_runsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PreparePage::onRunSelected);
    return box;
}

QWidget* PreparePage::createReportPanel()
{
    auto* box = new QGroupBox(tr("Report"), this);
    auto* layout = new QVBoxLayout(box);
    m_reportTitle = new QLabel(box);
    m_reportTitle->setObjectName(QStringLiteral("reportTitle"));
    m_reportTitle->setWordWrap(true);
    m_reportTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_reportTitle);
    m_reportTabs = new QTabWidget(box);
    m_reportTabs->setObjectName(QStringLiteral("reportTabs"));
    m_reportTabs->addTab(createStepsTab(), tr("Steps"));
    m_reportTabs->addTab(createSplitTab(), tr("Split"));
    m_reportTabs->addTab(createConfigTab(), tr("Settings (JSON)"));
    layout->addWidget(m_reportTabs, 1);
    return box;
}

QWidget* PreparePage::createStepsTab()
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

QWidget* PreparePage::createSplitTab()
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

QWidget* PreparePage::createConfigTab()
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
    connect(m_copyButton, &QPushButton::clicked, this, &PreparePage::copyConfig);
    connect(m_useSettingsButton, &QPushButton::clicked, this, &PreparePage::useShownSettings);
    return tab;
}

QWidget* PreparePage::createProgressRow()
{
    m_progressRow = new QWidget(this);
    auto* layout = new QHBoxLayout(m_progressRow);
    layout->setContentsMargins(0, 0, 0, 0);
    m_progressLabel = new QLabel(m_progressRow);
    m_progressLabel->setObjectName(QStringLiteral("prepareProgressLabel"));
    m_progressBar = new QProgressBar(m_progressRow);
    m_progressBar->setObjectName(QStringLiteral("prepareProgressBar"));
    m_cancelButton = new QPushButton(tr("Cancel"), m_progressRow);
    m_cancelButton->setObjectName(QStringLiteral("prepareCancelButton"));
    m_cancelButton->setToolTip(tr("Stop the preparation; nothing is stored (Esc)"));
    layout->addWidget(m_progressLabel, 1);
    layout->addWidget(m_progressBar, 2);
    layout->addWidget(m_cancelButton);
    connect(m_cancelButton, &QPushButton::clicked, this, &PreparePage::cancelRun);
    m_progressRow->hide();
    return m_progressRow;
}

void PreparePage::setUpTabOrder()
{
    // clang-format off
    const QList<QWidget*> chain = {
        m_datasetCombo, m_startCheck, m_startEdit, m_endCheck, m_endEdit, m_repeatWindow, m_sourceSessions,
        m_gapMinutes, m_minItemSupport, m_minSessionLength, m_maxSessionLength, m_iterate, m_splitMethod,
        m_testDays, m_validationDays, m_testFraction, m_validationFraction, m_seed, m_scaling, m_runNameEdit,
        m_runButton, m_runsView, m_removeButton, m_reportTabs, m_stepsView, m_splitView, m_configText,
        m_useSettingsButton, m_copyButton, m_cancelButton};
    // clang-format on
    for (qsizetype i = 1; i < chain.size(); ++i)
        setTabOrder(chain[i - 1], chain[i]);
}

// Workspace and lists ---------------------------------------------------------------------------

void PreparePage::setWorkspace(std::shared_ptr<Workspace> workspace)
{
    // A preparation for the old workspace is dropped (and, being cancelled, stores nothing).
    m_runner->abandon();
    m_workspace = std::move(workspace);
    m_datasets.clear();
    m_runs.clear();
    m_prefilledDataset.clear();
    m_runNameEdited = false;
    hideMessage();
    clearReport();
    refresh();
}

bool PreparePage::setWorkspacePath(const QString& path)
{
    auto opened = Workspace::open(path);
    if (!opened) {
        showMessage(tr("Cannot open the workspace %1: %2").arg(path, opened.error().toString()), true);
        return false;
    }
    setWorkspace(std::shared_ptr<Workspace>(std::move(opened.value())));
    return true;
}

QString PreparePage::workspacePath() const
{
    return m_workspace ? m_workspace->path() : QString();
}

void PreparePage::refresh()
{
    refreshDatasets();
    refreshRuns();
    if (!m_runNameEdited)
        setDefaultRunName();
    updateEnabled();
}

void PreparePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // The Data page or the CLI may have added or removed datasets and runs meanwhile.
    refresh();
}

void PreparePage::refreshDatasets()
{
    m_datasets.clear();
    if (m_workspace) {
        auto datasets = m_workspace->datasets();
        if (datasets)
            m_datasets = std::move(datasets.value());
        else
            showMessage(tr("Cannot list the datasets: %1").arg(datasets.error().toString()), true);
    }
    const QString current = currentDataset();
    {
        const QSignalBlocker blocker(m_datasetCombo);
        m_datasetCombo->clear();
        for (const DatasetInfo& info : m_datasets) {
            m_datasetCombo->addItem(info.name, info.name);
            m_datasetCombo->setItemData(
                m_datasetCombo->count() - 1,
                tr("%1 events, imported %2").arg(count(info.summary.events), info.createdAt),
                Qt::ToolTipRole);
        }
        int index = m_datasetCombo->findData(current);
        if (index < 0)
            index = m_datasetCombo->count() - 1; // the newest
        m_datasetCombo->setCurrentIndex(index);
    }
    onDatasetChanged();
}

void PreparePage::refreshRuns()
{
    m_runs.clear();
    if (m_workspace) {
        auto runs = m_workspace->runs();
        if (runs)
            m_runs = std::move(runs.value());
        else
            showMessage(tr("Cannot list the runs: %1").arg(runs.error().toString()), true);
    }
    {
        const QSignalBlocker blocker(m_runsView->selectionModel());
        m_runsModel->removeRows(0, m_runsModel->rowCount());
        for (const RunInfo& run : m_runs) {
            QDateTime created = QDateTime::fromString(run.createdAt, Qt::ISODate);
            const QString createdText =
                created.isValid() ? created.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                  : run.createdAt;
            QStandardItem* createdItem = textItem(createdText, qlonglong(run.id)); // ids grow with time
            createdItem->setToolTip(run.createdAt);
            m_runsModel->appendRow({textItem(run.name), textItem(run.dataset), createdItem,
                                    numberItem(jsonCount(run.report, QStringLiteral("sessions")))});
        }
    }
    if (!m_shownRun.isEmpty() && !runInfo(m_shownRun)) {
        clearReport();
        return;
    }
    // Select the shown run again without re-rendering it.
    const QSignalBlocker blocker(m_runsView->selectionModel());
    for (int row = 0; row < m_runsModel->rowCount(); ++row) {
        if (m_runsModel->item(row, RunName)->text() == m_shownRun) {
            m_runsView->selectionModel()->setCurrentIndex(m_runsModel->index(row, RunName),
                                                          QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
        }
    }
}

const DatasetInfo* PreparePage::datasetInfo(const QString& name) const
{
    for (const DatasetInfo& info : m_datasets) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

const RunInfo* PreparePage::runInfo(const QString& name) const
{
    for (const RunInfo& run : m_runs) {
        if (run.name == name)
            return &run;
    }
    return nullptr;
}

QString PreparePage::currentDataset() const
{
    return m_datasetCombo->currentData().toString();
}

bool PreparePage::selectDataset(const QString& name)
{
    const int index = m_datasetCombo->findData(name);
    if (index < 0)
        return false;
    m_datasetCombo->setCurrentIndex(index);
    return true;
}

void PreparePage::onDatasetChanged()
{
    const QString name = currentDataset();
    const DatasetInfo* info = datasetInfo(name);
    if (!info) {
        m_datasetHint->setText(m_workspace
                                   ? tr("The workspace has no dataset yet: import a log on the Data page.")
                                   : tr("No workspace is open."));
        m_prefilledDataset.clear();
        m_daysNote.clear();
    } else {
        const DatasetSummary& s = info->summary;
        QString hint =
            tr("%1 events, %2 users, %3 items\nfrom %4 to %5 UTC")
                .arg(count(s.events), count(s.users), count(s.items), utcText(s.firstTs), utcText(s.lastTs));
        if (s.sessions == 0)
            hint += QLatin1Char('\n') + tr("The log has no session ids: sessions are cut at pauses.");
        m_datasetHint->setText(hint);
        if (name != m_prefilledDataset)
            prefillFromDataset(*info);
    }
    if (!m_runNameEdited)
        setDefaultRunName();
    updateEnabled();
}

void PreparePage::prefillFromDataset(const DatasetInfo& info)
{
    m_prefilledDataset = info.name;
    const DatasetSummary& s = info.summary;
    // The time window starts out as the whole dataset; the bounds only apply once ticked.
    m_startCheck->setChecked(false);
    m_endCheck->setChecked(false);
    m_startEdit->setDateTime(utc(s.firstTs));
    m_endEdit->setDateTime(utc(s.lastTs + 1)); // the end is exclusive
    const std::int64_t span = std::max<std::int64_t>(0, s.lastTs - s.firstTs);
    double days = 1.0;
    if (span >= kLongSpan) {
        m_daysNote = tr("The dataset spans %1: the last day is the test split, the day before it validation.")
                         .arg(duration(span));
    } else {
        const double scale = std::pow(10.0, kDayDecimals);
        days =
            std::max(1.0 / scale, std::round(double(span) * kShortSpanShare / double(kDay) * scale) / scale);
        m_daysNote = tr("The dataset spans only %1, so test and validation are set to about 10% of it each "
                        "(%2) instead of one day, which would leave nothing for training.")
                         .arg(duration(span), duration(std::llround(days * double(kDay))));
    }
    m_testDays->setValue(days);
    m_validationDays->setValue(days);
    updateSplitHint();
}

QString PreparePage::defaultRunName() const
{
    const QString dataset = currentDataset();
    if (!m_workspace || dataset.isEmpty())
        return {};
    return m_workspace->uniqueRunName(dataset + QStringLiteral("-prep"));
}

void PreparePage::setDefaultRunName()
{
    m_runNameEdit->setText(defaultRunName());
    m_runNameEdited = false;
}

QString PreparePage::runName() const
{
    return m_runNameEdit->text().trimmed();
}

void PreparePage::setRunName(const QString& name)
{
    m_runNameEdit->setText(name);
    m_runNameEdited = true;
}

// The form ---------------------------------------------------------------------------------------

PrepConfig PreparePage::config() const
{
    PrepConfig c;
    if (m_startCheck->isChecked())
        c.start = m_startEdit->dateTime().toSecsSinceEpoch();
    if (m_endCheck->isChecked())
        c.end = m_endEdit->dateTime().toSecsSinceEpoch();
    c.repeatWindowSeconds = m_repeatWindow->value();
    c.useSourceSessions = m_sourceSessions->isChecked();
    c.gapSeconds = std::int64_t(m_gapMinutes->value()) * 60;
    c.minItemSupport = m_minItemSupport->value();
    c.minSessionLength = m_minSessionLength->value();
    c.maxSessionLength = m_maxSessionLength->value();
    c.iterate = m_iterate->isChecked();
    c.split = SplitMethod(m_splitMethod->currentData().toInt());
    c.testDays = m_testDays->value();
    c.validationDays = m_validationDays->value();
    c.testFraction = m_testFraction->value();
    c.validationFraction = m_validationFraction->value();
    c.seed = std::uint64_t(m_seed->value());
    c.scaling = Scaling(m_scaling->currentData().toInt());
    return c;
}

void PreparePage::setConfig(const PrepConfig& c)
{
    m_startCheck->setChecked(c.start.has_value());
    if (c.start)
        m_startEdit->setDateTime(utc(*c.start));
    m_endCheck->setChecked(c.end.has_value());
    if (c.end)
        m_endEdit->setDateTime(utc(*c.end));
    m_repeatWindow->setValue(
        int(std::clamp<std::int64_t>(c.repeatWindowSeconds, 0, m_repeatWindow->maximum())));
    m_sourceSessions->setChecked(c.useSourceSessions);
    m_gapMinutes->setValue(
        int(std::clamp<std::int64_t>((c.gapSeconds + 30) / 60, 1, m_gapMinutes->maximum())));
    m_minItemSupport->setValue(
        int(std::clamp<std::int64_t>(c.minItemSupport, 1, m_minItemSupport->maximum())));
    m_minSessionLength->setValue(
        int(std::clamp<std::int64_t>(c.minSessionLength, 1, m_minSessionLength->maximum())));
    m_maxSessionLength->setValue(
        int(std::clamp<std::int64_t>(c.maxSessionLength, 0, m_maxSessionLength->maximum())));
    m_iterate->setChecked(c.iterate);
    m_splitMethod->setCurrentIndex(std::max(0, m_splitMethod->findData(int(c.split))));
    m_testDays->setValue(c.testDays);
    m_validationDays->setValue(c.validationDays);
    m_testFraction->setValue(c.testFraction);
    m_validationFraction->setValue(c.validationFraction);
    m_seed->setValue(int(std::min<std::uint64_t>(c.seed, std::uint64_t(m_seed->maximum()))));
    m_scaling->setCurrentIndex(std::max(0, m_scaling->findData(int(c.scaling))));
    updateEnabled();
}

void PreparePage::updateEnabled()
{
    const bool busy = isBusy();
    const DatasetInfo* info = datasetInfo(currentDataset());
    const bool hasSessions = !info || info->summary.sessions > 0;
    m_gapMinutes->setEnabled(!m_sourceSessions->isChecked() || !hasSessions);

    const auto method = SplitMethod(m_splitMethod->currentData().toInt());
    for (QWidget* w : {static_cast<QWidget*>(m_testDays), static_cast<QWidget*>(m_validationDays)})
        w->setEnabled(method == SplitMethod::Temporal);
    for (QWidget* w : {static_cast<QWidget*>(m_testFraction), static_cast<QWidget*>(m_validationFraction),
                       static_cast<QWidget*>(m_seed)})
        w->setEnabled(method == SplitMethod::RandomSession);
    updateSplitHint();

    m_formArea->setEnabled(!busy);
    m_runNameEdit->setEnabled(!busy);
    const bool canRun = !busy && m_workspace && info;
    m_runButton->setEnabled(canRun);
    m_runAction->setEnabled(canRun);
    m_cancelAction->setEnabled(busy);
    const bool runSelected = m_runsView->selectionModel()->hasSelection();
    m_removeButton->setEnabled(!busy && runSelected);
    m_useSettingsButton->setEnabled(!busy && !m_shownRun.isEmpty());
    m_copyButton->setEnabled(!m_shownRun.isEmpty());
}

void PreparePage::updateSplitHint()
{
    switch (SplitMethod(m_splitMethod->currentData().toInt())) {
    case SplitMethod::Temporal:
        m_splitHint->setText(
            m_daysNote.isEmpty()
                ? tr("Sessions are assigned by their start on one timeline: the last days are "
                     "the test split, the days before them validation.")
                : m_daysNote);
        break;
    case SplitMethod::LastSessionPerUser:
        m_splitHint->setText(tr("Each user's last session is the test split and the one before it validation "
                                "(users with at least three sessions)."));
        break;
    case SplitMethod::RandomSession:
        m_splitHint->setText(tr("Sessions are drawn at random by the fractions; the same seed draws the same "
                                "sessions."));
        break;
    }
}

// Running ----------------------------------------------------------------------------------------

bool PreparePage::isBusy() const
{
    return m_runner->isRunning();
}

void PreparePage::startRun()
{
    if (isBusy())
        return;
    hideMessage();
    if (!m_workspace) {
        showMessage(tr("No workspace is open."), true);
        return;
    }
    const QString dataset = currentDataset();
    if (!datasetInfo(dataset)) {
        showMessage(tr("Choose a dataset to prepare (import one on the Data page)."), true);
        return;
    }
    const QString name = runName();
    const QString nameKey = QStringLiteral("run.name");
    if (name.isEmpty()) {
        showSettingError(Error{ErrorCode::InvalidArgument, tr("give the run a name"), {}, 0, 0, nameKey});
        return;
    }
    if (m_workspace->run(name)) {
        showSettingError(
            Error{ErrorCode::InvalidArgument,
                  tr("a run named “%1” already exists; choose another name or remove it first").arg(name),
                  {},
                  0,
                  0,
                  nameKey});
        return;
    }
    const PrepConfig config = this->config();
    if (Status valid = config.validate(); !valid) {
        showSettingError(valid.error());
        emit runFailed(message());
        return;
    }

    m_runningName = name;
    const QString path = m_workspace->path();
    const QString loadStage = tr("Loading %1").arg(dataset);
    const QString storeStage = tr("Storing %1").arg(name);
    m_runner->start<RunInfo>(
        [path, dataset, name, config, loadStage, storeStage](ProgressSink& progress,
                                                             const CancelToken& cancel) -> Result<RunInfo> {
            auto workspace = Workspace::open(path);
            if (!workspace)
                return workspace.error();
            // Loading takes about a third of the time, the six steps most of the rest.
            PhaseProgress loading(progress, 0, 300, loadStage);
            auto table = workspace.value()->loadDataset(dataset, loading, cancel);
            if (!table)
                return table.error();
            if (cancel.isCancelled())
                return cancelledError();
            PhaseProgress preparing(progress, 300, 950);
            auto prepared = prepare(std::shared_ptr<const EventTable>(std::move(table.value())), config,
                                    preparing, cancel);
            if (!prepared)
                return prepared.error();
            const QJsonObject report = toJson(prepared.value());
            // The last moment a cancel is heeded: from here on the run is stored in one transaction.
            if (cancel.isCancelled())
                return cancelledError();
            progress.report(950, kPermille, storeStage);
            return workspace.value()->storeRun(name, dataset, report);
        },
        [this](Result<RunInfo> result) { onRunDone(std::move(result)); });
    emit statusMessage(tr("Preparing “%1”…").arg(dataset));
}

void PreparePage::onRunDone(Result<RunInfo> result)
{
    const QString name = m_runningName;
    m_runningName.clear();
    if (!result) {
        if (result.error().isCancelled()) {
            showMessage(tr("The preparation of “%1” was cancelled; nothing was stored.").arg(name), false);
            emit runCancelled();
        } else {
            showSettingError(result.error());
            emit runFailed(message());
        }
        return;
    }
    const RunInfo& run = result.value();
    refreshRuns();
    showRun(run.name);
    setDefaultRunName();
    const QString text = tr("Stored the run “%1”: %2 events in %3 sessions.")
                             .arg(run.name, count(jsonCount(run.report, QStringLiteral("events"))),
                                  count(jsonCount(run.report, QStringLiteral("sessions"))));
    emit statusMessage(text);
    emit runFinished(run.name);
}

void PreparePage::cancelRun()
{
    if (!isBusy())
        return;
    m_runner->cancel();
    m_cancelButton->setEnabled(false);
    m_progressLabel->setText(tr("Cancelling…"));
}

void PreparePage::updateBusy()
{
    const bool busy = isBusy();
    if (busy && !m_busy) {
        m_progressBar->setRange(0, 0);
        m_progressLabel->setText(tr("Working…"));
        m_cancelButton->setEnabled(true);
    }
    m_progressRow->setVisible(busy);
    updateEnabled();
    if (busy != m_busy) {
        m_busy = busy;
        emit busyChanged(busy);
    }
}

void PreparePage::onProgress(qint64 done, qint64 total, const QString& stage)
{
    if (!m_cancelButton->isEnabled())
        return; // cancelling: keep saying so
    m_progressLabel->setText(stage);
    if (total <= 0) {
        m_progressBar->setRange(0, 0);
        return;
    }
    m_progressBar->setRange(0, int(kPermille));
    m_progressBar->setValue(int(double(kPermille) * double(done) / double(total)));
}

// Stored runs ------------------------------------------------------------------------------------

void PreparePage::onRunSelected()
{
    const QModelIndexList rows = m_runsView->selectionModel()->selectedRows(RunName);
    if (rows.isEmpty()) {
        updateEnabled();
        return;
    }
    if (const RunInfo* run = runInfo(rows.constFirst().data().toString()))
        showReport(*run);
}

bool PreparePage::showRun(const QString& name)
{
    if (!runInfo(name))
        refreshRuns();
    if (!runInfo(name))
        return false;
    for (int row = 0; row < m_runsModel->rowCount(); ++row) {
        if (m_runsModel->item(row, RunName)->text() == name) {
            m_runsView->selectionModel()->setCurrentIndex(m_runsModel->index(row, RunName),
                                                          QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
            m_runsView->scrollTo(m_runsModel->index(row, RunName));
        }
    }
    if (m_shownRun != name) // already selected: show it anyway
        showReport(*runInfo(name));
    return true;
}

void PreparePage::confirmRemoveSelected()
{
    const QModelIndexList rows = m_runsView->selectionModel()->selectedRows(RunName);
    if (rows.isEmpty() || isBusy())
        return;
    const QString name = rows.constFirst().data().toString();
    QMessageBox box(
        QMessageBox::Question, tr("Remove Run"),
        tr("Remove the run “%1” and its report from the workspace? The dataset stays. This cannot "
           "be undone.")
            .arg(name),
        QMessageBox::Cancel, this);
    QPushButton* remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == remove)
        removeRun(name);
}

void PreparePage::removeRun(const QString& name)
{
    if (!m_workspace || isBusy())
        return;
    const QString path = m_workspace->path();
    const QString stage = tr("Removing %1").arg(name);
    // A worker of its own like every write, so the GUI's connection never waits on a lock.
    m_runner->start<bool>(
        [path, name, stage](ProgressSink& progress, const CancelToken&) -> Result<bool> {
            progress.report(0, 0, stage);
            auto workspace = Workspace::open(path);
            if (!workspace)
                return workspace.error();
            if (Status s = workspace.value()->removeRun(name); !s)
                return s.error();
            return true;
        },
        [this, name](Result<bool> result) {
            if (!result) {
                showMessage(tr("Cannot remove the run “%1”: %2").arg(name, result.error().toString()), true);
                return;
            }
            if (m_shownRun == name)
                clearReport();
            refreshRuns();
            if (!m_runNameEdited)
                setDefaultRunName();
            updateEnabled();
            emit statusMessage(tr("Removed the run “%1”").arg(name));
            emit runRemoved(name);
        });
}

// The report -------------------------------------------------------------------------------------

void PreparePage::clearReport()
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
    updateEnabled();
}

void PreparePage::showReport(const RunInfo& run)
{
    clearReport();
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
    updateEnabled();
}

void PreparePage::fillSteps(const QJsonObject& report)
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

void PreparePage::fillChart(const QJsonObject& report)
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

void PreparePage::fillSplit(const QJsonObject& report)
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

void PreparePage::copyConfig()
{
    if (m_shownRun.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_configText->toPlainText());
    emit statusMessage(tr("Copied the settings of “%1” as JSON.").arg(m_shownRun));
}

void PreparePage::useShownSettings()
{
    const RunInfo* run = runInfo(m_shownRun);
    if (!run || isBusy())
        return;
    auto config = PrepConfig::fromJson(m_shownConfig);
    if (!config) {
        showMessage(tr("The settings of “%1” cannot be read: %2").arg(run->name, config.error().toString()),
                    true);
        return;
    }
    selectDataset(run->dataset); // pre-fills for the dataset first, the run's settings then win
    setConfig(config.value());
    emit statusMessage(tr("The form now holds the settings of “%1”.").arg(run->name));
}

// Messages ---------------------------------------------------------------------------------------

void PreparePage::showSettingError(const Error& error)
{
    QString text = error.message;
    if (error.field.isEmpty()) {
        showMessage(tr("The preparation failed: %1").arg(error.toString()), true);
        return;
    }
    // Core messages start with the setting's JSON path; say it once, with the form's name for it.
    const QString prefix = error.field + QStringLiteral(": ");
    if (text.startsWith(prefix))
        text = text.mid(prefix.size());
    const auto it = m_settings.find(error.field);
    if (it == m_settings.end()) {
        showMessage(tr("Check the setting %1: %2. Nothing was stored.").arg(error.field, text), true);
        return;
    }
    showMessage(
        tr("Check the setting “%1” (%2): %3. Nothing was stored.").arg(it->second.label, error.field, text),
        true);
    QWidget* widget = it->second.widget;
    if (widget->isEnabled())
        widget->setFocus(Qt::OtherFocusReason);
    if (auto* spin = qobject_cast<QAbstractSpinBox*>(widget))
        spin->selectAll();
    else if (auto* edit = qobject_cast<QLineEdit*>(widget))
        edit->selectAll();
    m_formArea->ensureWidgetVisible(widget);
}

void PreparePage::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(
        error ? QStringLiteral("QLabel { color: palette(bright-text); background: #b3261e; "
                               "padding: 6px; border-radius: 4px; }")
              : QStringLiteral("QLabel { background: palette(alternate-base); padding: 6px; "
                               "border-radius: 4px; }"));
    m_message->show();
    emit statusMessage(text);
}

void PreparePage::hideMessage()
{
    m_message->clear();
    m_message->hide();
}

QString PreparePage::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

} // namespace swb

#include "prepsettingsform.h"

#include "prepcommon.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace swb {

namespace {

using prepui::hintLabel;
using prepui::kDay;
using prepui::utc;

// The split days stay at the default of one day for datasets spanning at least this long;
// shorter ones get about kShortSpanShare of their span each, so training keeps most of it.
constexpr std::int64_t kLongSpan = 10 * kDay;
constexpr double kShortSpanShare = 0.1;
constexpr int kDayDecimals = 4;

QString duration(std::int64_t seconds)
{
    if (seconds >= 2 * kDay)
        return PrepSettingsForm::tr("%1 days").arg(
            QLocale().toString(double(seconds) / double(kDay), 'f', 1));
    if (seconds >= 60 * 60)
        return PrepSettingsForm::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    if (seconds >= 60)
        return PrepSettingsForm::tr("%1 min").arg(seconds / 60);
    return PrepSettingsForm::tr("%1 s").arg(seconds);
}

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

} // namespace

PrepSettingsForm::PrepSettingsForm(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    // The page puts the dataset chooser above the steps, in the same column.
    layout->setContentsMargins(0, 0, 0, 0);

    // 1. Clean
    auto* cleanBox = new QGroupBox(tr("1. Clea&n"), this);
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
    addSetting(QStringLiteral("clean.start"), tr("Clean › Start"), m_startEdit);
    addSetting(QStringLiteral("clean.end"), tr("Clean › End"), m_endEdit);

    // 2. De-duplicate
    auto* dedupBox = new QGroupBox(tr("2. De-d&uplicate"), this);
    auto* dedupForm = new QFormLayout(dedupBox);
    m_repeatWindow = spinBox(dedupBox, 0, 7 * int(kDay), tr(" s"));
    m_repeatWindow->setObjectName(QStringLiteral("repeatWindow"));
    m_repeatWindow->setSpecialValueText(tr("off"));
    m_repeatWindow->setToolTip(
        tr("Also remove a repeat of the same user, item and behaviour within this many "
           "seconds (page refreshes). Exact duplicates are always removed."));
    dedupForm->addRow(tr("Repeat window:"), m_repeatWindow);
    layout->addWidget(dedupBox);
    addSetting(QStringLiteral("dedup.repeat_window_seconds"), tr("De-duplicate › Repeat window"),
               m_repeatWindow);

    // 3. Sessions
    auto* sessionsBox = new QGroupBox(tr("3. S&essions"), this);
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
    connect(m_sourceSessions, &QCheckBox::toggled, this, &PrepSettingsForm::updateEnabled);
    addSetting(QStringLiteral("sessions.use_source_sessions"), tr("Sessions › Use the dataset's session ids"),
               m_sourceSessions);
    addSetting(QStringLiteral("sessions.gap_minutes"), tr("Sessions › Gap"), m_gapMinutes);

    // 4. Filter
    auto* filterBox = new QGroupBox(tr("4. &Filter"), this);
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
    addSetting(QStringLiteral("filter.min_item_support"), tr("Filter › Min item support"), m_minItemSupport);
    addSetting(QStringLiteral("filter.min_session_length"), tr("Filter › Min session length"),
               m_minSessionLength);
    addSetting(QStringLiteral("filter.max_session_length"), tr("Filter › Max session length"),
               m_maxSessionLength);
    addSetting(QStringLiteral("filter.iterate"), tr("Filter › Repeat until nothing changes"), m_iterate);

    // 5. Split
    auto* splitBox = new QGroupBox(tr("5. S&plit"), this);
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
    connect(m_splitMethod, &QComboBox::currentIndexChanged, this, &PrepSettingsForm::updateEnabled);
    addSetting(QStringLiteral("split.method"), tr("Split › Method"), m_splitMethod);
    addSetting(QStringLiteral("split.test_days"), tr("Split › Test days"), m_testDays);
    addSetting(QStringLiteral("split.validation_days"), tr("Split › Validation days"), m_validationDays);
    addSetting(QStringLiteral("split.test_fraction"), tr("Split › Test fraction"), m_testFraction);
    addSetting(QStringLiteral("split.validation_fraction"), tr("Split › Validation fraction"),
               m_validationFraction);
    addSetting(QStringLiteral("split.seed"), tr("Split › Seed"), m_seed);

    // 6. Features
    auto* featuresBox = new QGroupBox(tr("6. Fea&tures"), this);
    auto* featuresForm = new QFormLayout(featuresBox);
    m_scaling = new QComboBox(featuresBox);
    m_scaling->setObjectName(QStringLiteral("scaling"));
    m_scaling->addItem(tr("Min-max (0 to 1)"), int(Scaling::MinMax));
    m_scaling->addItem(tr("Z-score (mean 0, deviation 1)"), int(Scaling::ZScore));
    m_scaling->setToolTip(tr("Fitted on the training split only"));
    featuresForm->addRow(tr("Scaling:"), m_scaling);
    layout->addWidget(featuresBox);
    addSetting(QStringLiteral("features.scaling"), tr("Features › Scaling"), m_scaling);
    layout->addStretch(1);

    for (QFormLayout* f : {cleanForm, dedupForm, sessionsForm, filterForm, splitForm, featuresForm})
        f->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

PrepSettingsForm::~PrepSettingsForm() = default;

void PrepSettingsForm::addSetting(const QString& key, const QString& label, QWidget* widget)
{
    m_settings[key] = Setting{label, widget};
}

const PrepSettingsForm::Setting* PrepSettingsForm::setting(const QString& key) const
{
    const auto it = m_settings.find(key);
    return it == m_settings.end() ? nullptr : &it->second;
}

QList<QWidget*> PrepSettingsForm::tabChain() const
{
    // clang-format off
    return {m_startCheck, m_startEdit, m_endCheck, m_endEdit, m_repeatWindow, m_sourceSessions, m_gapMinutes,
            m_minItemSupport, m_minSessionLength, m_maxSessionLength, m_iterate, m_splitMethod, m_testDays,
            m_validationDays, m_testFraction, m_validationFraction, m_seed, m_scaling};
    // clang-format on
}

void PrepSettingsForm::setDataset(const DatasetInfo* info)
{
    if (!info) {
        m_prefilledDataset.clear();
        m_daysNote.clear();
    } else if (info->name != m_prefilledDataset) {
        prefillFromDataset(*info);
    }
}

void PrepSettingsForm::forgetDataset()
{
    m_prefilledDataset.clear();
}

void PrepSettingsForm::setDatasetHasSessions(bool hasSessions)
{
    m_hasSessions = hasSessions;
    updateEnabled();
}

void PrepSettingsForm::prefillFromDataset(const DatasetInfo& info)
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

PrepConfig PrepSettingsForm::config() const
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

void PrepSettingsForm::setConfig(const PrepConfig& c)
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

void PrepSettingsForm::updateEnabled()
{
    m_gapMinutes->setEnabled(!m_sourceSessions->isChecked() || !m_hasSessions);

    const auto method = SplitMethod(m_splitMethod->currentData().toInt());
    for (QWidget* w : {static_cast<QWidget*>(m_testDays), static_cast<QWidget*>(m_validationDays)})
        w->setEnabled(method == SplitMethod::Temporal);
    for (QWidget* w : {static_cast<QWidget*>(m_testFraction), static_cast<QWidget*>(m_validationFraction),
                       static_cast<QWidget*>(m_seed)})
        w->setEnabled(method == SplitMethod::RandomSession);
    updateSplitHint();
}

void PrepSettingsForm::updateSplitHint()
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

} // namespace swb

#pragma once

#include "core/data/workspace.h"
#include "core/prep/prepconfig.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <map>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace swb {

// The settings of the six preparation steps (clean, de-duplicate, sessions, filter, split,
// features) as one group box each: the form as a PrepConfig and back, the rules that enable a
// field only where it applies, and the time window and split days pre-filled from a dataset's span.
// Every field is registered under its setting's JSON path, so an error about a setting can name it
// and focus its field.
class PrepSettingsForm : public QWidget
{
    Q_OBJECT
public:
    // One field of the form, for naming and focusing the setting an error is about.
    struct Setting
    {
        QString label;
        QWidget* widget = nullptr;
    };

    explicit PrepSettingsForm(QWidget* parent = nullptr);
    ~PrepSettingsForm() override;

    // The form as a config (not validated) and back.
    PrepConfig config() const;
    void setConfig(const PrepConfig& config);

    // The chosen dataset (nullptr: none). The time window and the split days are pre-filled from
    // its span the first time it is chosen, not again until forgetDataset().
    void setDataset(const DatasetInfo* info);
    void forgetDataset();
    // Whether the chosen dataset has session ids (the gap applies only where it is not used).
    void setDatasetHasSessions(bool hasSessions);

    // Registers a field (of the form or not) under a setting's JSON path, e.g. "filter.iterate".
    void addSetting(const QString& key, const QString& label, QWidget* widget);
    // The field of a setting, nullptr when there is none.
    const Setting* setting(const QString& key) const;

    // The fields in tab order.
    QList<QWidget*> tabChain() const;

private:
    void prefillFromDataset(const DatasetInfo& info);
    void updateEnabled();
    void updateSplitHint();

    std::map<QString, Setting> m_settings; // by JSON path, e.g. "filter.max_session_length"
    QString m_prefilledDataset;            // the dataset the form was last pre-filled for
    QString m_daysNote;                    // why the split days are what they are for that dataset
    bool m_hasSessions = true;

    QCheckBox* m_startCheck = nullptr;
    QDateTimeEdit* m_startEdit = nullptr;
    QCheckBox* m_endCheck = nullptr;
    QDateTimeEdit* m_endEdit = nullptr;
    QSpinBox* m_repeatWindow = nullptr;
    QCheckBox* m_sourceSessions = nullptr;
    QSpinBox* m_gapMinutes = nullptr;
    QSpinBox* m_minItemSupport = nullptr;
    QSpinBox* m_minSessionLength = nullptr;
    QSpinBox* m_maxSessionLength = nullptr;
    QCheckBox* m_iterate = nullptr;
    QComboBox* m_splitMethod = nullptr;
    QDoubleSpinBox* m_testDays = nullptr;
    QDoubleSpinBox* m_validationDays = nullptr;
    QDoubleSpinBox* m_testFraction = nullptr;
    QDoubleSpinBox* m_validationFraction = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_splitHint = nullptr;
    QComboBox* m_scaling = nullptr;
};

} // namespace swb

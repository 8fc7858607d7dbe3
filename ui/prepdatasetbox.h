#pragma once

#include "core/data/workspace.h"

#include <QGroupBox>
#include <QList>
#include <QString>

#include <vector>

class QComboBox;
class QLabel;

namespace swb {

// The Prepare page's dataset chooser: the workspace's datasets in a combo and, under it, what the
// chosen one holds (events, users, items, time span, whether it has session ids) or why there is
// nothing to choose. The page decides what choosing a dataset does.
class PrepDatasetBox : public QGroupBox
{
    Q_OBJECT
public:
    explicit PrepDatasetBox(QWidget* parent = nullptr);
    ~PrepDatasetBox() override;

    // Lists the datasets, keeping the one chosen if it is still there, else choosing the newest
    // (the last); then emits currentChanged() once. workspaceOpen says which hint an empty list gets.
    void setDatasets(std::vector<DatasetInfo> datasets, bool workspaceOpen);
    QString currentDataset() const;
    // The chosen dataset, nullptr when none.
    const DatasetInfo* currentInfo() const;
    // Chooses the dataset (emitting currentChanged()). False when it is not listed.
    bool selectDataset(const QString& name);
    // The widgets in tab order.
    QList<QWidget*> tabChain() const;

signals:
    void currentChanged();

private:
    void onCurrentChanged();

    std::vector<DatasetInfo> m_datasets;
    bool m_workspaceOpen = false;
    QComboBox* m_combo = nullptr;
    QLabel* m_hint = nullptr;
};

} // namespace swb

#pragma once

#include "core/data/workspace.h"

#include <QGroupBox>
#include <QList>
#include <QString>

#include <vector>

class QPushButton;
class QStandardItemModel;
class QTreeView;

namespace swb {

// The workspace's stored preparation runs as a sortable list (name, dataset, created, sessions)
// with Remove… (and Delete) for the selected one, confirmed first. The page decides what selecting
// and removing do.
class PrepRunsPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit PrepRunsPanel(QWidget* parent = nullptr);
    ~PrepRunsPanel() override;

    // Lists the runs, with nothing selected (and no selectionChanged()).
    void setRuns(const std::vector<RunInfo>& runs);
    // Selects the run: quietly (no selectionChanged(), no scrolling) or as if the user had chosen it.
    void selectRun(const QString& name, bool quiet);
    // The selected run's name, empty when none is selected.
    QString selectedRun() const;
    // While busy, nothing can be removed.
    void setBusy(bool busy);

    QStandardItemModel* model() const { return m_model; }
    // The widgets in tab order.
    QList<QWidget*> tabChain() const;

signals:
    void selectionChanged();
    // Remove… or Delete on the selected run, once confirmed.
    void removeConfirmed(const QString& name);

private:
    void confirmRemove();
    void updateRemove();

    bool m_busy = false;
    QStandardItemModel* m_model = nullptr;
    QTreeView* m_view = nullptr;
    QPushButton* m_removeButton = nullptr;
};

} // namespace swb

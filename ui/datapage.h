#pragma once

#include "core/data/behaviour.h"
#include "core/data/workspace.h"
#include "core/io/importer.h"

#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSplitter;
class QStandardItemModel;
class QTabWidget;
class QTableView;
class QTimer;

namespace swb {

class JobProgressRow;

class MessageBar;

class EventTableModel;
class ImportJob;
class JobRunner;
class ProblemsPanel;
class SummaryPanel;
struct ImportOutcome;

// The Data page: the datasets of the workspace, the summary and events of the one shown, its
// import problems, and the import / load / filter jobs with one progress bar and Cancel.
class DataPage : public QWidget
{
    Q_OBJECT
public:
    explicit DataPage(QWidget* parent = nullptr);
    ~DataPage() override;

    // The page reads the dataset list through this connection; workers open their own.
    void setWorkspace(std::shared_ptr<Workspace> workspace);

    // Imports in the background and shows the dataset when stored (what the Import button of the
    // import dialog does). While another import runs, this one waits its turn.
    void startImport(const ImportOptions& options, const QString& datasetName);
    // Shows the dataset named after the file if the workspace has one, else imports the file with
    // the detected format. Files given while an import runs wait their turn.
    void importOrShow(const QString& path);
    // Selects the dataset in the list and loads it in the background. False when there is none.
    bool showDataset(const QString& name);
    // Removes the dataset from the workspace in the background (what Remove… does once confirmed).
    void removeDataset(const QString& name);
    // Shows only the events of this user / item / behaviour (exact original ids; empty: any).
    void setFilter(const QString& user, const QString& item, std::optional<Behaviour> behaviour);

    void cancelJobs();
    bool isBusy() const;
    bool isImporting() const;
    QString shownDataset() const { return m_shownName; }
    EventTableModel* eventModel() const { return m_model; }
    QStandardItemModel* problemsModel() const;
    // The value the summary panel shows for a key: events, users, items, categories, sessions,
    // first, last, rejected, or a behaviour key (view, fav, cart, remove_from_cart, buy).
    QString summaryText(const QString& key) const;

    void saveState() const;
    void restoreState();

signals:
    void importRequested();
    void busyChanged(bool busy);
    void datasetShown(const QString& name);
    void importFinished(const QString& name);
    void importFailed(const QString& message);
    void importCancelled();
    void statusMessage(const QString& message);

private:
    QWidget* createDatasetPanel();
    QWidget* createEventsPanel();
    QWidget* createProgressRow();

    void refreshDatasets();
    void onDatasetSelected();
    void loadDataset(const QString& name);
    void confirmRemoveSelected();
    void showLoaded(const DatasetInfo& info, std::shared_ptr<const EventTable> table);
    void clearShown();
    void resetColumnWidths();
    void showProblems(const QJsonObject& report);
    void onImportFinished(const ImportOutcome& outcome);
    void startNextPending();
    void applyFilter();
    void updateRowsLabel();
    void updateBusy();
    void onProgress(qint64 done, qint64 total, const QString& stage);
    void showMessage(const QString& text, bool error);
    const DatasetInfo* datasetInfo(const QString& name) const;
    void selectInList(const QString& name);

    std::shared_ptr<Workspace> m_workspace;
    std::vector<DatasetInfo> m_datasets;
    QString m_shownName;
    QString m_loadingName;
    struct PendingImport
    {
        ImportOptions options;
        QString name;
        bool showIfStored = false; // a file given on the command line: show it when already imported
    };
    std::vector<PendingImport> m_pending;
    bool m_busy = false;

    ImportJob* m_import = nullptr;
    JobRunner* m_loader = nullptr;
    EventTableModel* m_model = nullptr;

    QSplitter* m_splitter = nullptr;
    QListWidget* m_datasetList = nullptr;
    SummaryPanel* m_summary = nullptr;
    ProblemsPanel* m_problems = nullptr;
    QLineEdit* m_userFilter = nullptr;
    QLineEdit* m_itemFilter = nullptr;
    QComboBox* m_behaviourFilter = nullptr;
    QTimer* m_filterTimer = nullptr;
    QLabel* m_rowsLabel = nullptr;
    QTableView* m_eventsView = nullptr;
    QTabWidget* m_tabs = nullptr;
    MessageBar* m_message = nullptr;
    JobProgressRow* m_progressRow = nullptr;
};

} // namespace swb

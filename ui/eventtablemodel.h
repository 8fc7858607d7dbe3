#pragma once

#include "core/data/eventquery.h"

#include "core/data/eventtable.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace swb {

class JobRunner;

// The events of one dataset as a table, read straight from the columnar store: data() is O(1)
// and formats only the cells on screen, so ten million rows scroll like ten. Filtering and
// sorting build a row index vector on a worker thread (selectRows) that is swapped in with a
// model reset; until it arrives the previous rows stay on screen.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // Raw values for sorting and tests: numbers for ids that are numbers, Unix seconds for the time.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit EventTableModel(QObject* parent = nullptr);
    ~EventTableModel() override;

    // Shows all rows of the table in file order; a running filter or sort is dropped.
    void setTable(std::shared_ptr<const EventTable> table);
    std::shared_ptr<const EventTable> table() const { return m_table; }

    // Starts filtering (and sorting as before) on a worker thread.
    void setFilter(const QString& user, const QString& item, std::optional<Behaviour> behaviour);
    // The latest filter and sort asked for (shown once no job is busy).
    EventQuery query() const { return m_query; }
    // Starts sorting on a worker thread.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    bool isBusy() const;
    void cancel();
    // Set by the last finished filter (e.g. an unknown id), empty otherwise.
    QString notice() const { return m_notice; }

    EventColumn columnKind(int column) const { return m_columns[std::size_t(column)]; }
    int columnOf(EventColumn kind) const;
    // Row of the table shown at the given model row.
    std::size_t tableRow(int row) const { return m_rows ? (*m_rows)[std::size_t(row)] : std::size_t(row); }
    // Rows in the table, whatever the filter.
    qint64 totalRows() const { return m_table ? qint64(m_table->size()) : 0; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void busyChanged(bool busy);
    void progress(qint64 done, qint64 total, const QString& stage);
    // A filter or sort result was swapped in.
    void queryApplied();

private:
    void runQuery();
    QVariant display(EventColumn column, std::size_t row) const;
    QVariant sortValue(EventColumn column, std::size_t row) const;

    std::shared_ptr<const EventTable> m_table;
    std::vector<EventColumn> m_columns;
    // Null: all rows in file order (no index vector for the common case).
    std::shared_ptr<const std::vector<std::uint32_t>> m_rows;
    EventQuery m_query;        // the latest request
    EventQuery m_appliedQuery; // the one whose rows are shown
    RankCache m_ranks;
    QString m_notice;
    JobRunner* m_runner = nullptr;
};

} // namespace swb

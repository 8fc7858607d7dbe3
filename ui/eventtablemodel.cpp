#include "eventtablemodel.h"

#include "jobrunner.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <cmath>

namespace swb {

namespace {

QString idText(const Dictionary& dictionary, std::uint32_t code)
{
    if (code == Dictionary::kNone)
        return {};
    const std::string_view text = dictionary.text(code);
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// Numeric ids as numbers when they fit, so a generic sort orders them as a person would.
QVariant idValue(const Dictionary& dictionary, std::uint32_t code)
{
    if (code == Dictionary::kNone)
        return {};
    const std::string_view text = dictionary.text(code);
    bool ok = false;
    const qulonglong number = QByteArrayView(text.data(), qsizetype(text.size())).toULongLong(&ok);
    if (ok)
        return number;
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

EventTableModel::EventTableModel(QObject* parent) : QAbstractTableModel(parent), m_runner(new JobRunner(this))
{
    connect(m_runner, &JobRunner::runningChanged, this, &EventTableModel::busyChanged);
    connect(m_runner, &JobRunner::progress, this, &EventTableModel::progress);
}

EventTableModel::~EventTableModel() = default;

void EventTableModel::setTable(std::shared_ptr<const EventTable> table)
{
    m_runner->abandon();
    beginResetModel();
    m_table = std::move(table);
    m_rows.reset();
    m_query = {};
    m_appliedQuery = {};
    m_ranks = {};
    m_notice.clear();
    m_columns = {EventColumn::Row,      EventColumn::User,      EventColumn::Item,
                 EventColumn::Category, EventColumn::Behaviour, EventColumn::Time};
    if (m_table && m_table->hasSession())
        m_columns.push_back(EventColumn::Session);
    if (m_table && m_table->hasPrice())
        m_columns.push_back(EventColumn::Price);
    if (m_table && m_table->hasBrand())
        m_columns.push_back(EventColumn::Brand);
    endResetModel();
}

int EventTableModel::columnOf(EventColumn kind) const
{
    for (std::size_t i = 0; i < m_columns.size(); ++i) {
        if (m_columns[i] == kind)
            return int(i);
    }
    return -1;
}

void EventTableModel::setFilter(const QString& user, const QString& item, std::optional<Behaviour> behaviour)
{
    m_query.user = user.trimmed();
    m_query.item = item.trimmed();
    m_query.behaviour = behaviour;
    runQuery();
}

void EventTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= int(m_columns.size())) {
        m_query.sortColumn.reset();
        m_query.descending = false;
    } else {
        m_query.sortColumn = m_columns[std::size_t(column)];
        m_query.descending = order == Qt::DescendingOrder;
    }
    runQuery();
}

bool EventTableModel::isBusy() const
{
    return m_runner->isRunning();
}

void EventTableModel::cancel()
{
    m_runner->cancel();
}

void EventTableModel::runQuery()
{
    if (!m_table)
        return;
    if (m_query.isIdentity()) {
        // All rows in file order: no worker needed, and no index vector held.
        m_runner->abandon();
        m_appliedQuery = m_query;
        const bool changed = m_rows != nullptr || !m_notice.isEmpty();
        if (changed) {
            beginResetModel();
            m_rows.reset();
            m_notice.clear();
            endResetModel();
        }
        emit queryApplied();
        return;
    }
    auto table = m_table;
    const EventQuery query = m_query;
    const RankCache ranks = m_ranks;
    m_runner->start<RowSelection>(
        [table, query, ranks](ProgressSink& progress, const CancelToken& cancel) {
            return selectRows(table, query, ranks, progress, cancel);
        },
        [this, table, query](Result<RowSelection> result) {
            if (table != m_table)
                return;
            if (!result) {
                m_query = m_appliedQuery; // cancelled: the previous rows stay, and so does their query
                return;
            }
            m_appliedQuery = query;
            RowSelection& selection = result.value();
            beginResetModel();
            m_rows = std::make_shared<const std::vector<std::uint32_t>>(std::move(selection.rows));
            m_ranks = selection.ranks;
            m_notice = selection.notice;
            endResetModel();
            emit queryApplied();
        });
}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_table)
        return 0;
    return m_rows ? int(m_rows->size()) : int(m_table->size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_table)
        return 0;
    return int(m_columns.size());
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EventColumn column = m_columns[std::size_t(index.column())];
    const std::size_t row = tableRow(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(column, row);
    case SortRole:
        return sortValue(column, row);
    case Qt::TextAlignmentRole:
        if (column == EventColumn::Row || column == EventColumn::Price)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant EventTableModel::display(EventColumn column, std::size_t row) const
{
    const EventTable& t = *m_table;
    switch (column) {
    case EventColumn::Row:
        return QString::number(row + 1);
    case EventColumn::User:
        return idText(t.users, t.user[row]);
    case EventColumn::Item:
        return idText(t.items, t.item[row]);
    case EventColumn::Category:
        return idText(t.categories, t.category[row]);
    case EventColumn::Behaviour:
        return behaviourLabel(t.behaviourAt(row));
    case EventColumn::Time:
        return QDateTime::fromSecsSinceEpoch(t.ts[row], QTimeZone::utc())
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case EventColumn::Session:
        return idText(t.sessions, t.session[row]);
    case EventColumn::Price: {
        const float price = t.price[row];
        return std::isnan(price) ? QString() : QString::number(double(price), 'f', 2);
    }
    case EventColumn::Brand:
        return idText(t.brands, t.brand[row]);
    }
    return {};
}

QVariant EventTableModel::sortValue(EventColumn column, std::size_t row) const
{
    const EventTable& t = *m_table;
    switch (column) {
    case EventColumn::Row:
        return qulonglong(row);
    case EventColumn::User:
        return idValue(t.users, t.user[row]);
    case EventColumn::Item:
        return idValue(t.items, t.item[row]);
    case EventColumn::Category:
        return idValue(t.categories, t.category[row]);
    case EventColumn::Behaviour:
        return int(t.behaviour[row]);
    case EventColumn::Time:
        return qlonglong(t.ts[row]);
    case EventColumn::Session:
        return idValue(t.sessions, t.session[row]);
    case EventColumn::Price: {
        const float price = t.price[row];
        return std::isnan(price) ? QVariant() : QVariant(double(price));
    }
    case EventColumn::Brand:
        return idValue(t.brands, t.brand[row]);
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= int(m_columns.size()))
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (m_columns[std::size_t(section)]) {
    case EventColumn::Row:
        return tr("#");
    case EventColumn::User:
        return tr("User");
    case EventColumn::Item:
        return tr("Item");
    case EventColumn::Category:
        return tr("Category");
    case EventColumn::Behaviour:
        return tr("Behaviour");
    case EventColumn::Time:
        return tr("Time (UTC)");
    case EventColumn::Session:
        return tr("Session");
    case EventColumn::Price:
        return tr("Price");
    case EventColumn::Brand:
        return tr("Brand");
    }
    return {};
}

} // namespace swb

#include "problemspanel.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace swb {

ProblemsPanel::ProblemsPanel(QWidget* parent) : QWidget(parent), m_model(new QStandardItemModel(this))
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("problemsSummary"));
    m_summary->setWordWrap(true);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("problemsView"));
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSortingEnabled(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    clear();
}

void ProblemsPanel::clear()
{
    m_model->clear();
    m_model->setHorizontalHeaderLabels(
        {tr("Line"), tr("Column"), tr("Field"), tr("Reason"), tr("Text"), tr("File")});
    m_summary->clear();
    m_rejected = 0;
}

void ProblemsPanel::showReport(const QJsonObject& report)
{
    clear();
    const QLocale locale;
    const QJsonArray errors = report.value(QStringLiteral("errors")).toArray();
    for (const QJsonValue& value : errors) {
        const QJsonObject e = value.toObject();
        auto* line = new QStandardItem;
        line->setData(qlonglong(e.value(QStringLiteral("line")).toDouble()), Qt::DisplayRole);
        auto* column = new QStandardItem;
        // Column 0 means the row as a whole (e.g. a wrong column count): show nothing.
        if (const int c = e.value(QStringLiteral("column")).toInt(); c > 0)
            column->setData(c, Qt::DisplayRole);
        const QString file = e.value(QStringLiteral("file")).toString();
        auto* fileItem = new QStandardItem(QFileInfo(file).fileName());
        fileItem->setToolTip(file);
        auto* text = new QStandardItem(e.value(QStringLiteral("text")).toString());
        text->setToolTip(text->text());
        m_model->appendRow({line, column, new QStandardItem(e.value(QStringLiteral("field")).toString()),
                            new QStandardItem(e.value(QStringLiteral("reason")).toString()), text, fileItem});
    }
    m_rejected = qint64(report.value(QStringLiteral("rows_rejected")).toDouble());
    const qint64 read = qint64(report.value(QStringLiteral("rows_read")).toDouble());
    QStringList reasons;
    const QJsonObject byReason = report.value(QStringLiteral("rejected_by_reason")).toObject();
    for (auto it = byReason.begin(); it != byReason.end(); ++it)
        reasons << tr("%1: %2").arg(it.key(), locale.toString(qint64(it.value().toDouble())));
    if (m_rejected == 0) {
        m_summary->setText(tr("All %1 rows were imported; no problems.").arg(locale.toString(read)));
    } else {
        QString summary =
            tr("%1 of %2 rows were rejected (%3).")
                .arg(locale.toString(m_rejected), locale.toString(read), reasons.join(QStringLiteral(", ")));
        if (qint64(errors.size()) < m_rejected)
            summary += QLatin1Char(' ') + tr("The first %1 are listed.").arg(errors.size());
        m_summary->setText(summary);
    }
    m_view->resizeColumnsToContents();
}

} // namespace swb

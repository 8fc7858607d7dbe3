#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTableView;

namespace swb {

// The rows an import rejected, from the stored report: counts by reason, then the first rows
// with their line, column, field, reason and text. At most ImportOptions::maxErrors rows, so a
// small item model is enough.
class ProblemsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProblemsPanel(QWidget* parent = nullptr);

    // report is toJson(ImportReport) as stored with the dataset.
    void showReport(const QJsonObject& report);
    void clear();
    qint64 rejectedRows() const { return m_rejected; }
    QStandardItemModel* model() const { return m_model; }

private:
    QLabel* m_summary = nullptr;
    QStandardItemModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    qint64 m_rejected = 0;
};

} // namespace swb

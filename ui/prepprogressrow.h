#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace swb {

// The Prepare page's progress row: the stage, a bar and Cancel, shown while a job runs.
class PrepProgressRow : public QWidget
{
    Q_OBJECT
public:
    explicit PrepProgressRow(QWidget* parent = nullptr);
    ~PrepProgressRow() override;

    // A job started: a busy bar saying "Working…" with Cancel enabled.
    void reset();
    // Cancel was asked for: says so (and keeps saying so, whatever progress arrives).
    void setCancelling();
    void setProgress(qint64 done, qint64 total, const QString& stage);
    QPushButton* cancelButton() const { return m_cancelButton; }

signals:
    void cancelRequested();

private:
    QLabel* m_label = nullptr;
    QProgressBar* m_bar = nullptr;
    QPushButton* m_cancelButton = nullptr;
};

} // namespace swb

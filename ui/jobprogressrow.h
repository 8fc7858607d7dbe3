#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace swb {

// A page's progress row: the stage, a bar and Cancel, shown while the page's job runs. Every page
// with a background job uses it, so progress and cancelling look and behave the same everywhere.
class JobProgressRow : public QWidget
{
    Q_OBJECT
public:
    // namePrefix names the parts for tests and accessibility tools: "<prefix>ProgressLabel",
    // "<prefix>ProgressBar", "<prefix>CancelButton" ("progressLabel", ... without a prefix).
    JobProgressRow(const QString& namePrefix, const QString& cancelToolTip, QWidget* parent = nullptr);
    ~JobProgressRow() override;

    // A job started: a busy bar saying `text` ("Working…" when empty) with Cancel enabled.
    void reset(const QString& text = {});
    // Cancel was asked for: says so (and keeps saying so, whatever progress arrives).
    void setCancelling();
    bool isCancelling() const;
    // done of total (per mille on the bar); total <= 0 is a busy bar.
    void setProgress(qint64 done, qint64 total, const QString& stage);
    QString text() const;
    QPushButton* cancelButton() const { return m_cancelButton; }

signals:
    void cancelRequested();

private:
    QLabel* m_label = nullptr;
    QProgressBar* m_bar = nullptr;
    QPushButton* m_cancelButton = nullptr;
};

} // namespace swb

#include "jobprogressrow.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace swb {

namespace {

constexpr int kPermille = 1000;

QString partName(const QString& prefix, const QString& part)
{
    return prefix.isEmpty() ? part.left(1).toLower() + part.mid(1) : prefix + part;
}

} // namespace

JobProgressRow::JobProgressRow(const QString& namePrefix, const QString& cancelToolTip, QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_label = new QLabel(this);
    m_label->setObjectName(partName(namePrefix, QStringLiteral("ProgressLabel")));
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(partName(namePrefix, QStringLiteral("ProgressBar")));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(partName(namePrefix, QStringLiteral("CancelButton")));
    m_cancelButton->setToolTip(cancelToolTip);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_bar, 2);
    layout->addWidget(m_cancelButton);
    connect(m_cancelButton, &QPushButton::clicked, this, &JobProgressRow::cancelRequested);
    hide();
}

JobProgressRow::~JobProgressRow() = default;

void JobProgressRow::reset(const QString& text)
{
    m_bar->setRange(0, 0);
    m_label->setText(text.isEmpty() ? tr("Working…") : text);
    m_cancelButton->setEnabled(true);
}

void JobProgressRow::setCancelling()
{
    m_cancelButton->setEnabled(false);
    m_label->setText(tr("Cancelling…"));
}

bool JobProgressRow::isCancelling() const
{
    return !m_cancelButton->isEnabled();
}

void JobProgressRow::setProgress(qint64 done, qint64 total, const QString& stage)
{
    if (isCancelling())
        return; // keep saying so
    m_label->setText(stage);
    if (total <= 0) {
        m_bar->setRange(0, 0);
        return;
    }
    m_bar->setRange(0, kPermille);
    m_bar->setValue(int(double(kPermille) * double(done) / double(total)));
}

QString JobProgressRow::text() const
{
    return m_label->text();
}

} // namespace swb

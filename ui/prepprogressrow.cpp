#include "prepprogressrow.h"

#include "prepcommon.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace swb {

using prepui::kPermille;

PrepProgressRow::PrepProgressRow(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("prepareProgressLabel"));
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("prepareProgressBar"));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("prepareCancelButton"));
    m_cancelButton->setToolTip(tr("Stop the preparation; nothing is stored (Esc)"));
    layout->addWidget(m_label, 1);
    layout->addWidget(m_bar, 2);
    layout->addWidget(m_cancelButton);
    connect(m_cancelButton, &QPushButton::clicked, this, &PrepProgressRow::cancelRequested);
    hide();
}

PrepProgressRow::~PrepProgressRow() = default;

void PrepProgressRow::reset()
{
    m_bar->setRange(0, 0);
    m_label->setText(tr("Working…"));
    m_cancelButton->setEnabled(true);
}

void PrepProgressRow::setCancelling()
{
    m_cancelButton->setEnabled(false);
    m_label->setText(tr("Cancelling…"));
}

void PrepProgressRow::setProgress(qint64 done, qint64 total, const QString& stage)
{
    if (!m_cancelButton->isEnabled())
        return; // cancelling: keep saying so
    m_label->setText(stage);
    if (total <= 0) {
        m_bar->setRange(0, 0);
        return;
    }
    m_bar->setRange(0, int(kPermille));
    m_bar->setValue(int(double(kPermille) * double(done) / double(total)));
}

} // namespace swb

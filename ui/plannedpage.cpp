#include "plannedpage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace swb {

PlannedPage::PlannedPage(const QString& title, const QString& description, QWidget* parent) : QWidget(parent)
{
    auto* heading = new QLabel(title, this);
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    font.setBold(true);
    heading->setFont(font);
    auto* text = new QLabel(description, this);
    text->setWordWrap(true);
    auto* note = new QLabel(tr("This page is planned for a later version."), this);
    note->setEnabled(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 32, 32, 32);
    layout->addWidget(heading);
    layout->addWidget(text);
    layout->addWidget(note);
    layout->addStretch(1);
}

} // namespace swb

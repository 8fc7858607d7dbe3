#include "messagebar.h"

namespace swb {

MessageBar::MessageBar(QWidget* parent) : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
}

void MessageBar::showText(const QString& text, bool error)
{
    setText(text);
    setStyleSheet(error ? QStringLiteral("QLabel { color: palette(bright-text); background: #b3261e; "
                                         "padding: 6px; border-radius: 4px; }")
                        : QStringLiteral("QLabel { background: palette(alternate-base); padding: 6px; "
                                         "border-radius: 4px; }"));
    show();
}

void MessageBar::clearText()
{
    clear();
    hide();
}

} // namespace swb

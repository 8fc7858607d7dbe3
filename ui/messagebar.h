#pragma once

#include <QLabel>

namespace swb {

// The strip at the top of a page that shows its latest error or notice, hidden when empty. Plain
// text (messages name files, which may hold '<'), selectable so a message can be copied.
class MessageBar : public QLabel
{
    Q_OBJECT
public:
    explicit MessageBar(QWidget* parent = nullptr);

    void showText(const QString& text, bool error);
    void clearText();
    // The text shown, empty while hidden.
    QString shownText() const { return isHidden() ? QString() : text(); }
};

} // namespace swb

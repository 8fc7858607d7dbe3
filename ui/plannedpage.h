#pragma once

#include <QWidget>

namespace swb {

// A page a later version fills: its title and one sentence of what it will hold. No controls.
class PlannedPage : public QWidget
{
    Q_OBJECT
public:
    PlannedPage(const QString& title, const QString& description, QWidget* parent = nullptr);
};

} // namespace swb

#pragma once

#include <QList>
#include <QString>

class QBarSet;
class QChart;

namespace swb::test {

// The bar set of that name in any of the chart's bar series, or null.
QBarSet* barSet(QChart* chart, const QString& label);
// A bar set's values as whole numbers (empty for null).
QList<qint64> values(const QBarSet* set);

} // namespace swb::test

#pragma once

#include <QColor>
#include <QString>

#include <optional>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

// Small helpers shared by the Evaluate page's charts.
namespace swb::evalui {

// Removes the chart's series and axes and sets its title.
void resetChart(QChart* chart, const QString& title);
// A file name stem from model names: anything but letters, digits, '.', '_' and '-' becomes '_'.
QString fileStem(const QString& text);
// A metric in [0, 1] with three decimals; "—" when undefined.
QString metricText(std::optional<double> value);
// The colour of the i-th model, the same in every chart of the page.
QColor modelColour(int index);

} // namespace swb::evalui

#include "evalcommon.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>
#include <QLocale>
#include <QRegularExpression>

#include <array>

namespace swb::evalui {

void resetChart(QChart* chart, const QString& title)
{
    chart->removeAllSeries();
    const QList<QAbstractAxis*> axes = chart->axes();
    for (QAbstractAxis* axis : axes) {
        chart->removeAxis(axis);
        delete axis;
    }
    chart->setTitle(title);
}

QString fileStem(const QString& text)
{
    QString stem = text;
    stem.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("_"));
    return stem;
}

QString metricText(std::optional<double> value)
{
    return value ? QLocale().toString(*value, 'f', 3) : QString(QChar(0x2014));
}

QColor modelColour(int index)
{
    // Distinct on white and for the common colour-vision deficiencies (Okabe–Ito).
    static const std::array<QColor, 7> colours = {QColor(0x00, 0x72, 0xb2), QColor(0xe6, 0x9f, 0x00),
                                                  QColor(0x00, 0x9e, 0x73), QColor(0xcc, 0x79, 0xa7),
                                                  QColor(0xd5, 0x5e, 0x00), QColor(0x56, 0xb4, 0xe9),
                                                  QColor(0x40, 0x40, 0x40)};
    return colours[std::size_t(index) % colours.size()];
}

} // namespace swb::evalui

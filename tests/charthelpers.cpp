#include "charthelpers.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>

namespace swb::test {

QBarSet* barSet(QChart* chart, const QString& label)
{
    const QList<QAbstractSeries*> series = chart ? chart->series() : QList<QAbstractSeries*>{};
    for (QAbstractSeries* s : series) {
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(s)) {
            const QList<QBarSet*> sets = bars->barSets();
            for (QBarSet* set : sets) {
                if (set->label() == label)
                    return set;
            }
        }
    }
    return nullptr;
}

QList<qint64> values(const QBarSet* set)
{
    QList<qint64> out;
    for (int i = 0; set && i < set->count(); ++i)
        out << qint64(set->at(i));
    return out;
}

} // namespace swb::test

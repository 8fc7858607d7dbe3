#include "result.h"

#include <QCoreApplication>

namespace swb {

QString Error::toString() const
{
    QString where = file;
    if (line > 0)
        where += QLatin1Char(':') + QString::number(line);
    if (column > 0)
        where += QLatin1Char(':') + QString::number(column);
    if (where.isEmpty())
        return message;
    return where + QLatin1String(": ") + message;
}

Error cancelledError()
{
    return Error{
        ErrorCode::Cancelled, QCoreApplication::translate("swb", "Cancelled by the user."), {}, 0, 0, {}};
}

} // namespace swb

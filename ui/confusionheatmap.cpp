#include "confusionheatmap.h"

#include "core/eval/classification.h"

#include <QBuffer>
#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QSvgGenerator>

#include <algorithm>

namespace swb {

namespace {

constexpr int kMargin = 8;
constexpr int kScaleWidth = 14;

QColor cellColour(double share)
{
    // White to the dark blue of the charts, linear in the share.
    const QColor dark(0x08, 0x45, 0x94);
    const auto mix = [share](int from, int to) {
        return int(from + (to - from) * share);
    };
    return QColor(mix(255, dark.red()), mix(255, dark.green()), mix(255, dark.blue()));
}

} // namespace

ConfusionHeatmap::ConfusionHeatmap(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("confusionHeatmap"));
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void ConfusionHeatmap::setMatrix(const ConfusionMatrix& matrix, const QStringList& labels,
                                 const QString& title)
{
    Q_ASSERT(matrix.classes() == labels.size());
    m_labels = labels;
    m_title = title;
    m_counts.assign(std::size_t(matrix.classes()) * std::size_t(matrix.classes()), 0);
    for (int t = 0; t < matrix.classes(); ++t) {
        for (int p = 0; p < matrix.classes(); ++p)
            m_counts[std::size_t(t) * std::size_t(matrix.classes()) + std::size_t(p)] = matrix.at(t, p);
    }
    updateGeometry();
    update();
}

void ConfusionHeatmap::clear()
{
    m_labels.clear();
    m_counts.clear();
    m_title.clear();
    update();
}

void ConfusionHeatmap::setNormalised(bool normalised)
{
    m_normalised = normalised;
    update();
}

std::int64_t ConfusionHeatmap::count(int trueClass, int predictedClass) const
{
    const auto n = std::size_t(m_labels.size());
    return m_counts[std::size_t(trueClass) * n + std::size_t(predictedClass)];
}

double ConfusionHeatmap::rowShare(int trueClass, int predictedClass) const
{
    std::int64_t row = 0;
    for (int p = 0; p < m_labels.size(); ++p)
        row += count(trueClass, p);
    return row > 0 ? double(count(trueClass, predictedClass)) / double(row) : 0.0;
}

QSize ConfusionHeatmap::exportSize() const
{
    // A heatmap on a tab never shown has no size of its own yet.
    return isVisible() || size().width() >= minimumSizeHint().width() ? size() : sizeHint();
}

QSize ConfusionHeatmap::sizeHint() const
{
    return {520, 420};
}

QSize ConfusionHeatmap::minimumSizeHint() const
{
    return {260, 200};
}

void ConfusionHeatmap::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paint(painter, rect());
}

void ConfusionHeatmap::paint(QPainter& painter, const QRect& rect) const
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect, Qt::white);
    const int n = int(m_labels.size());
    if (n == 0)
        return;
    const QFontMetrics fm(painter.font());
    const QColor text(0x30, 0x30, 0x30);
    int labelWidth = fm.horizontalAdvance(tr("True class"));
    for (const QString& l : m_labels)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(l));
    const int line = fm.height();
    const int scaleLabels = fm.horizontalAdvance(QStringLiteral("100%")) + 4;
    QRect area = rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    // Title, then the grid with labels left and below, then the scale on the right.
    painter.setPen(text);
    const QFont normal = painter.font();
    QFont bold = normal;
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRect(area.left(), area.top(), area.width(), line), Qt::AlignCenter, m_title);
    painter.setFont(normal);
    area.setTop(area.top() + line + kMargin);
    const int gridLeft = area.left() + labelWidth + kMargin;
    const int gridRight = area.right() - kScaleWidth - scaleLabels - 2 * kMargin;
    const int gridBottom = area.bottom() - 2 * line - kMargin;
    const int side = std::max(1, std::min((gridRight - gridLeft) / n, (gridBottom - area.top()) / n));
    const QRect grid(gridLeft, area.top(), side * n, side * n);

    for (int t = 0; t < n; ++t) {
        for (int p = 0; p < n; ++p) {
            const QRect cell(grid.left() + p * side, grid.top() + t * side, side, side);
            const double share = rowShare(t, p);
            painter.fillRect(cell, cellColour(share));
            painter.setPen(QColor(0xd0, 0xd0, 0xd0));
            painter.drawRect(cell);
            painter.setPen(share > 0.55 ? QColor(Qt::white) : text);
            const QString value =
                m_normalised ? QLocale().toString(share, 'f', 3) : QLocale().toString(qint64(count(t, p)));
            painter.drawText(cell, Qt::AlignCenter, value);
        }
        painter.setPen(text);
        painter.drawText(QRect(area.left(), grid.top() + t * side, labelWidth, side),
                         Qt::AlignRight | Qt::AlignVCenter, m_labels[t]);
    }
    for (int p = 0; p < n; ++p)
        painter.drawText(QRect(grid.left() + p * side, grid.bottom() + 4, side, line), Qt::AlignCenter,
                         fm.elidedText(m_labels[p], Qt::ElideRight, side));
    painter.drawText(QRect(grid.left(), grid.bottom() + 4 + line, grid.width(), line), Qt::AlignCenter,
                     tr("Predicted class"));
    painter.drawText(QRect(area.left(), grid.top() - line - 2, labelWidth, line),
                     Qt::AlignRight | Qt::AlignVCenter, tr("True class"));

    // The scale: the row share that sets a cell's colour.
    const QRect scale(grid.right() + 2 * kMargin, grid.top(), kScaleWidth, grid.height());
    QLinearGradient gradient(scale.bottomLeft(), scale.topLeft());
    gradient.setColorAt(0, cellColour(0));
    gradient.setColorAt(1, cellColour(1));
    painter.fillRect(scale, gradient);
    painter.setPen(QColor(0xa0, 0xa0, 0xa0));
    painter.drawRect(scale);
    painter.setPen(text);
    for (const double v : {0.0, 0.5, 1.0}) {
        const int y = scale.bottom() - int(v * scale.height());
        painter.drawText(QRect(scale.right() + 4, y - line / 2, scaleLabels, line),
                         Qt::AlignLeft | Qt::AlignVCenter, tr("%1%").arg(int(v * 100)));
    }
}

Status ConfusionHeatmap::writePng(const QString& path, qreal scale) const
{
    const QRect area(QPoint(0, 0), exportSize());
    QImage image((QSizeF(area.size()) * scale).toSize(), QImage::Format_ARGB32);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setFont(font());
        paint(painter, area);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return Error{ErrorCode::Storage, tr("Cannot encode the image for %1").arg(path), path, 0, 0, {}};
    return writeFileBytes(path, bytes);
}

Status ConfusionHeatmap::writeSvg(const QString& path) const
{
    const QRect area(QPoint(0, 0), exportSize());
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(area.size());
        svg.setViewBox(area);
        svg.setTitle(m_title);
        QPainter painter(&svg);
        painter.setFont(font());
        paint(painter, area);
    }
    return writeFileBytes(path, bytes);
}

ChartTable ConfusionHeatmap::table() const
{
    ChartTable t;
    t.header << QStringLiteral("true_class") << QStringLiteral("predicted_class") << QStringLiteral("count")
             << QStringLiteral("row_share");
    for (int r = 0; r < m_labels.size(); ++r) {
        for (int p = 0; p < m_labels.size(); ++p)
            t.rows << QStringList{m_labels[r], m_labels[p], QString::number(count(r, p)),
                                  QString::number(rowShare(r, p), 'g', 17)};
    }
    return t;
}

} // namespace swb

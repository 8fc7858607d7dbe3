#pragma once

#include "chartexport.h"

#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace swb {

class ConfusionMatrix;

// A confusion matrix drawn as a heatmap: true classes down the left, predicted classes along the
// bottom, the count (or the row's share) in each cell, the cell's colour from white to dark blue
// by its row-normalised share (so a rare class's row reads as well as a common one's), and the
// colour scale on the right. Painted, not a QChart, so it exports through its own writers.
class ConfusionHeatmap : public QWidget
{
    Q_OBJECT
public:
    explicit ConfusionHeatmap(QWidget* parent = nullptr);

    void setMatrix(const ConfusionMatrix& matrix, const QStringList& labels, const QString& title);
    void clear();
    bool isEmpty() const { return m_labels.isEmpty(); }

    // Cells show each row's shares (summing to 1 per true class) instead of counts.
    void setNormalised(bool normalised);
    bool isNormalised() const { return m_normalised; }

    QStringList labels() const { return m_labels; }
    std::int64_t count(int trueClass, int predictedClass) const;
    // The cell's share of its row (0 for an empty row).
    double rowShare(int trueClass, int predictedClass) const;
    QString title() const { return m_title; }

    // Whole file or nothing; the error names the file.
    Status writePng(const QString& path, qreal scale = 2.0) const;
    Status writeSvg(const QString& path) const;
    // true class, predicted class, count, row share.
    ChartTable table() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paint(QPainter& painter, const QRect& rect) const;
    QSize exportSize() const;

    QStringList m_labels;
    std::vector<std::int64_t> m_counts; // row-major, rows = true classes
    QString m_title;
    bool m_normalised = false;
};

} // namespace swb
